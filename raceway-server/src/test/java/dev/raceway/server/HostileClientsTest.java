package dev.raceway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.raceway.core.event.Event;
import dev.raceway.server.config.ConfigException;
import dev.raceway.server.config.ServerConfiguration;
import dev.raceway.server.config.TlsSettings;
import dev.raceway.storage.MemoryStoreConfig;
import dev.raceway.storage.memory.MemoryEventStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks of a hostile client, each against a real server on an ephemeral port, mostly over raw sockets (an HTTP
 * client library would normalise the request away): every one must be refused or absorbed with the server staying
 * healthy and keeping nothing for it.
 */
class HostileClientsTest {
    static final String KEY = "hostile-test-key";

    RacewayServer server;
    Http http;
    ControllableStore store;

    void start(ServerConfiguration config) throws Exception {
        server = RacewayServer.start(config.toBuilder().server(s -> s.port(0).warmUp(false)).build());
        http = new Http(server.baseUrl());
    }

    void startControlled(ServerConfiguration config) throws Exception {
        store = new ControllableStore();
        server = RacewayServer.start(config.toBuilder().server(s -> s.port(0).warmUp(false)).build(), store);
        http = new Http(server.baseUrl());
    }

    @AfterEach
    void stop() {
        if (store != null && store.hang != null) {
            store.hang.countDown();
        }
        if (server != null) {
            server.close();
        }
    }

    static ServerConfiguration withAuth() {
        return ServerConfiguration.builder().server(s -> s.authEnabled(true).apiKeys(List.of(KEY))).build();
    }

    /** The value of an unlabelled metric in a {@code /metrics} text. */
    static long metric(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("no metric " + name);
    }

    String raw(String request) throws Exception {
        return RawHttp.exchange(server.port(), request);
    }

    static String get(String target, String... headers) {
        StringBuilder b = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("Connection: close\r\n\r\n").toString();
    }

    @Nested
    class OneCanonicalPath {
        /** Every protected route, parameters filled in. */
        final List<String> routes = List.of("/events", "/status", "/metrics", "/api/traces",
                "/api/traces/" + UUID.randomUUID(), "/api/traces/" + UUID.randomUUID() + "/critical-path",
                "/api/analyze/global", "/api/analyze/deadlocks", "/api/services", "/api/services/health",
                "/api/services/svc/traces", "/api/performance/metrics", "/api/distributed/edges",
                "/api/distributed/global-races", "/api/distributed/hotspots");

        static List<String> spellings(String path) {
            String noSlash = path.substring(1);
            String first = noSlash.contains("/") ? noSlash.substring(0, noSlash.indexOf('/')) : noSlash;
            String rest = path.substring(first.length() + 1);
            String encodedFirstChar = "%" + Integer.toHexString(first.charAt(0)).toUpperCase() + first.substring(1);
            return List.of(noSlash, path + "/", path + "//", "/" + path, "//" + noSlash.replace("/", "//"),
                    "/./" + noSlash, "/x/../" + noSlash, "/" + first + "/./" + rest.replaceFirst("^/", ""),
                    "/" + encodedFirstChar + rest, "/%2e/" + noSlash, path.toUpperCase(),
                    "http://127.0.0.1" + path, "HTTP://127.0.0.1//" + noSlash);
        }

        @Test
        void noSpellingOfAProtectedPathGetsInWithoutAKey() throws Exception {
            start(withAuth());
            for (String route : routes) {
                for (String target : spellings(route)) {
                    String method = route.equals("/events") ? "POST" : "GET";
                    String body = "{\"events\":[]}";
                    String answer = raw(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Content-Type: application/json\r\nContent-Length: " + body.length()
                            + "\r\nConnection: close\r\n\r\n" + body);
                    assertThat(RawHttp.status(answer)).as(method + " " + target).isIn(400, 401);
                }
            }
        }

