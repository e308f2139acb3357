package dev.raceway.examples.distributed;

import dev.raceway.examples.common.JsonBodies.BadRequest;
import dev.raceway.examples.common.WebServer;
import dev.raceway.sdk.RacewayClient;
import jakarta.servlet.http.HttpServlet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * inventory-service: {@code POST /reserve} takes stock for an order and marks the order {@code RESERVED}. Runs in
 * the caller's trace (the servlet filter reads the propagation headers the gateway sent).
 */
final class InventoryService {
    static final String NAME = "inventory-service";

    private InventoryService() {
    }

    static WebServer start(int port, OrderDatabase db, RacewayClient raceway) {
        Map<String, HttpServlet> routes = WebServer.routes();
        routes.put("/reserve", new Reserve(db, raceway));
        return WebServer.start("127.0.0.1", port, raceway, routes);
    }

    private static final class Reserve extends OrderEndpoint {
        Reserve(OrderDatabase db, RacewayClient raceway) {
            super(db, raceway, "reserveStock");
        }

        @Override
        void validate(OrderRequest order) throws BadRequest {
            if (order.orderId() == null || order.sku() == null) {
                throw new BadRequest("order_id and sku are required");
            }
        }

        @Override
        Map<String, Object> arguments(OrderRequest order) {
            return Map.of("order_id", order.orderId(), "sku", order.sku(), "quantity", order.quantity());
        }

        @Override
        Map<String, Object> run(OrderRequest order) {
            String statusVar = "order." + order.orderId() + ".status";
            String stockVar = "stock." + order.sku();
            long start = System.nanoTime();
            String status = db.status(order.orderId()).orElse("UNKNOWN");
            raceway.trackStateChange(statusVar, null, status, "Read");
            int units = db.stock(order.sku()).orElse(0);
            raceway.trackStateChange(stockVar, null, units, "Read");
            raceway.trackDatabaseQuery("SELECT stock, status FOR order " + order.orderId(), "orders",
                    (System.nanoTime() - start) / 1_000_000);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("service", NAME);
            if (units < order.quantity()) {
                out.put("success", false);
                out.put("error", "out of stock");
                return out;
            }
            start = System.nanoTime();
            db.setStock(order.sku(), units - order.quantity());
            raceway.trackStateChange(stockVar, units, units - order.quantity(), "Write");
            db.setStatus(order.orderId(), "RESERVED");
            raceway.trackStateChange(statusVar, status, "RESERVED", "Write");
            raceway.trackDatabaseQuery("UPDATE stock, status FOR order " + order.orderId(), "orders",
                    (System.nanoTime() - start) / 1_000_000);
            out.put("success", true);
            out.put("status_read", status);
            out.put("status_written", "RESERVED");
            return out;
        }
    }
}
