package dev.raceway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raceway.server.RacewayServer;
import dev.raceway.server.config.ConfigLoader;
import dev.raceway.server.config.ServerConfiguration;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** A real raceway-server on an ephemeral port (memory backend) plus the HTTP calls the tests make to it. */
final class UiServer implements AutoCloseable {
    private final RacewayServer server;
    private final Optional<String> apiKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper mapper = new ObjectMapper();

    private UiServer(RacewayServer server, Optional<String> apiKey) {
        this.server = server;
        this.apiKey = apiKey;
    }

    static UiServer start(Optional<String> apiKey) throws InterruptedException {
        String toml = """
                [server]
                host = "127.0.0.1"
                port = 0
                auth_enabled = %s
                api_keys = [%s]

                [distributed_tracing]
                enabled = true
                """.formatted(apiKey.isPresent(), apiKey.map(k -> "\"" + k + "\"").orElse(""));
        ServerConfiguration config = new ConfigLoader(name -> null).parse(toml, "ui-test.toml");
        return new UiServer(RacewayServer.start(config), apiKey);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Posts the scenario and waits until its three traces are listed. */
    void load(BankingScenario scenario) throws IOException, InterruptedException {
        post(scenario.eventsJson());
        Set<String> expected = Set.of(scenario.traceA.toString(), scenario.traceB.toString(), scenario.traceC.toString());
        Instant deadline = Instant.now().plus(Browser.WAIT);
        while (true) {
            JsonNode traces = get("/api/traces?page_size=100").path("data").path("traces");
            long found = 0;
            for (JsonNode t : traces) {
                if (expected.contains(t.path("trace_id").asText())) {
                    found++;
                }
            }
            if (found == expected.size()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("scenario traces not listed in time: " + traces);
            }
            Thread.sleep(50); // polling interval of a wait with a deadline, not a timing assumption
        }
    }

    /** POSTs an {@code {"events":[...]}} body and expects every event accepted. */
    void post(String eventsJson) throws IOException, InterruptedException {
        HttpResponse<String> posted = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(eventsJson)));
        assertThat(posted.statusCode()).as("POST /events: %s", posted.body()).isEqualTo(200);
    }

    /** Waits until the trace is stored with {@code events} events (ingestion is asynchronous). */
    void awaitTrace(UUID trace, int events) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Browser.WAIT);
        while (get("/api/traces/" + trace).path("data").path("events").size() != events) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("trace " + trace + " not stored with " + events + " events in time");
            }
            Thread.sleep(50); // polling interval of a wait with a deadline
        }
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET());
        return mapper.readTree(r.body());
    }

    int statusWithoutKey(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        apiKey.ifPresent(k -> request.header("Authorization", "Bearer " + k));
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String id(UUID id) {
        return id.toString();
    }

    @Override
    public void close() {
        server.close();
    }
}
