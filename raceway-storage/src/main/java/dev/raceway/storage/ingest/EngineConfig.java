package dev.raceway.storage.ingest;

/**
 * {@code [engine]} of {@code raceway.toml}, plus the retry policy of the writer.
 *
 * @param bufferSize          events buffered at most between the HTTP layer and the store; beyond it offers are refused
 * @param batchSize           events written per store call (one transaction)
 * @param flushIntervalMs     longest time an event waits for a batch to fill before it is written anyway
 * @param retryInitialBackoffMs first wait after a failed batch write; doubles per failure
 * @param retryMaxBackoffMs   longest wait between retries
 * @param fullBufferWaitMs    how long a request may wait for buffer space before it is refused (0: refuse at once);
 *                            see {@link IngestPipeline#offer(java.util.List, java.time.Duration)}
 */
public record EngineConfig(int bufferSize, int batchSize, long flushIntervalMs, long retryInitialBackoffMs,
                           long retryMaxBackoffMs, long fullBufferWaitMs) {
    public static final int DEFAULT_BUFFER_SIZE = 10_000;
    public static final int DEFAULT_BATCH_SIZE = 100;
    public static final long DEFAULT_FLUSH_INTERVAL_MS = 100;
    public static final long DEFAULT_FULL_BUFFER_WAIT_MS = 500;

    public EngineConfig {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("engine.buffer_size must be >= 1, got " + bufferSize);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("engine.batch_size must be >= 1, got " + batchSize);
        }
        if (batchSize > bufferSize) {
            throw new IllegalArgumentException("engine.batch_size (" + batchSize
                    + ") must not exceed engine.buffer_size (" + bufferSize + ")");
        }
        if (flushIntervalMs < 1) {
            throw new IllegalArgumentException("engine.flush_interval_ms must be >= 1, got " + flushIntervalMs);
        }
        if (retryInitialBackoffMs < 1 || retryMaxBackoffMs < retryInitialBackoffMs) {
            throw new IllegalArgumentException("retry backoff must satisfy 1 <= initial (" + retryInitialBackoffMs
                    + ") <= max (" + retryMaxBackoffMs + ")");
        }
        if (fullBufferWaitMs < 0) {
            throw new IllegalArgumentException("engine.full_buffer_wait_ms must be >= 0, got " + fullBufferWaitMs);
        }
    }

    public EngineConfig(int bufferSize, int batchSize, long flushIntervalMs) {
        this(bufferSize, batchSize, flushIntervalMs, 50, 5_000, DEFAULT_FULL_BUFFER_WAIT_MS);
    }

    public static EngineConfig defaults() {
        return new EngineConfig(DEFAULT_BUFFER_SIZE, DEFAULT_BATCH_SIZE, DEFAULT_FLUSH_INTERVAL_MS);
    }

    public EngineConfig withRetryBackoff(long initialMs, long maxMs) {
        return new EngineConfig(bufferSize, batchSize, flushIntervalMs, initialMs, maxMs, fullBufferWaitMs);
    }

    public EngineConfig withFullBufferWait(long millis) {
        return new EngineConfig(bufferSize, batchSize, flushIntervalMs, retryInitialBackoffMs, retryMaxBackoffMs,
                millis);
    }
}
