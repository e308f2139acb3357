package dev.raceway.storage;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.MemoryOrdering;
import dev.raceway.core.event.VectorClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/** Small event builders for storage tests. */
public final class TestEvents {
    public static final Instant T0 = Instant.parse("2024-01-01T12:00:00Z");

    private TestEvents() {
    }

    public static UUID uuid(long n) {
        return new UUID(0x1234_5678_0000_4000L, 0x8000_0000_0000_0000L | n);
    }

    public static Instant at(long millis) {
        return T0.plusMillis(millis);
    }

    public static EventMetadata meta(String thread, String service) {
        return EventMetadata.of(thread, 42, service, "test");
    }

    public static Event functionCall(UUID id, UUID trace, Optional<UUID> parent, Instant ts, String service,
                                     String fn) {
        return new Event(id, trace, parent, ts,
                new EventKind.FunctionCall(fn, "mod", JsonValue.parse("{\"a\":1}"), "f.java", 10),
                meta("main", service), VectorClock.empty(), List.of());
    }

    public static Event call(UUID id, UUID trace, long millis) {
        return functionCall(id, trace, Optional.empty(), at(millis), "api", "handle");
    }

    public static Event stateChange(UUID id, UUID trace, long millis, String thread, String variable,
                                    AccessType access, String newValue) {
        return new Event(id, trace, Optional.empty(), at(millis),
                new EventKind.StateChange(variable, Optional.empty(), JsonValue.parse(newValue), "bank.java:" + millis,
                        access),
                meta(thread, "api"), VectorClock.empty(), List.of());
    }

    public static Event withDuration(Event e, long nanos) {
        return e.withMetadata(e.metadata().withDurationNs(nanos));
    }

    public static Event inSpan(Event e, String instance, String span, Optional<String> upstream) {
        return e.withMetadata(e.metadata().withDistributed(Optional.of(instance), Optional.of(span), upstream));
    }

    public static Event withService(Event e, String service) {
        EventMetadata m = e.metadata();
        return e.withMetadata(new EventMetadata(m.threadId(), m.processId(), service, m.environment(), m.tags(),
                m.durationNs(), m.instanceId(), m.distributedSpanId(), m.upstreamSpanId()));
    }

    /** One event of every kind, with rich metadata, all in {@code trace}. */
    public static List<Event> everyKind(UUID trace, long firstId) {
        List<EventKind> kinds = List.of(
                new EventKind.FunctionCall("transfer", "bank", JsonValue.parse("{\"amount\":100,\"note\":\"é✓\"}"),
                        "bank.ts", 42),
                new EventKind.AsyncSpawn("0a6f0b2e-0000-4000-8000-000000000001", Optional.of("worker-pool")),
                new EventKind.AsyncSpawn("0a6f0b2e-0000-4000-8000-000000000009", Optional.empty()),
                new EventKind.AsyncAwait("0a6f0b2e-0000-4000-8000-000000000002", "bank.ts:50"),
                new EventKind.StateChange("alice.balance", Optional.of(JsonValue.parse("1000")),
                        JsonValue.parse("900"), "bank.ts:44", AccessType.Write),
                new EventKind.StateChange("hits", Optional.empty(), JsonValue.parse("[1,2.5,null,\"x\"]"), "c.rs:9",
                        AccessType.AtomicRMW),
                new EventKind.LockAcquire("acct-lock", "Mutex", "bank.ts:41"),
                new EventKind.LockRelease("acct-lock", "Mutex", "bank.ts:46"),
                new EventKind.MemoryFence(MemoryOrdering.SeqCst, "q.rs:12"),
                new EventKind.HttpRequest("POST", "http://svc-b/pay?q=1", Map.of("content-type", "application/json"),
                        Optional.of(JsonValue.parse("{\"x\":1}"))),
                new EventKind.HttpResponse(200, Map.of(), Optional.empty(), 12),
                new EventKind.DatabaseQuery("SELECT 1 -- \"quoted\" \\ backslash\ttab", "main", 3),
                new EventKind.DatabaseResult(1),
                new EventKind.Error("TypeError", "x is undefined\nsecond line", List.of("at f (a.js:1)", "at g")),
                new EventKind.Custom("cache_miss", JsonValue.parse("{\"key\":\"k1\",\"nested\":{\"a\":[true,false]}}")),
                new EventKind.Extension("FunctionReturn", JsonValue.parse("{\"function_name\":\"f\",\"return_value\":3}")));
        List<Event> out = new ArrayList<>();
        long n = firstId;
        for (EventKind k : kinds) {
            EventMetadata m = new EventMetadata("thread-" + (n % 3), 4242, "svc-" + (n % 2), "prod",
                    Map.of("sdk_language", "java", "k" + n, "v" + n), n % 2 == 0 ? OptionalLong.of(n * 1_000_000L)
                    : OptionalLong.empty(), Optional.of("pod-a"), Optional.empty(), Optional.empty());
            VectorClock clock = VectorClock.of(List.of(new ClockEntry("api#pod-a", n), new ClockEntry("b", 1)));
            out.add(new Event(uuid(n), trace, n == firstId ? Optional.empty() : Optional.of(uuid(firstId)),
                    T0.plusNanos(n * 1_000_123L), k, m, clock, n % 4 == 0 ? List.of("acct-lock", "other") : List.of()));
            n++;
        }
        return out;
    }
}
