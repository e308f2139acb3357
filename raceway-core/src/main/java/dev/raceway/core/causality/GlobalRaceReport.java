package dev.raceway.core.causality;

import java.util.List;

/**
 * Races across all analysed traces (pairs inside one trace included). Counts are exact; {@code details} holds at
 * most the configured number of pairs (default {@value GlobalRaces#DEFAULT_MAX_DETAILS}).
 *
 * @param traceCount   traces analysed
 * @param eventCount   distinct events analysed
 * @param accessCount  StateChange events analysed
 * @param byVariable   variables with at least one racing pair, most critical pairs first
 * @param distinctRaces every racing pair (inside and between traces) grouped by its two sites, most severe first
 */
public record GlobalRaceReport(int traceCount, long eventCount, long accessCount, long pairCount,
                               long criticalCount, long warningCount, List<VariableRaces> byVariable,
                               List<RacePair> details, List<DistinctRace> distinctRaces) {
    public GlobalRaceReport {
        byVariable = List.copyOf(byVariable);
        details = List.copyOf(details);
        distinctRaces = List.copyOf(distinctRaces);
    }

    public boolean truncated() {
        return details.size() < pairCount;
    }
}
