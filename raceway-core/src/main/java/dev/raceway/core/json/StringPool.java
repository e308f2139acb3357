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

    String get(char[] buffer, int offset, int length) {
        if (length > MAX_POOLED_LENGTH) {
            return new String(buffer, offset, length);
        }
        int h = 0;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + buffer[i];
        }
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
