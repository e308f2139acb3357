package dev.raceway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.VectorClock;
import dev.raceway.server.config.FeatureFlags;
import dev.raceway.server.config.ServerConfiguration;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The analysis routes answer byte for byte what they answered when these golden files were recorded: a fixed set of
 * events with known ids (in-trace and cross-trace races, linked traces, lock-order inversions, an anomalous
 * duration, the reference's conformance fixture) is posted to a fresh server, and every analysis route's status and
 * body is compared with {@code src/test/resources/golden/analysis-responses.txt}. After an intended change of a
 * response, rerun with {@code -Draceway.golden.update=true} (it rewrites the file in the source tree) and review the
 * diff.
 */
class AnalysisResponsesGoldenTest {
    private static final Instant T = Instant.parse("2024-03-01T10:00:00Z");
    private static final String GOLDEN = "golden/analysis-responses.txt";

    static UUID id(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    private static Event event(String name, String trace, Optional<String> parent, long atMs, EventKind kind,
                               EventMetadata meta) {
        return new Event(id(name), id(trace), parent.map(AnalysisResponsesGoldenTest::id), T.plusMillis(atMs), kind,
                meta, VectorClock.empty(), List.of());
    }

    private static EventMetadata meta(String thread, String service) {
        return EventMetadata.of(thread, 7, service, "golden");
    }

    private static Event access(String name, String trace, long atMs, String thread, String variable,
                                AccessType type, String value) {
        return event(name, trace, Optional.empty(), atMs, new EventKind.StateChange(variable,
                type.isWrite() ? Optional.of(JsonValue.parse("100")) : Optional.empty(), JsonValue.parse(value),
                "Bank.java:" + atMs, type), meta(thread, "bank"));
    }

    private static Event lock(String name, String trace, long atMs, String thread, String lock, boolean acquire) {
        EventKind kind = acquire ? new EventKind.LockAcquire(lock, "Mutex", "Locks.java:" + atMs)
                : new EventKind.LockRelease(lock, "Mutex", "Locks.java:" + atMs);
        return event(name, trace, Optional.empty(), atMs, kind, meta(thread, "bank"));
    }

    private static Event work(String name, String trace, long atMs, long durationMs) {
        return event(name, trace, Optional.empty(), atMs,
                new EventKind.FunctionCall("work", "bank", JsonValue.parse("{}"), "Work.java", 3),
                meta("worker", "bank").withDurationNs(durationMs * 1_000_000));
    }

    static List<Event> scenario() {
        List<Event> out = new ArrayList<>();
        // Trace A: a read-modify-write race between two threads, a lock-order inversion, a slow "work".
        out.add(access("a1", "A", 0, "t1", "balance", AccessType.Read, "100"));
        out.add(access("a2", "A", 1, "t1", "balance", AccessType.Write, "90"));
        out.add(access("a3", "A", 2, "t2", "balance", AccessType.Write, "80"));
        out.add(lock("a4", "A", 3, "t1", "L1", true));
        out.add(lock("a5", "A", 4, "t1", "L2", true));
        out.add(lock("a6", "A", 5, "t1", "L2", false));
        out.add(lock("a7", "A", 6, "t1", "L1", false));
        out.add(lock("a8", "A", 7, "t2", "L2", true));
        out.add(lock("a9", "A", 8, "t2", "L1", true));
        out.add(lock("a10", "A", 9, "t2", "L1", false));
        out.add(lock("a11", "A", 10, "t2", "L2", false));
        out.add(work("a12", "A", 20, 100));
        // Trace B overlaps A in time: its write races A's accesses; it takes L2 then L1 (A's t1 takes L1 then L2).
        out.add(access("b1", "B", 1, "t3", "balance", AccessType.Write, "70"));
        out.add(lock("b2", "B", 12, "t3", "L2", true));
        out.add(lock("b3", "B", 13, "t3", "L1", true));
        out.add(lock("b4", "B", 14, "t3", "L1", false));
        out.add(lock("b5", "B", 15, "t3", "L2", false));
        // Baselines for "work", each in its own trace a day apart (no overlap with anything).
        for (int i = 0; i < 6; i++) {
            out.add(work("base" + i, "base-trace" + i, 86_400_000L * (i + 1), 10 + i));
        }
        // Traces C (gateway) and D (orders) linked by a distributed span edge; both touch "stock".
        out.add(event("c1", "C", Optional.empty(), 1000, new EventKind.HttpRequest("POST", "/orders", Map.of(),
                Optional.empty()), meta("gw-1", "gateway").withDistributed(Optional.of("gw#1"), Optional.of("span-c"),
                Optional.empty())));
        out.add(event("c2", "C", Optional.of("c1"), 1001, new EventKind.StateChange("stock", Optional.of(
                JsonValue.parse("5")), JsonValue.parse("4"), "Gateway.java:1", AccessType.Write),
                meta("gw-1", "gateway").withDistributed(Optional.of("gw#1"), Optional.of("span-c"), Optional.empty())));
        out.add(event("c3", "C", Optional.of("c1"), 1010, new EventKind.HttpResponse(200, Map.of(), Optional.empty(),
                10), meta("gw-1", "gateway").withDurationNs(10_000_000).withDistributed(Optional.of("gw#1"),
                Optional.of("span-c"), Optional.empty())));
        out.add(event("d1", "D", Optional.empty(), 1002, new EventKind.FunctionCall("reserve", "orders",
                JsonValue.parse("{\"sku\":1}"), "Orders.java", 8), meta("ord-1", "orders").withDurationNs(3_000_000)
                .withDistributed(Optional.of("ord#1"), Optional.of("span-d"), Optional.of("span-c"))));
        out.add(event("d2", "D", Optional.of("d1"), 1003, new EventKind.StateChange("stock", Optional.of(
                JsonValue.parse("4")), JsonValue.parse("3"), "Orders.java:9", AccessType.Write),
                meta("ord-2", "orders").withDistributed(Optional.of("ord#1"), Optional.of("span-d"),
                        Optional.of("span-c"))));
        return out;
    }

    /** The requests recorded, in order. */
    static List<String> paths() {
        List<String> paths = new ArrayList<>();
        for (String t : List.of("A", "B", "C", "D", "base-trace0")) {
            String base = "/api/traces/" + id(t);
            paths.add(base);
            paths.add(base + "/critical-path");
            paths.add(base + "/anomalies");
            paths.add(base + "/dependencies");
            paths.add(base + "/audit-trail/balance");
            paths.add(base + "/audit-trail/stock");
            paths.add(base + "/deadlocks");
        }
        String f0 = "/api/traces/aaaaaaaa-aaaa-4aaa-aaaa-aaaaaaaaaaaa";
        paths.addAll(List.of(f0, f0 + "/critical-path", f0 + "/anomalies", f0 + "/dependencies", f0 + "/deadlocks",
                f0.toUpperCase(java.util.Locale.ROOT).replace("/API/TRACES/", "/api/traces/"),
                "/api/traces/" + id("A") + "?event_limit=3&event_offset=2",
                "/api/traces/" + id("A") + "?event_offset=1000",
                "/api/traces/" + id("nothing"),
                "/api/traces/" + id("nothing") + "/critical-path",
                "/api/traces/" + id("nothing") + "/anomalies",
                "/api/traces/" + id("nothing") + "/deadlocks",
                "/api/analyze/global",
                "/api/analyze/global?since=2024-03-01T10:00:00Z&until=2024-03-01T10:00:01Z",
                "/api/analyze/global?since=2024-03-02T00:00:00Z",
                "/api/analyze/global?since=2024-03-02T00:00:00Z&until=2024-03-01T00:00:00Z",
                "/api/analyze/global?since=yesterday",
                "/api/analyze/deadlocks",
                "/api/distributed/edges",
                "/api/distributed/global-races",
                "/api/distributed/hotspots",
                "/api/services",
                "/api/services/gateway/dependencies",
                "/api/services/orders/dependencies"));
        return paths;
    }

    private static String record(FeatureFlags flags) throws Exception {
        try (RacewayServer server = RacewayServer.start(ServerConfiguration.builder().server(s -> s.port(0))
                .features(flags).build())) {
            Http http = new Http(server.baseUrl());
            List<Event> events = scenario();
            HttpResponse<String> posted = http.postJson("/events", Events.body(events));
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
            assertThat(posted.body()).as("every event accepted").doesNotContain("\"reason\"");
            byte[] f0;
            try (InputStream in = AnalysisResponsesGoldenTest.class.getClassLoader()
                    .getResourceAsStream("golden/f0-events.json")) {
                f0 = in.readAllBytes();
            }
            HttpResponse<String> postedF0 = http.postJson("/events", f0);
            assertThat(postedF0.statusCode()).as(postedF0.body()).isEqualTo(200);
            assertThat(postedF0.body()).as("every event accepted").doesNotContain("\"reason\"");
            Http.await("stored", () -> events.stream().allMatch(e -> server.store().event(e.id()).isPresent())
                    && server.store().counts().events() >= events.size() + 4);
            StringBuilder out = new StringBuilder();
            for (String path : paths()) {
                HttpResponse<String> r = http.get(path);
                out.append("GET ").append(path).append('\n').append(r.statusCode()).append(' ')
                        .append(r.body()).append("\n\n");
            }
            return out.toString();
        }
    }

    static Map<String, String> recordAll() throws Exception {
        Map<String, String> sections = new LinkedHashMap<>();
        sections.put("default features", record(FeatureFlags.defaults()));
        sections.put("race detection, anomaly detection and distributed tracing on",
                record(new FeatureFlags(true, true, true)));
        sections.put("race detection, anomaly detection and distributed tracing off",
                record(new FeatureFlags(false, false, false)));
        return sections;
    }

    @Test
    void analysisRoutesAnswerByteForByteAsRecorded() throws Exception {
        StringBuilder actual = new StringBuilder();
        recordAll().forEach((title, body) -> actual.append("### ").append(title).append("\n\n").append(body));
        if (Boolean.getBoolean("raceway.golden.update")) {
            Files.writeString(Path.of("src/test/resources", GOLDEN), actual.toString(), StandardCharsets.UTF_8);
            return;
        }
        String expected;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(GOLDEN)) {
            assertThat(in).as(GOLDEN + " (record it with -Draceway.golden.update=true)").isNotNull();
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(actual.toString()).isEqualTo(expected);
    }
}
