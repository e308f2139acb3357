package dev.raceway.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.VectorClock;
import dev.raceway.core.json.EventJson;
import dev.raceway.server.RacewayServer;
import dev.raceway.server.config.ServerConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client commands against a real server with auth on, and configuration errors of {@code serve}. */
class RacewayCliTest {
    static final String KEY = "cli-test-key";

    RacewayServer server;
    final UUID trace = UUID.randomUUID();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void start() throws Exception {
        server = RacewayServer.start(ServerConfiguration.builder()
                .server(s -> s.port(0).authEnabled(true).apiKeys(List.of(KEY))).build());
        Event e = new Event(UUID.randomUUID(), trace, Optional.empty(), Instant.parse("2024-05-01T10:00:00Z"),
                new EventKind.FunctionCall("checkout", "shop", JsonValue.NULL, "Shop.java", 7),
                EventMetadata.of("main", 1, "shop-api", "test"), VectorClock.empty(), List.of());
        var http = java.net.http.HttpClient.newHttpClient();
        var res = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/events"))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + KEY)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(EventJson.encodeBatch(List.of(e))))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(200);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (server.store().traceEvents(trace).isEmpty()) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    int run(String... args) {
        return new RacewayCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env::get).run(args);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void tracesSendsTheApiKeyFromTheEnvironment() {
        env.put("RACEWAY_API_KEY", KEY);
        assertThat(run("traces", "--server", server.baseUrl())).isEqualTo(0);
        assertThat(out()).contains(trace.toString()).contains("shop-api").contains("page 1 of 1");
    }

    @Test
    void withoutTheKeyTheCommandFailsSayingWhy() {
        env.put("RACEWAY_SERVER", server.baseUrl());
        assertThat(run("traces")).isEqualTo(1);
        assertThat(err()).contains("401").contains("RACEWAY_API_KEY");
    }

    @Test
    void aWrongKeyIsNotToldToSetTheKey() {
        env.put("RACEWAY_SERVER", server.baseUrl());
        env.put("RACEWAY_API_KEY", "not-the-key");
        assertThat(run("traces")).isEqualTo(1);
        assertThat(err()).contains("401").contains("refused the key in RACEWAY_API_KEY")
                .doesNotContain("(set RACEWAY_API_KEY)");
    }

    @Test
    void servePortAndHostOverrideTheConfiguration(@TempDir Path dir) throws Exception {
        // The configuration says another port; --port wins, and the port taken by the test server proves it.
        Path config = Files.writeString(dir.resolve("raceway.toml"), "[server]\nport = 1\nhost = \"0.0.0.0\"\n");
        assertThat(run("serve", "--config", config.toString(), "--port", Integer.toString(server.port()),
                "--host", "127.0.0.1")).isEqualTo(1);
        assertThat(err().strip()).startsWith("raceway: cannot start: cannot listen on 127.0.0.1:" + server.port());
    }

    @Test
    void traceAndExportWriteTheBundle(@TempDir Path dir) throws Exception {
        env.put("RACEWAY_API_KEY", KEY);
        assertThat(run("trace", trace.toString(), "--server", server.baseUrl())).isEqualTo(0);
        assertThat(out()).contains("1 events").contains("Potential races: 0");
        Path file = dir.resolve("trace.json");
        assertThat(run("export", trace.toString(), "-o", file.toString(), "--server", server.baseUrl()))
                .isEqualTo(0);
        assertThat(Files.readString(file)).startsWith("{\"success\":true").contains("checkout");
        assertThat(run("traces", "--json", "--server", server.baseUrl())).isEqualTo(0);
        assertThat(run("races", "--server", server.baseUrl())).isEqualTo(0);
        assertThat(out()).contains("potential races: 0");
    }

