package dev.raceway.storage.ingest;

import dev.raceway.core.event.Event;
import dev.raceway.storage.EventWriter;
import dev.raceway.storage.StorageException;
import dev.raceway.storage.WriteResult;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lossless path from the HTTP layer to the store: a bounded buffer of events and one writer thread that
 * writes them in batches.
 *
 * <ul>
 *   <li>{@link #offer} never blocks: it takes all events of the request or none, and refuses when the buffer has no
 *       room, so the server can answer 429/503 with {@code Retry-After} instead of dropping events.</li>
 *   <li>The writer writes as soon as {@code batch_size} events are buffered, or when the oldest buffered event has
 *       waited {@code flush_interval_ms}; it never sleeps while a full batch waits.</li>
 *   <li>Buffer space is released only when a batch is stored, so while the store is down the buffer fills, offers
 *       are refused, and the failed batch is retried with exponential backoff until the store returns. Accepted
 *       events are never dropped for a transient failure.</li>
 *   <li>Group commit: {@link Offer.Accepted#committed()} completes when the store accepted the batch holding the
 *       last of the offer's events.</li>
 *   <li>A batch the store rejects as invalid (a non-transient {@link StorageException} or any other exception) is
 *       split in halves until the offending events are isolated; only those are counted as failed.</li>
 * </ul>
 */
public final class IngestPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestPipeline.class);
    private static final Duration DEFAULT_CLOSE_DEADLINE = Duration.ofSeconds(30);

    private final EventWriter store;
    private final EngineConfig config;
    private final Thread writer;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition wakeRetry = lock.newCondition();
    /** Signalled when stored (or given-up) events free buffer space, for offers that may wait for it. */
    private final Condition room = lock.newCondition();
    // Guarded by lock.
    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private int buffered; // events in chunks (not yet taken by the writer)
    private int inFlight; // events taken by the writer and not yet stored or given up
    private boolean closing;
    private boolean abandon;

    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong inserted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong writerErrors = new AtomicLong();
    private final AtomicLong conflicting = new AtomicLong();
    private volatile boolean closedCleanly;
    private volatile double lastBatchMillis;
    private volatile double totalBatchMillis;
    private volatile double maxBatchMillis;
    private volatile boolean storeAvailable = true;

    private IngestPipeline(EventWriter store, EngineConfig config) {
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.writer = new Thread(this::runWriter, "raceway-ingest-writer");
        this.writer.setDaemon(true);
    }

    /** Starts a pipeline writing to {@code store}. */
    public static IngestPipeline start(EventWriter store, EngineConfig config) {
        IngestPipeline p = new IngestPipeline(store, config);
        p.writer.start();
        return p;
    }

    /**
     * Offers the events of one request. Never blocks, never throws for a full buffer.
     *
     * @return {@link Offer.Accepted} when all were buffered, {@link Offer.Refused} when none were
     */
    public Offer offer(List<Event> events) {
        return offer(events, Duration.ZERO);
    }

    /**
     * Offers the events of one request, waiting at most {@code maxWait} for buffer space when the buffer is full:
     * a short wait absorbs a burst (the writer frees a batch's worth of space every few milliseconds) where a
     * refusal would make the client back off for a second and the decoding of its request would be wasted.
     * Never waits while the store is unavailable: then space frees only when it returns.
     *
     * @return {@link Offer.Accepted} when all were buffered, {@link Offer.Refused} when none were
     */
    public Offer offer(List<Event> events, Duration maxWait) {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(maxWait, "maxWait");
        int n = events.size();
        if (n == 0) {
            return new Offer.Accepted(0, CompletableFuture.completedFuture(null));
        }
        if (n > config.bufferSize()) {
            refused.add(n);
            return new Offer.Refused(Offer.Reason.TOO_LARGE, n, Duration.ZERO, "request has " + n
                    + " events but the ingest buffer holds at most " + config.bufferSize() + "; split it");
        }
        List<Event> copy = List.copyOf(events); // also rejects null elements before anything is taken
        Ticket ticket = new Ticket(n);
        long waitNanos = maxWait.toNanos();
        lock.lock();
        try {
            long deadline = System.nanoTime() + waitNanos;
            while (!closing && buffered + inFlight + n > config.bufferSize() && storeAvailable && waitNanos > 0) {
                waitNanos = room.awaitNanos(deadline - System.nanoTime());
            }
            if (closing) {
                refused.add(n);
                return new Offer.Refused(Offer.Reason.CLOSED, n, Duration.ofSeconds(5),
                        "the ingest pipeline is shutting down");
            }
            if (buffered + inFlight + n > config.bufferSize()) {
                refused.add(n);
                return new Offer.Refused(Offer.Reason.BUFFER_FULL, n, retryAfter(), "ingest buffer full ("
                        + (buffered + inFlight) + " of " + config.bufferSize() + " events waiting to be stored)");
            }
            boolean wasEmpty = buffered == 0;
            chunks.addLast(new Chunk(copy, ticket, System.nanoTime()));
            buffered += n;
            if (wasEmpty || buffered >= config.batchSize()) {
                work.signal();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refused.add(n);
            return new Offer.Refused(Offer.Reason.BUFFER_FULL, n, retryAfter(), "interrupted while waiting for "
                    + "ingest buffer space");
        } finally {
            lock.unlock();
        }
        accepted.add(n);
        return new Offer.Accepted(n, ticket.future);
    }

    private Duration retryAfter() {
        // While the store is down, ask clients to come back after the current backoff; otherwise soon.
        return storeAvailable ? Duration.ofSeconds(1) : Duration.ofMillis(Math.max(1000, config.retryMaxBackoffMs()));
    }

    /**
     * Whether the writer thread runs (or finished after a close). False means accepted events will not be stored:
     * the server's health check reports it.
     */
    public boolean writerAlive() {
        return writer.isAlive() || closedCleanly;
    }

    /** Duplicates by id whose content differed from the stored event (the stored one was kept). */
    public long conflicting() {
        return conflicting.get();
    }

    /** Batches given up because the store ran out of memory (or hit another JVM error) while writing them. */
    public long writerErrors() {
        return writerErrors.get();
    }

    /** A snapshot of the counters. */
    public IngestMetrics metrics() {
        long depth;
        lock.lock();
        try {
            depth = buffered + inFlight;
        } finally {
            lock.unlock();
        }
        return new IngestMetrics(accepted.sum(), refused.sum(), written.get(), inserted.get(), failed.get(),
                retries.get(), batches.get(), depth, config.bufferSize(), lastBatchMillis, totalBatchMillis,
                maxBatchMillis, storeAvailable, conflicting.get());
    }

    public EngineConfig config() {
        return config;
    }

    /** Closes with a 30 s deadline. */
    @Override
    public void close() {
        close(DEFAULT_CLOSE_DEADLINE);
    }

    /**
     * Refuses new offers and writes everything buffered, waiting at most {@code deadline}. Events still unwritten
     * at the deadline (the store was down) are given up: their offers complete exceptionally.
     *
     * @return true when every accepted event was written (or rejected by the store as invalid)
     */
    public boolean close(Duration deadline) {
        lock.lock();
        try {
            closing = true;
            work.signalAll();
            wakeRetry.signalAll();
            room.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            writer.join(Math.max(1, deadline.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!writer.isAlive()) {
            return true;
        }
        List<Chunk> left;
        lock.lock();
        try {
            abandon = true;
            wakeRetry.signalAll();
            left = new ArrayList<>(chunks);
            chunks.clear();
            buffered = 0;
        } finally {
            lock.unlock();
        }
        long lost = 0;
        for (Chunk c : left) {
            int remaining = c.events.size() - c.next;
            lost += remaining;
            c.ticket.fail(remaining, new IngestException("pipeline closed before these events were stored"));
        }
        failed.addAndGet(lost);
        if (lost > 0) {
            LOG.warn("ingest pipeline closed with {} events not stored (store unavailable)", lost);
        }
        return false;
    }

    // ---------------------------------------------------------------- writer thread

    private void runWriter() {
        List<Event> batch = new ArrayList<>(config.batchSize());
        List<Share> shares = new ArrayList<>();
        try {
            while (true) {
                batch.clear();
                shares.clear();
                lock.lock();
                try {
                    if (!awaitBatch()) {
                        closedCleanly = true;
                        return;
                    }
                    takeBatch(batch, shares);
                } finally {
                    lock.unlock();
                }
                storeOrSplit(batch, shares);
            }
        } catch (InterruptedException e) {
            failEverything(new IngestException("the ingest writer was interrupted"));
        } catch (Throwable t) {
            // Never leave callers waiting on a dead writer: fail what is pending and refuse new offers.
            LOG.error("the ingest writer stopped unexpectedly", t);
            failEverything(new IngestException("the ingest writer stopped unexpectedly: " + t, t));
            if (t instanceof Error err) {
                throw err;
            }
        }
    }

    private void failEverything(IngestException failure) {
        List<Chunk> left;
        lock.lock();
        try {
            closing = true;
            room.signalAll();
            left = new ArrayList<>(chunks);
            chunks.clear();
            buffered = 0;
        } finally {
            lock.unlock();
        }
        for (Chunk c : left) {
            int remaining = c.events.size() - c.next;
            failed.addAndGet(remaining);
            c.ticket.fail(remaining, failure);
        }
    }

    /** Waits (lock held) until a batch should be written; false when closed and empty. */
    private boolean awaitBatch() throws InterruptedException {
        long intervalNanos = TimeUnit.MILLISECONDS.toNanos(config.flushIntervalMs());
        while (true) {
            if (buffered >= config.batchSize() || (closing && buffered > 0)) {
                return true;
            }
            if (buffered == 0) {
                if (closing) {
                    return false;
                }
                work.await();
                continue;
            }
            long waited = System.nanoTime() - chunks.peekFirst().arrivedNanos;
            if (waited >= intervalNanos) {
                return true;
            }
            work.awaitNanos(intervalNanos - waited);
        }
    }

    private void takeBatch(List<Event> batch, List<Share> shares) {
        int room = config.batchSize();
        while (room > 0 && !chunks.isEmpty()) {
            Chunk c = chunks.peekFirst();
            int take = Math.min(room, c.events.size() - c.next);
            batch.addAll(c.events.subList(c.next, c.next + take));
            shares.add(new Share(c.ticket, take));
            c.next += take;
            room -= take;
            if (c.next == c.events.size()) {
                chunks.removeFirst();
            }
        }
        buffered -= batch.size();
        inFlight += batch.size();
    }

    /** Writes one batch until it is stored, rejected, or abandoned at close; then settles its tickets. */
    private void storeOrSplit(List<Event> batch, List<Share> shares) {
        Throwable rejection = null;
        boolean given = false;
        java.util.Set<java.util.UUID> conflicting = java.util.Set.of();
        long backoff = config.retryInitialBackoffMs();
        while (true) {
            try {
                long t0 = System.nanoTime();
                WriteResult r = store.write(batch);
                conflicting = r.conflicting();
                recordBatch(batch.size(), r.inserted(), (System.nanoTime() - t0) / 1e6);
                storeAvailable = true;
                break;
            } catch (StorageException e) {
                if (!e.isTransient()) {
                    rejection = e;
                    break;
                }
                storeAvailable = false;
                retries.incrementAndGet();
                LOG.warn("storing a batch of {} events failed, retrying in {} ms: {}", batch.size(), backoff,
                        e.getMessage());
                if (!sleepBeforeRetry(backoff)) {
                    given = true;
                    rejection = new IngestException("pipeline closed while the store was unavailable", e);
                    break;
                }
                backoff = Math.min(config.retryMaxBackoffMs(), backoff * 2);
            } catch (RuntimeException | LinkageError | StackOverflowError e) {
                // Anything else the store throws is about this batch (a bug or a value it cannot take): isolate it.
                rejection = e;
                break;
            } catch (VirtualMachineError e) {
                // Out of memory while storing: give up this batch (counted as failed) and keep the writer alive; the
                // next batch may fit once the collector or the store's eviction has made room.
                writerErrors.incrementAndGet();
                LOG.error("storing a batch of {} events ran into {}; the batch is counted as failed", batch.size(),
                        e.toString());
                rejection = new IngestException("the store ran out of memory: " + e, e);
                given = true;
                break;
            }
        }
        if (rejection == null) {
            if (!conflicting.isEmpty()) {
                this.conflicting.addAndGet(conflicting.size());
                tellConflicts(shares, batch, conflicting);
            }
            settle(shares, batch.size(), null);
        } else if (given || batch.size() == 1) {
            if (!given) {
                LOG.warn("the store rejected event {}: {}", batch.get(0).id(), rejection.getMessage());
            }
            failed.addAndGet(batch.size());
            settle(shares, batch.size(), rejection);
        } else {
            // Isolate the invalid events: write each half on its own.
            int mid = batch.size() / 2;
            List<Event> left = new ArrayList<>(batch.subList(0, mid));
            List<Event> right = new ArrayList<>(batch.subList(mid, batch.size()));
            List<Share> leftShares = new ArrayList<>();
            List<Share> rightShares = new ArrayList<>();
            splitShares(shares, mid, leftShares, rightShares);
            storeOrSplit(left, leftShares);
            storeOrSplit(right, rightShares);
        }
    }

    private static void splitShares(List<Share> shares, int leftCount, List<Share> left, List<Share> right) {
        int remaining = leftCount;
        for (Share s : shares) {
            if (remaining >= s.count) {
                left.add(s);
                remaining -= s.count;
            } else if (remaining > 0) {
                left.add(new Share(s.ticket, remaining));
                right.add(new Share(s.ticket, s.count - remaining));
                remaining = 0;
            } else {
                right.add(s);
            }
        }
    }

    /** Waits before a retry; false when the pipeline gave up (closed past its deadline). */
    private boolean sleepBeforeRetry(long millis) {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
            while (nanos > 0 && !abandon) {
                nanos = wakeRetry.awaitNanos(nanos);
            }
            return !abandon;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void recordBatch(int size, int newEvents, double millis) {
        written.addAndGet(size);
        inserted.addAndGet(newEvents);
        batches.incrementAndGet();
        lastBatchMillis = millis;
        totalBatchMillis += millis; // only the writer thread writes these
        if (millis > maxBatchMillis) {
            maxBatchMillis = millis;
        }
    }

    /** Hands each offer the ids of its events that conflicted with stored ones (shares are in batch order). */
    private static void tellConflicts(List<Share> shares, List<Event> batch, java.util.Set<java.util.UUID> ids) {
        int at = 0;
        for (Share s : shares) {
            for (int i = at; i < at + s.count; i++) {
                if (ids.contains(batch.get(i).id())) {
                    s.ticket.conflict(batch.get(i).id());
                }
            }
            at += s.count;
        }
    }

    private void settle(List<Share> shares, int size, Throwable failure) {
        lock.lock();
        try {
            inFlight -= size;
            room.signalAll();
        } finally {
            lock.unlock();
        }
        for (Share s : shares) {
            if (failure == null) {
                s.ticket.done(s.count);
            } else {
                s.ticket.fail(s.count, failure instanceof IngestException ie ? ie
                        : new IngestException("the store rejected accepted events: " + failure.getMessage(), failure));
            }
        }
    }

    /** The events of one offer still in the buffer; {@code next} is the first not yet taken by the writer. */
    private static final class Chunk {
        final List<Event> events;
        final Ticket ticket;
        final long arrivedNanos;
        int next;

        Chunk(List<Event> events, Ticket ticket, long arrivedNanos) {
            this.events = events;
            this.ticket = ticket;
            this.arrivedNanos = arrivedNanos;
        }
    }

    /** {@code count} events of one offer inside a batch. */
    private record Share(Ticket ticket, int count) {
    }

    /** Completes an offer's future once all its events are settled. */
    private static final class Ticket {
        final CompletableFuture<java.util.Set<java.util.UUID>> future = new CompletableFuture<>();
        private int remaining;
        private Throwable failure;
        private java.util.Set<java.util.UUID> conflicts;

        synchronized void conflict(java.util.UUID id) {
            if (conflicts == null) {
                conflicts = new java.util.LinkedHashSet<>();
            }
            conflicts.add(id);
        }

        Ticket(int events) {
            this.remaining = events;
        }

        void done(int n) {
            settle(n, null);
        }

        void fail(int n, Throwable t) {
            settle(n, t);
        }

        private void settle(int n, Throwable t) {
            Throwable outcome;
            java.util.Set<java.util.UUID> conflicted;
            synchronized (this) {
                remaining -= n;
                if (t != null && failure == null) {
                    failure = t;
                }
                if (remaining > 0) {
                    return;
                }
                outcome = failure;
                conflicted = conflicts == null ? java.util.Set.of() : java.util.Set.copyOf(conflicts);
            }
            // Outside the monitor: callers' continuations run here.
            if (outcome == null) {
                future.complete(conflicted);
            } else {
                future.completeExceptionally(outcome);
            }
        }
    }
}
