package dev.raceway.storage;

import java.util.Objects;

/**
 * Result of a health check.
 *
 * @param backend {@code memory} or {@code postgres}
 * @param detail  human-readable reason when unhealthy, a short description otherwise
 */
public record StoreHealth(boolean healthy, String backend, String detail) {
    public StoreHealth {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(detail, "detail");
    }
}
