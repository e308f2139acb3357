package dev.raceway.storage.internal;

import dev.raceway.core.event.DistributedEdge;
import dev.raceway.core.event.DistributedSpan;
import dev.raceway.core.event.Event;
import dev.raceway.storage.ServiceCall;
import java.util.Comparator;
import java.util.UUID;

/** The orders every backend must agree on (PostgreSQL's {@code uuid} order is unsigned, byte by byte). */
public final class EventOrder {
    private EventOrder() {
    }

    /** UUIDs as unsigned 128-bit numbers: the order of their lower-case text and of PostgreSQL's {@code uuid}. */
    public static final Comparator<UUID> UUID_ORDER = (a, b) -> {
        int c = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return c != 0 ? c : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    };

    /** Events of a trace: timestamp, then causality-vector length, then id. */
    public static final Comparator<Event> EVENTS = Comparator.comparing(Event::timestamp)
            .thenComparingInt((Event e) -> e.causalityVector().size())
            .thenComparing(Event::id, UUID_ORDER);

    /** Spans of a trace: first event, then span id. */
    public static final Comparator<DistributedSpan> SPANS = Comparator.comparing(DistributedSpan::firstEvent)
            .thenComparing(DistributedSpan::spanId);

    /** Span edges: timestamp, then upstream span, then downstream span. */
    public static final Comparator<DistributedEdge> EDGES = Comparator.comparing(DistributedEdge::timestamp)
            .thenComparing(DistributedEdge::fromSpan).thenComparing(DistributedEdge::toSpan);

    /** Service calls: call count descending, then caller, callee and link type. */
    public static final Comparator<ServiceCall> SERVICE_CALLS = Comparator
            .comparingLong(ServiceCall::callCount).reversed()
            .thenComparing(ServiceCall::fromService).thenComparing(ServiceCall::toService)
            .thenComparing(ServiceCall::linkType);
}
