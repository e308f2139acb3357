package dev.raceway.core.analysis;

import dev.raceway.core.causality.CausalityIndex;
import dev.raceway.core.causality.Deadlock;
import dev.raceway.core.causality.LockOrder;
import dev.raceway.core.causality.TraceRaceReport;
import dev.raceway.core.causality.TraceRaces;
import dev.raceway.core.event.DistributedEdge;
import dev.raceway.core.event.Event;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything {@code GET /api/traces/{id}} shows about one trace except anomalies (which need the store's
 * baselines) and the events themselves: computed from one happens-before index.
 */
public record TraceAnalysis(CausalityIndex index, TraceRaceReport races, Map<String, List<AuditEntry>> auditTrails,
                            Optional<CriticalPath> criticalPath, TraceDependencies dependencies,
                            List<Deadlock> deadlocks) {
    public TraceAnalysis {
        auditTrails = Map.copyOf(auditTrails);
        deadlocks = List.copyOf(deadlocks);
    }

    /**
     * @param events the trace's events (any order, duplicates allowed)
     * @param edges  distributed edges touching the trace's spans (may be empty; metadata links are found anyway)
     */
    public static TraceAnalysis of(Collection<Event> events, Collection<DistributedEdge> edges) {
        CausalityIndex index = CausalityIndex.of(events, edges);
        return new TraceAnalysis(index, TraceRaces.analyze(index), AuditTrail.all(index), CriticalPaths.of(index),
                TraceDependencies.of(index), LockOrder.analyze(events, edges));
    }
}
