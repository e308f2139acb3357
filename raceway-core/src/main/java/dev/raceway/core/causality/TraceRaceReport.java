package dev.raceway.core.causality;

import java.util.List;

/**
 * Races inside one trace (or any event set). Counts are exact; {@code details} holds at most
 * {@link TraceRaces#DEFAULT_MAX_DETAILS} (or the requested limit) pairs, ordered by the first event's timestamp.
 *
 * @param byVariable exact counts per variable with at least one racing pair, sorted by variable name
 * @param distinctRaces the pairs grouped by their two sites (exact counts), most severe and frequent first
 */
public record TraceRaceReport(long pairCount, long criticalCount, long warningCount, List<RacePair> details,
                              List<VariableRaceCount> byVariable, List<DistinctRace> distinctRaces) {
    public TraceRaceReport {
        details = List.copyOf(details);
        byVariable = List.copyOf(byVariable);
        distinctRaces = List.copyOf(distinctRaces);
    }

    /** A report without distinct races (e.g. nothing analysed). */
    public TraceRaceReport(long pairCount, long criticalCount, long warningCount, List<RacePair> details,
                           List<VariableRaceCount> byVariable) {
        this(pairCount, criticalCount, warningCount, details, byVariable, List.of());
    }

    /** True when some pairs were counted but not listed in {@link #details()}. */
    public boolean truncated() {
        return details.size() < pairCount;
    }
}
