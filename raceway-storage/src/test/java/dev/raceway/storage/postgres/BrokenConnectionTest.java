package dev.raceway.storage.postgres;

import static dev.raceway.storage.TestEvents.call;
import static dev.raceway.storage.TestEvents.uuid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.storage.EventStore;
import dev.raceway.storage.EventStores;
import dev.raceway.storage.StorageException;
import dev.raceway.storage.testing.EmbeddedPg;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A pooled connection whose server process dies between two writes must not be lent out again. Events are written
 * with COPY on the driver's own connection, which the pool cannot watch; without an explicit eviction the dead
 * connection is reused (the pool skips validation for recently used connections) and every retry fails forever,
 * even though the database is up.
 */
class BrokenConnectionTest {
    private static final String DATABASE = "broken_connection";

    @Test
    void aConnectionKilledByTheServerIsReplacedAndWritesResume() throws Exception {
        UUID trace = uuid(0x7000);
        try (EventStore store = EventStores.open(EmbeddedPg.config(DATABASE).withPool(1, 0, 2))) {
            store.write(List.of(call(uuid(1), trace, 1)));
            terminateClientConnections();

            int failures = 0;
            boolean written = false;
            for (int attempt = 0; attempt < 40 && !written; attempt++) {
                try {
                    store.write(List.of(call(uuid(100 + attempt), trace, 100 + attempt)));
                    written = true;
                } catch (StorageException e) {
                    assertThat(e.isTransient()).as("a broken connection is a transient failure").isTrue();
                    failures++;
                    Thread.sleep(50); // back-to-back retries, as the ingest pipeline makes them
                }
            }
            assertThat(written).as("a write succeeded after %d failures on the killed connection", failures).isTrue();
            assertThat(failures).isLessThanOrEqualTo(1);
        }
    }

    /** Kills every other client backend of the test database, as a server restart or a failover would. */
    private static void terminateClientConnections() throws Exception {
        try (Connection admin = EmbeddedPg.get().getPostgresDatabase().getConnection();
             Statement s = admin.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + DATABASE
                    + "' AND pid <> pg_backend_pid()");
        }
    }
}
