package dev.raceway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.Event;
import dev.raceway.server.config.ServerConfiguration;
import dev.raceway.storage.ingest.EngineConfig;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Store outages and slow commits: refusal with Retry-After, health, durable acknowledgement, draining shutdown. */
class BackPressureTest extends ControllableStoreServer {
    static ServerConfiguration engine(int buffer, int batch, long flushMs) {
        return ServerConfiguration.builder()
                .engine(new EngineConfig(buffer, batch, flushMs).withRetryBackoff(20, 100)).build();
    }

    @Test
    void fullBufferDuringAnOutageIsRefusedWith503AndRetryAfterThenRecovers() throws Exception {
        start(engine(20, 10, 5));
        store.failWrites = true;
        UUID trace = UUID.randomUUID();
        List<Event> events = Events.trace(trace, 30, "outage");
        assertThat(http.postJson("/events", Events.body(events.subList(0, 10))).statusCode()).isEqualTo(200);
        assertThat(http.postJson("/events", Events.body(events.subList(10, 20))).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = http.postJson("/events", Events.body(events.subList(20, 30)));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat((String) JsonTree.obj(refused.body()).get("error")).contains("nothing was stored");

        Http.await("health reports the failing store", () -> http.get("/health").statusCode() == 503);
        Map<String, Object> status = JsonTree.data(http.get("/status").body());
        assertThat((Long) JsonTree.map(status.get("pipeline")).get("refused")).isEqualTo(10);
        assertThat((Long) JsonTree.map(status.get("pipeline")).get("retried")).isPositive();

        store.failWrites = false;
        Http.await("accepted events stored after the outage", () -> store.inner.traceEvents(trace).size() == 20);
        Http.await("healthy again", () -> http.get("/health").statusCode() == 200);
        assertThat(store.inner.event(events.get(25).id())).isEmpty();
        assertThat(http.get("/metrics").body()).contains("raceway_events_refused_total 10");
    }

    @Test
    void aBurstBeyondTheBufferWaitsForASlowStoreInsteadOfBeingRefused() throws Exception {
        start(engine(20, 10, 1));
        store.writeGate = new Semaphore(0);
        UUID trace = UUID.randomUUID();
        List<Event> events = Events.trace(trace, 30, "burst");
        assertThat(http.postJson("/events", Events.body(events.subList(0, 10))).statusCode()).isEqualTo(200);
        assertThat(http.postJson("/events", Events.body(events.subList(10, 20))).statusCode()).isEqualTo(200);
        assertThat(store.writeEntered.await(20, TimeUnit.SECONDS)).isTrue();

        // The buffer is full and the store is slow, not down: the third post waits for space.
        CompletableFuture<HttpResponse<String>> third = CompletableFuture.supplyAsync(
                () -> http.postJson("/events", Events.body(events.subList(20, 30))));
        Http.await("third post decoded and waiting", () -> http.get("/metrics").body()
                .contains("raceway_events_received_total 30"));
        store.writeGate.release(1000);

        assertThat(third.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        Http.await("all stored", () -> store.inner.traceEvents(trace).size() == 30);
        assertThat(server.ingestMetrics().refused()).isZero();
    }

    @Test
    void withoutAWaitAFullBufferIsRefusedAtOnce() throws Exception {
        start(ServerConfiguration.builder().engine(new EngineConfig(20, 10, 1).withFullBufferWait(0)).build());
        store.writeGate = new Semaphore(0);
        List<Event> events = Events.trace(UUID.randomUUID(), 30, "no-wait");
        assertThat(http.postJson("/events", Events.body(events.subList(0, 10))).statusCode()).isEqualTo(200);
        assertThat(http.postJson("/events", Events.body(events.subList(10, 20))).statusCode()).isEqualTo(200);
        assertThat(store.writeEntered.await(20, TimeUnit.SECONDS)).isTrue();

        HttpResponse<String> refused = http.postJson("/events", Events.body(events.subList(20, 30)));

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void unreachableStorageMakesHealth503() throws Exception {
        start(ServerConfiguration.defaults());
        store.unhealthy = true;
        // The probe runs once a second; /health answers from its last result.
        Http.await("health reports the store", () -> http.get("/health").statusCode() == 503);
        HttpResponse<String> r = http.get("/health");
        assertThat(JsonTree.obj(r.body())).containsEntry("success", false);
        assertThat((String) JsonTree.obj(r.body()).get("error")).contains("storage unreachable");
        store.unhealthy = false;
        Http.await("health recovers", () -> http.get("/health").statusCode() == 200);
    }

    @Test
    void durableAcknowledgementAnswersOnlyAfterTheCommit() throws Exception {
        start(engine(1000, 100, 1).toBuilder().durableAck(true).build());
        store.writeGate = new Semaphore(0);
        UUID trace = UUID.randomUUID();
        List<Event> events = Events.trace(trace, 3, "durable");
        CompletableFuture<HttpResponse<String>> pending = CompletableFuture.supplyAsync(
                () -> http.postJson("/events", Events.body(events)));
        assertThat(store.writeEntered.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(pending).isNotDone();
        store.writeGate.release(1000);
        HttpResponse<String> r = pending.get(20, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        // No polling: a durable 200 means the events are already stored.
        assertThat(store.inner.traceEvents(trace)).hasSize(3);
    }

    @Test
    void durableAcknowledgementTimesOutWith503() throws Exception {
        start(engine(1000, 100, 1).toBuilder().durableAck(true).durableAckTimeout(Duration.ofMillis(200))
                .shutdownDrainTimeout(Duration.ofSeconds(5)).build());
        store.writeGate = new Semaphore(0);
        HttpResponse<String> r = http.postJson("/events", Events.body(Events.trace(UUID.randomUUID(), 2, "slow")));
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat((String) JsonTree.obj(r.body()).get("error")).contains("not committed");
    }

    @Test
    void shutdownDrainsBufferedEventsAndClosesStorage() throws Exception {
        start(engine(10_000, 5_000, 3_600_000));
        UUID trace = UUID.randomUUID();
        assertThat(http.postJson("/events", Events.body(Events.trace(trace, 7, "drain"))).statusCode())
                .isEqualTo(200);
        assertThat(store.inner.traceEvents(trace)).isEmpty(); // neither batch full nor interval passed
        server.close();
        assertThat(store.inner.traceEvents(trace)).hasSize(7);
        assertThat(store.closed).isTrue();
        assertThat(server.ingestMetrics().written()).isEqualTo(7);
    }
}
