package dev.raceway.sdk.internal;

import java.time.Duration;
import java.util.Optional;

/**
 * What the transport needs from the client configuration.
 *
 * @param eventsUrl      {@code {endpoint}/events}
 * @param batchSize      events per request; reaching it wakes the flusher early
 * @param maxBatchBytes  encoded body size above which a batch is split before sending
 * @param flushInterval  longest time an event waits in the queue
 * @param queueCapacity  events buffered before new ones are dropped
 * @param maxConcurrentRequests batches in flight at once
 * @param maxAttempts    tries per batch (first send included)
 * @param maxRetryTime   how long retries go on while the server keeps failing (since the first failure after the
 *                       last success)
 * @param initialBackoff first retry delay; doubled per attempt, jittered
 * @param maxBackoff     cap of one retry delay, also of a server's {@code Retry-After}
 */
public record TransportSettings(String eventsUrl, Optional<String> apiKey, boolean gzip, int batchSize,
                                int maxBatchBytes, Duration flushInterval, int queueCapacity,
                                int maxConcurrentRequests, int maxAttempts,
                                Duration maxRetryTime, Duration initialBackoff, Duration maxBackoff) {
}
