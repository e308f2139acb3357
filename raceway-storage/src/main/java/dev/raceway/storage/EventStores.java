package dev.raceway.storage;

import dev.raceway.storage.memory.MemoryEventStore;
import dev.raceway.storage.postgres.PostgresEventStore;

/** Opens the configured backend. */
public final class EventStores {
    private EventStores() {
    }

    /**
     * Opens a store. For PostgreSQL this connects, and migrates the schema when {@code autoMigrate} is set.
     *
     * @throws SchemaMissingException when the schema is missing and {@code autoMigrate} is off
     * @throws StorageException       when the database cannot be reached or the connection string is invalid
     */
    public static EventStore open(StoreConfig config) {
        if (config instanceof MemoryStoreConfig m) {
            return new MemoryEventStore(m);
        }
        if (config instanceof PostgresStoreConfig p) {
            return PostgresEventStore.open(p);
        }
        throw new IllegalArgumentException("unknown store config " + config);
    }
}
