package dev.raceway.storage;

import java.util.Objects;

/**
 * {@code backend = "postgres"} or {@code "supabase"} with {@code [storage.postgres]}.
 *
 * @param connectionString {@code postgresql://user:pass@host:port/db?param=value…} (also {@code postgres://}); a
 *                         {@code jdbc:postgresql:} URL is accepted as is
 * @param supabase         {@code backend = "supabase"}: the same database code, but TLS is required
 *                         ({@code sslmode=require} unless the URL says otherwise) and server-side prepared statements
 *                         are off, because Supabase's pooler (PgBouncer in transaction mode) cannot keep them
 */
public record PostgresStoreConfig(String connectionString, int maxConnections, int minConnections,
                                  int connectionTimeoutSeconds, boolean autoMigrate, boolean supabase)
        implements StoreConfig {
    public static final int DEFAULT_MAX_CONNECTIONS = 10;
    public static final int DEFAULT_MIN_CONNECTIONS = 2;
    public static final int DEFAULT_CONNECTION_TIMEOUT_SECONDS = 30;

    public PostgresStoreConfig {
        Objects.requireNonNull(connectionString, "connectionString");
        if (connectionString.isBlank()) {
            throw new IllegalArgumentException("storage.postgres.connection_string is required for the "
                    + (supabase ? "supabase" : "postgres") + " backend");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("storage.postgres.max_connections must be >= 1, got " + maxConnections);
        }
        if (minConnections < 0) {
            throw new IllegalArgumentException("storage.postgres.min_connections must be >= 0, got " + minConnections);
        }
        if (minConnections > maxConnections) {
            throw new IllegalArgumentException("storage.postgres.min_connections (" + minConnections
                    + ") must not exceed max_connections (" + maxConnections + ")");
        }
        if (connectionTimeoutSeconds < 1) {
            throw new IllegalArgumentException("storage.postgres.connection_timeout_seconds must be >= 1, got "
                    + connectionTimeoutSeconds);
        }
    }

    /** The defaults of the configuration guide for {@code connectionString}. */
    public static PostgresStoreConfig of(String connectionString) {
        return new PostgresStoreConfig(connectionString, DEFAULT_MAX_CONNECTIONS, DEFAULT_MIN_CONNECTIONS,
                DEFAULT_CONNECTION_TIMEOUT_SECONDS, true, false);
    }

    public PostgresStoreConfig withAutoMigrate(boolean migrate) {
        return new PostgresStoreConfig(connectionString, maxConnections, minConnections, connectionTimeoutSeconds,
                migrate, supabase);
    }

    public PostgresStoreConfig withPool(int max, int min, int timeoutSeconds) {
        return new PostgresStoreConfig(connectionString, max, min, timeoutSeconds, autoMigrate, supabase);
    }

    public PostgresStoreConfig asSupabase() {
        return new PostgresStoreConfig(connectionString, maxConnections, minConnections, connectionTimeoutSeconds,
                autoMigrate, true);
    }

    @Override
    public String toString() {
        // Never print the password.
        return "PostgresStoreConfig[connectionString=" + connectionString.replaceAll("://([^:/@]*):[^@]*@", "://$1:***@")
                + ", maxConnections=" + maxConnections + ", minConnections=" + minConnections
                + ", connectionTimeoutSeconds=" + connectionTimeoutSeconds + ", autoMigrate=" + autoMigrate
                + ", supabase=" + supabase + "]";
    }
}
