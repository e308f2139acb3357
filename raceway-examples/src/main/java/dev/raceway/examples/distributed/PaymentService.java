package dev.raceway.examples.distributed;

import dev.raceway.examples.common.JsonBodies.BadRequest;
import dev.raceway.examples.common.WebServer;
import dev.raceway.sdk.RacewayClient;
import jakarta.servlet.http.HttpServlet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * payment-service: {@code POST /charge} charges an order and marks it {@code PAID} — a read-modify-write of the same
 * order status inventory-service updates, in a different service.
 */
final class PaymentService {
    static final String NAME = "payment-service";

    private PaymentService() {
    }

    static WebServer start(int port, OrderDatabase db, RacewayClient raceway) {
        Map<String, HttpServlet> routes = WebServer.routes();
        routes.put("/charge", new Charge(db, raceway));
        return WebServer.start("127.0.0.1", port, raceway, routes);
    }

    private static final class Charge extends OrderEndpoint {
        Charge(OrderDatabase db, RacewayClient raceway) {
            super(db, raceway, "chargeCard");
        }

        @Override
        void validate(OrderRequest order) throws BadRequest {
            if (order.orderId() == null) {
                throw new BadRequest("order_id is required");
            }
        }

        @Override
        Map<String, Object> arguments(OrderRequest order) {
            return Map.of("order_id", order.orderId(), "amount", order.amount());
        }

        @Override
        Map<String, Object> run(OrderRequest order) {
            String statusVar = "order." + order.orderId() + ".status";
            long start = System.nanoTime();
            String status = db.status(order.orderId()).orElse("UNKNOWN");
            raceway.trackStateChange(statusVar, null, status, "Read");
            raceway.trackDatabaseQuery("SELECT status FOR order " + order.orderId(), "orders",
                    (System.nanoTime() - start) / 1_000_000);
            start = System.nanoTime();
            db.setStatus(order.orderId(), "PAID");
            raceway.trackStateChange(statusVar, status, "PAID", "Write");
            raceway.trackDatabaseQuery("UPDATE status FOR order " + order.orderId(), "orders",
                    (System.nanoTime() - start) / 1_000_000);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("service", NAME);
            out.put("success", true);
            out.put("status_read", status);
            out.put("status_written", "PAID");
            return out;
        }
    }
}
