package dev.raceway.sdk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.AccessType;
import dev.raceway.sdk.RacewayClient;
import dev.raceway.sdk.RacewayClientBuilder;
import dev.raceway.sdk.RacewayContext;
import dev.raceway.sdk.RacewayStats;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK against a real server that goes away: while it restarts, events are queued and retried, and all of them
 * arrive once it is back on the same port; when it never comes back, the events are given up after the
 * configured retry time and counted. The application's tracking calls never wait for any of it.
 */
class ServerRestartEndToEndTest {
    private InProcessServer server;
    private RacewayClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private RacewayClientBuilder clientFor(InProcessServer s) {
        return RacewayClient.builder(s.endpoint(), "orders").apiKey(InProcessServer.API_KEY).instanceId("o-1")
                .flushInterval(Duration.ofMillis(50));
    }

    /** Records {@code n} writes in a new trace; returns the trace and asserts the calls did not wait. */
    private UUID track(int n) {
        RacewayContext ctx = client.newTrace();
        long start = System.nanoTime();
        try (Scope ignored = ctx.makeCurrent()) {
            for (int i = 0; i < n; i++) {
                client.trackStateChange("order." + i, null, i, AccessType.Write);
            }
        }
        assertThat(System.nanoTime() - start).as("tracking calls never wait for the server")
                .isLessThan(TimeUnit.SECONDS.toNanos(2));
        return ctx.traceId();
    }

    private RacewayStats awaitStats(String what, Predicate<RacewayStats> condition, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            RacewayStats s = client.stats();
            if (condition.test(s)) {
                return s;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + " did not happen within " + limit + "; stats: " + s);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    @Test
    void eventsRecordedWhileTheServerRestartsAllArriveWhenItIsBack() throws Exception {
        server = new InProcessServer();
        int port = server.port();
        client = clientFor(server).build(); // default retry settings
        UUID before = track(20);
        assertThat(client.flush()).isTrue();
        server.awaitTrace(before, 20);

        server.close();
        server = null;
        UUID during = track(50);
        // Several seconds of refused connections (the old policy gave up after 5 attempts, about 2 s): the sender
        // keeps retrying and nothing has been given up.
        RacewayStats down = awaitStats("six retries against the stopped server",
                s -> s.retried() >= 6 || s.failed() > 0, Duration.ofSeconds(30));
        assertThat(down.failed()).isZero();
        assertThat(down.dropped()).isZero();

        server = new InProcessServer(port);
        assertThat(client.flush(Duration.ofSeconds(30))).isTrue();
        assertThat(server.awaitTrace(during, 50)).hasSize(50);
        RacewayStats s = client.stats();
        assertThat(s.sent()).isEqualTo(70);
        assertThat(s.failed() + s.dropped() + s.rejected()).isZero();
    }

    @Test
    void aServerThatNeverReturnsCostsTheEventsAfterTheRetryTimeAndTheyAreCounted() throws Exception {
        server = new InProcessServer();
        Duration limit = Duration.ofSeconds(2);
        client = clientFor(server).maxRetryTime(limit).backoff(Duration.ofMillis(50), Duration.ofMillis(400))
                .build();
        server.close();
        server = null;

        long start = System.nanoTime();
        track(30);
        awaitStats("the first batches given up", s -> s.failed() == 30, Duration.ofSeconds(20));
        assertThat(System.nanoTime() - start).as("not given up before the retry time")
                .isGreaterThanOrEqualTo(limit.toNanos());
        assertThat(client.stats().retried()).isGreaterThanOrEqualTo(3);

        // Past the limit, later batches get one attempt each and are given up at once (nothing piles up).
        long retriedBefore = client.stats().retried();
        long again = System.nanoTime();
        track(10);
        awaitStats("later events given up", s -> s.failed() == 40, Duration.ofSeconds(10));
        assertThat(System.nanoTime() - again).isLessThan(limit.toNanos());
        assertThat(client.stats().retried()).isEqualTo(retriedBefore);
        assertThat(client.stats().sent()).isZero();
        assertThat(client.stats().dropped()).isZero();
    }
}
