package dev.raceway.core.json;

/**
 * One instance per distinct short string of a batch, looked up straight from the parser's character buffer.
 *
 * <p>Nearly every string of an event repeats across the batch (thread, service, environment, span ids, function,
 * file, variable, location, lock, tag and header names): building a new {@code String} for each occurrence was the
 * decoder's largest allocation, and sharing the instances also shrinks whatever keeps the events. The table is
 * direct-mapped and bounded, so a hostile batch of unique strings only evicts entries; it never grows.
 */
final class StringPool {
    /** Longer strings (messages, stack frames, URLs with ids) rarely repeat; they are built without a lookup. */
    static final int MAX_POOLED_LENGTH = 128;
    private static final int SIZE = 2048; // a power of two

    private final String[] table = new String[SIZE];
    /** The hash of each entry, so that a different string in the same slot is told apart without comparing. */
    private final int[] hashes = new int[SIZE];

    String get(char[] chars, int offset, int length) {
        if (length > MAX_POOLED_LENGTH) {
            return new String(chars, offset, length);
        }
        int h = 0;
        for (int i = 0; i < length; i++) {
            h = 31 * h + chars[offset + i];
        }
        int slot = (h ^ (h >>> 11)) & (SIZE - 1);
        String known = table[slot];
        if (known != null && hashes[slot] == h && sameChars(known, chars, offset, length)) {
            return known;
        }
        String s = new String(chars, offset, length);
        table[slot] = s;
        hashes[slot] = h;
        return s;
    }

    private static boolean sameChars(String s, char[] chars, int offset, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (s.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }
}
