package dev.raceway.sdk.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.sdk.JettyApp;
import dev.raceway.sdk.RacewayClient;
import dev.raceway.sdk.RacewayContext;
import dev.raceway.sdk.RecordingSink;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RacewayFilterTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private RecordingSink sink;
    private RacewayClient client;
    private JettyApp app;

    @BeforeEach
    void start() throws Exception {
        sink = new RecordingSink();
        client = RacewayClient.builder(sink.endpoint(), "shop").instanceId("shop-1")
                .flushInterval(Duration.ofMillis(50)).build();
        app = JettyApp.builder(client)
                .servlet("/hello", new HttpServlet() {
                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        client.trackStateChange("greetings", 1, 2, AccessType.Write);
                        resp.setStatus(201);
                        resp.getWriter().write("hi");
                    }
                })
                .servlet("/boom", new HttpServlet() {
                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                        throw new IllegalStateException("kaput");
                    }
                })
                .servlet("/async", new HttpServlet() {
                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                        AsyncContext ac = req.startAsync();
                        ac.start(RacewayContext.wrapCurrent(() -> {
                            client.trackFunctionCall("async_work", null);
                            ((HttpServletResponse) ac.getResponse()).setStatus(202);
                            ac.complete();
                        }));
                    }
                })
                .untraced("/probe", new HttpServlet() {
                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        resp.getWriter().write(String.valueOf(RacewayContext.current().isPresent()));
                    }
                })
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
        client.close();
        sink.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(app.url(path)));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRequestIsRecordedFromRequestToResponseInOneChain() throws Exception {
        assertThat(get("/hello?name=ann").statusCode()).isEqualTo(201);
        assertThat(client.flush()).isTrue();
        List<Event> events = sink.awaitAccepted(3, 10);
        assertThat(events).extracting(e -> e.kind().variant())
                .containsExactly("HttpRequest", "StateChange", "HttpResponse");
        EventKind.HttpRequest req = (EventKind.HttpRequest) events.get(0).kind();
        assertThat(req.method()).isEqualTo("GET");
        assertThat(req.url()).isEqualTo("/hello?name=ann");
        assertThat(events.get(1).stateChange().orElseThrow().location())
                .startsWith("dev/raceway/sdk/servlet/RacewayFilterTest.java:");
        EventKind.HttpResponse resp = (EventKind.HttpResponse) events.get(2).kind();
        assertThat(resp.status()).isEqualTo(201);
        assertThat(events.get(2).metadata().durationNs()).isPresent();
        assertThat(events.get(1).parentId()).contains(events.get(0).id());
        assertThat(events.get(2).parentId()).contains(events.get(1).id());
        assertThat(events).extracting(Event::traceId).containsOnly(events.get(0).traceId());
        String component = "shop#shop-1/" + events.get(0).metadata().threadId();
        assertThat(events).extracting(e -> e.causalityVector().valueOf(component)).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aThrowingRequestIsRecordedWithAnErrorAndStatus500() throws Exception {
        assertThat(get("/boom").statusCode()).isEqualTo(500);
        assertThat(client.flush()).isTrue();
        List<Event> events = sink.awaitAccepted(3, 10);
        assertThat(events).extracting(e -> e.kind().variant()).containsExactly("HttpRequest", "Error",
                "HttpResponse");
        assertThat(((EventKind.Error) events.get(1).kind()).message()).isEqualTo("kaput");
        assertThat(((EventKind.HttpResponse) events.get(2).kind()).status()).isEqualTo(500);
    }

    @Test
    void anAsyncRequestIsRecordedWhenItCompletes() throws Exception {
        assertThat(get("/async").statusCode()).isEqualTo(202);
        assertThat(client.flush()).isTrue();
        List<Event> events = sink.awaitAccepted(l -> l.stream().anyMatch(e -> e.kind() instanceof
                EventKind.HttpResponse), 10);
        assertThat(events).extracting(e -> e.kind().variant()).containsExactlyInAnyOrder("HttpRequest",
                "FunctionCall", "HttpResponse");
        Event response = events.stream().filter(e -> e.kind() instanceof EventKind.HttpResponse).findFirst()
                .orElseThrow();
        assertThat(((EventKind.HttpResponse) response.kind()).status()).isEqualTo(202);
        assertThat(events).extracting(Event::traceId).containsOnly(events.get(0).traceId());
    }

    @Test
    void aRequestFromAW3cCallerJoinsItsTraceAsAChildOfItsSpan() throws Exception {
        get("/hello", "traceparent", "00-0af7651916cd43dd8448eb211c80319c-3f9a1c0d5e7b2a46-01");
        assertThat(client.flush()).isTrue();
        List<Event> events = sink.awaitAccepted(3, 10);
        assertThat(events).extracting(Event::traceId)
                .containsOnly(UUID.fromString("0af76519-16cd-43dd-8448-eb211c80319c"));
        assertThat(events).allSatisfy(e -> assertThat(e.metadata().upstreamSpanId()).contains("3f9a1c0d5e7b2a46"));
        assertThat(events).extracting(e -> e.metadata().distributedSpanId().orElseThrow()).hasSize(3)
                .containsOnly(events.get(0).metadata().distributedSpanId().orElseThrow())
                .doesNotContain("3f9a1c0d5e7b2a46");
    }

    @Test
    void racewaysOwnTrafficIsNotTraced() throws Exception {
        assertThat(get("/hello", "X-Raceway-Internal", "true").statusCode()).isEqualTo(201);
        assertThat(client.flush()).isTrue();
        assertThat(client.stats().queued()).isZero();
    }

    @Test
    void requestsOnAThreadPoolNeverSeeEachOthersContext() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(get("/hello").statusCode()).isEqualTo(201);
            assertThat(get("/plain/probe").body()).isEqualTo("false");
        }
        assertThat(client.flush()).isTrue();
        List<Event> events = sink.awaitAccepted(60, 10);
        Set<UUID> traces = new HashSet<>();
        Set<String> threads = new HashSet<>();
        events.forEach(e -> {
            traces.add(e.traceId());
            threads.add(e.metadata().threadId());
        });
        assertThat(traces).hasSize(20);
        assertThat(threads).hasSize(20);
    }
}
