package dev.raceway.core.analysis;

import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import java.util.Objects;

/** One access in a variable's audit trail. */
public record AuditEntry(Event event, boolean hasCausalLinkToPrevious, boolean isRace) {
    public AuditEntry {
        Objects.requireNonNull(event, "event");
        if (!(event.kind() instanceof EventKind.StateChange)) {
            throw new IllegalArgumentException("audit trail entries must be StateChange events");
        }
    }

    public EventKind.StateChange access() {
        return (EventKind.StateChange) event.kind();
    }
}
