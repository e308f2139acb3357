package dev.raceway.sdk.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.sdk.HttpClientPropagation;
import dev.raceway.sdk.JettyApp;
import dev.raceway.sdk.RacewayClient;
import dev.raceway.sdk.RacewayContext;
import dev.raceway.sdk.RecordingSink;
import io.opentelemetry.context.Scope;
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
import java.util.Map;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two services, each with its own client and filter; the gateway calls inventory through OkHttp. */
class RacewayInterceptorTest {
    private RecordingSink sink;
    private RacewayClient gatewayClient;
    private RacewayClient inventoryClient;
    private JettyApp gateway;
    private JettyApp inventory;
    private OkHttpClient okhttp;

    @BeforeEach
    void start() throws Exception {
        sink = new RecordingSink();
        gatewayClient = RacewayClient.builder(sink.endpoint(), "gateway").instanceId("gw-1")
                .flushInterval(Duration.ofMillis(50)).build();
        inventoryClient = RacewayClient.builder(sink.endpoint(), "inventory").instanceId("inv-1")
                .flushInterval(Duration.ofMillis(50)).build();
        okhttp = new OkHttpClient.Builder().addInterceptor(new RacewayInterceptor(gatewayClient)).build();
        inventory = JettyApp.builder(inventoryClient).servlet("/reserve", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                inventoryClient.trackStateChange("stock", 5, 4, AccessType.Write);
                resp.getWriter().write("reserved");
            }
        }).start();
        gateway = JettyApp.builder(gatewayClient).servlet("/order", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                gatewayClient.trackFunctionCall("createOrder", Map.of("id", 1));
                for (int i = 0; i < 2; i++) {
                    try (Response r = okhttp.newCall(new Request.Builder().url(inventory.url("/reserve"))
                            .post(okhttp3.RequestBody.create(new byte[0])).build()).execute()) {
                        resp.getWriter().write(r.body().string());
                    }
                }
                gatewayClient.trackStateChange("orders", 0, 1, AccessType.Write);
            }
        }).start();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        inventory.close();
        gatewayClient.close();
        inventoryClient.close();
        sink.close();
    }

    @Test
    void callsFromARequestCarryItsTraceAndTheCalleesEventsNameTheCallerSpan() throws Exception {
        HttpClient jdk = HttpClient.newHttpClient();
        HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create(gateway.url("/order")))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo("reservedreserved");
        assertThat(gatewayClient.flush()).isTrue();
        assertThat(inventoryClient.flush()).isTrue();
        // gateway: request, call, state change, response (4); inventory: 2 × (request, state change, response).
        List<Event> events = sink.awaitAccepted(10, 10);
        Map<String, List<Event>> byService = events.stream()
                .collect(Collectors.groupingBy(e -> e.metadata().serviceName()));
        List<Event> gw = byService.get("gateway");
        List<Event> inv = byService.get("inventory");
        assertThat(gw).hasSize(4);
        assertThat(inv).hasSize(6);
        assertThat(events).extracting(Event::traceId).containsOnly(gw.get(0).traceId());
        String gatewaySpan = gw.get(0).metadata().distributedSpanId().orElseThrow();
        // The caller kept its span for all its events (no rotation) ...
        assertThat(gw).allSatisfy(e -> assertThat(e.metadata().distributedSpanId()).contains(gatewaySpan));
        // ... and each call got its own child span, naming the gateway's span as upstream.
        assertThat(inv).allSatisfy(e -> assertThat(e.metadata().upstreamSpanId()).contains(gatewaySpan));
        assertThat(inv.stream().map(e -> e.metadata().distributedSpanId().orElseThrow()).distinct()).hasSize(2);
        // The callee's clock includes what the caller had when it called.
        List<Event> stock = inv.stream().filter(e -> e.kind() instanceof EventKind.StateChange).toList();
        assertThat(stock).hasSize(2);
        String gatewayComponent = "gateway#gw-1/" + gw.get(0).metadata().threadId();
        assertThat(stock.get(0).causalityVector().valueOf(gatewayComponent)).isGreaterThanOrEqualTo(2);
        // Each response brought the callee's clock back: the second call comes after the first callee's work,
        // and the gateway's write after both calls returned comes after both.
        Event gatewayAfter = gw.get(2);
        assertThat(gatewayAfter.kind()).isInstanceOf(EventKind.StateChange.class);
        Event first = stock.get(0).causalityVector().happenedBefore(stock.get(1).causalityVector())
                ? stock.get(0) : stock.get(1);
        Event second = first == stock.get(0) ? stock.get(1) : stock.get(0);
        assertThat(first.causalityVector().happenedBefore(second.causalityVector())).isTrue();
        assertThat(first.causalityVector().happenedBefore(gatewayAfter.causalityVector())).isTrue();
        assertThat(second.causalityVector().happenedBefore(gatewayAfter.causalityVector())).isTrue();
    }

    @Test
    void callsOutsideAContextAreLeftAlone() throws Exception {
        try (Response r = okhttp.newCall(new Request.Builder().url(inventory.url("/reserve"))
                .post(okhttp3.RequestBody.create(new byte[0])).build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
        }
        assertThat(inventoryClient.flush()).isTrue();
        List<Event> events = sink.awaitAccepted(3, 10);
        assertThat(events).allSatisfy(e -> assertThat(e.metadata().upstreamSpanId()).isEmpty());
        assertThat(gatewayClient.stats().queued()).isZero();
    }

    @Test
    void theJdkHttpClientHelperAddsTheHeadersInsideAContext() {
        HttpRequest.Builder outside = HttpClientPropagation.propagate(gatewayClient,
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:1/x")));
        assertThat(outside.build().headers().map()).isEmpty();
        try (Scope ignored = gatewayClient.newTrace().makeCurrent()) {
            HttpRequest inside = HttpClientPropagation.propagate(gatewayClient,
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:1/x"))).build();
            assertThat(inside.headers().firstValue("traceparent")).isPresent();
            assertThat(inside.headers().firstValue("raceway-clock")).isPresent();
            String traceHex = RacewayContext.current().orElseThrow().traceId().toString().replace("-", "");
            assertThat(inside.headers().firstValue("traceparent").orElseThrow()).contains(traceHex);
        }
    }
}
