package dev.raceway.sdk.internal;

import java.time.Duration;

/**
 * What the sender and its retry policy need from the client configuration (where to send is the transport's
 * {@code EventTarget}).
 *
 * <p>This class is internal and is hence not for public use.
 *
 * @param gzip           compress bodies (the target then declares {@code Content-Encoding: gzip})
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
public record TransportSettings(boolean gzip, int batchSize, int maxBatchBytes, Duration flushInterval,
                                int queueCapacity, int maxConcurrentRequests, int maxAttempts,
                                Duration maxRetryTime, Duration initialBackoff, Duration maxBackoff) {
}
