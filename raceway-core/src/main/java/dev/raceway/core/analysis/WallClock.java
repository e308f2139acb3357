package dev.raceway.core.analysis;

import dev.raceway.core.event.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Where events lie on the wall clock. An event with a duration is recorded when what it measures ends (an HTTP
 * response, a tracked function returning, a database query), so it occupies {@code [timestamp − duration,
 * timestamp]}; an event without one is an instant at its timestamp.
 */
public final class WallClock {
    private WallClock() {
    }

    /**
     * Epoch nanoseconds where {@code e} begins, saturated to the {@code long} range (about 1677–2262): events dated
     * far outside it are valid input and must not break an analysis.
     */
    public static long startNanos(Event e) {
        long end = nanos(e.timestamp());
        long d = e.metadata().durationNs().isPresent() ? e.metadata().durationNs().getAsLong() : 0;
        long start = end - d;
        return ((end ^ d) & (end ^ start)) < 0 ? Long.MIN_VALUE : start;
    }

    /** Where {@code e} begins: its timestamp less its duration, if it has one. */
    public static Instant start(Event e) {
        return e.metadata().durationNs().isPresent() ? e.timestamp().minusNanos(e.metadata().durationNs().getAsLong())
                : e.timestamp();
    }

    /** Milliseconds from {@code a} to {@code b}, exact enough for any span and never overflowing. */
    public static double millisBetween(Instant a, Instant b) {
        return (b.getEpochSecond() - (double) a.getEpochSecond()) * 1e3 + (b.getNano() - a.getNano()) / 1e6;
    }

    /** From the earliest start to the latest timestamp, in milliseconds; 0 for no events. */
    public static double extentMs(Collection<Event> events) {
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (Event e : events) {
            start = Math.min(start, startNanos(e));
            end = Math.max(end, nanos(e.timestamp()));
        }
        return events.isEmpty() ? 0.0 : difference(end, start) / 1e6;
    }

    /** The length of the union of the events' intervals, in milliseconds (overlaps counted once). */
    public static double coveredMs(Collection<Event> events) {
        List<long[]> intervals = new ArrayList<>(events.size());
        for (Event e : events) {
            long end = nanos(e.timestamp());
            long start = startNanos(e);
            if (end > start) {
                intervals.add(new long[] {start, end});
            }
        }
        intervals.sort((a, b) -> Long.compare(a[0], b[0]));
        double covered = 0;
        long curStart = 0;
        long curEnd = Long.MIN_VALUE;
        for (long[] i : intervals) {
            if (i[0] > curEnd) {
                if (curEnd != Long.MIN_VALUE) {
                    covered += difference(curEnd, curStart);
                }
                curStart = i[0];
                curEnd = i[1];
            } else {
                curEnd = Math.max(curEnd, i[1]);
            }
        }
        if (curEnd != Long.MIN_VALUE) {
            covered += difference(curEnd, curStart);
        }
        return covered / 1e6;
    }

    /** {@code a - b}, exact when it fits a long (it always does for dates of one era), else approximate. */
    private static double difference(long a, long b) {
        long d = a - b;
        return ((a ^ b) & (a ^ d)) < 0 ? (double) a - (double) b : d;
    }

    /** Epoch nanoseconds, saturated to the {@code long} range. */
    private static long nanos(Instant t) {
        long s = t.getEpochSecond();
        if (s >= Long.MAX_VALUE / 1_000_000_000L) {
            return Long.MAX_VALUE;
        }
        if (s <= Long.MIN_VALUE / 1_000_000_000L) {
            return Long.MIN_VALUE;
        }
        return s * 1_000_000_000L + t.getNano();
    }
}