    @Test
    void tracesShowsOperationAndDurationAndPassesFilters() {
        env.put("RACEWAY_API_KEY", KEY);
        env.put("RACEWAY_SERVER", server.baseUrl());
        assertThat(run("traces")).isEqualTo(0);
        assertThat(out()).contains("OPERATION").contains("DURATION").containsPattern(trace + " .*0\\.0 ms.*checkout");
        out.reset();
        assertThat(run("traces", "--operation", "CHECK", "--since", "2024-05-01T09:00:00Z", "--max-duration-ms", "5"))
                .isEqualTo(0);
        assertThat(out()).contains(trace.toString()).contains("(1 traces)");
        out.reset();
        assertThat(run("traces", "--operation", "nothing-like-it")).isEqualTo(0);
        assertThat(out()).doesNotContain(trace.toString()).contains("(0 traces)");
    }

    @Test
    void traceAndExportAcceptAUniqueIdPrefix(@TempDir Path dir) throws Exception {
        env.put("RACEWAY_API_KEY", KEY);
        env.put("RACEWAY_SERVER", server.baseUrl());
        assertThat(run("trace", trace.toString().substring(0, 8).toUpperCase())).as(err()).isEqualTo(0);
        assertThat(out()).contains("Trace " + trace + ": 1 events");
        Path file = dir.resolve("t.json");
        assertThat(run("export", trace.toString().substring(0, 13), "-o", file.toString())).isEqualTo(0);
        assertThat(Files.readString(file)).contains(trace.toString());
        String absent = trace.toString().startsWith("f") ? "0000" : "ffff";
        assertThat(run("trace", absent)).isEqualTo(1);
        assertThat(err()).contains("no trace id starts with " + absent);
        assertThat(run("trace", "not-hex")).isEqualTo(1);
        assertThat(err()).contains("neither a trace id nor the start of one");
    }

