package dev.raceway.server.query;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.VectorClock;
import dev.raceway.storage.MemoryStoreConfig;
import dev.raceway.storage.memory.MemoryEventStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Events with known answers, written to a real {@link MemoryEventStore}, for the query tests. */
final class StoreScenario {
    static final Instant T0 = Instant.parse("2025-05-01T09:00:00Z");

    final MemoryEventStore store = new MemoryEventStore(MemoryStoreConfig.defaults());
    private final List<Event> pending = new ArrayList<>();

    /** Writes what was added so far and returns the store. */
    MemoryEventStore store() {
        store.write(List.copyOf(pending));
        pending.clear();
        return store;
    }

    StoreScenario add(Event e) {
        pending.add(e);
        return this;
    }

    StoreScenario addAll(List<Event> events) {
        pending.addAll(events);
        return this;
    }

    static EventMetadata meta(String thread, String service) {
        return EventMetadata.of(thread, 1, service, "test");
    }

    static Event event(UUID trace, long atMs, EventKind kind, EventMetadata meta) {
        return new Event(UUID.randomUUID(), trace, Optional.empty(), T0.plusMillis(atMs), kind, meta,
                VectorClock.empty(), List.of());
    }

    /** An access nothing orders against other threads' or traces' accesses. */
    static Event access(UUID trace, long atMs, String thread, String variable, AccessType type) {
        return event(trace, atMs, new EventKind.StateChange(variable, Optional.empty(), JsonValue.parse("1"),
                "Bank.java:" + atMs, type), meta(thread, "bank"));
    }

    static Event write(UUID trace, long atMs, String thread, String variable) {
        return access(trace, atMs, thread, variable, AccessType.Write);
    }

    static Event call(UUID trace, long atMs, String thread, long durationMs) {
        return event(trace, atMs, new EventKind.FunctionCall("work", "bank", JsonValue.parse("{}"), "Work.java", 1),
                meta(thread, "bank").withDurationNs(durationMs * 1_000_000));
    }

    static Event lock(UUID trace, long atMs, String thread, String lock, boolean acquire) {
        EventKind kind = acquire ? new EventKind.LockAcquire(lock, "Mutex", "L.java:" + atMs)
                : new EventKind.LockRelease(lock, "Mutex", "L.java:" + atMs);
        return event(trace, atMs, kind, meta(thread, "bank"));
    }

    /** {@code thread} takes {@code first}, then {@code second}, and releases both, from {@code atMs} on. */
    static List<Event> nested(UUID trace, long atMs, String thread, String first, String second) {
        return List.of(lock(trace, atMs, thread, first, true), lock(trace, atMs + 1, thread, second, true),
                lock(trace, atMs + 2, thread, second, false), lock(trace, atMs + 3, thread, first, false));
    }

    /** An event of span {@code span} (of service {@code service}), called from {@code upstream} when present. */
    static Event inSpan(UUID trace, long atMs, String service, String span, Optional<String> upstream,
                        EventKind kind) {
        return event(trace, atMs, kind, meta(service + "-1", service).withDistributed(Optional.of(service + "#1"),
                Optional.of(span), upstream));
    }
}
