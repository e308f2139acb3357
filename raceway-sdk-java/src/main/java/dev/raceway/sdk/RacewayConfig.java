package dev.raceway.sdk;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of a {@link RacewayClient}; built with {@link RacewayClient#builder(String, String)}.
 *
 * @param endpoint        the Raceway server base URL, without a trailing slash
 * @param serviceName     this service's name ({@code metadata.service_name})
 * @param apiKey          sent as {@code Authorization: Bearer} and {@code X-Raceway-Key} when present
 * @param module          the {@code module} of FunctionCall events
 * @param instanceId      this process's instance ({@code metadata.instance_id}; each context's clock component
 *                        is {@code service#instance/<logical thread id>})
 * @param environment     {@code metadata.environment}
 * @param tags            added to every event's tags (next to {@code sdk_language: java})
 * @param batchSize       events per request
 * @param maxBatchBytes   encoded request size above which a batch is split
 * @param flushInterval   longest time an event waits before being sent
 * @param queueCapacity   events buffered; beyond it new events are dropped and counted
 * @param maxConcurrentRequests batches in flight at once: with more than one, encoding the next batch, the transfer
 *                        and the server's decoding of the previous one overlap (a busy service needs that to keep
 *                        up); 1 sends strictly one batch after the other
 * @param connectTimeout  HTTP connect timeout
 * @param requestTimeout  HTTP timeout of a whole request
 * @param maxAttempts     send attempts per batch (unbounded by default)
 * @param maxRetryTime    how long batches are retried while the server keeps failing, counted from the first
 *                        failed attempt after the last success; then failing batches are given up (counted)
 * @param initialBackoff  first retry delay (doubled per attempt, jittered)
 * @param maxBackoff      longest single retry delay (also caps a server's {@code Retry-After})
 * @param flushTimeout    how long {@link RacewayClient#flush()} waits
 * @param closeTimeout    how long {@link RacewayClient#close()} may take to send what is queued
 * @param gzip            compress request bodies
 * @param enabled         false turns every tracking call into a no-op and sends nothing
 * @param captureLocation record the caller's {@code file:line} (costs a stack walk per event)
 * @param shutdownHook    close the client from a JVM shutdown hook
 */
public record RacewayConfig(String endpoint, String serviceName, Optional<String> apiKey, String module,
                            String instanceId, String environment, Map<String, String> tags, int batchSize,
                            int maxBatchBytes, Duration flushInterval, int queueCapacity, int maxConcurrentRequests,
                            Duration connectTimeout,
                            Duration requestTimeout, int maxAttempts, Duration maxRetryTime,
                            Duration initialBackoff, Duration maxBackoff, Duration flushTimeout,
                            Duration closeTimeout, boolean gzip, boolean enabled, boolean captureLocation,
                            boolean shutdownHook) {
    public RacewayConfig {
        tags = Map.copyOf(tags);
    }
}
