package dev.raceway.core.analysis;

import dev.raceway.core.event.Event;
import java.util.List;

/**
 * The longest duration-weighted chain of a trace.
 *
 * @param totalDurationMs      the sum of the path's event durations (the reference's {@code total_duration_ms})
 * @param traceTotalDurationMs the sum of all event durations of the trace, as the reference computes it (nested
 *                             spans are counted more than once; kept for compatibility)
 * @param percentageOfTotal    {@code totalDurationMs / traceTotalDurationMs}, as the reference computes it
 * @param wallDurationMs       the wall-clock time the path's events cover: the union of their intervals
 *                             {@code [timestamp − duration, timestamp]} (a duration is recorded when it ends)
 * @param traceWallDurationMs  the trace's wall-clock extent: from its earliest {@code timestamp − duration} to its
 *                             latest timestamp
 * @param percentageOfWall     {@code wallDurationMs / traceWallDurationMs} (0 for a trace of no extent): the share
 *                             of the trace's real time the path accounts for, never above 100
 */
public record CriticalPath(List<Event> path, double totalDurationMs, double traceTotalDurationMs,
                           double percentageOfTotal, double wallDurationMs, double traceWallDurationMs,
                           double percentageOfWall) {
    public CriticalPath {
        path = List.copyOf(path);
    }
}
