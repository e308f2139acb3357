package dev.raceway.storage.ingest;

/** Accepted events that could not be stored (completes {@link Offer.Accepted#committed()} exceptionally). */
public final class IngestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IngestException(String message, Throwable cause) {
        super(message, cause);
    }

    public IngestException(String message) {
        super(message);
    }
}
