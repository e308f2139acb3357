package dev.raceway.server.query;

import dev.raceway.core.event.DistributedEdge;
import dev.raceway.core.event.DistributedSpan;
import dev.raceway.core.event.Event;
import dev.raceway.storage.EventStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Which events make up a trace as the analyses see it: its own, plus — with distributed tracing on — those of the
 * traces its span edges reach (breadth first, at most {@link #MAX_MERGED_TRACES} traces). Services whose SDKs do not
 * share trace ids end up in one causal picture this way.
 */
public final class LinkedTraceQuery {
    /** Traces merged into one through distributed span edges, at most. */
    public static final int MAX_MERGED_TRACES = 50;

    private final EventStore store;
    private final boolean followEdges;

    /** @param followEdges whether to merge the traces span edges link the trace to ({@code [distributed_tracing]}) */
    public LinkedTraceQuery(EventStore store, boolean followEdges) {
        this.store = store;
        this.followEdges = followEdges;
    }

    /** The trace and the traces linked to it; {@link UnknownTraceException} when the store has no event of it. */
    public LinkedTrace load(UUID id) {
        List<Event> own = store.traceEvents(id);
        if (own.isEmpty()) {
            throw new UnknownTraceException(id);
        }
        Set<UUID> traces = new LinkedHashSet<>(List.of(id));
        Set<DistributedEdge> edges = new LinkedHashSet<>(store.edges(id));
        if (followEdges) {
            Deque<UUID> queue = new ArrayDeque<>(List.of(id));
            while (!queue.isEmpty() && traces.size() < MAX_MERGED_TRACES) {
                UUID t = queue.poll();
                for (DistributedEdge e : t.equals(id) ? List.copyOf(edges) : store.edges(t)) {
                    edges.add(e);
                    for (String span : List.of(e.fromSpan(), e.toSpan())) {
                        Optional<UUID> other = store.span(span).map(DistributedSpan::traceId);
                        if (other.isPresent() && traces.size() < MAX_MERGED_TRACES && traces.add(other.get())) {
                            queue.add(other.get());
                        }
                    }
                }
            }
        }
        List<Event> all = new ArrayList<>(own);
        if (traces.size() > 1) {
            List<UUID> others = traces.stream().filter(t -> !t.equals(id)).toList();
            store.forEachTrace(others, all::addAll);
            all.sort(Comparator.comparing(Event::timestamp).thenComparing(Event::id));
        }
        return new LinkedTrace(id, own, all, List.copyOf(edges));
    }
}
