package dev.raceway.examples.distributed;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for the database that inventory-service and payment-service share: order statuses and stock levels.
 * Each call is one round trip with some latency, and nothing makes a read followed by a write atomic — which is
 * exactly how two services end up overwriting each other's update of the same order.
 */
final class OrderDatabase {
    private final Map<String, String> statuses = new ConcurrentHashMap<>();
    private final Map<String, Integer> stock = new ConcurrentHashMap<>();
    private final Duration latency;

    OrderDatabase(Duration latency) {
        this.latency = latency;
        stock.put("widget", 100);
        stock.put("gadget", 20);
    }

    Duration latency() {
        return latency;
    }

    Optional<String> status(String orderId) {
        roundTrip();
        return Optional.ofNullable(statuses.get(orderId));
    }

    void setStatus(String orderId, String status) {
        roundTrip();
        statuses.put(orderId, status);
    }

    /** Read without the round trip (for showing the outcome, not part of the traced work). */
    Optional<String> peekStatus(String orderId) {
        return Optional.ofNullable(statuses.get(orderId));
    }

    Optional<Integer> stock(String sku) {
        roundTrip();
        return Optional.ofNullable(stock.get(sku));
    }

    void setStock(String sku, int units) {
        roundTrip();
        stock.put(sku, units);
    }

    private void roundTrip() {
        try {
            Thread.sleep(latency.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a database call", e);
        }
    }
}