        @Test
        void withAKeyEverySpellingReachesTheSameRouteOrIsRefused() throws Exception {
            start(withAuth());
            String canonical = raw(get("/api/traces", "X-Raceway-Key: " + KEY));
            assertThat(RawHttp.status(canonical)).isEqualTo(200);
            for (String target : spellings("/api/traces")) {
                int status = RawHttp.status(raw(get(target, "X-Raceway-Key: " + KEY)));
                if (target.startsWith("api/")) {
                    assertThat(status).as(target).isEqualTo(400);
                } else if (target.equals("/API/TRACES")) {
                    assertThat(status).as(target).isEqualTo(404);
                } else {
                    assertThat(status).as(target).isEqualTo(200);
                }
            }
        }

        @Test
        void unspellableTargetsAre400() throws Exception {
            start(ServerConfiguration.defaults());
            for (String target : List.of("*", "api/traces", "/../api/traces", "/api/%zz", "/api/%c0%af",
                    "/a%00b", "/api\\traces", "ftp://x/api/traces", "http://user@127.0.0.1/api/traces")) {
                assertThat(RawHttp.status(raw(get(target)))).as(target).isEqualTo(400);
            }
            assertThat(http.get("/health").statusCode()).isEqualTo(200);
        }

        @Test
        void aPostWithoutLeadingSlashStoresNothing() throws Exception {
            start(withAuth());
            UUID trace = UUID.randomUUID();
            String body = Events.json(Events.trace(trace, 1, "sneaky"));
            String answer = raw("POST events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n"
                    + body);
            assertThat(RawHttp.status(answer)).isEqualTo(400);
            assertThat(server.store().traceEvents(trace)).isEmpty();
        }
    }

    @Nested
    class NothingKeptForAnUnauthenticatedClient {
        @Test
        void methodTokensAreRefusedAndNeverBecomeMetricsLabels() throws Exception {
            start(withAuth());
            for (int i = 0; i < 200; i++) {
                String answer = raw("M" + i + "ETHOD /api/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
                assertThat(RawHttp.status(answer)).isEqualTo(501);
            }
            String metrics = http.get("/metrics", "X-Raceway-Key", KEY).body();
            assertThat(metrics).doesNotContain("ETHOD");
            assertThat(metrics.length()).isLessThan(64 * 1024);
        }

    }

    @Nested
    class MemoryIsBoundedInBytes {
        static Event big(UUID trace, int n, int bytes) {
            return Events.write(trace, n, "t", "blob", "\"" + "x".repeat(bytes) + "\"");
        }

        @Test
        void largeEventsEvictOldTracesInsteadOfFillingTheHeap() throws Exception {
            long budget = 4L << 20;
            start(ServerConfiguration.builder().storage(new MemoryStoreConfig(1_000_000, budget)).durableAck(true)
                    .build());
            for (int i = 0; i < 20; i++) { // 200 traces × 60 KB = 12 MB, three times the budget
                List<Event> body = new ArrayList<>();
                for (int j = 0; j < 10; j++) {
                    body.add(big(UUID.randomUUID(), 0, 60_000));
                }
                assertThat(http.postJson("/events", Events.body(body)).statusCode()).isEqualTo(200);
            }
            MemoryEventStore memory = (MemoryEventStore) server.store();
            assertThat(memory.storedBytes()).isLessThanOrEqualTo(budget);
            assertThat(memory.counts().events()).isBetween(30L, 70L);
            var m = server.ingestMetrics();
            assertThat(m.accepted()).isEqualTo(m.written() + m.failed() + m.queueDepth());
            assertThat(http.get("/health").statusCode()).isEqualTo(200);
        }

        @Test
        void aBodyLargerThanTheBudgetAllowsIs413() throws Exception {
            start(ServerConfiguration.builder().storage(new MemoryStoreConfig(1_000, 2L << 20)).build());
            HttpResponse<String> r = http.postJson("/events", Events.body(List.of(big(UUID.randomUUID(), 0,
                    700_000))));
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(r.body()).contains("max_bytes");
        }

