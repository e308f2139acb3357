package dev.raceway.sdk.transport;

import java.util.Objects;
import java.util.Optional;

/**
 * The server's answer to one post: the status, the {@code Retry-After} header if any (seconds or an HTTP date),
 * and the start of the body — at most {@link #MAX_BODY_BYTES}, from which the sender reads the {@code rejected}
 * count and quotes a refusal. Immutable (the body is copied in and out).
 */
public final class TransportAnswer {
    /** How much of a response body a transport needs to read. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    private final int status;
    private final Optional<String> retryAfter;
    private final byte[] body;

    public TransportAnswer(int status, Optional<String> retryAfter, byte[] body) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must be an HTTP status code, got " + status);
        }
        this.status = status;
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
        this.body = Objects.requireNonNull(body, "body").clone();
    }

    /** An answer with no {@code Retry-After}. */
    public static TransportAnswer of(int status, byte[] body) {
        return new TransportAnswer(status, Optional.empty(), body);
    }

    public int status() {
        return status;
    }

    public Optional<String> retryAfter() {
        return retryAfter;
    }

    public byte[] body() {
        return body.clone();
    }

    @Override
    public String toString() {
        return "TransportAnswer[" + status + ", " + body.length + " body bytes]";
    }
}
