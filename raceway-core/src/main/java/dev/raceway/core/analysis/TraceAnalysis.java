package dev.raceway.core.analysis;

import dev.raceway.core.causality.CausalityIndex;
import dev.raceway.core.causality.TraceRaceReport;
import dev.raceway.core.causality.TraceRaces;
import dev.raceway.core.event.DistributedEdge;
import dev.raceway.core.event.Event;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The single-trace analyses computed from one happens-before index: races, audit trails, critical path and service
 * dependencies — what the server's {@code GET /api/traces/{id}} shows about a trace, and the entry point for
 * analysing a trace without a server. Anomalies need baselines from other traces ({@link Anomalies}); lock-order
 * inversions need an index without lock edges ({@link dev.raceway.core.causality.LockOrder}).
 *
 * @param auditTrails every variable's trail, sorted by variable name
 */
public record TraceAnalysis(CausalityIndex index, TraceRaceReport races, Map<String, List<AuditEntry>> auditTrails,
                            Optional<CriticalPath> criticalPath, TraceDependencies dependencies) {
    public TraceAnalysis {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(races, "races");
        auditTrails = Collections.unmodifiableSortedMap(new TreeMap<>(auditTrails));
        Objects.requireNonNull(criticalPath, "criticalPath");
        Objects.requireNonNull(dependencies, "dependencies");
    }

    /**
     * @param events the trace's events (any order, duplicates allowed)
     * @param edges  distributed edges touching the trace's spans (may be empty; metadata links are found anyway)
     */
    public static TraceAnalysis of(Collection<Event> events, Collection<DistributedEdge> edges) {
        return of(CausalityIndex.of(events, edges));
    }

    /** All analyses over an index built with the caller's options (e.g. a clock-skew allowance). */
    public static TraceAnalysis of(CausalityIndex index) {
        return of(index, TraceRaces.analyze(index));
    }

    /** The analyses other than race detection, whose report is then empty (race detection switched off). */
    public static TraceAnalysis withoutRaces(CausalityIndex index) {
        return of(index, new TraceRaceReport(0, 0, 0, List.of(), List.of()));
    }

    private static TraceAnalysis of(CausalityIndex index, TraceRaceReport races) {
        return new TraceAnalysis(index, races, AuditTrail.all(index), CriticalPaths.of(index),
                TraceDependencies.of(index));
    }
}
