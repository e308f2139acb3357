package dev.raceway.storage;

/**
 * {@code backend = "memory"}.
 *
 * @param maxEvents events kept at most; when a write goes beyond it, whole traces are evicted, oldest (by newest
 *                  event) first
 */
public record MemoryStoreConfig(long maxEvents) implements StoreConfig {
    public static final long DEFAULT_MAX_EVENTS = 1_000_000;

    public MemoryStoreConfig {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("storage.memory.max_events must be >= 1, got " + maxEvents);
        }
    }

    public static MemoryStoreConfig defaults() {
        return new MemoryStoreConfig(DEFAULT_MAX_EVENTS);
    }
}
