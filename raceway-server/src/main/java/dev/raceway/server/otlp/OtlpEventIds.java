package dev.raceway.server.otlp;

import java.util.UUID;

/**
 * The ids of the events a span becomes: a function of (trace id, span id, slot), so an exporter that retries an
 * export sends the same ids again and the store keeps one copy, and a child span can name its parent span's first
 * event without having seen it. Slot 0 is the span's first event, slot 1 its closing event (HTTP response), slot
 * {@code 2 + i} its span event {@code i}. The UUIDs are version 8 (custom), so they cannot collide with the SDKs'
 * random version 4 ids.
 */
public final class OtlpEventIds {
    public static final int FIRST = 0;
    public static final int LAST = 1;

    private OtlpEventIds() {
    }

    /** The id of the event in {@code slot} of span {@code spanId} of the trace {@code traceHi:traceLo}. */
    public static UUID of(long traceHi, long traceLo, long spanId, int slot) {
        long a = mix(traceHi ^ mix(spanId + 0x9E3779B97F4A7C15L * (slot + 1L)));
        long b = mix(traceLo ^ (mix(spanId ^ 0xC2B2AE3D27D4EB4FL) + slot));
        a = (a & ~0xF000L) | 0x8000L;
        b = (b & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(a, b);
    }

    /** The id of the span event {@code index} (0-based, in the order the span lists them). */
    public static int spanEventSlot(int index) {
        return 2 + index;
    }

    /** Murmur3's 64-bit finaliser: every input bit affects every output bit. */
    private static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
