package dev.raceway.benchmarks.storage;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.VectorClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * A deterministic stream of typical events: traces of ten events (a request handler, an outgoing HTTP call, four
 * reads/writes of shared state, a lock acquire/release, a database query, a response), five services, one logical
 * thread and one distributed span per trace (as SDKs with per-request context ids send them), SDK tags, durations
 * and a one-entry vector clock. Event {@code i} is always the same event, so two runs can store the same rows.
 */
final class LoadEvents {
    static final int EVENTS_PER_TRACE = 10;
    private static final Instant BASE = Instant.parse("2025-01-01T00:00:00Z");
    private static final Map<String, String> TAGS = Map.of("sdk_language", "java", "sdk_version", "0.1.0");
    private static final String[] SERVICES = {"checkout", "payments", "inventory", "users", "gateway"};

    private LoadEvents() {
    }

    static UUID eventId(long i) {
        return new UUID(0x5eed_0000_0000_4000L | (i >>> 48), 0x8000_0000_0000_0000L | (i & 0xFFFF_FFFF_FFFFL));
    }

    static UUID traceId(long trace) {
        return new UUID(0x7ace_0000_0000_4000L, 0x8000_0000_0000_0000L | trace);
    }

    static Event event(long i) {
        long trace = i / EVENTS_PER_TRACE;
        int k = (int) (i % EVENTS_PER_TRACE);
        String service = SERVICES[(int) (trace % SERVICES.length)];
        String account = "account-" + (trace % 100) + ".balance";
        String location = service + "/Handler.java:" + (40 + k);
        EventKind kind = switch (k) {
            case 0 -> new EventKind.FunctionCall("handleRequest", "com.example." + service, JsonValue.ofCompactJson(
                    "{\"path\":\"/api/orders\",\"id\":" + trace + "}"), "Handler.java", 40);
            case 1 -> new EventKind.HttpRequest("POST", "http://payments/charge", Map.of("content-type",
                    "application/json"), Optional.empty());
            case 2, 4 -> new EventKind.StateChange(account, Optional.empty(), JsonValue.ofCompactJson(
                    Long.toString(1000 + trace % 977)), location, AccessType.Read);
            case 3, 5 -> new EventKind.StateChange(account, Optional.of(JsonValue.ofCompactJson(
                    Long.toString(1000 + trace % 977))), JsonValue.ofCompactJson(Long.toString(900 + trace % 977)),
                    location, AccessType.Write);
            case 6 -> new EventKind.LockAcquire("lock-" + account, "Mutex", location);
            case 7 -> new EventKind.LockRelease("lock-" + account, "Mutex", location);
            case 8 -> new EventKind.DatabaseQuery("UPDATE accounts SET balance = ? WHERE id = ?", "main", 3);
            default -> new EventKind.FunctionCall("respond", "com.example." + service, JsonValue.EMPTY_OBJECT,
                    "Handler.java", 88);
        };
        String span = Long.toHexString(trace * 0x9E3779B97F4A7C15L | Long.MIN_VALUE); // 16 hex digits
        EventMetadata metadata = new EventMetadata("req-" + trace, 4242, service, "production", TAGS,
                OptionalLong.of(50_000L + (i * 7919) % 5_000_000L), Optional.of("pod-1"), Optional.of(span),
                Optional.empty());
        VectorClock clock = VectorClock.of(List.of(new ClockEntry(service + "#pod-1", k + 1)));
        return new Event(eventId(i), traceId(trace), k == 0 ? Optional.empty() : Optional.of(eventId(i - k)),
                BASE.plusNanos(trace * 10_000_000L + k * 1_000_123L), kind, metadata, clock, List.of());
    }

    static List<Event> range(long from, int count) {
        List<Event> out = new ArrayList<>(count);
        for (long i = from; i < from + count; i++) {
            out.add(event(i));
        }
        return out;
    }
}
