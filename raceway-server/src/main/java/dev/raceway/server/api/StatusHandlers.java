package dev.raceway.server.api;

import dev.raceway.server.http.ApiKeys;
import dev.raceway.server.http.ApiRequest;
import dev.raceway.server.http.ApiResponse;
import dev.raceway.server.http.Json;
import dev.raceway.storage.StoreCounts;
import dev.raceway.storage.StoreHealth;
import dev.raceway.storage.ingest.IngestMetrics;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** {@code /health}, {@code /status}, {@code /metrics}. */
final class StatusHandlers {
    /** A non-empty buffer that makes no progress for this long means the writer is stuck. */
    static final Duration STUCK_AFTER = Duration.ofSeconds(30);

    private final ServerContext ctx;
    private long lastWritten = -1;
    private long lastProgressNanos = System.nanoTime();

    private final Optional<ApiKeys> keys;

    StatusHandlers(ServerContext ctx, Optional<ApiKeys> keys) {
        this.ctx = ctx;
        this.keys = keys;
    }

    /**
     * 200 when storage answers, the writer runs and the pipeline makes progress, else 503 saying which. Never waits
     * for storage: the store's state comes from {@link HealthProbe}. Without a valid key (when auth is on) the
     * storage detail, which may name the database, is left out.
     */
    ApiResponse health(ApiRequest req) {
        StoreHealth store = ctx.health().current();
        IngestMetrics m = ctx.pipeline().metrics();
        boolean writerAlive = ctx.pipeline().writerAlive();
        boolean stuck = pipelineStuck(m);
        boolean healthy = store.healthy() && m.storeAvailable() && !stuck && writerAlive;
        boolean detail = !ctx.config().server().authEnabled() || authenticated(req);
        Map<String, Object> data = Json.obj(
                "status", healthy ? "ok" : "unavailable",
                "phase", "completed",
                "ready", healthy,
                "storage", Json.obj("backend", store.backend(), "healthy", store.healthy(),
                        "detail", detail ? store.detail() : store.healthy() ? "ok" : "unavailable"),
                "pipeline", Json.obj("queue_depth", m.queueDepth(), "store_available", m.storeAvailable(),
                        "stuck", stuck, "writer_alive", writerAlive,
                        "writer_errors", ctx.pipeline().writerErrors()));
        if (healthy) {
            return ApiResponse.ok(data);
        }
        String why = !writerAlive ? "the ingest writer has stopped; accepted events are not being stored"
                : !store.healthy() ? "storage unreachable" + (detail ? ": " + store.detail() : "")
                : !m.storeAvailable() ? "storage writes failing; retrying" : "ingest pipeline is not making progress";
        return ApiResponse.json(HttpResponseStatus.SERVICE_UNAVAILABLE,
                Json.bytes(Json.obj("success", false, "data", data, "error", why)));
    }

    private boolean authenticated(ApiRequest req) {
        return keys.map(k -> ApiKeys.presented(req.headers()).map(k::isValid).orElse(false)).orElse(false);
    }

    private synchronized boolean pipelineStuck(IngestMetrics m) {
        long now = System.nanoTime();
        if (m.queueDepth() == 0 || m.written() != lastWritten) {
            lastWritten = m.written();
            lastProgressNanos = now;
            return false;
        }
        return now - lastProgressNanos > STUCK_AFTER.toNanos();
    }

    ApiResponse status(ApiRequest req) {
        IngestMetrics m = ctx.pipeline().metrics();
        StoreCounts counts = ctx.store().counts();
        var f = ctx.config().features();
        return ApiResponse.ok(Json.obj(
                "version", ctx.version(),
                "uptime_seconds", uptimeSeconds(),
                "started_at", ctx.startedAt(),
                "backend", ctx.store().backendName(),
                "events_captured", counts.events(),
                "traces_active", counts.traces(),
                "durable_ack", ctx.config().effectiveDurableAck(),
                "features", Json.obj("race_detection", f.raceDetection(), "anomaly_detection", f.anomalyDetection(),
                        "distributed_tracing", f.distributedTracing()),
                "pipeline", Json.obj(
                        "accepted", m.accepted(),
                        "refused", m.refused(),
                        "invalid", ctx.metrics().eventsInvalid(),
                        "written", m.written(),
                        "inserted", m.inserted(),
                        "failed", m.failed(),
                        "retried", m.retries(),
                        "batches", m.batches(),
                        "queue_depth", m.queueDepth(),
                        "buffer_capacity", m.bufferCapacity(),
                        "last_batch_ms", m.lastBatchMillis(),
                        "mean_batch_ms", m.meanBatchMillis(),
                        "max_batch_ms", m.maxBatchMillis(),
                        "store_available", m.storeAvailable()),
                "warmup", Json.obj("phase", "completed", "ready", true, "total_traces", counts.traces(),
                        "processed_traces", counts.traces(), "last_trace", null, "started_at", ctx.startedAt(),
                        "completed_at", ctx.startedAt(), "last_error", null)));
    }

    ApiResponse metrics(ApiRequest req) {
        StoreCounts counts;
        try {
            counts = ctx.store().counts();
        } catch (RuntimeException e) {
            ctx.metrics().recordStorageError();
            counts = new StoreCounts(-1, -1);
        }
        String text = ctx.metrics().render(ctx.pipeline()::metrics, uptimeSeconds(), counts.events(),
                counts.traces());
        return new ApiResponse(HttpResponseStatus.OK, Map.of(), "text/plain; version=0.0.4; charset=utf-8",
                text.getBytes(StandardCharsets.UTF_8));
    }

    private long uptimeSeconds() {
        return Duration.between(ctx.startedAt(), Instant.now()).toSeconds();
    }
}
