package dev.raceway.sdk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.sdk.JettyApp;
import dev.raceway.sdk.RacewayClient;
import dev.raceway.sdk.RacewayContext;
import dev.raceway.sdk.TrackedLock;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The classic case: two concurrent HTTP requests, each its own trace, read-modify-write one balance. The server's
 * global analysis reports the race; with a {@link TrackedLock} around the update it does not.
 */
class GlobalRaceEndToEndTest {
    private InProcessServer server;
    private RacewayClient client;
    private JettyApp app;
    private final int[] balance = {1000};
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = new InProcessServer();
        client = RacewayClient.builder(server.endpoint(), "bank").apiKey(InProcessServer.API_KEY).instanceId("b-1")
                .flushInterval(Duration.ofMillis(50)).build();
        TrackedLock lock = new TrackedLock(client, "accounts");
        CyclicBarrier bothRequestsIn = new CyclicBarrier(2);
        app = JettyApp.builder(client).servlet("/withdraw", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                String variable = req.getParameter("account") + ".balance";
                boolean locked = "true".equals(req.getParameter("locked"));
                try {
                    bothRequestsIn.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IOException(e);
                }
                if (locked) {
                    lock.lock();
                }
                try {
                    int seen = balance[0];
                    client.trackStateChange(variable, null, seen, AccessType.Read);
                    balance[0] = seen - 100;
                    client.trackStateChange(variable, seen, seen - 100, AccessType.Write);
                } finally {
                    if (locked) {
                        lock.unlock();
                    }
                }
                resp.getWriter().write(RacewayContext.current().orElseThrow().traceId().toString());
            }
        }).start();
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
        client.close();
        server.close();
    }

    private List<UUID> twoConcurrentWithdrawals(String account, boolean locked) throws Exception {
        URI uri = URI.create(app.url("/withdraw?account=" + account + "&locked=" + locked));
        CompletableFuture<HttpResponse<String>> a = http.sendAsync(HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        CompletableFuture<HttpResponse<String>> b = http.sendAsync(HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        List<UUID> traces = List.of(UUID.fromString(a.get(20, TimeUnit.SECONDS).body()),
                UUID.fromString(b.get(20, TimeUnit.SECONDS).body()));
        assertThat(client.flush()).isTrue();
        for (UUID t : traces) {
            server.awaitTrace(t, locked ? 6 : 4);
        }
        return traces;
    }

    @Test
    void twoRequestsRacingOnOneBalanceAreReportedAcrossTraces() throws Exception {
        List<UUID> traces = twoConcurrentWithdrawals("alice", false);
        // Two requests handled at once by one JVM: each counts up a clock component of its own, so their vectors
        // are concurrent (with one process-wide component they would compare as ordered).
        List<Event> writes = traces.stream().map(t -> server.awaitTrace(t, 4).stream()
                .filter(e -> e.stateChange().map(c -> c.accessType() == AccessType.Write).orElse(false))
                .findFirst().orElseThrow()).toList();
        assertThat(writes.get(0).metadata().threadId()).isNotEqualTo(writes.get(1).metadata().threadId());
        assertThat(writes.get(0).causalityVector().isConcurrentWith(writes.get(1).causalityVector())).isTrue();
        HttpResponse<String> global = server.get("/api/analyze/global");
        assertThat(global.statusCode()).isEqualTo(200);
        String body = global.body().replaceAll("\\s", "");
        assertThat(body).contains("\"variable\":\"alice.balance\"");
        assertThat(body).contains(traces.get(0).toString()).contains(traces.get(1).toString());
    }

    @Test
    void aTrackedLockAroundTheUpdateSuppressesTheRace() throws Exception {
        twoConcurrentWithdrawals("bob", true);
        HttpResponse<String> global = server.get("/api/analyze/global");
        assertThat(global.statusCode()).isEqualTo(200);
        assertThat(global.body().replaceAll("\\s", "")).doesNotContain("bob.balance")
                .contains("\"potential_races\":0");
    }
}
