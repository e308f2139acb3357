package dev.raceway.core.causality;

import dev.raceway.core.event.Event;
import java.time.Instant;

/**
 * Wall-clock reasoning shared by the analyses: when an event occupied time, which clock stamped it, and when one
 * moment is known to precede another. Timestamps of one instance ({@code service#instance}) are one clock and are
 * compared exactly; timestamps of two instances, or of an event without an instance id, must differ by more than the
 * configured skew.
 */
final class RealTime {
    private static final long MAX = Long.MAX_VALUE / 4;

    private RealTime() {
    }

    /** Nanoseconds since the epoch, saturated far outside the years any clock stamps. */
    static long nanos(Instant t) {
        long s = t.getEpochSecond();
        if (s > MAX / 1_000_000_000L) {
            return MAX;
        }
        if (s < -MAX / 1_000_000_000L) {
            return -MAX;
        }
        return s * 1_000_000_000L + t.getNano();
    }

    /** When the event ended: its timestamp (durations are recorded at the end). */
    static long end(Event e) {
        return nanos(e.timestamp());
    }

    /** When the event started: its timestamp minus its duration. */
    static long start(Event e) {
        long end = end(e);
        long d = e.metadata().durationNs().orElse(0);
        return d >= end + MAX ? -MAX : end - Math.min(d, MAX);
    }

    /** {@code service#instance}, or null when the event names no instance (then its clock is unknown). */
    static String instance(Event e) {
        var md = e.metadata();
        return md.instanceId().isPresent() ? md.serviceName() + "#" + md.instanceId().get() : null;
    }

    /**
     * True when a moment {@code a} stamped by clock {@code instanceA} certainly precedes {@code b} stamped by
     * {@code instanceB}: strictly earlier on one clock, earlier by more than {@code skew} across clocks.
     */
    static boolean before(long a, String instanceA, long b, String instanceB, long skew) {
        boolean sameClock = instanceA != null && instanceA.equals(instanceB);
        return sameClock ? a < b : a < b - skew; // no overflow: both saturated at ±MAX, skew at most MAX
    }
}
