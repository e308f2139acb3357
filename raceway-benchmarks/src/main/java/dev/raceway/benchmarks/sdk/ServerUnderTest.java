package dev.raceway.benchmarks.sdk;

import dev.raceway.server.RacewayServer;
import dev.raceway.server.config.ServerConfiguration;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Raceway server a load test sends to: started in this JVM, or — the way it is deployed — as its own process
 * with the launcher's JVM options, so that the application's JVM (and its collector) holds only the SDK.
 */
interface ServerUnderTest extends AutoCloseable {
    String baseUrl();

    /** Events the server has accepted into its ingest buffer so far. */
    long accepted() throws Exception;

    /** CPU time the server's own process has used so far; -1 when it runs in this JVM. */
    default long processCpuNanos() {
        return -1;
    }

    @Override
    void close() throws IOException;

    /** A memory-backend server with default settings in this JVM. */
    static ServerUnderTest inProcess() throws Exception {
        RacewayServer server = RacewayServer.start(ServerConfiguration.builder().server(s -> s.port(0)).build());
        return new ServerUnderTest() {
            @Override
            public String baseUrl() {
                return server.baseUrl();
            }

            @Override
            public long accepted() {
                return server.ingestMetrics().accepted();
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }

    /**
     * A memory-backend server with default settings in a child JVM started like the {@code raceway} launcher does
     * ({@code -XX:+UseParallelGC}), from this JVM's class path.
     */
    static ServerUnderTest separateProcess() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path config = Files.createTempFile("raceway-load", ".toml");
        Path log = Files.createTempFile("raceway-load", ".log");
        System.out.println("  server process log: " + log);
        Files.writeString(config, "[server]\nport = " + port + "\n");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(), "-XX:+UseParallelGC", "-cp",
                System.getProperty("java.class.path"), "dev.raceway.server.cli.RacewayCli", "serve", "--config",
                config.toString())).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        String base = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("the server process did not become healthy on port " + port);
            }
            Thread.sleep(100);
        }
        return new ServerUnderTest() {
            @Override
            public String baseUrl() {
                return base;
            }

            @Override
            public long accepted() throws Exception {
                String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                return metrics.lines().filter(l -> l.startsWith("raceway_events_accepted_total "))
                        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1).trim()))
                        .findFirst().orElseThrow(() -> new IllegalStateException("no accepted counter in /metrics"));
            }

            @Override
            public long processCpuNanos() {
                return process.info().totalCpuDuration().map(d -> d.toNanos()).orElse(-1L);
            }

            @Override
            public void close() throws IOException {
                process.destroy(); // SIGTERM: graceful shutdown
                try {
                    if (!process.waitFor(30, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
                Files.deleteIfExists(config);
            }
        };
    }
}
