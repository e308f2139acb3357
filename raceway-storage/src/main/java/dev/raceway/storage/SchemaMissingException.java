package dev.raceway.storage;

/**
 * The PostgreSQL schema is absent or older than this version expects, and {@code auto_migrate} is off. The message
 * says what is missing and how to fix it.
 */
public final class SchemaMissingException extends StorageException {
    private static final long serialVersionUID = 1L;

    public SchemaMissingException(String message) {
        super(message, false);
    }
}
