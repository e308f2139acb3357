package dev.raceway.core.testing;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.LockTypes;
import dev.raceway.core.event.VectorClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * A small fluent builder for realistic test events: {@code Ev.in(trace).id(3).thread("t1").at(5).write("x", 1, 2)}.
 * Times are milliseconds after {@link #BASE}; ids given as small numbers become readable UUIDs
 * ({@code 00000000-0000-4000-8000-000000000003}).
 */
public final class Ev {
    public static final Instant BASE = Instant.parse("2024-01-01T12:00:00Z");

    private UUID id = UUID.randomUUID();
    private final UUID trace;
    private Optional<UUID> parent = Optional.empty();
    private Instant timestamp = BASE;
    private String thread = "main";
    private String service = "web";
    private Optional<String> instance = Optional.empty();
    private Optional<String> span = Optional.empty();
    private Optional<String> upstream = Optional.empty();
    private OptionalLong durationNs = OptionalLong.empty();
    private final List<ClockEntry> clock = new ArrayList<>();

    private Ev(UUID trace) {
        this.trace = trace;
    }

    public static Ev in(UUID trace) {
        return new Ev(trace);
    }

    public static Ev in(int trace) {
        return new Ev(trace(trace));
    }

    /** A readable UUID for small numbers. */
    public static UUID uuid(long n) {
        return new UUID(0x0000_0000_0000_4000L, 0x8000_0000_0000_0000L | n);
    }

    /** A readable trace UUID for small numbers (distinct from event ids). */
    public static UUID trace(long n) {
        return new UUID(0x7777_0000_0000_4000L, 0x8000_0000_0000_0000L | n);
    }

    public Ev id(long n) {
        this.id = uuid(n);
        return this;
    }

    public Ev id(UUID uuid) {
        this.id = uuid;
        return this;
    }

    public Ev parent(long n) {
        this.parent = Optional.of(uuid(n));
        return this;
    }

    public Ev parent(UUID p) {
        this.parent = Optional.of(p);
        return this;
    }

    public Ev parent(Event p) {
        this.parent = Optional.of(p.id());
        return this;
    }

    public Ev at(long millis) {
        this.timestamp = BASE.plusMillis(millis);
        return this;
    }

    public Ev at(Instant t) {
        this.timestamp = t;
        return this;
    }

    public Ev thread(String t) {
        this.thread = t;
        return this;
    }

    public Ev service(String s) {
        this.service = s;
        return this;
    }

    public Ev instance(String i) {
        this.instance = Optional.of(i);
        return this;
    }

    public Ev span(String s) {
        this.span = Optional.of(s);
        return this;
    }

    public Ev upstream(String s) {
        this.upstream = Optional.of(s);
        return this;
    }

    public Ev durationMs(double ms) {
        this.durationNs = OptionalLong.of(Math.round(ms * 1_000_000));
        return this;
    }

    public Ev clock(String component, long value) {
        clock.add(new ClockEntry(component, value));
        return this;
    }

    public Event kind(EventKind kind) {
        EventMetadata md = new EventMetadata(thread, 1, service, "test", Map.of(), durationNs, instance, span,
                upstream);
        return new Event(id, trace, parent, timestamp, kind, md, VectorClock.of(clock), List.of());
    }

    public Event write(String variable, Object oldValue, Object newValue) {
        return access(variable, AccessType.Write, oldValue, newValue);
    }

    public Event read(String variable, Object value) {
        return access(variable, AccessType.Read, null, value);
    }

    public Event access(String variable, AccessType type) {
        return access(variable, type, null, 1);
    }

    public Event access(String variable, AccessType type, Object oldValue, Object newValue) {
        Optional<JsonValue> old = oldValue == null ? Optional.empty() : Optional.of(JsonValue.of(oldValue));
        return kind(new EventKind.StateChange(variable, old, JsonValue.of(newValue), location(variable), type));
    }

    public Event lock(String lockId) {
        return kind(new EventKind.LockAcquire(lockId, LockTypes.MUTEX, "locks.rs:1"));
    }

    public Event unlock(String lockId) {
        return kind(new EventKind.LockRelease(lockId, LockTypes.MUTEX, "locks.rs:2"));
    }

    public Event readLock(String lockId) {
        return kind(new EventKind.LockAcquire(lockId, LockTypes.RW_READ, "locks.rs:3"));
    }

    public Event readUnlock(String lockId) {
        return kind(new EventKind.LockRelease(lockId, LockTypes.RW_READ, "locks.rs:4"));
    }

    public Event writeLock(String lockId) {
        return kind(new EventKind.LockAcquire(lockId, LockTypes.RW_WRITE, "locks.rs:5"));
    }

    public Event writeUnlock(String lockId) {
        return kind(new EventKind.LockRelease(lockId, LockTypes.RW_WRITE, "locks.rs:6"));
    }

    public Event call(String function) {
        return kind(new EventKind.FunctionCall(function, "app", JsonValue.EMPTY_OBJECT, "app.rs", 1));
    }

    public Event call(String function, String file, long line) {
        return kind(new EventKind.FunctionCall(function, "app", JsonValue.EMPTY_OBJECT, file, line));
    }

    public Event httpRequest(String method, String url) {
        return kind(new EventKind.HttpRequest(method, url, Map.of(), Optional.empty()));
    }

    private String location(String variable) {
        return variable + ".rs:" + timestamp.toEpochMilli() % 1000;
    }
}
