package dev.raceway.core.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One {@code String} per distinct short byte string of a body, looked up by its UTF-8 bytes: the byte-level
 * counterpart of {@link StringPool}, so a repeated string (thread, service, function, location, span id, …) is
 * neither decoded nor allocated again. Direct-mapped and bounded: a body of unique strings only evicts entries.
 */
final class BytePool {
    /** Longer strings (messages, stack frames, URLs with ids) rarely repeat; they are built without a lookup. */
    static final int MAX_POOLED_LENGTH = 128;
    private static final int SIZE = 2048; // a power of two

    private final String[] strings = new String[SIZE];
    private final int[] hashes = new int[SIZE];
    private final byte[][] bytes = new byte[SIZE][];

    /** The hash {@link #get} expects: {@code 31 * h + b} over the (signed) bytes. */
    static int hash(byte[] b, int from, int length) {
        int h = 0;
        for (int i = from; i < from + length; i++) {
            h = 31 * h + b[i];
        }
        return h;
    }

    /**
     * The string of {@code b[from, from + length)}, whose {@link #hash} is {@code h}. {@code ascii}: no byte is
     * negative; otherwise the bytes must be well-formed UTF-8, and {@link Utf8.NotWellFormed} is thrown when not.
     */
    String get(byte[] b, int from, int length, int h, boolean ascii) {
        if (length > MAX_POOLED_LENGTH) {
            return create(b, from, length, ascii);
        }
        int slot = (h ^ (h >>> 11)) & (SIZE - 1);
        byte[] known = bytes[slot];
        if (known != null && hashes[slot] == h && Arrays.equals(known, 0, known.length, b, from, from + length)) {
            return strings[slot];
        }
        String s = create(b, from, length, ascii);
        strings[slot] = s;
        hashes[slot] = h;
        bytes[slot] = Arrays.copyOfRange(b, from, from + length);
        return s;
    }

    private static String create(byte[] b, int from, int length, boolean ascii) {
        if (ascii) {
            return new String(b, from, length, StandardCharsets.ISO_8859_1); // ASCII: the same, and a plain copy
        }
        if (!Utf8.isWellFormed(b, from, from + length)) {
            throw new Utf8.NotWellFormed();
        }
        return new String(b, from, length, StandardCharsets.UTF_8);
    }
}
