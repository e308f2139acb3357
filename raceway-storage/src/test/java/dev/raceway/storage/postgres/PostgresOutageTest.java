package dev.raceway.storage.postgres;

import dev.raceway.storage.testing.EmbeddedPg;
import static dev.raceway.storage.TestEvents.call;
import static dev.raceway.storage.TestEvents.stateChange;
import static dev.raceway.storage.TestEvents.uuid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.storage.EventStore;
import dev.raceway.storage.EventStores;
import dev.raceway.storage.PostgresStoreConfig;
import dev.raceway.storage.ingest.EngineConfig;
import dev.raceway.storage.ingest.IngestMetrics;
import dev.raceway.storage.ingest.IngestPipeline;
import dev.raceway.storage.ingest.Offer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops the real PostgreSQL server in the middle of ingestion and starts it again on the same data directory: every
 * acknowledged event must be in the database afterwards, and nothing accepted may be given up.
 */
class PostgresOutageTest {
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path dataDir;

    private EmbeddedPostgres pg;
    private EventStore store;
    private IngestPipeline pipeline;

    @AfterEach
    void tearDown() throws IOException {
        if (pipeline != null) {
            pipeline.close(Duration.ofSeconds(5));
        }
        if (store != null) {
            store.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    private EmbeddedPostgres startPostgres(int port) throws IOException {
        return EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDir.resolve("pg"))
                .setCleanDataDirectory(false).start();
    }

    @Test
    void noAcknowledgedEventIsLostWhenTheDatabaseGoesDownAndComesBack() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.createDirectories(dataDir.resolve("pg"));
        pg = startPostgres(port);
        store = EventStores.open(PostgresStoreConfig.of(EmbeddedPg.connectionString(port, "postgres"))
                .withPool(2, 0, 1));
        pipeline = IngestPipeline.start(store, new EngineConfig(2_000, 50, 10).withRetryBackoff(10, 200));

        int total = 20_000;
        Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        AtomicLong refusedOffers = new AtomicLong();
        Thread producer = new Thread(() -> {
            for (int i = 0; i < total; i += 10) {
                List<Event> batch = new ArrayList<>();
                for (int j = i; j < i + 10; j++) {
                    UUID trace = uuid(0x100_000 + j / 20);
                    batch.add(j % 4 == 0 ? stateChange(uuid(j), trace, j, "t" + j % 3, "balance", AccessType.Write,
                            Integer.toString(j)) : call(uuid(j), trace, j));
                }
                while (true) {
                    Offer o = pipeline.offer(batch);
                    if (o instanceof Offer.Accepted a) {
                        List<UUID> ids = batch.stream().map(Event::id).toList();
                        synchronized (acks) {
                            acks.add(a.committed().thenRun(() -> acknowledged.addAll(ids)));
                        }
                        break;
                    }
                    // A client honouring Retry-After, compressed to 1 ms.
                    refusedOffers.incrementAndGet();
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            }
        }, "test-producer");
        producer.start();

        awaitCondition(() -> acknowledged.size() >= 3_000);
        pg.close(); // the server process stops: connections break mid-batch
        pg = null;
        awaitCondition(() -> !pipeline.metrics().storeAvailable() && refusedOffers.get() > 0);
        IngestMetrics duringOutage = pipeline.metrics();
        assertThat(duringOutage.queueDepth()).isEqualTo(duringOutage.bufferCapacity());

        pg = startPostgres(port);
        producer.join(DEADLINE.toMillis());
        assertThat(producer.isAlive()).as("producer still offering after %s; pipeline %s; store %s; writer at %s",
                DEADLINE, pipeline.metrics(), store.health(), writerStack()).isFalse();
        CompletableFuture<Void> all;
        synchronized (acks) {
            all = CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
        }
        all.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);

        IngestMetrics m = pipeline.metrics();
        assertThat(acknowledged).hasSize(total);
        assertThat(m.failed()).isZero();
        assertThat(m.retries()).isPositive();
        assertThat(m.refused()).isPositive();
        assertThat(store.counts().events()).isEqualTo(total);
        Set<UUID> stored = new HashSet<>();
        store.forEachTrace(acknowledged.stream().map(id -> uuid(0x100_000 + (id.getLeastSignificantBits()
                & 0xFFFF_FFFFL) / 20)).distinct().toList(), events -> events.forEach(e -> stored.add(e.id())));
        assertThat(stored).containsAll(acknowledged);
        assertThat(store.variableAccesses("balance")).hasSize(total / 4);
    }

    private static String writerStack() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().equals("raceway-ingest-writer"))
                .map(e -> java.util.Arrays.toString(e.getValue())).findFirst().orElse("(no writer)");
    }

    private static void awaitCondition(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + DEADLINE);
            }
            Thread.sleep(5); // polling granularity only
        }
    }
}
