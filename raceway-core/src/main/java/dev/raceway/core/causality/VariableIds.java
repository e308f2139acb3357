package dev.raceway.core.causality;

import java.util.Arrays;

/**
 * Dense ids for variable names, given in order of first lookup. Open addressing over parallel arrays: a lookup
 * takes the string hash computed by the caller and compares references before falling back to {@code equals}, so the common
 * case touches no map node or boxed value (a {@code HashMap<String, Integer>} lookup per access was a visible
 * share of race counting on large traces).
 */
final class VariableIds {
    private String[] keys = new String[64];
    private int[] hashes = new int[64];
    private int[] ids = new int[64];
    private String[] names = new String[16];
    private int size;

    /** The id of {@code name}, whose {@link String#hashCode()} is {@code hash}. */
    int idOf(String name, int hash) {
        int h = mix(hash);
        int mask = keys.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            String k = keys[i];
            if (k == null) {
                return insert(i, name, h);
            }
            if (k == name || (hashes[i] == h && k.equals(name))) {
                return ids[i];
            }
        }
    }

    int size() {
        return size;
    }

    /** Names by id. */
    String[] names() {
        return Arrays.copyOf(names, size);
    }

    private int insert(int slot, String name, int h) {
        int id = size++;
        keys[slot] = name;
        hashes[slot] = h;
        ids[slot] = id;
        if (id == names.length) {
            names = Arrays.copyOf(names, 2 * id);
        }
        names[id] = name;
        if (2 * size > keys.length) {
            grow();
        }
        return id;
    }

    private void grow() {
        String[] oldKeys = keys;
        int[] oldHashes = hashes;
        int[] oldIds = ids;
        keys = new String[2 * oldKeys.length];
        hashes = new int[keys.length];
        ids = new int[keys.length];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != null) {
                int i = oldHashes[j] & mask;
                while (keys[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                hashes[i] = oldHashes[j];
                ids[i] = oldIds[j];
            }
        }
    }

    /** Spreads the string hash so that names differing only in trailing characters do not cluster. */
    private static int mix(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
