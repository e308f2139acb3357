package dev.raceway.storage.postgres;

import dev.raceway.storage.testing.EmbeddedPg;
import static dev.raceway.storage.TestEvents.call;
import static dev.raceway.storage.TestEvents.stateChange;
import static dev.raceway.storage.TestEvents.uuid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.storage.EventStore;
import dev.raceway.storage.EventStoreContract;
import dev.raceway.storage.EventStores;
import dev.raceway.storage.PostgresStoreConfig;
import dev.raceway.storage.SchemaMissingException;
import dev.raceway.storage.StorageException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PostgresEventStoreTest extends EventStoreContract {

    @Override
    protected EventStore openEmptyStore() {
        EventStore s = EventStores.open(EmbeddedPg.config("contract"));
        s.clear();
        return s;
    }

    @Test
    void streamsOnlyTracesWithStateChangesOneAtATimeEachComplete() {
        List<Event> all = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            UUID trace = uuid(0x10_000 + i % 300);
            all.add(i % 3 == 0 ? stateChange(uuid(i), trace, i, "t", "v" + i % 7, AccessType.Write, "1")
                    : call(uuid(i), trace, i));
        }
        for (int i = 0; i < all.size(); i += 500) {
            store.write(all.subList(i, i + 500));
        }

        Map<UUID, Integer> seen = new HashMap<>();
        store.forEachTraceWithStateChanges(events -> {
            assertThat(events).isEqualTo(store.traceEvents(events.get(0).traceId()));
            assertThat(seen.put(events.get(0).traceId(), events.size())).isNull();
        });

        assertThat(seen).hasSize(100); // only traces i % 300 ≡ 0 (mod 3) have state changes
        assertThat(seen.values()).allMatch(n -> n == 10);
    }

    @Test
    void theSchemaIsMigratedOnceAndReopeningWithoutMigrationWorks() {
        store.write(List.of(call(uuid(1), uuid(0xA), 0)));

        try (EventStore again = EventStores.open(EmbeddedPg.config("contract").withAutoMigrate(false))) {
            assertThat(again.event(uuid(1))).isPresent();
        }
    }

    @Test
    void aMissingSchemaWithoutAutoMigrateIsAClearError() {
        PostgresStoreConfig config = EmbeddedPg.config("never_migrated").withAutoMigrate(false);

        assertThatThrownBy(() -> EventStores.open(config)).isInstanceOf(SchemaMissingException.class)
                .hasMessageContaining("missing").hasMessageContaining("auto_migrate = true");
    }

    @Test
    void anUnreachableDatabaseIsATransientStorageError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PostgresStoreConfig config = PostgresStoreConfig.of(EmbeddedPg.connectionString(port, "x"))
                .withPool(2, 0, 1);

        assertThatThrownBy(() -> EventStores.open(config)).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.isTransient()).isTrue()).hasMessageContaining("localhost:" + port);
    }

    @Test
    void aWrongPasswordIsNotMistakenForAnOutage() {
        // The embedded server trusts local connections, so use a missing database instead: a permanent error.
        PostgresStoreConfig config = PostgresStoreConfig.of(
                EmbeddedPg.connectionString(EmbeddedPg.get().getPort(), "no_such_database")).withPool(2, 0, 2);

        assertThatThrownBy(() -> EventStores.open(config)).isInstanceOf(StorageException.class)
                .hasMessageContaining("no_such_database");
    }
}
