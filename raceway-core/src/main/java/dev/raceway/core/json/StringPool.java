package dev.raceway.core.json;

import java.util.Arrays;

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
    /** The characters of each entry, compared with one vectorised {@link Arrays#equals} call. */
    private final char[][] chars = new char[SIZE][];

    /**
     * {@link String#hashCode()} of the characters, four at a time: the same polynomial with a quarter of the
     * dependent multiplications, which made the one-at-a-time loop the pool's largest cost.
     */
    static int hash(char[] c, int offset, int length) {
        int h = 0;
        int i = offset;
        int end = offset + length;
        for (; i + 4 <= end; i += 4) {
            h = 923_521 * h + 29_791 * c[i] + 961 * c[i + 1] + 31 * c[i + 2] + c[i + 3]; // 31^4, 31^3, 31^2, 31
        }
        for (; i < end; i++) {
            h = 31 * h + c[i];
        }
        return h;
    }

    String get(char[] buffer, int offset, int length) {
        if (length > MAX_POOLED_LENGTH) {
            return new String(buffer, offset, length);
        }
        int h = hash(buffer, offset, length);
        int slot = (h ^ (h >>> 11)) & (SIZE - 1);
        char[] known = chars[slot];
        if (known != null && hashes[slot] == h
                && Arrays.equals(known, 0, known.length, buffer, offset, offset + length)) {
            return table[slot];
        }
        String s = new String(buffer, offset, length);
        table[slot] = s;
        hashes[slot] = h;
        chars[slot] = Arrays.copyOfRange(buffer, offset, offset + length);
        return s;
    }
}
