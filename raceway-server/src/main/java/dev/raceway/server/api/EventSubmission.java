package dev.raceway.server.api;

import dev.raceway.core.event.Event;
import dev.raceway.server.http.ApiResponse;
import dev.raceway.storage.MemoryStoreConfig;
import dev.raceway.storage.ingest.Offer;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Hands the decoded events of one ingest request to the pipeline and turns the outcome into the answer, the same
 * for every ingest route ({@code POST /events}, {@code POST /v1/traces}); only the shape of the bodies differs.
 *
 * <ul>
 *   <li>the buffer is full → wait up to {@code [engine] full_buffer_wait_ms} for space, then 503 with
 *       {@code Retry-After}, nothing acknowledged; more events than the whole buffer holds → 413;</li>
 *   <li>with durable acknowledgement the success answer is sent only after the events are stored (committed);
 *       a commit slower than {@code durable_ack_timeout} → 503 with {@code Retry-After} (a retry is safe: event ids
 *       make writes idempotent).</li>
 * </ul>
 */
final class EventSubmission {
    /** How a route writes an error body (the Raceway envelope, or OTLP's {@code Status}). */
    @FunctionalInterface
    interface ErrorBody {
        ApiResponse error(HttpResponseStatus status, String message);
    }

    /** How a route writes its success body, given the events accepted and those that conflicted when stored. */
    @FunctionalInterface
    interface SuccessBody {
        ApiResponse ok(int accepted, Set<UUID> conflicting);
    }

    private final ServerContext ctx;
    /** Bodies above this are refused (413): an event of theirs could take more than the memory store may hold. */
    private final long maxBodyForStore;
    private final boolean durable;
    private final Duration ackTimeout;
    private final Duration fullBufferWait;

    EventSubmission(ServerContext ctx) {
        this.ctx = ctx;
        this.durable = ctx.config().effectiveDurableAck();
        this.ackTimeout = ctx.config().durableAckTimeout();
        this.fullBufferWait = Duration.ofMillis(ctx.config().engine().fullBufferWaitMs());
        this.maxBodyForStore = ctx.config().storage() instanceof MemoryStoreConfig m ? m.maxBytes() / 4
                : Long.MAX_VALUE;
    }

    /** 413 for a body larger than a quarter of the memory store's byte budget. */
    Optional<ApiResponse> tooLargeForStore(int bodyLength, ErrorBody errors) {
        if (bodyLength <= maxBodyForStore) {
            return Optional.empty();
        }
        return Optional.of(errors.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "body of " + bodyLength
                + " bytes is larger than a quarter of [storage.memory] max_bytes (" + 4 * maxBodyForStore
                + "); send smaller batches or raise the budget"));
    }

    /**
     * Offers {@code events}; answers {@code ok} once they are buffered, or committed with durable acknowledgement
     * (then with the ids that conflicted with stored events), else an error made by {@code errors}.
     */
    CompletionStage<ApiResponse> submit(List<Event> events, SuccessBody ok, ErrorBody errors) {
        Offer offer = ctx.pipeline().offer(events, fullBufferWait);
        if (offer instanceof Offer.Refused r) {
            return CompletableFuture.completedFuture(refused(r, errors));
        }
        Offer.Accepted a = (Offer.Accepted) offer;
        if (!durable || a.events() == 0) {
            return CompletableFuture.completedFuture(ok.ok(a.events(), Set.of()));
        }
        return a.committed().orTimeout(ackTimeout.toMillis(), TimeUnit.MILLISECONDS).handle((conflicting, err) -> {
            if (err == null) {
                return ok.ok(a.events(), conflicting);
            }
            Throwable cause = err.getCause() != null ? err.getCause() : err;
            if (cause instanceof TimeoutException) {
                ctx.metrics().recordDurableAckTimeout();
                return errors.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "events were accepted but not "
                        + "committed within " + ackTimeout.toMillis() + " ms; retry (duplicates are ignored)")
                        .withHeader("Retry-After", "5");
            }
            return errors.error(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    "events could not be stored: " + cause.getMessage());
        });
    }

    private static ApiResponse refused(Offer.Refused r, ErrorBody errors) {
        if (r.reason() == Offer.Reason.TOO_LARGE) {
            return errors.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, r.message());
        }
        long seconds = Math.max(1, (r.retryAfter().toMillis() + 999) / 1000);
        return errors.error(HttpResponseStatus.SERVICE_UNAVAILABLE, r.message() + "; nothing was stored, retry")
                .withHeader("Retry-After", Long.toString(seconds));
    }
}
