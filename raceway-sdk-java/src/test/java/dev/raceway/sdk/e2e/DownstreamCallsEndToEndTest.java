package dev.raceway.sdk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.sdk.HttpClientPropagation;
import dev.raceway.sdk.JettyApp;
import dev.raceway.sdk.RacewayClient;
import dev.raceway.sdk.RacewayContext;
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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway calling downstream services, against a real server: parallel calls to one callee instance whose
 * handlers both read-modify-write one variable are a race (their clocks are concurrent, though one process
 * handled both); sequential calls are ordered by the clocks the callees return on their responses.
 */
class DownstreamCallsEndToEndTest {
    private InProcessServer server;
    private final List<AutoCloseable> open = new ArrayList<>();
    private RacewayClient gateway;
    private RacewayClient inventory;
    private RacewayClient payment;
    private JettyApp gatewayApp;

    @BeforeEach
    void start() throws Exception {
        server = new InProcessServer();
        gateway = client("gateway", "gw-1");
        inventory = client("inventory", "inv-1");
        payment = client("payment", "pay-1");
        int[] stock = {7};
        CyclicBarrier bothHandlersIn = new CyclicBarrier(2);
        JettyApp inventoryApp = closing(JettyApp.builder(inventory).servlet("/reserve", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                await(bothHandlersIn);
                int seen = stock[0];
                inventory.trackStateChange("stock", null, seen, AccessType.Read);
                await(bothHandlersIn); // both have read 7: a lost update
                inventory.trackStateChange("stock", seen, seen - 1, AccessType.Write);
                resp.getWriter().write("reserved");
            }
        }).servlet("/status", statusWriter(inventory, "RESERVED")).start());
        JettyApp paymentApp = closing(JettyApp.builder(payment).servlet("/status", statusWriter(payment, "PAID"))
                .start());
        OkHttpClient okhttp = new OkHttpClient.Builder().addInterceptor(new RacewayInterceptor(gateway)).build();
        HttpClient jdk = HttpClient.newHttpClient();
        gatewayApp = closing(JettyApp.builder(gateway).servlet("/parallel", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                // Two calls in flight at once from one logical thread (as an async client does): the second carries
                // a later caller clock than the first, which must not order the callee's two handlers.
                List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    calls.add(HttpClientPropagation.sendAsync(gateway, jdk, HttpRequest.newBuilder(
                            URI.create(inventoryApp.url("/reserve"))).POST(HttpRequest.BodyPublishers.noBody()),
                            HttpResponse.BodyHandlers.ofString()));
                }
                for (CompletableFuture<HttpResponse<String>> c : calls) {
                    try {
                        assertThat(c.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
                    } catch (Exception e) {
                        throw new IOException(e);
                    }
                }
                resp.getWriter().write(RacewayContext.current().orElseThrow().traceId().toString());
            }
        }).servlet("/sequential", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                gateway.trackStateChange("order.status", null, "NEW", AccessType.Write);
                post(okhttp, inventoryApp.url("/status"));
                post(okhttp, paymentApp.url("/status"));
                gateway.trackStateChange("order.status", "PAID", "CONFIRMED", AccessType.Write);
                resp.getWriter().write(RacewayContext.current().orElseThrow().traceId().toString());
            }
        }).start());
    }

    private RacewayClient client(String service, String instance) {
        return closing(RacewayClient.builder(server.endpoint(), service).apiKey(InProcessServer.API_KEY)
                .instanceId(instance).flushInterval(Duration.ofMillis(50)).build());
    }

    private <T extends AutoCloseable> T closing(T c) {
        open.add(c);
        return c;
    }

    private static HttpServlet statusWriter(RacewayClient client, String status) {
        return new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                client.trackStateChange("order.status", null, status, AccessType.Write);
                resp.getWriter().write(status);
            }
        };
    }

    private static void await(CyclicBarrier barrier) throws IOException {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("the other handler did not arrive", e);
        }
    }

    private static String post(OkHttpClient okhttp, String url) throws IOException {
        try (Response r = okhttp.newCall(new Request.Builder().url(url)
                .post(okhttp3.RequestBody.create(new byte[0])).build()).execute()) {
            if (r.code() != 200) {
                throw new IOException(url + " answered " + r.code());
            }
            return r.body().string();
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        server.close();
    }

    private UUID call(String path, int events) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                gatewayApp.url(path))).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        UUID trace = UUID.fromString(r.body());
        for (RacewayClient c : List.of(gateway, inventory, payment)) {
            assertThat(c.flush()).isTrue();
        }
        server.awaitTrace(trace, events);
        return trace;
    }

    private static List<Event> writes(List<Event> events, String variable, String service) {
        return events.stream().filter(e -> e.metadata().serviceName().equals(service))
                .filter(e -> e.stateChange().map(c -> c.variable().equals(variable)
                        && c.accessType() == AccessType.Write).orElse(false)).toList();
    }

    @Test
    void parallelCallsToOneCalleeInstanceThatBothUpdateAVariableRace() throws Exception {
        // gateway: HttpRequest, HttpResponse; inventory: 2 × (HttpRequest, Read, Write, HttpResponse)
        UUID trace = call("/parallel", 10);
        List<Event> events = server.awaitTrace(trace, 10);
        List<Event> stockWrites = writes(events, "stock", "inventory");
        assertThat(stockWrites).hasSize(2);
        assertThat(stockWrites.get(0).causalityVector().isConcurrentWith(stockWrites.get(1).causalityVector()))
                .as("one JVM handled both, but nothing orders the two handlers").isTrue();

        HttpResponse<String> bundle = server.get("/api/traces/" + trace);
        assertThat(bundle.statusCode()).isEqualTo(200);
        String body = bundle.body().replaceAll("\\s", "");
        assertThat(body).contains("\"variable\":\"stock\"").contains("CRITICAL");
    }

    @Test
    void sequentialCallsAreOrderedByTheClocksTheCalleesReturn() throws Exception {
        // gateway: HttpRequest, Write, Write, HttpResponse; inventory and payment: HttpRequest, Write, HttpResponse
        UUID trace = call("/sequential", 10);
        List<Event> events = server.awaitTrace(trace, 10);
        Event inventoryWrite = writes(events, "order.status", "inventory").get(0);
        Event paymentWrite = writes(events, "order.status", "payment").get(0);
        List<Event> gatewayWrites = writes(events, "order.status", "gateway");
        assertThat(gatewayWrites).hasSize(2);
        Event first = gatewayWrites.stream().filter(e -> e.stateChange().orElseThrow().oldValue().isEmpty())
                .findFirst().orElseThrow();
        Event last = gatewayWrites.stream().filter(e -> e != first).findFirst().orElseThrow();
        assertThat(first.causalityVector().happenedBefore(inventoryWrite.causalityVector())).isTrue();
        assertThat(inventoryWrite.causalityVector().happenedBefore(paymentWrite.causalityVector()))
                .as("payment was called after inventory answered").isTrue();
        assertThat(paymentWrite.causalityVector().happenedBefore(last.causalityVector()))
                .as("the gateway wrote after payment answered").isTrue();
    }
}
