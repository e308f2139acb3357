package dev.raceway.server.query;

import dev.raceway.core.analysis.Anomaly;
import dev.raceway.core.analysis.TraceAnalysis;
import dev.raceway.core.causality.RacePair;
import java.util.List;
import java.util.Objects;

/**
 * Everything known about one trace: its events (with the traces linked to it), the single-trace analyses over them,
 * its anomalies against the store's baselines, and its races with other traces.
 */
public record TraceFindings(LinkedTrace trace, TraceAnalysis analysis, List<Anomaly> anomalies,
                            List<RacePair> crossTraceRaces) {
    public TraceFindings {
        Objects.requireNonNull(trace, "trace");
        Objects.requireNonNull(analysis, "analysis");
        anomalies = List.copyOf(anomalies);
        crossTraceRaces = List.copyOf(crossTraceRaces);
    }
}
