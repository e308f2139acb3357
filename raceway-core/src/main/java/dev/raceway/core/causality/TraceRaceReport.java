package dev.raceway.core.causality;

import java.util.List;

/**
 * Races inside one trace (or any event set). Counts are exact; {@code details} holds at most
 * {@link TraceRaces#DEFAULT_MAX_DETAILS} (or the requested limit) pairs, ordered by the first event's timestamp.
 *
 * @param byVariable exact counts per variable with at least one racing pair, sorted by variable name
 */
public record TraceRaceReport(long pairCount, long criticalCount, long warningCount, List<RacePair> details,
                              List<VariableRaceCount> byVariable) {
    public TraceRaceReport {
        details = List.copyOf(details);
        byVariable = List.copyOf(byVariable);
    }

    /** True when some pairs were counted but not listed in {@link #details()}. */
    public boolean truncated() {
        return details.size() < pairCount;
    }
}
