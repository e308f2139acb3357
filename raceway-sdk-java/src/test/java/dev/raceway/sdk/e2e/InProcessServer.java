package dev.raceway.sdk.e2e;

import dev.raceway.core.event.Event;
import dev.raceway.server.RacewayServer;
import dev.raceway.server.config.ServerConfiguration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/** A real Raceway server (memory backend) started in-process on an ephemeral port, with API-key auth on. */
final class InProcessServer implements AutoCloseable {
    static final String API_KEY = "e2e-secret";

    private final RacewayServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    InProcessServer() throws InterruptedException {
        this(0);
    }

    /** A server on {@code port} (0: an ephemeral one), e.g. to restart one where a client expects it. */
    InProcessServer(int port) throws InterruptedException {
        server = RacewayServer.start(ServerConfiguration.builder()
                .server(s -> s.port(port).authEnabled(true).apiKeys(List.of(API_KEY))).build());
    }

    int port() {
        return server.port();
    }


    String endpoint() {
        return server.baseUrl();
    }

    /** The events the server stored for a trace, once {@code condition} holds (waits up to 15 s). */
    List<Event> awaitTrace(UUID traceId, Predicate<List<Event>> condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            List<Event> events = server.store().traceEvents(traceId);
            if (condition.test(events)) {
                return events;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("trace " + traceId + " did not reach the expected state; stored: "
                        + events.size() + " events");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    List<Event> awaitTrace(UUID traceId, int events) {
        return awaitTrace(traceId, l -> l.size() >= events);
    }

    RacewayServer server() {
        return server;
    }

    /** GET an API path with the API key; returns status and body with whitespace removed. */
    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + API_KEY).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close();
    }
}