        @Test
        void anOutOfMemoryErrorInTheWriterFailsOneBatchAndIngestGoesOn() throws Exception {
            startControlled(ServerConfiguration.builder().durableAck(true).build());
            store.errorOnWrite = new OutOfMemoryError("injected");
            HttpResponse<String> first = http.postJson("/events", Events.body(Events.trace(UUID.randomUUID(), 3, "a")));
            assertThat(first.statusCode()).isEqualTo(500);
            UUID trace = UUID.randomUUID();
            assertThat(http.postJson("/events", Events.body(Events.trace(trace, 3, "b"))).statusCode())
                    .isEqualTo(200);
            assertThat(store.inner.traceEvents(trace)).hasSize(3);
            assertThat(http.get("/health").statusCode()).isEqualTo(200);
            var m = server.ingestMetrics();
            assertThat(m.failed()).isEqualTo(3);
            assertThat(m.accepted()).isEqualTo(m.written() + m.failed() + m.queueDepth());
        }

        @Test
        void anErrorInAHandlerIsAnsweredAndTheServerStaysUp() throws Exception {
            startControlled(ServerConfiguration.defaults());
            store.errorOnRead = new OutOfMemoryError("injected");
            assertThat(http.get("/api/traces").statusCode()).isEqualTo(503);
            store.errorOnRead = new AssertionError("injected");
            assertThat(http.get("/api/traces").statusCode()).isEqualTo(500);
            store.errorOnRead = null;
            assertThat(http.get("/api/traces").statusCode()).isEqualTo(200);
            assertThat(http.get("/metrics").body()).contains("raceway_handler_errors_total 2");
        }
    }

