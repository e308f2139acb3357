package dev.raceway.storage;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.JsonValue;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** One {@code StateChange} event as the variable index keeps it. */
public record VariableAccess(String variable, UUID eventId, UUID traceId, String threadId, String serviceName,
                             AccessType accessType, Instant timestamp, String location, JsonValue newValue) {
    public VariableAccess {
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(threadId, "threadId");
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(accessType, "accessType");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(newValue, "newValue");
    }

    /** The access a {@code StateChange} event records. */
    public static VariableAccess of(Event e) {
        if (!(e.kind() instanceof EventKind.StateChange sc)) {
            throw new IllegalArgumentException("event " + e.id() + " is no StateChange");
        }
        return new VariableAccess(sc.variable(), e.id(), e.traceId(), e.metadata().threadId(),
                e.metadata().serviceName(), sc.accessType(), e.timestamp(), sc.location(), sc.newValue());
    }
}
