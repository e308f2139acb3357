package dev.raceway.server.query;

import dev.raceway.core.causality.GlobalRaceReport;
import dev.raceway.core.causality.GlobalRaces;
import dev.raceway.core.causality.RacePair;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.storage.EventStore;
import dev.raceway.storage.VariableAccess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Which accesses of other traces race the accesses of one trace: the other traces are found through the store's
 * variable index (newest accesses first, at most {@link #MAX_RELATED_TRACES} traces) and analysed together with the
 * trace and the traces linked to it; only pairs between the trace and a different trace are answered.
 */
public final class CrossTraceRaceQuery {
    /** Other traces loaded to find the cross-trace races of one trace, at most (newest accesses first). */
    public static final int MAX_RELATED_TRACES = 200;
    /** Racing pairs listed, at most. */
    static final int MAX_PAIRS = 1000;
    /** Example pairs kept per variable while analysing. */
    static final int EXAMPLES_PER_VARIABLE = 100;

    private final EventStore store;
    private final Duration clockSkew;

    /** @param clockSkew {@code [race_detection] clock_skew_ms} */
    public CrossTraceRaceQuery(EventStore store, Duration clockSkew) {
        this.store = store;
        this.clockSkew = clockSkew;
    }

    /** The racing pairs with one access in {@code trace.id()} and the other in another trace. */
    public List<RacePair> racesWith(LinkedTrace trace) {
        UUID id = trace.id();
        Set<String> variables = new LinkedHashSet<>();
        for (Event e : trace.own()) {
            if (e.kind() instanceof EventKind.StateChange sc) {
                variables.add(sc.variable());
            }
        }
        Map<UUID, List<Event>> loaded = new LinkedHashMap<>(); // the trace and its linked traces, by trace
        trace.all().forEach(e -> loaded.computeIfAbsent(e.traceId(), k -> new ArrayList<>()).add(e));
        Set<UUID> related = new LinkedHashSet<>();
        for (String v : variables) {
            List<VariableAccess> accesses = store.variableAccesses(v);
            for (int i = accesses.size() - 1; i >= 0 && related.size() < MAX_RELATED_TRACES; i--) {
                UUID other = accesses.get(i).traceId();
                if (!loaded.containsKey(other)) {
                    related.add(other);
                }
            }
        }
        if (related.isEmpty() && loaded.size() == 1) {
            return List.of();
        }
        Predicate<RacePair> withThisTrace = p -> p.crossTrace()
                && (p.first().traceId().equals(id) || p.second().traceId().equals(id));
        GlobalRaces.Builder b = GlobalRaces.builder(store.allEdges()).clockSkew(clockSkew).maxDetails(MAX_PAIRS)
                .examplesPerVariable(EXAMPLES_PER_VARIABLE).listOnly(withThisTrace);
        loaded.values().forEach(b::addTrace);
        store.forEachTrace(related, b::addTrace);
        GlobalRaceReport r = b.build();
        return r.details().stream().filter(withThisTrace).toList();
    }
}