    @Nested
    class BackPressure {
        @Test
        void aClientThatPipelinesAndNeverReadsIsNoLongerRead() throws Exception {
            start(ServerConfiguration.defaults());
            List<Event> many = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                many.addAll(Events.trace(UUID.randomUUID(), 1, "bp"));
            }
            assertThat(http.postJson("/events", Events.body(many)).statusCode()).isEqualTo(200);
            Http.await("stored", () -> server.store().counts().traces() == 300);
            byte[] request = get("/api/traces?page_size=1000").replace("Connection: close\r\n", "")
                    .getBytes(StandardCharsets.US_ASCII);
            long written = 0;
            try (SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()))) {
                ch.socket().setReceiveBufferSize(4096);
                ch.configureBlocking(false);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                ByteBuffer buf = ByteBuffer.wrap(request);
                while (System.nanoTime() < deadline && written < 64L << 20) {
                    if (!buf.hasRemaining()) {
                        buf.rewind();
                    }
                    int n = ch.write(buf);
                    written += n;
                    if (n == 0) {
                        Thread.onSpinWait();
                    }
                }
                // Each answer is ~100 KB: a server that kept reading would have taken tens of MB by now.
                assertThat(written).isLessThan(8L << 20);
                long t0 = System.nanoTime();
                assertThat(http.get("/health").statusCode()).isEqualTo(200);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2_000);
            }
        }
    }

    @Nested
    class SlowAndIdleConnections {
        @Test
        void headersTrickledByteByByteAreCutOffAtTheHeaderDeadline() throws Exception {
            start(ServerConfiguration.builder().server(s -> s.headerTimeoutSeconds(1).maxConnections(100)).build());
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(100);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                byte[] head = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
                        .getBytes(StandardCharsets.US_ASCII);
                long t0 = System.nanoTime();
                boolean closed = false;
                for (int i = 0; i < head.length && !closed; i++) {
                    try {
                        out.write(head[i]);
                        out.flush();
                        closed = in.read() == -1;
                    } catch (java.net.SocketTimeoutException e) {
                        // nothing yet: keep trickling (each byte would reset an idle timer)
                    } catch (java.io.IOException e) {
                        closed = true;
                    }
                }
                assertThat(closed).isTrue();
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(5_000);
            }
            assertThat(http.get("/metrics").body()).contains("raceway_http_header_timeouts_total 1");
        }

        @Test
        void connectionsBeyondTheCapAreClosedAtOnceAndCounted() throws Exception {
            start(ServerConfiguration.builder().server(s -> s.headerTimeoutSeconds(10).maxConnections(20)).build());
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    held.add(new Socket("127.0.0.1", server.port()));
                }
                // Counted in process: a /metrics request would itself be a connection beyond the cap.
                Http.await("20 connections open", () -> server.metrics().connectionsOpen() >= 20);
                int refused = 0;
                for (int i = 0; i < 10; i++) {
                    try (Socket extra = new Socket("127.0.0.1", server.port())) {
                        extra.setSoTimeout(5_000);
                        if (extra.getInputStream().read() == -1) {
                            refused++;
                        }
                    } catch (java.io.IOException e) {
                        refused++;
                    }
                }
                assertThat(refused).isEqualTo(10);
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
            Http.await("connections released", () -> http.get("/health").statusCode() == 200);
            assertThat(server.metrics().connectionsRefused()).isGreaterThanOrEqualTo(10);
            assertThat(metric("raceway_http_connections_refused_total")).isGreaterThanOrEqualTo(10);
        }

        private long metric(String name) {
            return HostileClientsTest.metric(http.get("/metrics").body(), name);
        }
    }

    @Nested
    class NothingWaitsBehindStorage {
        @Test
        void healthAnswersWithinASecondWhileTheDatabaseHangs() throws Exception {
            startControlled(ServerConfiguration.defaults());
            store.hang = new CountDownLatch(1);
            Http.await("probe notices", java.time.Duration.ofSeconds(5), () -> http.get("/health").statusCode() == 503);
            List<CompletableFuture<Integer>> health = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                health.add(CompletableFuture.supplyAsync(() -> http.get("/health").statusCode()));
            }
            long t0 = System.nanoTime();
            for (CompletableFuture<Integer> h : health) {
                assertThat(h.get(2, TimeUnit.SECONDS)).isEqualTo(503);
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2_000);
        }

        @Test
        void uiAuthAndIngestAnswerWhileQueriesHang() throws Exception {
            ServerConfiguration c = ServerConfiguration.builder().server(s -> s.workerThreads(2)).build();
            startControlled(c);
            store.hang = new CountDownLatch(1);
            List<CompletableFuture<HttpResponse<String>>> stuck = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                stuck.add(CompletableFuture.supplyAsync(() -> http.get("/api/traces")));
            }
            long t0 = System.nanoTime();
            assertThat(http.get("/").statusCode()).isEqualTo(200);
            assertThat(http.get("/auth/check").statusCode()).isEqualTo(200);
            assertThat(http.postJson("/events", Events.body(Events.trace(UUID.randomUUID(), 2, "i"))).statusCode())
                    .isEqualTo(200);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(3_000);
            store.hang.countDown();
            for (var s : stuck) {
                assertThat(s.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
        }
    }

    @Nested
    class RateLimitCannotBeDodged {
        @Test
        void randomKeysWithoutAuthShareTheAddressBucket() throws Exception {
            start(ServerConfiguration.builder().server(s -> s.rateLimitEnabled(true).rateLimitRpm(60)).build());
            int ok = 0;
            for (int i = 0; i < 100; i++) {
                if (http.get("/api/traces", "X-Raceway-Key", UUID.randomUUID().toString()).statusCode() == 200) {
                    ok++;
                }
            }
            assertThat(ok).isBetween(55, 62);
        }

        @Test
        void keyGuessesAreLimitedPerAddress() throws Exception {
            start(withAuth());
            int unauthorized = 0;
            int limited = 0;
            for (int i = 0; i < 60; i++) {
                int status = http.get("/api/traces", "Authorization", "Bearer guess-" + i).statusCode();
                if (status == 401) {
                    unauthorized++;
                } else if (status == 429) {
                    limited++;
                }
            }
            assertThat(unauthorized).isBetween(20, 22);
            assertThat(limited).isEqualTo(60 - unauthorized);
            // /auth/check answers guesses too, and is limited the same way.
            assertThat(http.get("/auth/check", "Authorization", "Bearer guess").statusCode()).isEqualTo(429);
        }

        @Test
        void keyGuessesInLoginBodiesAreLimitedToo() throws Exception {
            start(withAuth());
            int unauthorized = 0;
            int limited = 0;
            for (int i = 0; i < 40; i++) {
                int status = http.postJson("/auth/login", "{\"api_key\":\"guess-" + i + "\"}").statusCode();
                if (status == 401) {
                    unauthorized++;
                } else if (status == 429) {
                    limited++;
                }
            }
            assertThat(unauthorized).isBetween(20, 22);
            assertThat(limited).isEqualTo(40 - unauthorized);
        }
    }

    @Nested
    class TimeArithmetic {
        @Test
        void anEventDated9999BreaksNoReport() throws Exception {
            start(ServerConfiguration.defaults());
            everyReportAnswersWithAnEventDated9999();
        }

        @Test
        void anEventDated9999BreaksNoReportOnPostgres() throws Exception {
            start(ServerConfiguration.builder().storage(
                    dev.raceway.storage.testing.EmbeddedPg.config("hostile_time")).build());
            everyReportAnswersWithAnEventDated9999();
        }

        private void everyReportAnswersWithAnEventDated9999() throws Exception {
            UUID trace = UUID.randomUUID();
            List<Event> events = new ArrayList<>(Events.trace(trace, 2, "old"));
            events.add(Events.callAt(trace, 2, "future", Instant.parse("9999-12-31T23:59:59Z")));
            assertThat(http.postJson("/events", Events.body(events)).statusCode()).isEqualTo(200);
            Http.await("stored", () -> server.store().traceEvents(trace).size() == 3);
            for (String path : List.of("/api/performance/metrics", "/api/traces", "/api/traces/" + trace,
                    "/api/traces/" + trace + "/critical-path", "/api/traces/" + trace + "/anomalies",
                    "/api/services", "/api/services/health", "/api/analyze/global", "/api/traces?min_duration_ms=1",
                    "/api/traces?since=2000-01-01T00:00:00Z")) {
                assertThat(http.get(path).statusCode()).as(path).isEqualTo(200);
            }
        }
    }

    @Nested
    class TlsMaterial {
        @TempDir
        Path dir;

        @Test
        void aKeyThatDoesNotBelongToTheCertificateIsRefusedAtStart() throws Exception {
            HeldCertificate cert = new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1").build();
            HeldCertificate other = new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1").build();
            Path certFile = Files.writeString(dir.resolve("cert.pem"), cert.certificatePem());
            Path keyFile = Files.writeString(dir.resolve("key.pem"), other.privateKeyPkcs8Pem());
            assertThatThrownBy(() -> start(ServerConfiguration.builder().server(s -> s.tls(
                    new TlsSettings(certFile, keyFile))).build()))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("does not belong to the certificate")
                    .hasMessageNotContaining("\n");
        }

        @Test
        void anExpiredCertificateIsWarnedAbout() throws Exception {
            HeldCertificate cert = new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1")
                    .validityInterval(0, 1000).build();
            Path certFile = Files.writeString(dir.resolve("cert.pem"), cert.certificatePem());
            Path keyFile = Files.writeString(dir.resolve("key.pem"), cert.privateKeyPkcs8Pem());
            assertThat(dev.raceway.server.config.TlsMaterialCheck.check(new TlsSettings(certFile, keyFile),
                    java.time.Clock.systemUTC())).hasValueSatisfying(w -> assertThat(w).contains("expired"));
        }

        @Test
        void failedHandshakesAreCounted() throws Exception {
            HeldCertificate cert = new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1").build();
            Path certFile = Files.writeString(dir.resolve("cert.pem"), cert.certificatePem());
            Path keyFile = Files.writeString(dir.resolve("key.pem"), cert.privateKeyPkcs8Pem());
            start(ServerConfiguration.builder().server(s -> s.tls(new TlsSettings(certFile, keyFile))).build());
            for (int i = 0; i < 5; i++) {
                raw(get("/health")); // plain HTTP on the TLS port
            }
            Http.await("5 failures counted", () -> server.metrics().tlsHandshakeFailures() >= 5);
        }
    }

    @Nested
    class StrictFraming {
        @Test
        void bothContentLengthAndTransferEncodingIs400AndCloses() throws Exception {
            start(ServerConfiguration.defaults());
            String smuggle = "POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n5c\r\nGET /api/traces HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\n\r\n\r\n0\r\n\r\n";
            String answer = raw(smuggle);
            assertThat(RawHttp.status(answer)).isEqualTo(400);
            assertThat(answer.indexOf("HTTP/1.1", 5)).as("one answer only, then closed").isEqualTo(-1);
        }

        @Test
        void transferCodingsOtherThanChunkedAre501() throws Exception {
            start(ServerConfiguration.defaults());
            for (String te : List.of("gzip", "chunked, gzip", "identity", "xchunked")) {
                String answer = raw("POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: " + te
                        + "\r\n\r\n0\r\n\r\n");
                assertThat(RawHttp.status(answer)).as(te).isEqualTo(501);
            }
        }

        @Test
        void http11NeedsExactlyOneHost() throws Exception {
            start(ServerConfiguration.defaults());
            assertThat(RawHttp.status(raw("GET /health HTTP/1.1\r\nConnection: close\r\n\r\n"))).isEqualTo(400);
            assertThat(RawHttp.status(raw("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\n\r\n"))).isEqualTo(400);
            assertThat(RawHttp.status(raw("GET /health HTTP/1.0\r\n\r\n"))).isEqualTo(200);
        }
    }

    @Nested
    class SmallerOnes {
        @Test
        void foreignHostNamesAreRefusedOnALoopbackServer() throws Exception {
            start(ServerConfiguration.builder().server(s -> s.allowedHosts(List.of("raceway.internal"))).build());
            assertThat(RawHttp.status(raw("GET /api/traces HTTP/1.1\r\nHost: evil.example:8080\r\n"
                    + "Connection: close\r\n\r\n"))).isEqualTo(403);
            for (String host : List.of("localhost:1", "127.0.0.1", "127.1.2.3:80", "[::1]:8080", "raceway.internal",
                    "RACEWAY.internal:9")) {
                assertThat(RawHttp.status(raw("GET /api/traces HTTP/1.1\r\nHost: " + host
                        + "\r\nConnection: close\r\n\r\n"))).as(host).isEqualTo(200);
            }
        }

        @Test
        void aTraceBundleIsPagedNotBuiltWhole() throws Exception {
            start(ServerConfiguration.defaults());
            UUID trace = UUID.randomUUID();
            assertThat(http.postJson("/events", Events.body(Events.trace(trace, 25, "paged"))).statusCode())
                    .isEqualTo(200);
            Http.await("stored", () -> server.store().traceEvents(trace).size() == 25);
            var first = JsonTree.data(http.get("/api/traces/" + trace + "?event_limit=10").body());
            assertThat((List<?>) first.get("events")).hasSize(10);
            assertThat(first).containsEntry("events_total", 25L).containsEntry("events_truncated", true);
            var last = JsonTree.data(http.get("/api/traces/" + trace + "?event_limit=10&event_offset=20").body());
            assertThat((List<?>) last.get("events")).hasSize(5);
            assertThat(last).containsEntry("event_offset", 20L).containsEntry("events_truncated", false);
            assertThat(http.get("/api/traces/" + trace + "?event_limit=0").statusCode()).isEqualTo(400);
            assertThat(http.get("/api/traces/" + trace + "?event_limit=100001").statusCode()).isEqualTo(400);
        }

        @Test
        void bearerSchemeIsCaseInsensitive() throws Exception {
            start(withAuth());
            assertThat(http.get("/api/traces", "Authorization", "BEARER " + KEY).statusCode()).isEqualTo(200);
            assertThat(http.get("/api/traces", "Authorization", "bEaReR " + KEY).statusCode()).isEqualTo(200);
        }

        @Test
        void healthShowsNoStorageDetailWithoutAKey() throws Exception {
            startControlled(withAuth());
            store.unhealthy = true;
            Http.await("unhealthy", () -> http.get("/health").statusCode() == 503);
            assertThat(http.get("/health").body()).doesNotContain("injected");
            assertThat(http.get("/health", "X-Raceway-Key", KEY).body()).contains("injected");
        }
    }
}
