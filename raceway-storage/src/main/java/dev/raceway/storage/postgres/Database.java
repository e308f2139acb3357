package dev.raceway.storage.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.raceway.storage.StorageException;
import dev.raceway.storage.StoreHealth;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * One store's connection pool and how its parts run SQL on it: every failure leaves as a {@link StorageException}
 * (transient or not, see {@link SqlFailures}).
 */
final class Database implements AutoCloseable {
    final HikariDataSource dataSource;
    final Jdbi jdbi;
    /** The JDBC URL, without credentials. */
    final String description;

    Database(HikariDataSource dataSource, String description) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.description = description;
    }

    /** Runs a read on a pooled handle. */
    <T> T read(String what, HandleCallback<T, Exception> callback) {
        try {
            return jdbi.withHandle(callback);
        } catch (StorageException e) {
            throw e;
        } catch (Exception e) {
            throw SqlFailures.wrap(what, e);
        }
    }

    /**
     * Evicts a connection that failed at the connection level. COPY runs on the driver's own connection, behind the
     * pool's back: a connection that breaks during COPY is not noticed by HikariCP, which would keep lending it out
     * (a recently used connection is not re-validated), and every retry after an outage would fail on it.
     */
    void evictIfBroken(Connection c, SQLException e) {
        if (SqlFailures.isConnectionFailure(e)) {
            dataSource.evictConnection(c);
        }
    }

    static void execute(Connection c, String sql, Array... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setArray(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }

    StoreHealth health() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(5);
            s.execute("SELECT 1 FROM traces LIMIT 1");
            return new StoreHealth(true, "postgres", "connected to " + description);
        } catch (SQLException | RuntimeException e) {
            return new StoreHealth(false, "postgres", "PostgreSQL unavailable (" + description + "): "
                    + e.getMessage());
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
