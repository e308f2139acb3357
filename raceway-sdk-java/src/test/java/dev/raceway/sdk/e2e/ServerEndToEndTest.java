package dev.raceway.sdk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.causality.CausalityIndex;
import dev.raceway.core.causality.TraceRaceReport;
import dev.raceway.core.causality.TraceRaces;
import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.DistributedEdge;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.sdk.JettyApp;
import dev.raceway.sdk.RacewayClient;
import dev.raceway.sdk.RacewayContext;
import dev.raceway.sdk.TrackedLock;
import dev.raceway.sdk.okhttp.RacewayInterceptor;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SDK against a real Raceway server started in-process: servlet apps on embedded Jetty send events through the
 * client, and the tests check what the server stored and what its API answers.
 */
class ServerEndToEndTest {
    private static InProcessServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        server = new InProcessServer();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T c) {
        closeables.add(c);
        return c;
    }

    private RacewayClient client(String service, String instance) {
        return closing(RacewayClient.builder(server.endpoint(), service).apiKey(InProcessServer.API_KEY)
                .instanceId(instance).flushInterval(Duration.ofMillis(50)).build());
    }

    private String post(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    private static int lineHere() {
        return StackWalker.getInstance().walk(s -> s.skip(1).findFirst()).orElseThrow().getLineNumber();
    }

    private static String currentTrace() {
        return RacewayContext.current().orElseThrow().traceId().toString();
    }

    @Test
    void aServletAppsEventsReachTheServerWithChainsClocksSpansAndLocations() throws Exception {
        RacewayClient shop = client("shop", "shop-1");
        int[] lines = new int[2];
        JettyApp app = closing(JettyApp.builder(shop).servlet("/transfer", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                shop.trackFunctionCall("transfer", Map.of("amount", 100));
                lines[0] = lineHere(); shop.trackStateChange("alice.balance", null, 1000, AccessType.Read);
                lines[1] = lineHere(); shop.trackStateChange("alice.balance", 1000, 900, "Write");
                resp.getWriter().write(currentTrace());
            }
        }).start());
        UUID traceId = UUID.fromString(post(app.url("/transfer")));
        assertThat(shop.flush()).isTrue();

        List<Event> stored = server.awaitTrace(traceId, 5);
        assertThat(stored).hasSize(5);
        assertThat(stored).extracting(e -> e.kind().variant())
                .containsExactly("HttpRequest", "FunctionCall", "StateChange", "StateChange", "HttpResponse");
        for (int i = 0; i < stored.size(); i++) {
            Event e = stored.get(i);
            assertThat(e.parentId()).isEqualTo(i == 0 ? java.util.Optional.empty()
                    : java.util.Optional.of(stored.get(i - 1).id()));
            assertThat(e.causalityVector().valueOf("shop#shop-1/" + e.metadata().threadId())).isEqualTo(i + 1);
            assertThat(e.metadata().distributedSpanId()).isEqualTo(stored.get(0).metadata().distributedSpanId());
            assertThat(e.metadata().upstreamSpanId()).isEmpty();
            assertThat(e.metadata().instanceId()).contains("shop-1");
            assertThat(e.metadata().tags()).containsEntry("sdk_language", "java");
            assertThat(e.metadata().threadId()).isEqualTo(stored.get(0).metadata().threadId());
        }
        String file = "dev/raceway/sdk/e2e/ServerEndToEndTest.java:";
        assertThat(stored.get(2).stateChange().orElseThrow().location()).isEqualTo(file + lines[0]);
        assertThat(stored.get(3).stateChange().orElseThrow().location()).isEqualTo(file + lines[1]);
        assertThat(((EventKind.HttpResponse) stored.get(4).kind()).status()).isEqualTo(200);

        HttpResponse<String> list = server.get("/api/traces?page_size=100");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body().replaceAll("\\s", "")).contains("\"trace_id\":\"" + traceId + "\"");
        assertThat(shop.stats().failed() + shop.stats().rejected() + shop.stats().dropped()).isZero();
    }

    /** Gateway calls inventory twice through OkHttp; returns the trace id after both clients flushed. */
    private UUID twoServiceScenario() throws Exception {
        RacewayClient gatewayClient = client("gateway", "gw-1");
        RacewayClient inventoryClient = client("inventory", "inv-1");
        OkHttpClient okhttp = new OkHttpClient.Builder().addInterceptor(new RacewayInterceptor(gatewayClient)).build();
        JettyApp inventory = closing(JettyApp.builder(inventoryClient).servlet("/reserve", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) {
                inventoryClient.trackStateChange("stock.widget", 5, 4, AccessType.Write);
            }
        }).start());
        JettyApp gateway = closing(JettyApp.builder(gatewayClient).servlet("/order", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                gatewayClient.trackFunctionCall("createOrder", null);
                for (int i = 0; i < 2; i++) {
                    try (Response r = okhttp.newCall(new Request.Builder().url(inventory.url("/reserve"))
                            .post(okhttp3.RequestBody.create(new byte[0])).build()).execute()) {
                        assertThat(r.code()).isEqualTo(200);
                    }
                }
                resp.getWriter().write(currentTrace());
            }
        }).start());
        UUID traceId = UUID.fromString(post(gateway.url("/order")));
        assertThat(gatewayClient.flush()).isTrue();
        assertThat(inventoryClient.flush()).isTrue();
        return traceId;
    }

    @Test
    void propagationAcrossTwoServicesMergesIntoOneTrace() throws Exception {
        UUID traceId = twoServiceScenario();

        // gateway: request, call, response; inventory: 2 × (request, write, response).
        List<Event> stored = server.awaitTrace(traceId, 9);
        Map<String, List<Event>> byService = stored.stream()
                .collect(Collectors.groupingBy(e -> e.metadata().serviceName()));
        assertThat(byService.get("gateway")).hasSize(3);
        assertThat(byService.get("inventory")).hasSize(6);
        String gatewaySpan = byService.get("gateway").get(0).metadata().distributedSpanId().orElseThrow();
        Set<String> calleeSpans = byService.get("inventory").stream()
                .map(e -> e.metadata().distributedSpanId().orElseThrow()).collect(Collectors.toSet());
        assertThat(calleeSpans).hasSize(2).doesNotContain(gatewaySpan);
        assertThat(byService.get("inventory"))
                .allSatisfy(e -> assertThat(e.metadata().upstreamSpanId()).contains(gatewaySpan));

        List<DistributedEdge> edges = server.server().store().edges(traceId);
        assertThat(edges).extracting(DistributedEdge::fromSpan).containsOnly(gatewaySpan);
        assertThat(edges.stream().map(DistributedEdge::toSpan).collect(Collectors.toSet()))
                .isEqualTo(calleeSpans);

        HttpResponse<String> apiEdges = server.get("/api/distributed/edges");
        assertThat(apiEdges.statusCode()).isEqualTo(200);
        assertThat(apiEdges.body().replaceAll("\\s", ""))
                .contains("\"from_service\":\"gateway\",\"to_service\":\"inventory\"");
    }

    @Test
    void theServersDependencyAnalysisShowsTheCall() throws Exception {
        UUID traceId = twoServiceScenario();
        server.awaitTrace(traceId, 9);
        HttpResponse<String> deps = server.get("/api/traces/" + traceId + "/dependencies");
        assertThat(deps.statusCode()).isEqualTo(200);
        assertThat(deps.body().replaceAll("\\s", "")).contains("\"from\":\"gateway\",\"to\":\"inventory\"");
    }

    @Test
    void contextFollowsWrappedExecutorsAndIsNotLeakedBetweenRequests() throws Exception {
        RacewayClient cart = client("cart", "cart-1");
        ExecutorService rawPool = Executors.newFixedThreadPool(2);
        closing(rawPool::shutdownNow);
        ExecutorService pool = RacewayContext.taskWrapping(rawPool);
        JettyApp app = closing(JettyApp.builder(cart).maxThreads(4).servlet("/checkout", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                cart.trackStateChange("cart.items", null, 2, AccessType.Read);
                List<Future<?>> tasks = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    tasks.add(pool.submit(() -> cart.trackStateChange("cart.items", 2, 3, AccessType.Write)));
                }
                for (Future<?> f : tasks) {
                    try {
                        f.get(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IOException(e);
                    }
                }
                resp.getWriter().write(currentTrace());
            }
        }).untraced("/probe", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().write(String.valueOf(RacewayContext.current().isPresent()));
            }
        }).start());

        List<UUID> traces = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            traces.add(UUID.fromString(post(app.url("/checkout"))));
        }
        assertThat(new HashSet<>(traces)).hasSize(6);
        assertThat(cart.flush()).isTrue();
        Set<String> allThreads = new HashSet<>();
        for (UUID traceId : traces) {
            List<Event> stored = server.awaitTrace(traceId, 5);
            assertThat(stored).hasSize(5);
            Event spawnPoint = stored.stream().filter(e -> e.stateChange().map(s -> s.accessType() == AccessType.Read)
                    .orElse(false)).findFirst().orElseThrow();
            List<Event> forked = stored.stream().filter(e -> e.stateChange()
                    .map(s -> s.accessType() == AccessType.Write).orElse(false)).toList();
            assertThat(forked).hasSize(2).allSatisfy(e -> {
                assertThat(e.parentId()).contains(spawnPoint.id());
                assertThat(e.metadata().threadId()).isNotEqualTo(spawnPoint.metadata().threadId());
            });
            assertThat(forked.get(0).metadata().threadId()).isNotEqualTo(forked.get(1).metadata().threadId());
            stored.forEach(e -> allThreads.add(e.metadata().threadId()));
        }
        // 6 requests × (1 request thread + 2 forks), none shared: nothing leaked from one request to the next.
        assertThat(allThreads).hasSize(18);
        assertThat(rawPool.submit(() -> RacewayContext.current().isPresent()).get()).isFalse();
        for (int i = 0; i < 5; i++) {
            assertThat(http.send(HttpRequest.newBuilder(URI.create(app.url("/plain/probe"))).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("false");
        }
    }

    /** Two forked tasks withdraw concurrently, without and with a tracked lock; returns {racy, safe} traces. */
    private UUID[] withdrawScenario() throws Exception {
        RacewayClient bank = client("bank", "bank-1");
        ExecutorService pool = RacewayContext.taskWrapping(Executors.newFixedThreadPool(2));
        closing(pool::shutdownNow);
        TrackedLock lock = new TrackedLock(bank, "account-lock");
        int[] balance = {1000};
        JettyApp app = closing(JettyApp.builder(bank).servlet("/withdraw", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                boolean locked = "true".equals(req.getParameter("locked"));
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<?>> tasks = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    tasks.add(pool.submit(() -> {
                        together.await(10, TimeUnit.SECONDS);
                        if (locked) {
                            lock.lock();
                        }
                        try {
                            int seen = balance[0];
                            bank.trackStateChange("account.balance", null, seen, AccessType.Read);
                            balance[0] = seen - 100;
                            bank.trackStateChange("account.balance", seen, seen - 100, AccessType.Write);
                        } finally {
                            if (locked) {
                                lock.unlock();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : tasks) {
                    try {
                        f.get(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IOException(e);
                    }
                }
                resp.getWriter().write(currentTrace());
            }
        }).start());

        UUID racy = UUID.fromString(post(app.url("/withdraw?locked=false")));
        UUID safe = UUID.fromString(post(app.url("/withdraw?locked=true")));
        assertThat(bank.flush()).isTrue();
        return new UUID[] {racy, safe};
    }

    @Test
    void trackedLocksSuppressARaceThatAppearsWithoutThem() throws Exception {
        UUID[] traces = withdrawScenario();
        UUID racy = traces[0];
        UUID safe = traces[1];
        // racy: request, response, 2 × (read, write); safe: also 2 × (acquire, release).
        List<Event> racyEvents = server.awaitTrace(racy, 6);
        List<Event> safeEvents = server.awaitTrace(safe, 10);

        TraceRaceReport withoutLocks = TraceRaces.analyze(CausalityIndex.of(racyEvents,
                server.server().store().edges(racy)));
        TraceRaceReport withLocks = TraceRaces.analyze(CausalityIndex.of(safeEvents,
                server.server().store().edges(safe)));
        assertThat(withoutLocks.pairCount()).isGreaterThan(0);
        assertThat(withoutLocks.criticalCount()).isGreaterThan(0);
        assertThat(withoutLocks.details()).allSatisfy(p -> assertThat(p.variable()).isEqualTo("account.balance"));
        assertThat(withLocks.pairCount()).isZero();
    }

    @Test
    void theServersRaceAnalysisReportsTheUnlockedRaceOnly() throws Exception {
        UUID[] traces = withdrawScenario();
        UUID racy = traces[0];
        UUID safe = traces[1];
        server.awaitTrace(racy, 6);
        server.awaitTrace(safe, 10);
        HttpResponse<String> bundle = server.get("/api/traces/" + racy);
        assertThat(bundle.statusCode()).isEqualTo(200);
        assertThat(bundle.body().replaceAll("\\s", "")).contains("\"variable\":\"account.balance\"");
        HttpResponse<String> safeBundle = server.get("/api/traces/" + safe);
        assertThat(safeBundle.body().replaceAll("\\s", "")).contains("\"race_details\":[]");
    }
}
