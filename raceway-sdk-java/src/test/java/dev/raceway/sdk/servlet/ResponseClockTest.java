package dev.raceway.sdk.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.VectorClock;
import dev.raceway.core.propagation.RacewayClock;
import dev.raceway.sdk.HttpClientPropagation;
import dev.raceway.sdk.JettyApp;
import dev.raceway.sdk.RacewayClient;
import dev.raceway.sdk.RacewayContext;
import dev.raceway.sdk.RecordingSink;
import dev.raceway.sdk.okhttp.RacewayInterceptor;
import io.opentelemetry.context.Scope;
import jakarta.servlet.AsyncContext;
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
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Response-side causality: the filter returns the callee's {@code raceway-clock}; the OkHttp interceptor and the
 * {@code java.net.http} helper merge it into the caller's context, so what the caller does after a call returned
 * comes after what the callee did. Hostile answers change nothing.
 */
class ResponseClockTest {
    private static final String INVENTORY = "inventory#inv-1/";

    private RecordingSink sink;
    private RacewayClient gateway;
    private RacewayClient inventory;
    private JettyApp app;
    private OkHttpClient okhttp;

    @BeforeEach
    void start() throws Exception {
        sink = new RecordingSink();
        gateway = RacewayClient.builder(sink.endpoint(), "gateway").instanceId("gw-1")
                .flushInterval(Duration.ofMillis(50)).build();
        inventory = RacewayClient.builder(sink.endpoint(), "inventory").instanceId("inv-1")
                .flushInterval(Duration.ofMillis(50)).build();
        okhttp = new OkHttpClient.Builder().addInterceptor(new RacewayInterceptor(gateway)).build();
        app = JettyApp.builder(inventory)
                .servlet("/reserve", new HttpServlet() {
                    @Override
                    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        inventory.trackStateChange("stock", 7, 6, AccessType.Write);
                        resp.getWriter().write("reserved");
                    }
                })
                .servlet("/stream", new HttpServlet() {
                    @Override
                    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        inventory.trackStateChange("before_commit", 0, 1, AccessType.Write);
                        resp.getOutputStream().write(new byte[64 * 1024]);
                        resp.flushBuffer();
                        inventory.trackStateChange("after_commit", 0, 1, AccessType.Write);
                    }
                })
                .servlet("/async", new HttpServlet() {
                    @Override
                    protected void doPost(HttpServletRequest req, HttpServletResponse resp) {
                        // The request's logical thread continues on another thread, through the response we got.
                        RacewayContext request = RacewayContext.current().orElseThrow();
                        AsyncContext ac = req.startAsync(req, resp);
                        ac.start(() -> {
                            try (Scope ignored = request.makeCurrent()) {
                                inventory.trackStateChange("stock", 7, 6, AccessType.Write);
                                ac.getResponse().getWriter().write("later");
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                            ac.complete();
                        });
                    }
                })
                .untraced("/hostile", new HttpServlet() {
                    @Override
                    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        resp.setHeader(RacewayClock.HEADER, hostile(req.getParameter("mode"),
                                RacewayClock.decode(req.getHeader(RacewayClock.HEADER)).orElseThrow()));
                        resp.getWriter().write("ok");
                    }
                })
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
        gateway.close();
        inventory.close();
        sink.close();
    }

    /** What a broken or malicious callee could answer, given the clock the caller sent it. */
    private static String hostile(String mode, RacewayClock sent) {
        UUID trace = sent.traceId().orElseThrow();
        String own = sent.clock().entries().stream().map(ClockEntry::component)
                .filter(c -> c.startsWith("gateway#gw-1/")).findFirst().orElseThrow();
        return switch (mode) {
            case "garbage" -> "v1;!!not base64!!";
            case "other-version" -> "v2;" + clock(trace, VectorClock.of("evil#1/x", 5)).substring(3);
            case "other-trace" -> clock(UUID.randomUUID(), VectorClock.of("evil#1/x", 5));
            case "no-trace" -> new RacewayClock(Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), VectorClock.of("evil#1/x", 5)).encode();
            case "own-component" -> clock(trace, VectorClock.of(List.of(new ClockEntry(own, Long.MAX_VALUE),
                    new ClockEntry("evil#1/x", 5))));
            case "too-many" -> {
                List<ClockEntry> entries = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    entries.add(new ClockEntry("evil#1/" + i, 1));
                }
                yield clock(trace, VectorClock.of(entries));
            }
            default -> throw new IllegalArgumentException(mode);
        };
    }

    private static String clock(UUID trace, VectorClock clock) {
        return new RacewayClock(Optional.of(trace), Optional.of("0123456789abcdef"), Optional.empty(),
                Optional.of("evil"), Optional.of("1"), clock).encode();
    }

    private Response call(String path) throws IOException {
        return okhttp.newCall(new Request.Builder().url(app.url(path))
                .post(okhttp3.RequestBody.create(new byte[0])).build()).execute();
    }

    private static long inventoryValue(VectorClock clock) {
        return clock.entries().stream().filter(e -> e.component().startsWith(INVENTORY))
                .mapToLong(ClockEntry::value).max().orElse(0);
    }

    @Test
    void theCallersEventsAfterTheCallComeAfterEveryEventOfTheCallee() throws Exception {
        RacewayContext caller = gateway.newTrace();
        try (Scope ignored = caller.makeCurrent()) {
            gateway.trackFunctionCall("checkout", null);
            try (Response r = call("/reserve")) {
                assertThat(r.code()).isEqualTo(200);
                assertThat(r.header(RacewayClock.HEADER)).startsWith("v1;");
            }
            gateway.trackStateChange("order.status", "NEW", "RESERVED", AccessType.Write);
        }
        // HttpRequest, StateChange and HttpResponse of the callee were recorded before the response was committed.
        assertThat(inventoryValue(caller.clock())).isEqualTo(3);
        assertThat(gateway.flush()).isTrue();
        assertThat(inventory.flush()).isTrue();
        List<Event> events = sink.awaitAccepted(5, 10);
        Event callerWrite = events.stream().filter(e -> e.metadata().serviceName().equals("gateway")
                && e.stateChange().isPresent()).findFirst().orElseThrow();
        List<Event> callee = events.stream().filter(e -> e.metadata().serviceName().equals("inventory")).toList();
        assertThat(callee).hasSize(3);
        assertThat(callee).allSatisfy(e -> assertThat(e.causalityVector()
                .happenedBefore(callerWrite.causalityVector())).as("%s before the caller's write", e.kind().variant())
                .isTrue());
    }

    @Test
    void theClockIsSentBeforeTheBodyCommitsTheResponse() throws Exception {
        RacewayContext caller = gateway.newTrace();
        try (Scope ignored = caller.makeCurrent(); Response r = call("/stream")) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.body().bytes()).hasSize(64 * 1024);
        }
        // HttpRequest and the write before the first byte; not the write after the commit nor the HttpResponse.
        assertThat(inventoryValue(caller.clock())).isEqualTo(2);
    }

    @Test
    void anAsyncHandlerWritingThroughTheFiltersResponseSendsTheClock() throws Exception {
        RacewayContext caller = gateway.newTrace();
        try (Scope ignored = caller.makeCurrent(); Response r = call("/async")) {
            assertThat(r.body().string()).isEqualTo("later");
        }
        // HttpRequest, then the async write made before the first byte; the HttpResponse comes after completion.
        assertThat(inventoryValue(caller.clock())).isEqualTo(2);
    }

    @Test
    void aCallerWithoutPropagationHeadersGetsNoClock() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                app.url("/reserve"))).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue(RacewayClock.HEADER)).isEmpty();
    }

    @Test
    void theJdkHttpClientHelperMergesTheResponseClock() throws Exception {
        HttpClient jdk = HttpClient.newHttpClient();
        RacewayContext caller = gateway.newTrace();
        try (Scope ignored = caller.makeCurrent()) {
            HttpResponse<String> r = HttpClientPropagation.send(gateway, jdk, HttpRequest.newBuilder(URI.create(
                    app.url("/reserve"))).POST(HttpRequest.BodyPublishers.noBody()),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).isEqualTo("reserved");
            assertThat(inventoryValue(caller.clock())).isEqualTo(3);
            String firstCallee = calleeComponent(caller.clock(), Optional.empty());

            // sendAsync merges into the context current at the call, on whatever thread completes it.
            HttpResponse<String> async = HttpClientPropagation.sendAsync(gateway, jdk, HttpRequest.newBuilder(
                    URI.create(app.url("/reserve"))).POST(HttpRequest.BodyPublishers.noBody()),
                    HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);
            assertThat(async.body()).isEqualTo("reserved");
            String secondCallee = calleeComponent(caller.clock(), Optional.of(firstCallee));
            assertThat(caller.clock().valueOf(secondCallee)).isEqualTo(3);
        }
    }

    private static String calleeComponent(VectorClock clock, Optional<String> not) {
        return clock.entries().stream().map(ClockEntry::component)
                .filter(c -> c.startsWith(INVENTORY) && !Optional.of(c).equals(not)).findFirst().orElseThrow();
    }

    @Test
    void hostileResponseClocksAreIgnored() throws Exception {
        List<String> modes = List.of("garbage", "other-version", "other-trace", "no-trace", "too-many");
        for (String mode : modes) {
            RacewayContext caller = gateway.newTrace();
            try (Scope ignored = caller.makeCurrent()) {
                VectorClock before = caller.clock();
                try (Response r = call("/plain/hostile?mode=" + mode)) {
                    assertThat(r.code()).as(mode).isEqualTo(200);
                }
                assertThat(caller.clock()).as(mode).isEqualTo(before.increment(caller.clockComponent()));
                gateway.trackStateChange("still", 0, 1, AccessType.Write); // tracking goes on as usual
            }
        }
        assertThat(gateway.flush()).isTrue();
        assertThat(sink.awaitAccepted(modes.size(), 10)).allSatisfy(e -> assertThat(e.causalityVector().entries())
                .extracting(ClockEntry::component).noneMatch(c -> c.startsWith("evil")));
        assertThat(gateway.stats().invalid()).isZero();
    }

    @Test
    void aCalleeCannotMoveTheCallersOwnComponent() throws Exception {
        RacewayContext caller = gateway.newTrace();
        try (Scope ignored = caller.makeCurrent()) {
            long own = caller.clock().valueOf(caller.clockComponent());
            try (Response r = call("/plain/hostile?mode=own-component")) {
                assertThat(r.code()).isEqualTo(200);
            }
            assertThat(caller.clock().valueOf(caller.clockComponent())).isEqualTo(own + 1); // the send's tick only
            assertThat(caller.clock().valueOf("evil#1/x")).isEqualTo(5); // same trace: the rest is merged
            gateway.trackStateChange("still", 0, 1, AccessType.Write);
            assertThat(caller.clock().valueOf(caller.clockComponent())).isEqualTo(own + 2);
        }
    }
}
