package dev.raceway.examples.distributed;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of {@code POST /api/order}, {@code /reserve} and {@code /charge}. */
record OrderRequest(@JsonProperty("order_id") String orderId, String sku, Integer quantity, Long amount) {
    OrderRequest {
        quantity = quantity == null ? 1 : quantity;
        amount = amount == null ? 0L : amount;
    }
}
