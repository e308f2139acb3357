package dev.raceway.storage.testing;

import dev.raceway.storage.PostgresStoreConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One real PostgreSQL per test JVM, started on first use (startup takes seconds), stopped at JVM exit; one database
 * per test class. Shared with the server's tests through the storage test-jar.
 */
public final class EmbeddedPg {
    private static EmbeddedPostgres instance;

    private EmbeddedPg() {
    }

    public static synchronized EmbeddedPostgres get() {
        if (instance == null) {
            try {
                instance = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            EmbeddedPostgres started = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
        }
        return instance;
    }

    public static String connectionString(int port, String database) {
        return "postgresql://postgres:secret@localhost:" + port + "/" + database;
    }

    /** Settings for a database of the shared instance, creating the database when needed. */
    public static PostgresStoreConfig config(String database) {
        EmbeddedPostgres pg = get();
        createDatabase(pg, database);
        return PostgresStoreConfig.of(connectionString(pg.getPort(), database)).withPool(4, 1, 10);
    }

    public static synchronized void createDatabase(EmbeddedPostgres pg, String database) {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'");
            if (!rs.next()) {
                s.execute("CREATE DATABASE " + database);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
