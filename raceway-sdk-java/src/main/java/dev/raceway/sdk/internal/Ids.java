package dev.raceway.sdk.internal;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Identifiers minted on the caller's thread. Event ids only need to be unique, not unpredictable, so they come
 * from {@link ThreadLocalRandom} instead of {@link UUID#randomUUID()}'s shared {@code SecureRandom}, which is the
 * single most expensive step of a tracking call otherwise.
 */
public final class Ids {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Ids() {
    }

    /** A random version-4 UUID. */
    public static UUID randomUuid() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /** A span id: 16 lower-case hex digits, never all zero (W3C forbids an all-zero parent id). */
    public static String spanId() {
        long v;
        do {
            v = ThreadLocalRandom.current().nextLong();
        } while (v == 0);
        return hex(v, 16);
    }

    /** {@code digits} lower-case hex digits of {@code value} (the low bits). */
    public static String hex(long value, int digits) {
        char[] out = new char[digits];
        for (int i = digits - 1; i >= 0; i--) {
            out[i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
        return new String(out);
    }

    /** A logical thread id, {@code java-<pid>-<8 hex>}: per request, and per forked task. */
    public static String logicalThreadId(long pid) {
        return "java-" + pid + "-" + hex(ThreadLocalRandom.current().nextInt(), 8);
    }
}
