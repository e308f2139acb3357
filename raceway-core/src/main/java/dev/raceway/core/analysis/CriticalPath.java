package dev.raceway.core.analysis;

import dev.raceway.core.event.Event;
import java.util.List;

/**
 * The longest duration-weighted chain of a trace.
 *
 * @param traceTotalDurationMs the sum of all event durations of the trace, as the reference computes it (nested
 *                             spans are counted more than once; kept for compatibility)
 */
public record CriticalPath(List<Event> path, double totalDurationMs, double traceTotalDurationMs,
                           double percentageOfTotal) {
    public CriticalPath {
        path = List.copyOf(path);
    }
}
