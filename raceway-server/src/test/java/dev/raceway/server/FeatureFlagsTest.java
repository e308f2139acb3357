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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code [race_detection]}, {@code [anomaly_detection]} and {@code [distributed_tracing]} really switch features. */
class FeatureFlagsTest {
    RacewayServer server;
    Http http;

    void start(FeatureFlags flags) throws Exception {
        server = RacewayServer.start(ServerConfiguration.builder().server(s -> s.port(0)).features(flags).build());
        http = new Http(server.baseUrl());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    void ingest(List<Event> events) {
        assertThat(http.postJson("/events", Events.body(events)).statusCode()).isEqualTo(200);
        Http.await("stored", () -> events.stream().allMatch(e -> server.store().event(e.id()).isPresent()));
    }

    List<Event> racyTrace(UUID trace) {
        return List.of(Events.access(trace, 1, "a", "x", AccessType.Write, "1"),
                Events.access(trace, 2, "b", "x", AccessType.Write, "2"));
    }

    @Test
    void raceDetectionOffEmptiesRacePartsAndGlobalAnalysisSaysDisabled() throws Exception {
        start(new FeatureFlags(false, true, false));
        UUID trace = UUID.randomUUID();
        ingest(racyTrace(trace));
        Map<String, Object> analysis = JsonTree.map(JsonTree.data(http.get("/api/traces/" + trace).body())
                .get("analysis"));
        assertThat(analysis).containsEntry("potential_races", 0L);
        Map<String, Object> global = JsonTree.data(http.get("/api/analyze/global").body());
        assertThat(global).containsEntry("enabled", false).containsEntry("potential_races", 0L);
        assertThat(JsonTree.list(JsonTree.data(http.get("/api/distributed/global-races").body()).get("races")))
                .isEmpty();
    }

    @Test
    void raceDetectionOnFindsTheSameRace() throws Exception {
        start(new FeatureFlags(true, true, false));
        UUID trace = UUID.randomUUID();
        ingest(racyTrace(trace));
        assertThat(JsonTree.map(JsonTree.data(http.get("/api/traces/" + trace).body()).get("analysis")))
                .containsEntry("potential_races", 1L);
    }

    /** Ten traces where "work" takes 10 ms, and one where it takes a second. */
    UUID slowOutlier() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(timed(UUID.randomUUID(), 10 + (i % 3)));
        }
        UUID slow = UUID.randomUUID();
        events.add(timed(slow, 1000));
        ingest(events);
        return slow;
    }

    static Event timed(UUID trace, long ms) {
        return new Event(UUID.randomUUID(), trace, Optional.empty(), Events.T0,
                new EventKind.FunctionCall("work", "m", JsonValue.NULL, "W.java", 1),
                EventMetadata.of("t", 1, "svc", "test").withDurationNs(ms * 1_000_000), VectorClock.empty(),
                List.of());
    }

    @Test
    void anomalyDetectionFindsTheOutlierOnlyWhenEnabled() throws Exception {
        start(new FeatureFlags(true, true, false));
        UUID slow = slowOutlier();
        assertThat(JsonTree.data(http.get("/api/traces/" + slow + "/anomalies").body()))
                .containsEntry("anomaly_count", 1L);
        server.close();
        start(new FeatureFlags(true, false, false));
        UUID again = slowOutlier();
        assertThat(JsonTree.data(http.get("/api/traces/" + again + "/anomalies").body()))
                .containsEntry("anomaly_count", 0L);
        assertThat(JsonTree.list(JsonTree.data(http.get("/api/traces/" + again).body()).get("anomalies"))).isEmpty();
    }

    List<UUID> linkedTraces() {
        UUID caller = UUID.randomUUID();
        UUID callee = UUID.randomUUID();
        Event out = new Event(UUID.randomUUID(), caller, Optional.empty(), Events.T0,
                new EventKind.HttpRequest("POST", "http://ledger/pay", Map.of(), Optional.empty()),
                EventMetadata.of("t", 1, "gateway", "test").withDistributed(Optional.of("g1"), Optional.of("aaaa1111aaaa1111"),
                        Optional.empty()), VectorClock.empty(), List.of());
        Event in = new Event(UUID.randomUUID(), callee, Optional.empty(), Events.T0.plusMillis(1),
                new EventKind.HttpRequest("POST", "/pay", Map.of(), Optional.empty()),
                EventMetadata.of("t", 2, "ledger", "test").withDistributed(Optional.of("l1"), Optional.of("bbbb2222bbbb2222"),
                        Optional.of("aaaa1111aaaa1111")), VectorClock.empty(), List.of());
        ingest(List.of(out, in));
        return List.of(caller, callee);
    }

    @Test
    void distributedTracingMergesLinkedTracesIntoTheBundleOnlyWhenEnabled() throws Exception {
        start(new FeatureFlags(true, true, true));
        List<UUID> on = linkedTraces();
        assertThat(JsonTree.list(JsonTree.data(http.get("/api/traces/" + on.get(0)).body()).get("events")))
                .hasSize(2);
        server.close();
        start(new FeatureFlags(true, true, false));
        List<UUID> off = linkedTraces();
        assertThat(JsonTree.list(JsonTree.data(http.get("/api/traces/" + off.get(0)).body()).get("events")))
                .hasSize(1);
        // The edge itself is stored either way.
        assertThat(JsonTree.list(JsonTree.data(http.get("/api/distributed/edges").body()).get("edges")))
                .isNotEmpty();
    }
}
