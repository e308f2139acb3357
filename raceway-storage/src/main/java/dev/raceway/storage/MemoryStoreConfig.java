package dev.raceway.storage;

/**
 * {@code backend = "memory"}.
 *
 * @param maxEvents events kept at most; when a write goes beyond it, whole traces are evicted, oldest (by newest
 *                  event) first
 * @param maxBytes  bytes of stored events kept at most (their encoded form plus their index entries, an estimate of
 *                  the heap they hold); beyond it traces are evicted like beyond {@code maxEvents}. A single event
 *                  larger than a quarter of it is refused.
 */
public record MemoryStoreConfig(long maxEvents, long maxBytes) implements StoreConfig {
    public static final long DEFAULT_MAX_EVENTS = 1_000_000;
    /** The default byte budget's share of the maximum heap ({@code -Xmx}). */
    public static final double DEFAULT_HEAP_SHARE = 0.25;

    public MemoryStoreConfig {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("storage.memory.max_events must be >= 1, got " + maxEvents);
        }
        if (maxBytes < 1024 * 1024) {
            throw new IllegalArgumentException("storage.memory.max_bytes must be >= 1048576 (1 MiB), got "
                    + maxBytes);
        }
    }

    /** {@code maxEvents} with the default byte budget. */
    public MemoryStoreConfig(long maxEvents) {
        this(maxEvents, defaultMaxBytes());
    }

    /** A quarter of the maximum heap: the events' heap, the analyses' working memory and Netty's buffers share it. */
    public static long defaultMaxBytes() {
        return Math.max(1024 * 1024, (long) (Runtime.getRuntime().maxMemory() * DEFAULT_HEAP_SHARE));
    }

    public static MemoryStoreConfig defaults() {
        return new MemoryStoreConfig(DEFAULT_MAX_EVENTS);
    }
}
