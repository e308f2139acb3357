package dev.raceway.core.event;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One thing an instrumented application reported. Immutable; identity is {@link #id()} (client generated, so a
 * retried send carries the same id and is stored once).
 *
 * @param causalityVector the vector clock the SDK sent (may be empty). The server computes causality itself
 *                        and uses this only as additional evidence.
 * @param lockSet         the locks the SDK said were held (SDKs send {@code []}); analyses recompute lock sets.
 */
public record Event(
        UUID id,
        UUID traceId,
        Optional<UUID> parentId,
        Instant timestamp,
        EventKind kind,
        EventMetadata metadata,
        VectorClock causalityVector,
        List<String> lockSet) {

    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(parentId, "parentId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(causalityVector, "causalityVector");
        lockSet = List.copyOf(lockSet);
    }

    /** The StateChange payload, if this event is one. */
    public Optional<EventKind.StateChange> stateChange() {
        return kind instanceof EventKind.StateChange sc ? Optional.of(sc) : Optional.empty();
    }

    public Event withKind(EventKind newKind) {
        return new Event(id, traceId, parentId, timestamp, newKind, metadata, causalityVector, lockSet);
    }

    public Event withMetadata(EventMetadata newMetadata) {
        return new Event(id, traceId, parentId, timestamp, kind, newMetadata, causalityVector, lockSet);
    }

    public Event withTimestamp(Instant newTimestamp) {
        return new Event(id, traceId, parentId, newTimestamp, kind, metadata, causalityVector, lockSet);
    }

    public Event withCausalityVector(VectorClock clock) {
        return new Event(id, traceId, parentId, timestamp, kind, metadata, clock, lockSet);
    }
}
