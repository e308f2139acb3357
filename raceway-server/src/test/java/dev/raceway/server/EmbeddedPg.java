package dev.raceway.server;

import dev.raceway.storage.PostgresStoreConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** One real PostgreSQL per test JVM (started on first use, stopped at exit); one database per test class. */
final class EmbeddedPg {
    private static EmbeddedPostgres instance;

    private EmbeddedPg() {
    }

    static synchronized EmbeddedPostgres get() {
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

    /** {@code postgresql://} URL of a fresh (or existing) database of the shared instance. */
    static synchronized String database(String name) {
        EmbeddedPostgres pg = get();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'");
            if (!rs.next()) {
                s.execute("CREATE DATABASE " + name);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return "postgresql://postgres:secret@localhost:" + pg.getPort() + "/" + name;
    }

    static PostgresStoreConfig config(String name) {
        return PostgresStoreConfig.of(database(name)).withPool(4, 1, 10);
    }
}
