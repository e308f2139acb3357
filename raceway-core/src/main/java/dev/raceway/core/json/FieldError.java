package dev.raceway.core.json;

/**
 * Internal signal that one event is invalid: carries the path relative to the event and the reason. Thrown
 * without a stack trace because it is an expected, per-event outcome on the hot ingest path.
 */
final class FieldError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final String path;
    final String reason;

    FieldError(String path, String reason) {
        super(path + ": " + reason, null, false, false);
        this.path = path;
        this.reason = reason;
    }
}
