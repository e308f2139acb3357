package dev.raceway.sdk.internal;

import dev.raceway.core.event.Event;
import dev.raceway.sdk.RacewayStats;
import dev.raceway.sdk.transport.EventTransport;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The asynchronous reporter: a bounded queue filled by application threads and drained by one daemon thread that
 * sends batches. {@link #offer} never blocks and never throws; a full queue drops the event and counts it. The
 * flusher sleeps until a batch is full, a flush is requested or the flush interval passed — the caller wakes it
 * only when the queue reaches a batch, so a tracking call does not pay for a thread wake-up. The queue is
 * lock-free ({@link ConcurrentLinkedQueue} bounded by a counter): application threads never wait for each other
 * or for the flusher's drain.
 *
 * <p>The flusher hands each batch to one of {@code maxConcurrentRequests} sender threads and goes on draining, so
 * that the next batch is encoded while the previous one is on the wire and being decoded by the server; a flush
 * completes once every batch taken before it has been sent.
 *
 * <p>The lifecycle is one {@link State}, moved forward only by compare-and-set: {@code NEW} (no thread yet: a
 * client that never records starts none) → {@code RUNNING} (the first offer starts the flusher) → {@code CLOSING}
 * (close: what is queued is sent until the deadline) → {@code CLOSED} (what is left is counted as dropped). A
 * sender that never ran goes from {@code NEW} straight to {@code CLOSED}. Events are accepted only while
 * {@code NEW} or {@code RUNNING}.
 *
 * <p>This class is internal and is hence not for public use.
 */
public final class EventSender implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.raceway.sdk");
    private static final long NO_DEADLINE = Long.MIN_VALUE;

    /** Where the sender is in its life; see the class comment. */
    public enum State { NEW, RUNNING, CLOSING, CLOSED }

    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final TransportSettings settings;
    private final Counters counters;
    private final EventTransport transport;
    private final BatchPoster poster;
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    /** Events in {@link #queue} (flush markers are not counted): the bound, and the flusher's wake-up signal. */
    private final AtomicInteger pending = new AtomicInteger();
    /** Flush markers queued and not yet answered: the flusher does not sleep while there are any. */
    private final AtomicInteger markers = new AtomicInteger();
    private final RateLimitedLog dropLog = new RateLimitedLog(Level.WARNING, TimeUnit.MINUTES.toNanos(1));
    /** One permit per batch that may be in flight. */
    private final Semaphore sendSlots;
    /** Starts its threads on the first batch. */
    private final ExecutorService senders;
    /** Started by the move to {@code RUNNING}. */
    private final Thread flusher;
    /** {@link System#nanoTime()} after which retries stop; set once, by the move to {@code CLOSING}. */
    private volatile long closeDeadline = NO_DEADLINE;

    public EventSender(TransportSettings settings, EventTransport transport, Counters counters) {
        this.settings = settings;
        this.counters = counters;
        this.transport = transport;
        this.poster = new BatchPoster(transport, settings, counters, this::pastCloseDeadline);
        this.sendSlots = new Semaphore(settings.maxConcurrentRequests());
        this.senders = Executors.newFixedThreadPool(settings.maxConcurrentRequests(), r -> daemon(r,
                "raceway-sender"));
        this.flusher = daemon(this::run, "raceway-flusher");
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public State state() {
        return state.get();
    }

    /** The accounting now; events still waiting in the queue count as queued. */
    public RacewayStats stats() {
        return counters.snapshot(pending.get());
    }

    /** Queues an event for sending. Never blocks or throws; false (and counted) when dropped. */
    public boolean offer(Event event) {
        State s = state.get();
        if (s == State.NEW) {
            if (state.compareAndSet(State.NEW, State.RUNNING)) {
                flusher.start();
            }
            s = state.get();
        }
        if (s != State.RUNNING) {
            drop("the client is closed");
            return false;
        }
        int size = pending.incrementAndGet();
        if (size > settings.queueCapacity()) {
            pending.decrementAndGet();
            drop("the queue is full (" + settings.queueCapacity() + " events)");
            return false;
        }
        queue.offer(event);
        if (state.get() == State.CLOSED && queue.remove(event)) {
            // close() drained the queue between our check and our offer: nobody else will count this one
            pending.decrementAndGet();
            drop("the client is closed");
            return false;
        }
        // Counted as queued when the flusher takes it (or close() finds it): no shared counter written here.
        if (size == settings.batchSize()) {
            LockSupport.unpark(flusher);
        }
        return true;
    }

    private void drop(String why) {
        counters.dropped(1);
        dropLog.log("Raceway dropped an event because " + why + "; see client.stats() for counts");
    }

    /**
     * Waits until everything queued before this call has been sent, or definitively failed.
     *
     * @return false when the timeout passed first
     */
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        State s = state.get();
        if (s == State.NEW) {
            return true; // nothing was ever queued
        }
        if (s == State.CLOSED) {
            return queue.isEmpty();
        }
        FlushMarker marker = new FlushMarker();
        markers.incrementAndGet();
        queue.offer(marker);
        LockSupport.unpark(flusher);
        try {
            return marker.done.await(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Flushes what is queued within {@code timeout}, then stops the threads and closes the transport; later
     * events are dropped. Only the first call does anything.
     */
    public void close(Duration timeout) {
        if (state.compareAndSet(State.NEW, State.CLOSED)) {
            senders.shutdown();
            transport.close();
            return;
        }
        if (!state.compareAndSet(State.RUNNING, State.CLOSING)) {
            return; // closing or closed already
        }
        closeDeadline = System.nanoTime() + timeout.toNanos();
        while (flusher.getState() == Thread.State.NEW) {
            Thread.onSpinWait(); // the offer that moved to RUNNING is about to start it
        }
        LockSupport.unpark(flusher);
        try {
            flusher.join(Math.max(TimeUnit.NANOSECONDS.toMillis(timeout.toNanos()), 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (flusher.isAlive()) {
            // Past the deadline: stop retry waits and in-flight calls, and let the threads settle their counts.
            poster.interruptWait();
            senders.shutdownNow();
            flusher.interrupt();
            try {
                flusher.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        senders.shutdown();
        try {
            // Past the deadline the senders were interrupted and their retry waits woken: let them count the
            // batches they held as failed before close() reports (never a silent loss).
            senders.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        state.set(State.CLOSED);
        int left = 0;
        Object o;
        while ((o = queue.poll()) != null) {
            if (o instanceof FlushMarker m) {
                m.done.countDown();
            } else {
                left++;
            }
        }
        if (left > 0) {
            counters.queued(left);
            pending.addAndGet(-left);
            counters.dropped(left);
            LOG.log(Level.WARNING, "Raceway: " + left + " events were still queued when the client closed; dropped");
        }
        transport.close();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    private boolean pastCloseDeadline() {
        long deadline = closeDeadline;
        return deadline != NO_DEADLINE && System.nanoTime() - deadline > 0;
    }

    private boolean running() {
        return state.get() == State.RUNNING;
    }

    private void run() {
        int batchSize = settings.batchSize();
        long interval = settings.flushInterval().toNanos();
        List<Object> drained = new ArrayList<>(batchSize);
        List<Event> batch = new ArrayList<>(batchSize);
        int handled = 0; // entries of drained already moved to a batch or completed
        long due = System.nanoTime() + interval;
        try {
            while (true) {
                long now;
                while (running() && markers.get() == 0 && pending.get() < batchSize
                        && (now = System.nanoTime()) - due < 0) {
                    LockSupport.parkNanos(this, due - now);
                }
                if (!running() && pastCloseDeadline()) {
                    return;
                }
                drained.clear();
                handled = 0;
                int events = 0;
                Object next;
                while (events < batchSize && (next = queue.poll()) != null) {
                    drained.add(next);
                    if (!(next instanceof FlushMarker)) {
                        events++;
                    }
                }
                counters.queued(events);
                pending.addAndGet(-events);
                for (Object o : drained) {
                    if (o instanceof FlushMarker m) {
                        batch = dispatch(batch);
                        awaitInFlight();
                        markers.decrementAndGet();
                        m.done.countDown();
                    } else {
                        batch.add((Event) o);
                    }
                    handled++;
                }
                batch = dispatch(batch);
                if (events < batchSize) {
                    // Caught up: the next batch may wait a full interval. A full drain loops at once instead.
                    due = System.nanoTime() + interval;
                    if (!running() && queue.isEmpty()) {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            // close() past its deadline: count what this thread held; close() counts what is still queued.
            long held = batch.size() + drained.subList(handled, drained.size()).stream()
                    .filter(o -> !(o instanceof FlushMarker)).count();
            counters.dropped(held);
            drained.subList(handled, drained.size()).forEach(o -> {
                if (o instanceof FlushMarker m) {
                    m.done.countDown();
                }
            });
        } finally {
            try {
                awaitInFlight();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Hands {@code batch} to a sender thread, waiting for a free slot; returns the list to fill next (the batch
     * now belongs to its sender).
     */
    private List<Event> dispatch(List<Event> batch) throws InterruptedException {
        if (batch.isEmpty()) {
            return batch;
        }
        sendSlots.acquire();
        try {
            senders.execute(() -> {
                try {
                    send(batch);
                } finally {
                    sendSlots.release();
                }
            });
        } catch (RuntimeException e) { // rejected: the senders were stopped at the close deadline
            sendSlots.release();
            counters.failed(batch.size());
        }
        return new ArrayList<>(settings.batchSize());
    }

    /** Waits until no batch is in flight. */
    private void awaitInFlight() throws InterruptedException {
        int all = settings.maxConcurrentRequests();
        sendSlots.acquire(all);
        sendSlots.release(all);
    }

    private void send(List<Event> batch) {
        try {
            poster.send(batch);
        } catch (RuntimeException | LinkageError e) {
            // Never let one bad batch kill a sender thread (and with it all later events).
            counters.failed(batch.size());
            LOG.log(Level.WARNING, "Raceway: failed to send a batch of " + batch.size() + " events", e);
        }
    }

    private static final class FlushMarker {
        final CountDownLatch done = new CountDownLatch(1);
    }
}
