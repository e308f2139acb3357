package dev.raceway.storage;

/**
 * A storage operation failed. {@link #isTransient()} tells a caller whether retrying the same operation later may
 * succeed (database unreachable, connection lost, pool exhausted, serialization failure) or whether the request
 * itself cannot be stored (e.g. a value the database rejects) and retrying it is pointless.
 */
public class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean transientFailure;

    public StorageException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public StorageException(String message, boolean transientFailure) {
        super(message);
        this.transientFailure = transientFailure;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
