package dev.raceway.storage.internal;

import dev.raceway.core.event.Event;
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
}
