package dev.raceway.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.sdk.transport.EventTransport;
import io.opentelemetry.context.Scope;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the sender behaves when the server misbehaves: scripted answers from a MockWebServer (a real HTTP server).
 * A contract: every {@link EventTransport} runs it ({@link OkHttpTransportFaultTest}, {@link
 * JdkHttpTransportFaultTest}), so the retry policy is proven the same whichever transport carries the bytes.
 */
abstract class TransportFaultTest {
    private RecordingSink sink;
    private RacewayClient client;

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    /** The transport under test. */
    abstract EventTransport.Factory transport();

    private RacewayClientBuilder fastClient(String endpoint) {
        return RacewayClient.builder(endpoint, "svc").apiKey("secret-key").transport(transport())
                .flushInterval(Duration.ofMillis(20))
                .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .maxRetryTime(Duration.ofSeconds(20))
                .requestTimeout(Duration.ofSeconds(2));
    }

    private void track(int n) {
        try (Scope ignored = client.newTrace().makeCurrent()) {
            for (int i = 0; i < n; i++) {
                client.trackStateChange("counter", i, i + 1, AccessType.Write);
            }
        }
    }

    private static Set<UUID> ids(List<Event> events) {
        Set<UUID> out = new HashSet<>();
        events.forEach(e -> out.add(e.id()));
        return out;
    }

    /** A server that answers only once {@code expected} requests are open at the same time (or a deadline passed). */
    private static final class ConcurrencyProbe implements AutoCloseable {
        final okhttp3.mockwebserver.MockWebServer server = new okhttp3.mockwebserver.MockWebServer();
        final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger maxOpen = new java.util.concurrent.atomic.AtomicInteger();

