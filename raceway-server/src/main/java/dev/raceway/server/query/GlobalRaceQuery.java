package dev.raceway.server.query;

import dev.raceway.core.causality.CausalityIndex;
import dev.raceway.core.causality.CausalityOptions;
import dev.raceway.core.causality.GlobalRaceReport;
import dev.raceway.core.causality.GlobalRaces;
import dev.raceway.core.causality.RacePair;
import dev.raceway.core.causality.TraceRaces;
import dev.raceway.core.causality.VariableRaceCount;
import dev.raceway.core.causality.VariableRaces;
import dev.raceway.core.event.DistributedEdge;
import dev.raceway.core.event.Event;
import dev.raceway.server.config.FeatureFlags;
import dev.raceway.storage.EventStore;
import dev.raceway.storage.StoreCounts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which accesses race across the whole store: every trace with state changes in the window is streamed from storage
 * once, fed to the global analysis (listing cross-trace pairs only) and analysed on its own, so that each variable's
 * global pair counts can be split into pairs between traces and pairs inside one trace.
 */
public final class GlobalRaceQuery {
    private final EventStore store;
    private final FeatureFlags features;

    public GlobalRaceQuery(EventStore store, FeatureFlags features) {
        this.store = store;
        this.features = features;
    }

    /** The store's races over the traces with an event in {@code window}. */
    public CrossTraceRaceSummary analyze(TimeWindow window) {
        StoreCounts counts = store.counts();
        List<DistributedEdge> allEdges = store.allEdges();
        Map<String, List<DistributedEdge>> edgesBySpan = new HashMap<>();
        for (DistributedEdge e : allEdges) {
            edgesBySpan.computeIfAbsent(e.fromSpan(), k -> new ArrayList<>()).add(e);
            edgesBySpan.computeIfAbsent(e.toSpan(), k -> new ArrayList<>()).add(e);
        }
        GlobalRaces.Builder b = GlobalRaces.builder(allEdges).clockSkew(features.clockSkew())
                .listOnly(RacePair::crossTrace);
        Map<String, WithinTrace> withinTraces = new HashMap<>();
        CausalityOptions options = features.causality();
        store.forEachTraceWithStateChanges(trace -> {
            if (!window.touches(trace)) {
                return;
            }
            b.addTrace(trace);
            Set<DistributedEdge> own = new LinkedHashSet<>();
            for (Event e : trace) {
                e.metadata().distributedSpanId().ifPresent(span -> own.addAll(edgesBySpan.getOrDefault(span, List.of())));
            }
            for (VariableRaceCount v : TraceRaces.analyze(CausalityIndex.of(trace, own, options), 1).byVariable()) {
                withinTraces.computeIfAbsent(v.variable(), k -> new WithinTrace()).add(v);
            }
        });
        return split(counts, b.build(), withinTraces);
    }

    /** Per variable, the pairs found inside single traces are subtracted from the global counts. */
    private static CrossTraceRaceSummary split(StoreCounts counts, GlobalRaceReport r,
                                               Map<String, WithinTrace> withinTraces) {
        long pairs = 0;
        long critical = 0;
        long warning = 0;
        long within = 0;
        List<VariableRaceSplit> byVariable = new ArrayList<>();
        for (VariableRaces v : r.byVariable()) {
            WithinTrace inside = withinTraces.getOrDefault(v.variable(), new WithinTrace());
            long in = Math.min(v.pairs(), inside.pairs);
            pairs += v.pairs() - in;
            critical += Math.max(0, v.critical() - inside.critical);
            warning += Math.max(0, v.warning() - inside.warning);
            within += in;
            byVariable.add(new VariableRaceSplit(v, v.pairs() - in, in));
        }
        return new CrossTraceRaceSummary(counts, r, pairs, critical, warning, within, byVariable);
    }

    /** One variable's racing pairs summed over the traces analysed one by one. */
    private static final class WithinTrace {
        long pairs;
        long critical;
        long warning;

        void add(VariableRaceCount v) {
            pairs += v.pairs();
            critical += v.critical();
            warning += v.warning();
        }
    }
}
