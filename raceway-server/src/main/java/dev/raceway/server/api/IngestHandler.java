package dev.raceway.server.api;

import dev.raceway.core.event.Event;
import dev.raceway.core.json.BatchDecodeResult;
import dev.raceway.core.json.DecodeLimits;
import dev.raceway.core.json.EventJson;
import dev.raceway.core.json.EventRejection;
import dev.raceway.core.json.MalformedBatchException;
import dev.raceway.server.config.ServerConfiguration;
import dev.raceway.server.http.ApiRequest;
import dev.raceway.server.http.ApiResponse;
import dev.raceway.server.http.Handler;
import dev.raceway.server.http.Json;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;

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
 *       acknowledged; with durable acknowledgement the 200 is sent only after the events are stored
 *       (committed), and its {@code duplicates} lists the events whose id was already stored with other content
 *       (the stored event is kept; without durable acknowledgement they are only counted in {@code /metrics}) —
 *       both as {@link EventSubmission} answers for every ingest route.</li>
 * </ul>
 */
final class IngestHandler implements Handler {
    private final ServerContext ctx;
    private final DecodeLimits limits;
    private final EventSubmission submission;
    private final Semaphore decoding = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));

    IngestHandler(ServerContext ctx) {
        this.ctx = ctx;
        this.limits = DecodeLimits.DEFAULT.withMaxEvents(maxEventsPerBody(ctx.config()));
        this.submission = new EventSubmission(ctx);
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
        Optional<ApiResponse> tooLarge = submission.tooLargeForStore(req.bodyLength(), ApiResponse::error);
        if (tooLarge.isPresent()) {
            return done(tooLarge.get());
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
        return submission.submit(batch.events(), (accepted, conflicting) -> ApiResponse.json(HttpResponseStatus.OK,
                Json.ok(message(accepted, rejected.size()), "accepted", accepted, "rejected", rejections(rejected),
                        "duplicates", duplicates(batch, conflicting))), ApiResponse::error);
    }

    /** The most events one body may carry: a larger batch could never fit the ingest buffer (413). */
    static int maxEventsPerBody(ServerConfiguration config) {
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

    /** The events whose id was already stored with other content (the stored event was kept). */
    private static List<Map<String, Object>> duplicates(BatchDecodeResult batch, Set<UUID> conflicting) {
        if (conflicting.isEmpty()) {
            return List.of();
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Event e : batch.events()) {
            if (conflicting.contains(e.id())) {
                out.add(Json.obj("id", e.id(), "reason", "an event with this id is already stored with different "
                        + "content; the stored event was kept"));
            }
        }
        return out;
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
