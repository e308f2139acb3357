package dev.raceway.server.query;

import dev.raceway.core.causality.CausalityIndex;
import dev.raceway.core.causality.CausalityOptions;
import dev.raceway.core.causality.Deadlock;
import dev.raceway.core.causality.LockOrder;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.server.config.FeatureFlags;
import dev.raceway.storage.EventStore;
import dev.raceway.storage.TracePage;
import dev.raceway.storage.TraceQuery;
import dev.raceway.storage.TraceSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Which locks are taken in opposite orders by threads or requests that nothing orders: inside one trace (with the
 * traces it is linked to), or across the store.
 */
public final class DeadlockQuery {
    /** Events loaded for the store-wide analysis, at most (newest traces first). */
    public static final int MAX_DEADLOCK_EVENTS = 200_000;
    /** Trace summaries read per page while walking the store, newest first. */
    static final int PAGE_SIZE = 1000;

    private final EventStore store;
    private final FeatureFlags features;
    private final LinkedTraceQuery traces;
    private final int maxEvents;

    public DeadlockQuery(EventStore store, FeatureFlags features) {
        this(store, features, MAX_DEADLOCK_EVENTS);
    }

    /** With a smaller cap on the events of the store-wide analysis (tests). */
    DeadlockQuery(EventStore store, FeatureFlags features, int maxEvents) {
        this.store = store;
        this.features = features;
        this.traces = new LinkedTraceQuery(store, features.distributedTracing());
        this.maxEvents = maxEvents;
    }

    /** Inversions inside one trace and the traces linked to it; {@link UnknownTraceException} if it is unknown. */
    public List<Deadlock> inTrace(UUID id) {
        LinkedTrace t = traces.load(id);
        return LockOrder.analyze(CausalityIndex.of(t.all(), t.edges(),
                CausalityOptions.WITHOUT_LOCK_EDGES.withClockSkew(features.clockSkew())));
    }

    /**
     * Inversions across traces (two requests taking two locks in opposite orders), over the newest traces that
     * acquire locks, up to {@link #MAX_DEADLOCK_EVENTS} events: the first trace that would exceed it ends the walk.
     */
    public StoreDeadlocks acrossTraces() {
        List<Event> events = new ArrayList<>();
        int page = 1;
        boolean truncated = false;
        outer:
        while (true) {
            TracePage p = store.traceSummaries(TraceQuery.page(page, PAGE_SIZE));
            if (p.traces().isEmpty()) {
                break;
            }
            List<UUID> ids = p.traces().stream().map(TraceSummary::traceId).toList();
            List<List<Event>> withLocks = new ArrayList<>();
            store.forEachTrace(ids, trace -> {
                if (trace.stream().anyMatch(e -> e.kind() instanceof EventKind.LockAcquire)) {
                    withLocks.add(trace);
                }
            });
            for (List<Event> trace : withLocks) {
                if (events.size() + trace.size() > maxEvents) {
                    truncated = true;
                    break outer;
                }
                events.addAll(trace);
            }
            if (page >= p.totalPages()) {
                break;
            }
            page++;
        }
        return new StoreDeadlocks(LockOrder.analyze(events, store.allEdges()), events.size(), truncated);
    }
}
