package dev.raceway.storage.ingest;

import static dev.raceway.storage.TestEvents.call;
import static dev.raceway.storage.TestEvents.uuid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.raceway.core.event.Event;
import dev.raceway.storage.EventWriter;
import dev.raceway.storage.MemoryStoreConfig;
import dev.raceway.storage.StorageException;
import dev.raceway.storage.StoreCounts;
import dev.raceway.storage.TestEvents;
import dev.raceway.storage.WriteResult;
import dev.raceway.storage.memory.MemoryEventStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IngestPipelineTest {
    private static final long HOUR_MS = 3_600_000;
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final MemoryEventStore store = new MemoryEventStore(MemoryStoreConfig.defaults());
    private final RecordingWriter recording = new RecordingWriter(store);
    private IngestPipeline pipeline;

    @AfterEach
    void closePipeline() {
        if (pipeline != null) {
            pipeline.close(Duration.ofSeconds(5));
        }
    }

    private static List<Event> events(int from, int count, UUID trace) {
        List<Event> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            out.add(call(uuid(i), trace, i));
        }
        return out;
    }

    private static Offer.Accepted accepted(Offer offer) {
        assertThat(offer).isInstanceOf(Offer.Accepted.class);
        return (Offer.Accepted) offer;
    }

    private static void await(CompletableFuture<?> f) throws Exception {
        f.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void awaitCondition(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + DEADLINE);
            }
            Thread.sleep(1); // polling granularity only; the test waits for the condition, not a fixed time
        }
    }

    @Test
    void writesAsSoonAsABatchIsFullWithoutWaitingForTheInterval() throws Exception {
        pipeline = IngestPipeline.start(recording, new EngineConfig(100, 10, HOUR_MS));

        Offer.Accepted a = accepted(pipeline.offer(events(0, 10, uuid(0xA))));

        await(a.committed());
        assertThat(recording.batchSizes).containsExactly(10);
        assertThat(store.counts()).isEqualTo(new StoreCounts(10, 1));
    }

    @Test
    void writesAPartialBatchOnceTheFlushIntervalHasPassed() throws Exception {
        pipeline = IngestPipeline.start(recording, new EngineConfig(100, 50, 20));

        Offer.Accepted a = accepted(pipeline.offer(events(0, 3, uuid(0xA))));

        await(a.committed());
        assertThat(recording.batchSizes).containsExactly(3);
    }

    @Test
    void neverSleepsWhileABacklogWaits() throws Exception {
        // With an hour-long flush interval, only size-triggered flushes can finish this before the deadline.
        pipeline = IngestPipeline.start(recording, new EngineConfig(10_000, 10, HOUR_MS));
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            all.add(accepted(pipeline.offer(events(i * 10, 10, uuid(0x100 + i)))).committed());
        }

        await(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)));
        assertThat(store.counts().events()).isEqualTo(2000);
        assertThat(recording.batchSizes).allSatisfy(n -> assertThat(n).isEqualTo(10));
    }

    @Test
    void offersAreSplitAcrossBatchesAndAcknowledgedWhenTheirLastEventIsStored() throws Exception {
        pipeline = IngestPipeline.start(recording, new EngineConfig(100, 4, HOUR_MS));

        Offer.Accepted a = accepted(pipeline.offer(events(0, 6, uuid(0xA))));
        Offer.Accepted b = accepted(pipeline.offer(events(6, 2, uuid(0xA))));

        await(CompletableFuture.allOf(a.committed(), b.committed()));
        assertThat(recording.batchSizes).containsExactly(4, 4);
        assertThat(store.counts().events()).isEqualTo(8);
    }

    @Test
    void aFullBufferRefusesOffersInsteadOfDroppingEvents() throws Exception {
        GatedWriter gated = new GatedWriter(store);
        pipeline = IngestPipeline.start(gated, new EngineConfig(20, 10, 5));
        Offer.Accepted first = accepted(pipeline.offer(events(0, 15, uuid(0xA))));
        gated.awaitBlocked();
        Offer.Accepted second = accepted(pipeline.offer(events(15, 5, uuid(0xA))));

        Offer refused = pipeline.offer(events(20, 1, uuid(0xB)));

        assertThat(refused).isInstanceOfSatisfying(Offer.Refused.class, r -> {
            assertThat(r.reason()).isEqualTo(Offer.Reason.BUFFER_FULL);
            assertThat(r.retryAfter()).isPositive();
            assertThat(r.message()).contains("ingest buffer full");
        });
        IngestMetrics m = pipeline.metrics();
        assertThat(m.refused()).isEqualTo(1);
        assertThat(m.accepted()).isEqualTo(20);
        assertThat(m.queueDepth()).isEqualTo(20);

        gated.open();
        await(CompletableFuture.allOf(first.committed(), second.committed()));
        assertThat(store.counts().events()).isEqualTo(20);
        assertThat(pipeline.offer(events(20, 1, uuid(0xB))).isAccepted()).isTrue();
    }

    @Test
    void anOfferThatMayWaitIsAcceptedOnceTheWriterFreesSpace() throws Exception {
        GatedWriter gated = new GatedWriter(store);
        pipeline = IngestPipeline.start(gated, new EngineConfig(20, 10, 5));
        Offer.Accepted first = accepted(pipeline.offer(events(0, 20, uuid(0xA))));
        gated.awaitBlocked();

        CompletableFuture<Offer> waiting = CompletableFuture.supplyAsync(
                () -> pipeline.offer(events(20, 5, uuid(0xB)), DEADLINE));
        awaitCondition(() -> pipeline.metrics().queueDepth() == 20);
        assertThat(waiting).isNotDone(); // the buffer is still full: it waits rather than refusing
        gated.open();

        Offer.Accepted later = accepted(waiting.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        await(CompletableFuture.allOf(first.committed(), later.committed()));
        assertThat(store.counts().events()).isEqualTo(25);
        assertThat(pipeline.metrics().refused()).isZero();
    }

    @Test
    void anOfferThatMayWaitIsRefusedWhenNoSpaceFreesInTime() throws Exception {
        GatedWriter gated = new GatedWriter(store);
        pipeline = IngestPipeline.start(gated, new EngineConfig(20, 10, 5));
        accepted(pipeline.offer(events(0, 20, uuid(0xA))));
        gated.awaitBlocked();

        Offer o = pipeline.offer(events(20, 1, uuid(0xB)), Duration.ofMillis(50));

        assertThat(o).isInstanceOfSatisfying(Offer.Refused.class,
                r -> assertThat(r.reason()).isEqualTo(Offer.Reason.BUFFER_FULL));
        gated.open();
    }

    @Test
    void anOfferWaitingForSpaceIsRefusedWhenThePipelineCloses() throws Exception {
        GatedWriter gated = new GatedWriter(store);
        pipeline = IngestPipeline.start(gated, new EngineConfig(20, 10, 5));
        accepted(pipeline.offer(events(0, 20, uuid(0xA))));
        gated.awaitBlocked();
        CompletableFuture<Offer> waiting = CompletableFuture.supplyAsync(
                () -> pipeline.offer(events(20, 5, uuid(0xB)), DEADLINE));
        awaitCondition(() -> pipeline.metrics().queueDepth() == 20);

        CompletableFuture<Boolean> closed = CompletableFuture.supplyAsync(() -> pipeline.close(DEADLINE));

        assertThat(waiting.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOfSatisfying(
                Offer.Refused.class, r -> assertThat(r.reason()).isEqualTo(Offer.Reason.CLOSED));
        gated.open();
        assertThat(closed.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(store.counts().events()).isEqualTo(20);
    }

    @Test
    void anOfferLargerThanTheWholeBufferIsRefusedAsTooLarge() {
        pipeline = IngestPipeline.start(recording, new EngineConfig(20, 10, 5));

        Offer o = pipeline.offer(events(0, 21, uuid(0xA)));

        assertThat(o).isInstanceOfSatisfying(Offer.Refused.class,
                r -> assertThat(r.reason()).isEqualTo(Offer.Reason.TOO_LARGE));
        assertThat(pipeline.metrics().refused()).isEqualTo(21);
    }

    @Test
    void closeDrainsTheBufferAndLaterOffersAreRefused() throws Exception {
        pipeline = IngestPipeline.start(recording, new EngineConfig(1000, 100, HOUR_MS));
        Offer.Accepted a = accepted(pipeline.offer(events(0, 50, uuid(0xA))));

        assertThat(pipeline.close(DEADLINE)).isTrue();

        assertThat(a.committed()).isCompleted();
        assertThat(store.counts().events()).isEqualTo(50);
        assertThat(pipeline.offer(events(50, 1, uuid(0xA)))).isInstanceOfSatisfying(Offer.Refused.class,
                r -> assertThat(r.reason()).isEqualTo(Offer.Reason.CLOSED));
    }

    @Test
    void aTransientlyFailingStoreIsRetriedUntilItSucceeds() throws Exception {
        FlakyWriter flaky = new FlakyWriter(store);
        flaky.failNext.set(3);
        pipeline = IngestPipeline.start(flaky, new EngineConfig(100, 10, 5).withRetryBackoff(1, 10));

        Offer.Accepted a = accepted(pipeline.offer(events(0, 10, uuid(0xA))));

        await(a.committed());
        IngestMetrics m = pipeline.metrics();
        assertThat(m.retries()).isEqualTo(3);
        assertThat(m.written()).isEqualTo(10);
        assertThat(m.failed()).isZero();
        assertThat(m.storeAvailable()).isTrue();
        assertThat(store.counts().events()).isEqualTo(10);
    }

    @Test
    void whileTheStoreIsDownTheBufferFillsOffersAreRefusedAndNothingAcceptedIsLost() throws Exception {
        FlakyWriter flaky = new FlakyWriter(store);
        flaky.down.set(true);
        pipeline = IngestPipeline.start(flaky, new EngineConfig(50, 10, 5).withRetryBackoff(1, 20));
        List<CompletableFuture<?>> acks = new ArrayList<>();
        int offered = 0;
        int acceptedEvents = 0;
        while (acceptedEvents < 50) {
            Offer o = pipeline.offer(events(offered, 5, uuid(0x100 + offered / 5)));
            offered += 5;
            if (o instanceof Offer.Accepted a) {
                acks.add(a.committed());
                acceptedEvents += 5;
            }
        }
        Offer refused = pipeline.offer(events(offered, 5, uuid(0xFFF)));
        assertThat(refused.isAccepted()).isFalse();
        awaitCondition(() -> !pipeline.metrics().storeAvailable());
        assertThat(acks).noneMatch(CompletableFuture::isDone);

        flaky.down.set(false);

        await(CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)));
        assertThat(store.counts().events()).isEqualTo(50);
        assertThat(pipeline.metrics().retries()).isPositive();
        assertThat(pipeline.metrics().failed()).isZero();
    }

    @Test
    void duplicateEventsAreStoredOnceButEveryOfferIsAcknowledged() throws Exception {
        pipeline = IngestPipeline.start(recording, new EngineConfig(100, 10, 5));
        List<Event> batch = events(0, 7, uuid(0xA));

        Offer.Accepted a = accepted(pipeline.offer(batch));
        Offer.Accepted b = accepted(pipeline.offer(batch));

        await(CompletableFuture.allOf(a.committed(), b.committed()));
        assertThat(store.counts()).isEqualTo(new StoreCounts(7, 1));
        assertThat(pipeline.metrics().written()).isEqualTo(14);
        assertThat(pipeline.metrics().inserted()).isEqualTo(7);
    }

    @Test
    void childrenOfferedBeforeTheirParentsEndUpInOneCompleteTrace() throws Exception {
        pipeline = IngestPipeline.start(recording, new EngineConfig(100, 2, 5));
        UUID trace = uuid(0xA);
        Event root = call(uuid(1), trace, 0);
        Event child = TestEvents.functionCall(uuid(2), trace, Optional.of(uuid(1)), TestEvents.at(1), "api", "c");
        Event grandChild = TestEvents.functionCall(uuid(3), trace, Optional.of(uuid(2)), TestEvents.at(2), "api", "g");

        Offer.Accepted a = accepted(pipeline.offer(List.of(grandChild)));
        Offer.Accepted b = accepted(pipeline.offer(List.of(child)));
        Offer.Accepted c = accepted(pipeline.offer(List.of(root)));

        await(CompletableFuture.allOf(a.committed(), b.committed(), c.committed()));
        assertThat(store.traceEvents(trace)).containsExactly(root, child, grandChild);
    }

    @Test
    void anEventTheStoreRejectsIsIsolatedAndOnlyItsOfferFails() throws Exception {
        UUID poison = uuid(5);
        EventWriter rejecting = events -> {
            if (events.stream().anyMatch(e -> e.id().equals(poison))) {
                throw new StorageException("value rejected by the database", false);
            }
            return store.write(events);
        };
        pipeline = IngestPipeline.start(rejecting, new EngineConfig(100, 10, HOUR_MS));

        Offer.Accepted good1 = accepted(pipeline.offer(events(0, 4, uuid(0xA))));
        Offer.Accepted bad = accepted(pipeline.offer(events(4, 2, uuid(0xA)))); // ids 4 and 5
        Offer.Accepted good2 = accepted(pipeline.offer(events(6, 4, uuid(0xA))));

        await(CompletableFuture.allOf(good1.committed(), good2.committed()));
        assertThatThrownBy(() -> bad.committed().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IngestException.class)
                .hasMessageContaining("value rejected by the database");
        assertThat(store.counts().events()).isEqualTo(9);
        assertThat(store.event(uuid(4))).isPresent();
        assertThat(pipeline.metrics().failed()).isEqualTo(1);
    }

    @Test
    void closingWhileTheStoreStaysDownFailsTheUnwrittenOffersAtTheDeadline() throws Exception {
        FlakyWriter flaky = new FlakyWriter(store);
        flaky.down.set(true);
        pipeline = IngestPipeline.start(flaky, new EngineConfig(100, 10, 5).withRetryBackoff(1, 5));
        Offer.Accepted a = accepted(pipeline.offer(events(0, 25, uuid(0xA))));
        awaitCondition(() -> pipeline.metrics().retries() > 0);

        boolean drained = pipeline.close(Duration.ofMillis(200));

        assertThat(drained).isFalse();
        assertThatThrownBy(() -> a.committed().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS))
                .hasCauseInstanceOf(IngestException.class);
        awaitCondition(() -> pipeline.metrics().failed() == 25);
        assertThat(store.counts().events()).isZero();
    }

    @Test
    void anEmptyOfferIsAcknowledgedAtOnce() {
        pipeline = IngestPipeline.start(recording, EngineConfig.defaults());

        Offer.Accepted a = accepted(pipeline.offer(List.of()));

        assertThat(a.committed()).isCompleted();
        assertThat(a.events()).isZero();
    }

    @Test
    void nullEventsAreRejectedBeforeAnythingIsBuffered() {
        pipeline = IngestPipeline.start(recording, EngineConfig.defaults());
        List<Event> withNull = new ArrayList<>(events(0, 2, uuid(0xA)));
        withNull.add(null);

        assertThatThrownBy(() -> pipeline.offer(withNull)).isInstanceOf(NullPointerException.class);
        assertThat(pipeline.metrics().accepted()).isZero();
        assertThat(pipeline.metrics().queueDepth()).isZero();
    }

    @Test
    void metricsCountBatchesAndTheirLatency() throws Exception {
        pipeline = IngestPipeline.start(recording, new EngineConfig(100, 5, HOUR_MS));

        await(accepted(pipeline.offer(events(0, 10, uuid(0xA)))).committed());

        IngestMetrics m = pipeline.metrics();
        assertThat(m.batches()).isEqualTo(2);
        assertThat(m.accepted()).isEqualTo(10);
        assertThat(m.written()).isEqualTo(10);
        assertThat(m.queueDepth()).isZero();
        assertThat(m.bufferCapacity()).isEqualTo(100);
        assertThat(m.totalBatchMillis()).isGreaterThanOrEqualTo(m.maxBatchMillis());
        assertThat(m.meanBatchMillis()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void theWriterIsANamedDaemonThread() {
        pipeline = IngestPipeline.start(recording, EngineConfig.defaults());

        Set<Thread> threads = Thread.getAllStackTraces().keySet();

        assertThat(threads).anySatisfy(t -> {
            assertThat(t.getName()).isEqualTo("raceway-ingest-writer");
            assertThat(t.isDaemon()).isTrue();
        });
    }

    @Test
    void engineSettingsAreValidatedWithClearMessages() {
        assertThatThrownBy(() -> new EngineConfig(0, 1, 1)).hasMessageContaining("engine.buffer_size must be >= 1");
        assertThatThrownBy(() -> new EngineConfig(10, 0, 1)).hasMessageContaining("engine.batch_size must be >= 1");
        assertThatThrownBy(() -> new EngineConfig(10, 11, 1))
                .hasMessageContaining("engine.batch_size (11) must not exceed engine.buffer_size (10)");
        assertThatThrownBy(() -> new EngineConfig(10, 1, 0))
                .hasMessageContaining("engine.flush_interval_ms must be >= 1");
        assertThatThrownBy(() -> new EngineConfig(10, 1, 1).withRetryBackoff(10, 5))
                .hasMessageContaining("retry backoff");
        assertThat(EngineConfig.defaults()).isEqualTo(new EngineConfig(10_000, 100, 100));
    }

    // ------------------------------------------------------------------ failure injection

    /** Records batch sizes. */
    static final class RecordingWriter implements EventWriter {
        final EventWriter delegate;
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

        RecordingWriter(EventWriter delegate) {
            this.delegate = delegate;
        }

        @Override
        public WriteResult write(List<Event> events) {
            batchSizes.add(events.size());
            return delegate.write(events);
        }
    }

    /** Blocks every write until opened. */
    static final class GatedWriter implements EventWriter {
        final EventWriter delegate;
        final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch blocked = new CountDownLatch(1);

        GatedWriter(EventWriter delegate) {
            this.delegate = delegate;
        }

        void awaitBlocked() throws InterruptedException {
            assertThat(blocked.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        }

        void open() {
            gate.countDown();
        }

        @Override
        public WriteResult write(List<Event> events) {
            blocked.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("interrupted", true, e);
            }
            return delegate.write(events);
        }
    }

    /** Fails transiently while down, or for the next N calls. */
    static final class FlakyWriter implements EventWriter {
        final EventWriter delegate;
        final AtomicBoolean down = new AtomicBoolean();
        final AtomicInteger failNext = new AtomicInteger();

        FlakyWriter(EventWriter delegate) {
            this.delegate = delegate;
        }

        @Override
        public WriteResult write(List<Event> events) {
            if (down.get() || failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new StorageException("connection refused", true);
            }
            return delegate.write(events);
        }
    }
}
