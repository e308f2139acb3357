package dev.raceway.server;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.VectorClock;
import dev.raceway.core.json.EventJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Event builders for server tests; bodies are encoded with the real wire codec. */
final class Events {
    static final Instant T0 = Instant.parse("2024-01-01T12:00:00Z");

    private Events() {
    }

    static Event call(UUID trace, int n, String service) {
        return callAt(trace, n, service, T0);
    }

    static Event callAt(UUID trace, int n, String service, Instant base) {
        return new Event(UUID.randomUUID(), trace, Optional.empty(), base.plusMillis(n),
                new EventKind.FunctionCall("handle" + n, "mod", JsonValue.parse("{\"a\":1}"), "F.java", 10 + n),
                EventMetadata.of("thread-" + (n % 2), 42, service, "test").withDurationNs(1_000_000L * (n + 1)),
                VectorClock.empty(), List.of());
    }

    static Event write(UUID trace, int n, String thread, String variable, String value) {
        return new Event(UUID.randomUUID(), trace, Optional.empty(), T0.plusMillis(n),
                new EventKind.StateChange(variable, Optional.of(JsonValue.parse("1")), JsonValue.parse(value),
                        "Bank.java:" + n, AccessType.Write),
                EventMetadata.of(thread, 42, "bank", "test"), VectorClock.of(List.of(new ClockEntry("bank#1", n))),
                List.of());
    }

    /** A StateChange without clock or parent: nothing orders it against other threads' accesses. */
    static Event access(UUID trace, int n, String thread, String variable, AccessType type, String value) {
        return new Event(UUID.randomUUID(), trace, Optional.empty(), T0.plusMillis(n),
                new EventKind.StateChange(variable, Optional.empty(), JsonValue.parse(value), "Bank.java:" + n, type),
                EventMetadata.of(thread, 42, "bank", "test"), VectorClock.empty(), List.of());
    }

    static Event lock(UUID trace, int n, String thread, String lock, boolean acquire) {
        EventKind kind = acquire ? new EventKind.LockAcquire(lock, "Mutex", "L.java:" + n)
                : new EventKind.LockRelease(lock, "Mutex", "L.java:" + n);
        return new Event(UUID.randomUUID(), trace, Optional.empty(), T0.plusMillis(n), kind,
                EventMetadata.of(thread, 42, "locks", "test"), VectorClock.empty(), List.of());
    }

    /** {@code thread} takes {@code first} then {@code second} and releases both. */
    static List<Event> nestedLocks(UUID trace, int n, String thread, String first, String second) {
        return List.of(lock(trace, n, thread, first, true), lock(trace, n + 1, thread, second, true),
                lock(trace, n + 2, thread, second, false), lock(trace, n + 3, thread, first, false));
    }

    static List<Event> trace(UUID trace, int events, String service) {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            out.add(call(trace, i, service));
        }
        return out;
    }

    static byte[] body(List<Event> events) {
        return EventJson.encodeBatch(events);
    }

    static String json(List<Event> events) {
        return new String(body(events), StandardCharsets.UTF_8);
    }

    /** One event as JSON text, for splicing into hand-made bodies. */
    static String one(Event e) {
        return EventJson.toJson(e);
    }
}
