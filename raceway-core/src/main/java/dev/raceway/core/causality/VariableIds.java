package dev.raceway.core.causality;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Dense ids for variable names, given in order of first lookup. Open addressing over parallel arrays: a lookup
 * takes the string hash computed by the caller and compares references before falling back to {@code equals}, so
 * the common case touches no map node or boxed value (a {@code HashMap<String, Integer>} lookup per access was a
 * visible share of race counting on large traces). Names crafted to share a string hash would make linear probing
 * quadratic, so a long probe switches to a {@link HashMap}, whose tree bins bound the cost of such collisions.
 */
final class VariableIds {
    /** Far beyond what a load factor of 1/2 produces by chance; reached in practice only by colliding hashes. */
    private static final int MAX_PROBE = 64;

    private String[] keys = new String[64];
    private int[] hashes = new int[64];
    private int[] ids = new int[64];
    private String[] names = new String[16];
    private int size;
    private Map<String, Integer> fallback;

    /** The id of {@code name}, whose {@link String#hashCode()} is {@code hash}. */
    int idOf(String name, int hash) {
        if (fallback != null) {
            return fallbackId(name);
        }
        int h = mix(hash);
        int mask = keys.length - 1;
        int i = h & mask;
        for (int probe = 0; probe < MAX_PROBE; probe++, i = (i + 1) & mask) {
            String k = keys[i];
            if (k == null) {
                return insert(i, name, h);
            }
            if (k == name || (hashes[i] == h && k.equals(name))) {
                return ids[i];
            }
        }
        fallback = new HashMap<>(2 * size);
        for (int id = 0; id < size; id++) {
            fallback.put(names[id], id);
        }
        keys = null;
        hashes = null;
        ids = null;
        return fallbackId(name);
    }

    private int fallbackId(String name) {
        Integer id = fallback.get(name);
        if (id != null) {
            return id;
        }
        fallback.put(name, size);
        addName(name);
        return size++;
    }

    private void addName(String name) {
        if (size == names.length) {
            names = Arrays.copyOf(names, 2 * size);
        }
        names[size] = name;
    }

    int size() {
        return size;
    }

    /** Names by id. */
    String[] names() {
        return Arrays.copyOf(names, size);
    }

    private int insert(int slot, String name, int h) {
        int id = size;
        keys[slot] = name;
        hashes[slot] = h;
        ids[slot] = id;
        addName(name);
        size++;
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
