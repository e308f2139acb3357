package dev.raceway.server.api;

import dev.raceway.core.json.BatchDecodeResult;
import dev.raceway.core.json.DecodeLimits;
import dev.raceway.core.json.EventJson;
import dev.raceway.core.json.EventRejection;
import dev.raceway.core.json.MalformedBatchException;
import dev.raceway.server.config.RacewayConfig;
import dev.raceway.server.http.ApiRequest;
import dev.raceway.server.http.ApiResponse;
import dev.raceway.server.http.Handler;
import dev.raceway.server.http.Json;
import dev.raceway.storage.MemoryStoreConfig;
import dev.raceway.storage.ingest.Offer;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /events}. The body is decoded before answering, so bad input gets its 4xx with the reason; valid
 * events of a mixed batch are kept and the response lists the rejected ones. The reference's string {@code data}
 * ({@code "Ingested N events"}) is kept for existing SDKs, with {@code accepted} and {@code rejected} added.
 *
 * <ul>
 *   <li>all accepted → 200; some rejected → 200 (a retrying SDK must not loop on permanently bad events);
 *       all rejected → 422, {@code error} naming the first reason;</li>
 *   <li>the ingest buffer is full → wait up to {@code [engine] full_buffer_wait_ms} for space (a burst is
 *       absorbed instead of bouncing the client for a second), then 503 with {@code Retry-After}, nothing
 *       acknowledged;</li>
 *   <li>with durable acknowledgement the 200 is sent only after the events are stored (committed), and its
 *       {@code duplicates} lists the events whose id was already stored with other content (the stored event is
 *       kept; without durable acknowledgement they are counted in {@code /metrics} only).</li>
 * </ul>
 */
