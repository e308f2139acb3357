package dev.raceway.core.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
    private static final int MAX_SLOTS = 2048;
    private static final int MIN_SLOTS = 64;

    private final int mask;
    private final String[] strings;
    private final int[] hashes;
    private final byte[][] bytes;

    /**
     * A pool for a body of {@code bodyLength} bytes: one slot per 32 bytes of body, a power of two between 64 and
     * 2,048, so that a small post does not pay for the tables of a 1,000-event batch.
     */
    BytePool(int bodyLength) {
        int slots = Integer.highestOneBit(Math.max(MIN_SLOTS, Math.min(MAX_SLOTS, bodyLength / 32)));
        mask = slots - 1;
        strings = new String[slots];
        hashes = new int[slots];
        bytes = new byte[slots][];
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    /**
     * The hash {@link #get} expects: the bytes taken as little-endian 64-bit words (the last one zero-padded), each
     * mixed in by {@link #mix}, then {@link #finish}ed. Word-wise so that a decoder scanning a string eight bytes at a
     * time computes it on the way.
     */
    static int hash(byte[] b, int from, int length) {
        long h = 0;
        int i = from;
        int to = from + length;
        for (; i + 8 <= to; i += 8) {
            h = mix(h, (long) LONGS.get(b, i));
        }
        if (i < to) {
            long w = 0;
            for (int k = to - 1; k >= i; k--) {
                w = (w << 8) | (b[k] & 0xFF);
            }
            h = mix(h, w);
        }
        return finish(h);
    }

    static long mix(long h, long word) {
        long x = (h ^ word) * 0x9E37_79B9_7F4A_7C15L;
        return x ^ (x >>> 29);
    }

    static int finish(long h) {
        return (int) (h ^ (h >>> 32));
    }

    /**
     * The high bit of each byte of the little-endian word {@code w} that is a quote, a backslash, a control
     * character or not ASCII. Exact for the lowest such byte (borrows may flag bytes above it): the first byte a
     * string scan must stop at.
     */
    static long specials(long w) {
        long quote = w ^ 0x2222_2222_2222_2222L;
        long backslash = w ^ 0x5C5C_5C5C_5C5C_5C5CL;
        return ((quote - ONES) & ~quote | (backslash - ONES) & ~backslash | (w - 0x2020_2020_2020_2020L) & ~w | w)
                & HIGH_BITS;
    }

    /**
     * The string of {@code b[from, from + length)}, whose {@link #hash} is {@code h}. {@code ascii}: no byte is
     * negative; otherwise the bytes must be well-formed UTF-8, and null is returned when they are not.
     */
    @SuppressWarnings("ReturnValueIgnored") // Error Prone: s.hashCode() is called for its effect (String caches it)
    String get(byte[] b, int from, int length, int h, boolean ascii) {
        if (length > MAX_POOLED_LENGTH) {
            return create(b, from, length, ascii);
        }
        int slot = (h ^ (h >>> 11)) & mask;
        byte[] known = bytes[slot];
        if (known != null && hashes[slot] == h && Arrays.equals(known, 0, known.length, b, from, from + length)) {
            return strings[slot];
        }
        String s = create(b, from, length, ascii);
        if (s == null) {
            return null;
        }
        s.hashCode(); // computed here, while its bytes are in this core's cache, not by the store's writer thread
        strings[slot] = s;
        hashes[slot] = h;
        bytes[slot] = Arrays.copyOfRange(b, from, from + length);
        return s;
    }

    private static String create(byte[] b, int from, int length, boolean ascii) {
        if (ascii) {
            return new String(b, from, length, StandardCharsets.ISO_8859_1); // ASCII: the same, and a plain copy
        }
        return Utf8.isWellFormed(b, from, from + length) ? new String(b, from, length, StandardCharsets.UTF_8) : null;
    }
}
