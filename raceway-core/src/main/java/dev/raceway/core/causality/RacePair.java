package dev.raceway.core.causality;

import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import java.util.Comparator;
import java.util.Objects;

/**
 * Two conflicting accesses to one variable that nothing orders and no common lock protects. {@code first} is the
 * earlier of the two by (timestamp, id).
 */
public record RacePair(RaceSeverity severity, String variable, Event first, Event second) {
    static final Comparator<Event> EVENT_ORDER = Comparator.comparing(Event::timestamp).thenComparing(Event::id);
    static final Comparator<RacePair> ORDER = Comparator.comparing(RacePair::first, EVENT_ORDER)
            .thenComparing(RacePair::second, EVENT_ORDER);

    public RacePair {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
    }

    static RacePair of(String variable, Event a, Event b) {
        boolean bothWrite = access(a).accessType().isWrite() && access(b).accessType().isWrite();
        RaceSeverity s = bothWrite ? RaceSeverity.CRITICAL : RaceSeverity.WARNING;
        return EVENT_ORDER.compare(a, b) <= 0 ? new RacePair(s, variable, a, b) : new RacePair(s, variable, b, a);
    }

    public EventKind.StateChange firstAccess() {
        return access(first);
    }

    public EventKind.StateChange secondAccess() {
        return access(second);
    }

    /** True when the two accesses belong to different traces. */
    public boolean crossTrace() {
        return !first.traceId().equals(second.traceId());
    }

    private static EventKind.StateChange access(Event e) {
        return (EventKind.StateChange) e.kind();
    }
}
