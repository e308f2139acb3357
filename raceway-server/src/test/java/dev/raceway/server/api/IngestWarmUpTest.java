package dev.raceway.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.server.RacewayServer;
import dev.raceway.server.config.ServerConfiguration;
import dev.raceway.storage.ingest.EngineConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The start-up warm-up runs the real ingest path and leaves nothing behind. */
class IngestWarmUpTest {
    private static final ServerConfiguration CONFIG = ServerConfiguration.defaults();

    @Test
    void runsWholeSyntheticBatchesThroughTheHandlerUpToItsBudget() throws Exception {
        // Every batch must be answered 200 by the real handler, or run() throws.
        assertThat(IngestWarmUp.run(CONFIG, 3000, Duration.ofMinutes(1))).isEqualTo(3000);
        // The time bound ends it after the batch in progress.
        assertThat(IngestWarmUp.run(CONFIG, Integer.MAX_VALUE, Duration.ZERO)).isZero();
        // Durable acknowledgement (the PostgreSQL default) does not make the scratch run wait for a database.
        ServerConfiguration durable = ServerConfiguration.builder().durableAck(true).build();
        assertThat(IngestWarmUp.run(durable, 2000, Duration.ofMinutes(1))).isEqualTo(2000);
        // A small ingest buffer (batches above it are refused as too large) gets batches that fit.
        ServerConfiguration small = ServerConfiguration.builder().engine(new EngineConfig(300, 100, 10)).build();
        assertThat(IngestWarmUp.run(small, 900, Duration.ofMinutes(1))).isEqualTo(900);
    }

    @Test
    void aServerStartsEmptyAndTheJvmWarmsOnlyOnce() throws Exception {
        ServerConfiguration c = ServerConfiguration.builder().server(s -> s.port(0).warmUp(true)).build();
        try (RacewayServer server = RacewayServer.start(c)) {
            assertThat(server.store().counts().events()).isZero();
            assertThat(server.ingestMetrics().accepted()).isZero();
            assertThat(server.ingestMetrics().written()).isZero();
        }
        // The first start of this JVM (above, or an earlier test's) did the warm-up.
        assertThat(IngestWarmUp.runOnce(c)).isZero();
    }
}
