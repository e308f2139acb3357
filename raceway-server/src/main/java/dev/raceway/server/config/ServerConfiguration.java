package dev.raceway.server.config;

import static dev.raceway.server.config.ConfigKeys.DEVELOPMENT_CORS_ALLOW_ALL;
import static dev.raceway.server.config.ConfigKeys.ENGINE_DURABLE_ACK_TIMEOUT_MS;
import static dev.raceway.server.config.ConfigKeys.ENGINE_SHUTDOWN_DRAIN_TIMEOUT_MS;
import static dev.raceway.server.config.ConfigKeys.RETENTION_MAX_AGE_HOURS;

import dev.raceway.storage.MemoryStoreConfig;
import dev.raceway.storage.PostgresStoreConfig;
import dev.raceway.storage.StoreConfig;
import dev.raceway.storage.ingest.EngineConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The whole {@code raceway.toml} of a server, validated (each part validates itself; the durations here are checked
 * against their keys' ranges). {@link ConfigLoader} reads one from a file; {@link #builder()} starts from the defaults
 * of {@link ConfigKeys} (tests and embedders use it). Not the SDK's {@code dev.raceway.sdk.RacewayConfig}, which
 * configures a client.
 *
 * @param durableAck         reply to {@code POST /events} only after the events are stored (committed for
 *                           PostgreSQL); empty = the backend's default (on for PostgreSQL, off for memory)
 * @param durableAckTimeout  longest wait for the commit before answering 503 (the events may still be stored later;
 *                           writes are idempotent, so a retry is safe)
 * @param retentionMaxAge    traces whose newest event is older than this are deleted periodically; empty = keep
 * @param shutdownDrainTimeout how long a graceful shutdown waits for buffered events to be stored
 * @param otlp               {@code [otlp]}: the optional OTLP/HTTP listener of its own
 */
public record ServerConfiguration(ServerSettings server, StoreConfig storage, EngineConfig engine,
                                  Optional<Boolean> durableAck, Duration durableAckTimeout, FeatureFlags features,
                                  LoggingSettings logging, boolean corsAllowAll, Optional<Duration> retentionMaxAge,
                                  Duration shutdownDrainTimeout, OtlpSettings otlp) {

    public ServerConfiguration {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(durableAck, "durableAck");
        Objects.requireNonNull(durableAckTimeout, "durableAckTimeout");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(logging, "logging");
        Objects.requireNonNull(retentionMaxAge, "retentionMaxAge");
        Objects.requireNonNull(shutdownDrainTimeout, "shutdownDrainTimeout");
        Objects.requireNonNull(otlp, "otlp");
        ENGINE_DURABLE_ACK_TIMEOUT_MS.check(durableAckTimeout.toMillis());
        ENGINE_SHUTDOWN_DRAIN_TIMEOUT_MS.check(shutdownDrainTimeout.toMillis());
        retentionMaxAge.ifPresent(age -> RETENTION_MAX_AGE_HOURS.check(age.toHours()));
    }

    /** Every default of the configuration guide: memory backend on 127.0.0.1:8080. */
    public static ServerConfiguration defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration, to change part of it. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.server = server;
        b.storage = storage;
        b.engine = engine;
        b.durableAck = durableAck;
        b.durableAckTimeout = durableAckTimeout;
        b.features = features;
        b.logging = logging;
        b.corsAllowAll = corsAllowAll;
        b.retentionMaxAge = retentionMaxAge;
        b.shutdownDrainTimeout = shutdownDrainTimeout;
        b.otlp = otlp;
        return b;
    }

    /** Whether {@code POST /events} waits for the commit. */
    public boolean effectiveDurableAck() {
        return durableAck.orElse(storage instanceof PostgresStoreConfig);
    }

    /** {@link ServerConfiguration} from the defaults of {@link ConfigKeys}; {@link #build()} validates. */
    public static final class Builder {
        private ServerSettings server = ServerSettings.defaults();
        private StoreConfig storage = MemoryStoreConfig.defaults();
        private EngineConfig engine = EngineConfig.defaults();
        private Optional<Boolean> durableAck = Optional.empty();
        private Duration durableAckTimeout = Duration.ofMillis(ENGINE_DURABLE_ACK_TIMEOUT_MS.defaultValue());
        private FeatureFlags features = FeatureFlags.defaults();
        private LoggingSettings logging = LoggingSettings.defaults();
        private boolean corsAllowAll = DEVELOPMENT_CORS_ALLOW_ALL.defaultValue();
        private Optional<Duration> retentionMaxAge = Optional.empty();
        private Duration shutdownDrainTimeout = Duration.ofMillis(ENGINE_SHUTDOWN_DRAIN_TIMEOUT_MS.defaultValue());
        private OtlpSettings otlp = OtlpSettings.disabled();

        private Builder() {
        }

        public Builder server(ServerSettings server) {
            this.server = Objects.requireNonNull(server, "server");
            return this;
        }

        /** Changes the server settings held so far, e.g. {@code server(s -> s.port(0).warmUp(false))}. */
        public Builder server(Consumer<ServerSettings.Builder> change) {
            ServerSettings.Builder b = server.toBuilder();
            change.accept(b);
            server = b.build();
            return this;
        }

        public Builder storage(StoreConfig storage) {
            this.storage = Objects.requireNonNull(storage, "storage");
            return this;
        }

        public Builder engine(EngineConfig engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /** Wait for the commit (or not) whatever the backend's default. */
        public Builder durableAck(boolean on) {
            this.durableAck = Optional.of(on);
            return this;
        }

        public Builder durableAckTimeout(Duration timeout) {
            this.durableAckTimeout = Objects.requireNonNull(timeout, "durableAckTimeout");
            return this;
        }

        public Builder features(FeatureFlags features) {
            this.features = Objects.requireNonNull(features, "features");
            return this;
        }

        public Builder logging(LoggingSettings logging) {
            this.logging = Objects.requireNonNull(logging, "logging");
            return this;
        }

        public Builder corsAllowAll(boolean on) {
            this.corsAllowAll = on;
            return this;
        }

        /** Delete traces whose newest event is older than this. */
        public Builder retentionMaxAge(Duration maxAge) {
            this.retentionMaxAge = Optional.of(maxAge);
            return this;
        }

        public Builder shutdownDrainTimeout(Duration timeout) {
            this.shutdownDrainTimeout = Objects.requireNonNull(timeout, "shutdownDrainTimeout");
            return this;
        }

        public Builder otlp(OtlpSettings otlp) {
            this.otlp = Objects.requireNonNull(otlp, "otlp");
            return this;
        }

        public ServerConfiguration build() {
            return new ServerConfiguration(server, storage, engine, durableAck, durableAckTimeout, features, logging,
                    corsAllowAll, retentionMaxAge, shutdownDrainTimeout, otlp);
        }
    }
}
