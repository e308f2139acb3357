package dev.raceway.server.api;

import dev.raceway.server.config.ServerConfiguration;
import dev.raceway.server.metrics.ServerMetrics;
import dev.raceway.storage.EventStore;
import dev.raceway.storage.ingest.IngestPipeline;
import java.time.Instant;

/**
 * What route handlers share: the configuration, the store, its health probe, the ingest pipeline, the metrics, the
 * start time.
 */
public record ServerContext(ServerConfiguration config, EventStore store, HealthProbe health, IngestPipeline pipeline,
                            ServerMetrics metrics, Instant startedAt, String version) {
}
