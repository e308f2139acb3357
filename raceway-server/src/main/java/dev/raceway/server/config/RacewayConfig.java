package dev.raceway.server.config;

import dev.raceway.storage.MemoryStoreConfig;
import dev.raceway.storage.PostgresStoreConfig;
import dev.raceway.storage.StoreConfig;
import dev.raceway.storage.ingest.EngineConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole {@code raceway.toml}, validated. Build one with {@link ConfigLoader} or start from {@link #defaults()}
 * and use the {@code with…} methods (tests do).
 *
 * @param durableAck         reply to {@code POST /events} only after the events are stored (committed for
 *                           PostgreSQL); empty = the backend's default (on for PostgreSQL, off for memory)
 * @param durableAckTimeout  longest wait for the commit before answering 503 (the events may still be stored later;
 *                           writes are idempotent, so a retry is safe)
 * @param retentionMaxAge    traces whose newest event is older than this are deleted periodically; empty = keep
 * @param shutdownDrainTimeout how long a graceful shutdown waits for buffered events to be stored
 * @param otlp               {@code [otlp]}: the optional OTLP/HTTP listener of its own
 */
public record RacewayConfig(ServerSettings server, StoreConfig storage, EngineConfig engine,
                            Optional<Boolean> durableAck, Duration durableAckTimeout, FeatureFlags features,
                            LoggingSettings logging, boolean corsAllowAll, Optional<Duration> retentionMaxAge,
                            Duration shutdownDrainTimeout, OtlpSettings otlp) {

    public RacewayConfig {
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
    }

    /** Without an OTLP listener of its own. */
    public RacewayConfig(ServerSettings server, StoreConfig storage, EngineConfig engine,
                         Optional<Boolean> durableAck, Duration durableAckTimeout, FeatureFlags features,
                         LoggingSettings logging, boolean corsAllowAll, Optional<Duration> retentionMaxAge,
                         Duration shutdownDrainTimeout) {
        this(server, storage, engine, durableAck, durableAckTimeout, features, logging, corsAllowAll,
                retentionMaxAge, shutdownDrainTimeout, OtlpSettings.disabled());
    }

    /** Every default of the configuration guide: memory backend on 127.0.0.1:8080. */
    public static RacewayConfig defaults() {
        return new RacewayConfig(ServerSettings.defaults(), MemoryStoreConfig.defaults(), EngineConfig.defaults(),
                Optional.empty(), Duration.ofSeconds(30), FeatureFlags.defaults(), LoggingSettings.defaults(), false,
                Optional.empty(), Duration.ofSeconds(30));
    }

    /** Whether {@code POST /events} waits for the commit. */
    public boolean effectiveDurableAck() {
        return durableAck.orElse(storage instanceof PostgresStoreConfig);
    }

    public RacewayConfig withServer(ServerSettings s) {
        return new RacewayConfig(s, storage, engine, durableAck, durableAckTimeout, features, logging, corsAllowAll,
                retentionMaxAge, shutdownDrainTimeout, otlp);
    }

    public RacewayConfig withStorage(StoreConfig s) {
        return new RacewayConfig(server, s, engine, durableAck, durableAckTimeout, features, logging, corsAllowAll,
                retentionMaxAge, shutdownDrainTimeout, otlp);
    }

    public RacewayConfig withEngine(EngineConfig e) {
        return new RacewayConfig(server, storage, e, durableAck, durableAckTimeout, features, logging, corsAllowAll,
                retentionMaxAge, shutdownDrainTimeout, otlp);
    }

    public RacewayConfig withDurableAck(boolean on) {
        return new RacewayConfig(server, storage, engine, Optional.of(on), durableAckTimeout, features, logging,
                corsAllowAll, retentionMaxAge, shutdownDrainTimeout, otlp);
    }

    public RacewayConfig withFeatures(FeatureFlags f) {
        return new RacewayConfig(server, storage, engine, durableAck, durableAckTimeout, f, logging, corsAllowAll,
                retentionMaxAge, shutdownDrainTimeout, otlp);
    }

    public RacewayConfig withOtlp(OtlpSettings o) {
        return new RacewayConfig(server, storage, engine, durableAck, durableAckTimeout, features, logging,
                corsAllowAll, retentionMaxAge, shutdownDrainTimeout, o);
    }

    public RacewayConfig withCorsAllowAll(boolean on) {
        return new RacewayConfig(server, storage, engine, durableAck, durableAckTimeout, features, logging, on,
                retentionMaxAge, shutdownDrainTimeout, otlp);
    }
}
