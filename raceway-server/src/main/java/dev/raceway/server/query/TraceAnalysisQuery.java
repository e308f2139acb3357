package dev.raceway.server.query;

import dev.raceway.core.analysis.Anomalies;
import dev.raceway.core.analysis.Anomaly;
import dev.raceway.core.analysis.AuditEntry;
import dev.raceway.core.analysis.AuditTrail;
import dev.raceway.core.analysis.CriticalPath;
import dev.raceway.core.analysis.CriticalPaths;
import dev.raceway.core.analysis.TraceAnalysis;
import dev.raceway.core.analysis.TraceDependencies;
import dev.raceway.core.causality.CausalityIndex;
import dev.raceway.core.causality.RacePair;
import dev.raceway.core.event.Event;
import dev.raceway.server.config.FeatureFlags;
import dev.raceway.storage.EventStore;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What the analyses say about one trace (with the traces it is linked to): its findings as a whole, or one part —
 * critical path, anomalies, service dependencies, a variable's audit trail. {@code [race_detection]} and
 * {@code [anomaly_detection]} switch their parts off (empty); a trace the store does not hold is an
 * {@link UnknownTraceException}, except for anomalies (none).
 */
public final class TraceAnalysisQuery {
    private final EventStore store;
    private final FeatureFlags features;
    private final LinkedTraceQuery traces;
    private final CrossTraceRaceQuery crossTraceRaces;

    public TraceAnalysisQuery(EventStore store, FeatureFlags features) {
        this.store = store;
        this.features = features;
        this.traces = new LinkedTraceQuery(store, features.distributedTracing());
        this.crossTraceRaces = new CrossTraceRaceQuery(store, features.clockSkew());
    }

    /** The trace's events, single-trace analyses, anomalies and cross-trace races. */
    public TraceFindings findings(UUID id) {
        LinkedTrace t = traces.load(id);
        CausalityIndex index = index(t);
        TraceAnalysis analysis = features.raceDetection() ? TraceAnalysis.of(index) : TraceAnalysis.withoutRaces(index);
        List<RacePair> crossTrace = features.raceDetection() ? crossTraceRaces.racesWith(t) : List.of();
        return new TraceFindings(t, analysis, anomalies(t.own()), crossTrace);
    }

    /** The longest duration-weighted chain; empty when the trace has none. */
    public Optional<CriticalPath> criticalPath(UUID id) {
        return CriticalPaths.of(index(traces.load(id)));
    }

    /** The trace's events that took unusually long against the store's baselines; none for an unknown trace. */
    public List<Anomaly> anomalies(UUID id) {
        return anomalies(store.traceEvents(id));
    }

    public TraceDependencies dependencies(UUID id) {
        return TraceDependencies.of(index(traces.load(id)));
    }

    /** Every access to {@code variable}, in happens-before order where there is one. */
    public List<AuditEntry> auditTrail(UUID id, String variable) {
        return AuditTrail.of(index(traces.load(id)), variable);
    }

    private CausalityIndex index(LinkedTrace t) {
        return CausalityIndex.of(t.all(), t.edges(), features.causality());
    }

    private List<Anomaly> anomalies(List<Event> own) {
        if (!features.anomalyDetection()) {
            return List.of();
        }
        return Anomalies.detect(own, store.baselines(), true);
    }
}