final class IngestHandler implements Handler {
    private final ServerContext ctx;
    private final DecodeLimits limits;
    private final boolean durable;
    private final Duration ackTimeout;
    private final Duration fullBufferWait;
    /** Bodies above this are refused (413): an event of theirs could take more than the memory store may hold. */
    private final long maxBodyForStore;
    private final Semaphore decoding = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));

    IngestHandler(ServerContext ctx) {
        this.ctx = ctx;
        this.limits = DecodeLimits.DEFAULT.withMaxEvents(maxEventsPerBody(ctx.config()));
        this.durable = ctx.config().effectiveDurableAck();
        this.ackTimeout = ctx.config().durableAckTimeout();
        this.fullBufferWait = Duration.ofMillis(ctx.config().engine().fullBufferWaitMs());
        this.maxBodyForStore = ctx.config().storage() instanceof MemoryStoreConfig m ? m.maxBytes() / 4
                : Long.MAX_VALUE;
    }

    @Override
    public CompletionStage<ApiResponse> handle(ApiRequest req) {
        String contentType = req.headers().get("Content-Type");
        if (!isJson(contentType)) {
            return done(ApiResponse.error(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be application/json, got " + (contentType == null ? "none"
                            : "'" + contentType + "'")));
        }
        String encoding = req.headers().get("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            return done(ApiResponse.error(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                    "unsupported Content-Encoding '" + encoding + "'; use gzip or deflate"));
        }
        if (req.bodyLength() == 0) {
            return done(ApiResponse.error(HttpResponseStatus.BAD_REQUEST,
                    "empty body; expected {\"events\": [...]}"));
        }
        if (req.bodyLength() > maxBodyForStore) {
            return done(ApiResponse.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "body of " + req.bodyLength()
                    + " bytes is larger than a quarter of [storage.memory] max_bytes (" + 4 * maxBodyForStore
                    + "); send smaller batches or raise the budget"));
        }
        BatchDecodeResult batch;
        try {
            batch = decode(req);
        } catch (MalformedBatchException e) {
            HttpResponseStatus status = switch (e.reason()) {
                case SYNTAX -> HttpResponseStatus.BAD_REQUEST;
                case NOT_A_BATCH -> HttpResponseStatus.UNPROCESSABLE_ENTITY;
                case TOO_MANY_EVENTS, TOO_LARGE -> HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
            };
            return done(ApiResponse.error(status, e.getMessage()));
        }
        List<EventRejection> rejected = batch.rejections();
        ctx.metrics().recordBatch(batch.received(), rejected.size());
        if (batch.events().isEmpty() && !rejected.isEmpty()) {
            return done(ApiResponse.json(HttpResponseStatus.UNPROCESSABLE_ENTITY,
                    Json.error("all " + rejected.size() + " events rejected; first: " + rejected.get(0),
                            "accepted", 0, "rejected", rejections(rejected))));
        }
        Offer offer = ctx.pipeline().offer(batch.events(), fullBufferWait);
        if (offer instanceof Offer.Refused r) {
            return done(refused(r));
        }
        Offer.Accepted a = (Offer.Accepted) offer;
        if (!durable || a.events() == 0) {
            return done(accepted(a.events(), rejected, Set.of(), batch));
        }
        return a.committed().orTimeout(ackTimeout.toMillis(), TimeUnit.MILLISECONDS).handle((conflicting, err) -> {
            if (err == null) {
                return accepted(a.events(), rejected, conflicting, batch);
            }
            Throwable cause = err.getCause() != null ? err.getCause() : err;
            if (cause instanceof TimeoutException) {
                ctx.metrics().recordDurableAckTimeout();
                return ApiResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "events were accepted but not "
                        + "committed within " + ackTimeout.toMillis() + " ms; retry (duplicates are ignored)")
                        .withHeader("Retry-After", "5");
            }
            return ApiResponse.error(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    "events could not be stored: " + cause.getMessage());
        });
    }

    /** The most events one body may carry: a larger batch could never fit the ingest buffer (413). */
    static int maxEventsPerBody(RacewayConfig config) {
        return Math.min(DecodeLimits.DEFAULT.maxEvents(), config.engine().bufferSize());
    }

    /**
     * Decodes the body, at most one request per processor at a time. Decoding is pure CPU work: more batches
     * decoded at once than there are processors only slows each of them down and starves the store's writer thread
     * (on two cores, four concurrent decodes cost a quarter more CPU per event than two). Requests beyond that wait
     * their turn, parked.
     */
    private BatchDecodeResult decode(ApiRequest req) throws MalformedBatchException {
        ByteBuf body = req.content();
        int length = body.readableBytes();
        decoding.acquireUninterruptibly();
        try {
            if (body.hasArray()) {
                return EventJson.decodeBatch(body.array(), body.arrayOffset() + body.readerIndex(), length, limits);
            }
            // The decoder reads arrays (its fast path reads bytes directly); it keeps nothing of the array, so one
            // per decoding thread is reused.
            byte[] scratch = SCRATCH.get();
            if (scratch.length < length) {
                scratch = new byte[Math.max(length, Math.min(2 * scratch.length, MAX_SCRATCH))];
                if (scratch.length <= MAX_SCRATCH) {
                    SCRATCH.set(scratch);
                }
            }
            body.getBytes(body.readerIndex(), scratch, 0, length);
            return EventJson.decodeBatch(scratch, 0, length, limits);
        } finally {
            decoding.release();
        }
    }

    /** Per decoding thread: the body being decoded, copied out of Netty's buffers. */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[64 * 1024]);
    /**
     * A larger body gets an array of its own rather than one kept by the thread: every worker thread may decode, so
     * what each keeps is bounded small (a 1,000-event batch is about 600 KB).
     */
    private static final int MAX_SCRATCH = 1 << 20;

    private static ApiResponse refused(Offer.Refused r) {
        if (r.reason() == Offer.Reason.TOO_LARGE) {
            return ApiResponse.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, r.message());
        }
        long seconds = Math.max(1, (r.retryAfter().toMillis() + 999) / 1000);
        return ApiResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE, r.message() + "; nothing was stored, retry")
                .withHeader("Retry-After", Long.toString(seconds));
    }

    /**
     * 200 with the counts, the rejected events and, once stored (durable acknowledgement), the duplicates whose
     * content differed from the event already stored under their id: the stored one is kept.
     */
    private static ApiResponse accepted(int events, List<EventRejection> rejected, Set<UUID> conflicting,
                                        BatchDecodeResult batch) {
        List<Map<String, Object>> duplicates = new ArrayList<>();
        if (!conflicting.isEmpty()) {
            for (int i = 0; i < batch.events().size(); i++) {
                UUID id = batch.events().get(i).id();
                if (conflicting.contains(id)) {
                    duplicates.add(Json.obj("id", id, "reason", "an event with this id is already stored with "
                            + "different content; the stored event was kept"));
                }
            }
        }
        return ApiResponse.json(HttpResponseStatus.OK, Json.ok(message(events, rejected.size()),
                "accepted", events, "rejected", rejections(rejected), "duplicates", duplicates));
    }

    static String message(int accepted, int rejected) {
        return rejected == 0 ? "Ingested " + accepted + " events"
                : "Ingested " + accepted + " events, " + rejected + " rejected";
    }

    private static List<Map<String, Object>> rejections(List<EventRejection> rejected) {
        return rejected.stream().map(r -> Json.obj("index", r.index(), "id", r.eventId(), "path", r.path(),
                "reason", r.reason())).toList();
    }

    /** {@code application/json} or {@code application/*+json}, parameters allowed. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mime = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mime.equals("application/json") || (mime.startsWith("application/") && mime.endsWith("+json"));
    }

    private static CompletionStage<ApiResponse> done(ApiResponse r) {
        return CompletableFuture.completedFuture(r);
    }
}
