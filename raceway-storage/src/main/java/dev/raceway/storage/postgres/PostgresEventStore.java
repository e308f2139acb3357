package dev.raceway.storage.postgres;

import dev.raceway.storage.EventStore;
import dev.raceway.storage.PostgresStoreConfig;
import dev.raceway.storage.StorageException;

/** The PostgreSQL backend (placeholder until implemented). */
public final class PostgresEventStore {
    private PostgresEventStore() {
    }

    public static EventStore open(PostgresStoreConfig config) {
        throw new StorageException("the postgres backend is not implemented yet", false);
    }
}
