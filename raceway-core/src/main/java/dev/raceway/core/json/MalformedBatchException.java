package dev.raceway.core.json;

/**
 * The body as a whole is unusable: not JSON, not {@code {"events":[...]}}, too many events, or nested too deeply
 * to recover. Per-event problems are not thrown; they become {@link EventRejection}s.
 */
public final class MalformedBatchException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Which rule the body broke; servers map it to a status code. */
    public enum Reason {
        /** Not well-formed JSON (400). */
        SYNTAX,
        /** Well-formed JSON that is not {@code {"events":[...]}} (422). */
        NOT_A_BATCH,
        /** More events than the configured maximum (413). */
        TOO_MANY_EVENTS,
        /** Nesting or a string beyond the hard limits (413). */
        TOO_LARGE
    }

    private final Reason reason;

    public MalformedBatchException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public MalformedBatchException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
