package dev.raceway.server;

import dev.raceway.storage.testing.EmbeddedPg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.server.config.ServerConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two server processes' worth of state on one database: events posted to either are visible, and analysed
 * identically, through both — nothing depends on state only one server holds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoServersSharePostgresTest {
    RacewayServer a;
    RacewayServer b;
    Http httpA;
    Http httpB;

    @BeforeAll
    void start() throws Exception {
        ServerConfiguration c = ServerConfiguration.builder().server(s -> s.port(0))
                .storage(EmbeddedPg.config("server_shared")).build();
        a = RacewayServer.start(c);
        b = RacewayServer.start(c);
        httpA = new Http(a.baseUrl());
        httpB = new Http(b.baseUrl());
    }

    @AfterAll
    void stop() {
        a.close();
        b.close();
    }

    @Test
    void eventsPostedToEitherServerAreVisibleAndAnalysedIdenticallyThroughBoth() {
        String variable = "balance-" + UUID.randomUUID();
        UUID t1 = UUID.randomUUID();
        UUID t2 = UUID.randomUUID();
        List<Event> first = new ArrayList<>(List.of(
                Events.access(t1, 1, "req-1", variable, AccessType.Read, "100"),
                Events.access(t1, 2, "req-1", variable, AccessType.Write, "90")));
        first.addAll(Events.trace(t1, 3, "shared-api"));
        List<Event> second = List.of(
                Events.access(t2, 1, "req-2", variable, AccessType.Read, "100"),
                Events.access(t2, 3, "req-2", variable, AccessType.Write, "80"));
        // Half of each trace through each server (durable ack: a 200 means committed).
        assertThat(httpA.postJson("/events", Events.body(first.subList(0, 2))).statusCode()).isEqualTo(200);
        assertThat(httpB.postJson("/events", Events.body(first.subList(2, first.size()))).statusCode())
                .isEqualTo(200);
        assertThat(httpB.postJson("/events", Events.body(second)).statusCode()).isEqualTo(200);

        for (String path : List.of("/api/traces", "/api/traces?service=shared-api", "/api/traces/" + t1,
                "/api/traces/" + t2, "/api/traces/" + t1 + "/critical-path", "/api/traces/" + t1 + "/anomalies",
                "/api/traces/" + t1 + "/dependencies", "/api/traces/" + t1 + "/audit-trail/" + variable,
                "/api/analyze/global", "/api/analyze/deadlocks", "/api/services", "/api/distributed/global-races",
                "/api/distributed/hotspots", "/api/distributed/edges", "/api/performance/metrics")) {
            var ra = httpA.get(path);
            var rb = httpB.get(path);
            assertThat(ra.statusCode()).as(path).isEqualTo(200);
            assertThat(rb.body()).as(path).isEqualTo(ra.body());
        }
        var bundle = JsonTree.data(httpA.get("/api/traces/" + t1).body());
        assertThat(JsonTree.list(bundle.get("events"))).hasSize(5);
        assertThat(JsonTree.list(bundle.get("cross_trace_races"))).isNotEmpty();
    }
}