    @Test
    void anExportedTraceImportsIntoAnotherServerUnchanged(@TempDir Path dir) throws Exception {
        env.put("RACEWAY_API_KEY", KEY);
        Path file = dir.resolve("trace.json");
        assertThat(run("export", trace.toString(), "-o", file.toString(), "--server", server.baseUrl())).isEqualTo(0);
        try (RacewayServer other = RacewayServer.start(ServerConfiguration.builder().server(s -> s.port(0)).build())) {
            assertThat(run("import", file.toString(), "--server", other.baseUrl())).as(err()).isEqualTo(0);
            assertThat(out()).contains("Imported 1 events from " + file);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (other.store().traceEvents(trace).isEmpty()) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(10);
            }
            assertThat(other.store().traceEvents(trace)).isEqualTo(server.store().traceEvents(trace));
        }
        Files.writeString(file, "{\"success\":true,\"data\":{\"trace_id\":\"x\"}}");
        assertThat(run("import", file.toString(), "--server", server.baseUrl())).isEqualTo(1);
        assertThat(err()).contains("no \"events\" array");
    }

    @Test
    void racesReportsRacesInsideATraceAsWellAsBetweenTraces() throws Exception {
        UUID racy = UUID.randomUUID();
        UUID root = UUID.randomUUID();
        Instant t = Instant.parse("2024-05-01T10:00:00Z");
        List<Event> events = List.of(
                new Event(root, racy, Optional.empty(), t,
                        new EventKind.FunctionCall("handle", "shop", JsonValue.NULL, "Shop.java", 1),
                        EventMetadata.of("main", 1, "shop-api", "test"), VectorClock.empty(), List.of()),
                write(racy, root, t.plusMillis(1), "worker-1", "10", "15"),
                write(racy, root, t.plusMillis(2), "worker-2", "15", "20"));
        var http = java.net.http.HttpClient.newHttpClient();
        var res = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/events"))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + KEY)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(EventJson.encodeBatch(events)))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(200);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (server.store().traceEvents(racy).size() < 3) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(10);
        }
        env.put("RACEWAY_API_KEY", KEY);
        assertThat(run("races", "--server", server.baseUrl())).isEqualTo(0);
        assertThat(out()).contains("potential races: 0 between traces, 1 inside traces")
                .contains("stock: 1 pairs (0 between traces, 1 inside traces; 1 critical, 0 warning)");
        // distinct races lead, and every list says how much of it is shown
        assertThat(out()).startsWith("Distinct races: 1 (showing 1 of 1)")
                .contains("[CRITICAL] ").contains("1 pairs in 1 traces; variables: stock")
                .contains("Race pairs between traces: showing 0 of 0");
        assertThat(run("trace", racy.toString(), "--server", server.baseUrl())).isEqualTo(0);
        assertThat(out()).contains("Distinct races: 1 (showing 1 of 1)")
                .contains("Potential races: 1 pairs (showing 1 of 1)");
    }

    @Test
    void traceShowsRacingValuesAsJsonNeverInRustDebugNotation() throws Exception {
        UUID racy = UUID.randomUUID();
        UUID root = UUID.randomUUID();
        Instant t = Instant.parse("2024-05-01T10:00:00Z");
        List<Event> events = List.of(
                new Event(root, racy, Optional.empty(), t,
                        new EventKind.FunctionCall("handle", "shop", JsonValue.NULL, "Shop.java", 1),
                        EventMetadata.of("main", 1, "shop-api", "test"), VectorClock.empty(), List.of()),
                write(racy, root, t.plusMillis(1), "worker-1", "\"OLD\"", "\"NEW\""),
                write(racy, root, t.plusMillis(2), "worker-2", "\"OLD\"", "{\"a\":[1,true]}"));
        var http = java.net.http.HttpClient.newHttpClient();
        var res = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/events"))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + KEY)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(EventJson.encodeBatch(events)))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(200);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (server.store().traceEvents(racy).size() < 3) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(10);
        }
        env.put("RACEWAY_API_KEY", KEY);
        assertThat(run("trace", racy.toString(), "--server", server.baseUrl())).isEqualTo(0);
        assertThat(out()).contains("Potential races: 1")
                .contains("[worker-1] Write \"OLD\" → \"NEW\" @ Stock.java:9")
                .contains("[worker-2] Write \"OLD\" → {\"a\":[1,true]} @ Stock.java:9")
                .doesNotContain("String(").doesNotContain("Some(").doesNotContain("Object {");
        assertThat(run("races", "--server", server.baseUrl())).isEqualTo(0);
        assertThat(out()).doesNotContain("String(").doesNotContain("Some(");
    }

    private static Event write(UUID trace, UUID parent, Instant at, String thread, String from, String to) {
        return new Event(UUID.randomUUID(), trace, Optional.of(parent), at,
                new EventKind.StateChange("stock", Optional.of(JsonValue.parse(from)), JsonValue.parse(to),
                        "Stock.java:9", dev.raceway.core.event.AccessType.Write),
                EventMetadata.of(thread, 1, "shop-api", "test"), VectorClock.empty(), List.of());
    }

    @Test
    void serveOnAPortInUseExitsNonZeroWithOneClearLine(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("raceway.toml"), "[server]\nport = " + server.port() + "\n");
        assertThat(run("serve", "--config", config.toString())).isEqualTo(1);
        assertThat(err().strip()).startsWith("raceway: cannot start: cannot listen on 127.0.0.1:" + server.port())
                .doesNotContain("\n").doesNotContain("\tat ");
    }

    @Test
    void serveWithABrokenConfigExitsNonZeroWithOneClearLine(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("raceway.toml"), "[server]\nport = \"eighty\"\n");
        assertThat(run("serve", "--config", config.toString())).isEqualTo(1);
        assertThat(err().strip()).isEqualTo("raceway: configuration error: " + config
                + ":2: 'server.port' must be an integer, got the string \"eighty\"");
        assertThat(err().strip().lines()).hasSize(1);
    }

    @Test
    void unknownCommandAndMissingArgumentsAreUsageErrors() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(run("trace")).isEqualTo(2);
        assertThat(err()).contains("missing trace ID");
        assertThat(run("--help")).isEqualTo(0);
        assertThat(out()).contains("serve");
    }
}
