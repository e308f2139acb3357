package dev.raceway.storage.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.raceway.storage.PostgresStoreConfig;
import dev.raceway.storage.SchemaMissingException;
import dev.raceway.storage.StorageException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfoService;

/**
 * Opens a store's database: the HikariCP pool, and the schema checked (or, with {@code auto_migrate}, created and
 * updated) by Flyway in its own PostgreSQL schema {@value #SCHEMA}.
 */
final class Bootstrap {
    static final String SCHEMA = "raceway";
    private static final String MIGRATIONS = "classpath:db/raceway/migration";

    private Bootstrap() {
    }

    /**
     * @throws IllegalArgumentException when the connection string is malformed
     * @throws SchemaMissingException   when the schema is missing or outdated and {@code autoMigrate} is off
     * @throws StorageException         when the database cannot be reached
     */
    static Database open(PostgresStoreConfig config) {
        JdbcTarget target = JdbcTarget.from(config);
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("raceway-postgres");
        hc.setJdbcUrl(target.jdbcUrl());
        target.user().ifPresent(hc::setUsername);
        target.password().ifPresent(hc::setPassword);
        hc.setMaximumPoolSize(config.maxConnections());
        hc.setMinimumIdle(config.minConnections());
        hc.setConnectionTimeout(config.connectionTimeoutSeconds() * 1000L);
        hc.setSchema(SCHEMA);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw SqlFailures.wrap("connecting to PostgreSQL at " + target.jdbcUrl(), e);
        }
        try {
            migrate(config, target);
            return new Database(ds, target.jdbcUrl());
        } catch (RuntimeException e) {
            ds.close();
            throw e instanceof StorageException s ? s : SqlFailures.wrap("preparing the PostgreSQL schema", e);
        }
    }

    private static void migrate(PostgresStoreConfig config, JdbcTarget target) {
        // Flyway opens its own connections (it needs two at once): migrations must work with max_connections = 1
        // and must not hold the pool.
        Flyway flyway = Flyway.configure()
                .dataSource(target.jdbcUrl(), target.user().orElse(null), target.password().orElse(null))
                .schemas(SCHEMA).createSchemas(true)
                .table("raceway_schema_history").locations(MIGRATIONS).load();
        if (config.autoMigrate()) {
            flyway.migrate();
            return;
        }
        MigrationInfoService info = flyway.info();
        if (info.current() == null || info.pending().length > 0) {
            throw new SchemaMissingException("the Raceway schema in PostgreSQL (" + target.jdbcUrl()
                    + ", schema '" + SCHEMA + "') is " + (info.current() == null ? "missing" : "outdated ("
                    + info.pending().length + " migration(s) pending)")
                    + " and [storage.postgres] auto_migrate = false; set auto_migrate = true once to create it");
        }
    }
}
