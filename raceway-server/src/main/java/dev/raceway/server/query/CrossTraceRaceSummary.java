package dev.raceway.server.query;

import dev.raceway.core.causality.GlobalRaceReport;
import dev.raceway.storage.StoreCounts;
import java.util.List;
import java.util.Objects;

/**
 * The races of the whole store with the headline on races between different traces: the global report (whose
 * listed pairs are cross-trace only), and its pair counts with the pairs found inside single traces taken out.
 *
 * @param counts        the store's events and traces
 * @param betweenTraces racing pairs whose accesses lie in different traces
 * @param critical      of those, write-write pairs
 * @param warning       of those, read-write pairs
 * @param withinTrace   racing pairs inside one trace
 * @param byVariable    every variable with racing pairs, in the report's order
 */
public record CrossTraceRaceSummary(StoreCounts counts, GlobalRaceReport report, long betweenTraces, long critical,
                                    long warning, long withinTrace, List<VariableRaceSplit> byVariable) {
    public CrossTraceRaceSummary {
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(report, "report");
        byVariable = List.copyOf(byVariable);
    }
}
