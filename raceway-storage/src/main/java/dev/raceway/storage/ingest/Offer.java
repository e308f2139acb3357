package dev.raceway.storage.ingest;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** The answer to {@link IngestPipeline#offer}: all events of the offer were taken, or none. */
public sealed interface Offer {

    /**
     * The events are buffered and will be written.
     *
     * @param committed completes when every one of these events is stored (the store call of the batch holding the
     *                  last of them returned: committed for PostgreSQL) with the ids of those that were duplicates
     *                  with content differing from the stored event (kept as stored), or exceptionally with
     *                  {@link IngestException} when they could not be stored (rejected by the store as invalid, or
     *                  still unwritten when the pipeline closed). Never completes exceptionally for a transient
     *                  store outage: those batches are retried. It completes on the writer thread: continuations
     *                  must not block (hand off, e.g. to the Netty event loop, or use the *Async variants).
     */
    record Accepted(int events, CompletableFuture<Set<UUID>> committed) implements Offer {
        public Accepted {
            Objects.requireNonNull(committed, "committed");
        }
    }

    /**
     * Nothing was taken; the caller should answer 429/503 with {@code Retry-After} ({@link #retryAfter()}), or 413
     * when {@link Reason#TOO_LARGE}.
     */
    record Refused(Reason reason, int events, Duration retryAfter, String message) implements Offer {
        public Refused {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(retryAfter, "retryAfter");
            Objects.requireNonNull(message, "message");
        }
    }

    enum Reason {
        /** The buffer has no room for these events now. */
        BUFFER_FULL,
        /** More events than the whole buffer holds: can never be accepted; the client must split the request. */
        TOO_LARGE,
        /** The pipeline is closing or closed. */
        CLOSED
    }

    default boolean isAccepted() {
        return this instanceof Accepted;
    }
}
