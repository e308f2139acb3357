package dev.raceway.examples.distributed;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raceway.examples.common.JsonBodies;
import dev.raceway.examples.common.JsonBodies.BadRequest;
import dev.raceway.examples.common.WebServer;
import dev.raceway.sdk.RacewayClient;
import dev.raceway.sdk.RacewayContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * api-gateway: {@code POST /api/order} creates the order, then calls inventory-service and payment-service
 * <em>in parallel</em>. The calls run on an executor wrapped by {@link RacewayContext#taskWrapping(ExecutorService)}
 * (each call is a fork of the request's context) and go through an OkHttp client with the SDK's interceptor, which
 * adds {@code traceparent} and {@code raceway-clock}: both downstream services join the gateway's trace.
 */
final class GatewayService {
    static final String NAME = "api-gateway";
    private static final MediaType JSON = MediaType.get("application/json");

    private GatewayService() {
    }

    static WebServer start(int port, OrderDatabase db, RacewayClient raceway, OkHttpClient http,
                           ExecutorService calls, URI inventory, URI payment) {
        Map<String, HttpServlet> routes = WebServer.routes();
        routes.put("/api/order", new CreateOrder(db, raceway, http, calls, inventory, payment));
        return WebServer.start("127.0.0.1", port, raceway, routes);
    }

    private static final class CreateOrder extends HttpServlet {
        private final transient OrderDatabase db;
        private final transient RacewayClient raceway;
        private final transient OkHttpClient http;
        private final transient ExecutorService calls;
        private final transient URI inventory;
        private final transient URI payment;

        CreateOrder(OrderDatabase db, RacewayClient raceway, OkHttpClient http, ExecutorService calls,
                    URI inventory, URI payment) {
            this.db = db;
            this.raceway = raceway;
            this.http = http;
            this.calls = calls;
            this.inventory = inventory;
            this.payment = payment;
        }

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            OrderRequest order;
            try {
                order = JsonBodies.read(req, OrderRequest.class);
                if (order.orderId() == null || order.sku() == null) {
                    throw new BadRequest("order_id and sku are required");
                }
            } catch (BadRequest e) {
                JsonBodies.write(resp, 400, Map.of("success", false, "error", e.getMessage()));
                return;
            }
            raceway.trackFunctionCall("createOrder", Map.of("order_id", order.orderId(), "sku", order.sku()));
            String statusVar = "order." + order.orderId() + ".status";
            db.setStatus(order.orderId(), "NEW");
            raceway.trackStateChange(statusVar, null, "NEW", "Write");

            String body = JsonBodies.MAPPER.writeValueAsString(order);
            Future<JsonNode> reserved = calls.submit(() -> post(inventory.resolve("/reserve"), body));
            Future<JsonNode> charged = calls.submit(() -> post(payment.resolve("/charge"), body));
            Map<String, Object> out = new LinkedHashMap<>();
            try {
                JsonNode inv = reserved.get(30, TimeUnit.SECONDS);
                JsonNode pay = charged.get(30, TimeUnit.SECONDS);
                out.put("success", inv.path("success").asBoolean() && pay.path("success").asBoolean());
                out.put("order_id", order.orderId());
                out.put("trace_id", RacewayContext.current().map(c -> c.traceId().toString()).orElse(null));
                out.put("inventory", inv);
                out.put("payment", pay);
                // RESERVED and PAID should both have happened; the status shows only the last writer's word.
                out.put("final_status", db.peekStatus(order.orderId()).orElse("UNKNOWN"));
                JsonBodies.write(resp, 200, out);
            } catch (ExecutionException | TimeoutException e) {
                raceway.trackError(e);
                JsonBodies.write(resp, 502, Map.of("success", false, "error", "downstream call failed: " + e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                JsonBodies.write(resp, 503, Map.of("success", false, "error", "interrupted"));
            }
        }

        private JsonNode post(URI url, String body) throws IOException {
            Request request = new Request.Builder().url(url.toString()).post(RequestBody.create(body, JSON)).build();
            try (Response response = http.newCall(request).execute()) {
                String text = response.body().string();
                if (!response.isSuccessful()) {
                    throw new IOException(url + " answered " + response.code() + ": " + text);
                }
                return JsonBodies.parse(text);
            }
        }
    }
}