        ConcurrencyProbe(int expected, Duration deadline) throws Exception {
            java.util.concurrent.CountDownLatch arrived = new java.util.concurrent.CountDownLatch(expected);
            server.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
                @Override
                public MockResponse dispatch(okhttp3.mockwebserver.RecordedRequest request) throws InterruptedException {
                    maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                    arrived.countDown();
                    arrived.await(deadline.toMillis(), TimeUnit.MILLISECONDS);
                    open.decrementAndGet();
                    return new MockResponse().setResponseCode(200).setBody("{\"success\":true,\"data\":\"ok\"}");
                }
            });
            server.start();
        }

        String endpoint() {
            return server.url("/").toString();
        }

        @Override
        public void close() throws Exception {
            server.shutdown();
        }
    }

    @Test
    void batchesAreSentConcurrentlyUpToTheConfiguredLimit() throws Exception {
        try (ConcurrencyProbe probe = new ConcurrencyProbe(2, Duration.ofSeconds(10))) {
            client = fastClient(probe.endpoint()).batchSize(10).maxConcurrentRequests(2).build();
            track(40);
            assertThat(client.flush()).isTrue();
            assertThat(probe.maxOpen.get()).isEqualTo(2);
            assertThat(client.stats().sent()).isEqualTo(40);
        }
    }

    @Test
    void withOneRequestAtATimeBatchesAreSentStrictlyInTurn() throws Exception {
        try (ConcurrencyProbe probe = new ConcurrencyProbe(2, Duration.ofMillis(100))) {
            client = fastClient(probe.endpoint()).batchSize(10).maxConcurrentRequests(1).build();
            track(40);
            assertThat(client.flush()).isTrue();
            assertThat(probe.maxOpen.get()).isEqualTo(1);
            assertThat(client.stats().sent()).isEqualTo(40);
        }
    }

    @Test
    void sendsTheApiKeyBothWaysAndMarksItsOwnTraffic() throws Exception {
        sink = new RecordingSink();
        client = fastClient(sink.endpoint()).build();
        track(1);
        assertThat(client.flush()).isTrue();
        RecordingSink.Received r = sink.requests().get(0);
        assertThat(r.headers().get("Authorization")).isEqualTo("Bearer secret-key");
        assertThat(r.headers().get("X-Raceway-Key")).isEqualTo("secret-key");
        assertThat(r.headers().get("X-Raceway-Internal")).isEqualTo("true");
        assertThat(r.headers().get("Content-Type")).startsWith("application/json");
        assertThat(client.stats().sent()).isEqualTo(1);
    }

    @Test
    void serverErrorsAreRetriedUntilAccepted() throws Exception {
        sink = new RecordingSink().then(new MockResponse().setResponseCode(500),
                new MockResponse().setResponseCode(503), new MockResponse().setResponseCode(502));
        client = fastClient(sink.endpoint()).build();
        track(5);
        assertThat(client.flush()).isTrue();
        assertThat(sink.requests()).hasSize(4);
        assertThat(ids(sink.accepted())).hasSize(5);
        // The same events (same ids) each time: the server's idempotency makes retries safe.
        assertThat(ids(sink.requests().get(0).events())).isEqualTo(ids(sink.accepted()));
        assertThat(client.stats()).extracting(RacewayStats::sent, RacewayStats::retried, RacewayStats::failed)
                .containsExactly(5L, 3L, 0L);
    }

    @Test
    void tooManyRequestsWaitsForRetryAfter() throws Exception {
        sink = new RecordingSink().then(new MockResponse().setResponseCode(429).setHeader("Retry-After", "1"));
        client = fastClient(sink.endpoint()).backoff(Duration.ofMillis(1), Duration.ofSeconds(5)).build();
        track(2);
        assertThat(client.flush()).isTrue();
        List<RecordingSink.Received> rs = sink.requests();
        assertThat(rs).hasSize(2);
        assertThat(rs.get(1).atNanos() - rs.get(0).atNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(900));
        assertThat(client.stats().sent()).isEqualTo(2);
    }

    @Test
    void invalidBatchesAreNotRetried() throws Exception {
        sink = new RecordingSink().then(new MockResponse().setResponseCode(422).setBody("bad kind"),
                new MockResponse().setResponseCode(400));
        client = fastClient(sink.endpoint()).build();
        track(3);
        assertThat(client.flush()).isTrue();
        track(2);
        assertThat(client.flush()).isTrue();
        assertThat(sink.requests()).hasSize(2);
        assertThat(client.stats()).extracting(RacewayStats::failed, RacewayStats::retried, RacewayStats::sent)
                .containsExactly(5L, 0L, 0L);
    }

    @Test
    void eventsTheServerListsAsRejectedAreCountedNotRetried() throws Exception {
        sink = new RecordingSink().then(new MockResponse().setResponseCode(200).setBody(
                "{\"success\":true,\"data\":{\"accepted\":2,\"rejected\":[{\"index\":1,\"reason\":\"x\"}]}}"));
        client = fastClient(sink.endpoint()).build();
        track(3);
        assertThat(client.flush()).isTrue();
        assertThat(sink.requests()).hasSize(1);
        assertThat(client.stats()).extracting(RacewayStats::sent, RacewayStats::rejected)
                .containsExactly(2L, 1L);
    }

    @Test
    void aTooLargeBatchIsSplitInHalvesOnce() throws Exception {
        sink = new RecordingSink().then(new MockResponse().setResponseCode(413),
                new MockResponse().setResponseCode(200), new MockResponse().setResponseCode(413));
        client = fastClient(sink.endpoint()).build();
        track(4);
        assertThat(client.flush()).isTrue();
        // 413 (4 events) → halves: 2 accepted, 2 refused again with 413 → not split further.
        assertThat(sink.requests()).extracting(r -> r.events().size()).containsExactly(4, 2, 2);
        assertThat(client.stats()).extracting(RacewayStats::sent, RacewayStats::failed).containsExactly(2L, 2L);
    }

    @Test
    void aBatchAboveTheByteLimitIsSplitBeforeSending() throws Exception {
        sink = new RecordingSink();
        client = fastClient(sink.endpoint()).maxBatchBytes(2_000).build();
        track(20);
        assertThat(client.flush()).isTrue();
        assertThat(sink.requests().size()).isGreaterThan(1);
        assertThat(ids(sink.accepted())).hasSize(20);
    }

    @Test
    void timeoutsAreRetried() throws Exception {
        sink = new RecordingSink().then(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        client = fastClient(sink.endpoint()).requestTimeout(Duration.ofMillis(300)).build();
        track(3);
        assertThat(client.flush()).isTrue();
        assertThat(ids(sink.accepted())).hasSize(3);
        assertThat(client.stats().retried()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aServerThatIsDownThenUpGetsEverything() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        client = fastClient("http://127.0.0.1:" + port).maxAttempts(1000)
                .backoff(Duration.ofMillis(50), Duration.ofMillis(100)).build();
        track(7);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.stats().retried() < 2) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.onSpinWait();
        }
        sink = new RecordingSink(port);
        assertThat(client.flush()).isTrue();
        assertThat(ids(sink.accepted())).hasSize(7);
        assertThat(client.stats()).extracting(RacewayStats::sent, RacewayStats::failed, RacewayStats::dropped)
                .containsExactly(7L, 0L, 0L);
    }

    @Test
    void retriesAreBoundedByAttempts() throws Exception {
        sink = new RecordingSink();
        for (int i = 0; i < 10; i++) {
            sink.then(new MockResponse().setResponseCode(503));
        }
        client = fastClient(sink.endpoint()).maxAttempts(3).build();
        track(2);
        assertThat(client.flush()).isTrue();
        assertThat(sink.requests()).hasSize(3);
        assertThat(client.stats()).extracting(RacewayStats::failed, RacewayStats::retried).containsExactly(2L, 2L);
    }

    @Test
    void retriesAreBoundedByTime() throws Exception {
        sink = new RecordingSink();
        for (int i = 0; i < 50; i++) {
            sink.then(new MockResponse().setResponseCode(500));
        }
        client = fastClient(sink.endpoint()).maxAttempts(1000).maxRetryTime(Duration.ofMillis(500))
                .backoff(Duration.ofMillis(50), Duration.ofMillis(100)).build();
        track(1);
        assertThat(client.flush()).isTrue();
        assertThat(client.stats().failed()).isEqualTo(1);
        assertThat(sink.requests().size()).isBetween(2, 20);
    }

    @Test
    void aFullQueueDropsAndCountsWithoutBlockingOrThrowing() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // Nothing listens: the first batches are stuck in retries while the queue fills. Held at most: the queue,
        // one batch per sender in flight, and one batch the flusher waits to hand over.
        client = fastClient("http://127.0.0.1:" + port).batchSize(10).queueCapacity(10).maxConcurrentRequests(2)
                .maxAttempts(1000).closeTimeout(Duration.ofMillis(200)).build();
        track(500);
        RacewayStats s = client.stats();
        assertThat(s.dropped()).isGreaterThanOrEqualTo(500 - 10 - (2 + 1) * 10);
        assertThat(s.queued() + s.dropped()).isEqualTo(500);
    }

    @Test
    void closeSendsWhatIsQueuedThenStopsAndLaterEventsAreDropped() throws Exception {
        sink = new RecordingSink();
        client = fastClient(sink.endpoint()).flushInterval(Duration.ofSeconds(60)).build();
        track(3);
        client.close();
        assertThat(ids(sink.accepted())).hasSize(3);
        track(1);
        assertThat(client.stats().dropped()).isEqualTo(1);
        client.close(); // idempotent
    }

    @Test
    void closeGivesUpAtItsDeadlineWhenTheServerIsGone() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        client = fastClient("http://127.0.0.1:" + port).maxAttempts(1000).maxRetryTime(Duration.ofMinutes(5))
                .closeTimeout(Duration.ofMillis(500)).build();
        track(3);
        long start = System.nanoTime();
        client.close();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
        RacewayStats s = client.stats();
        assertThat(s.failed() + s.dropped()).isEqualTo(3);
    }

    @Test
    void batchesAreCutAtTheBatchSize() throws Exception {
        sink = new RecordingSink();
        client = fastClient(sink.endpoint()).batchSize(100).flushInterval(Duration.ofSeconds(60)).build();
        track(250);
        assertThat(client.flush()).isTrue();
        assertThat(sink.requests()).allSatisfy(r -> assertThat(r.events().size()).isLessThanOrEqualTo(100));
        assertThat(ids(sink.accepted())).hasSize(250);
        // Two full batches went out without waiting for the (one minute) interval.
        assertThat(sink.requests().get(0).events()).hasSize(100);
    }

    @Test
    void gzipBodiesAreDeclared() throws Exception {
        sink = new RecordingSink();
        client = fastClient(sink.endpoint()).gzip(true).build();
        track(3);
        assertThat(client.flush()).isTrue();
        assertThat(sink.requests().get(0).headers().get("Content-Encoding")).isEqualTo("gzip");
        assertThat(ids(sink.accepted())).hasSize(3);
    }

    @Test
    void flushWithNothingQueuedReturnsAtOnce() {
        client = RacewayClient.builder("http://127.0.0.1:1", "svc").transport(transport()).build();
        assertThat(client.flush(Duration.ofMillis(100))).isTrue();
    }
}
