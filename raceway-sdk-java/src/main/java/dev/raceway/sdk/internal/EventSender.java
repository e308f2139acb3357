package dev.raceway.sdk.internal;

import dev.raceway.core.event.Event;
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
import java.util.concurrent.locks.LockSupport;
import okhttp3.OkHttpClient;

/**
 * The asynchronous reporter: a bounded queue filled by application threads and drained by one lazily started
 * daemon thread that sends batches. {@link #offer} never blocks and never throws; a full queue drops the event
 * and counts it. The flusher sleeps until a batch is full, a flush is requested or the flush interval passed —
 * the caller wakes it only when the queue reaches a batch, so a tracking call does not pay for a thread wake-up.
 * The queue is lock-free ({@link ConcurrentLinkedQueue} bounded by a counter): application threads never wait
 * for each other or for the flusher's drain.
 *
 * <p>The flusher hands each batch to one of {@code maxConcurrentRequests} sender threads and goes on draining, so
 * that the next batch is encoded while the previous one is on the wire and being decoded by the server; a flush
 * completes once every batch taken before it has been sent.
 */
public final class EventSender implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.raceway.sdk");

    private final TransportSettings settings;
    private final Counters counters;
    private final BatchPoster poster;
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    /** Events in {@link #queue} (flush markers are not counted): the bound, and the flusher's wake-up signal. */
    private final AtomicInteger pending = new AtomicInteger();
    private final RateLimitedLog dropLog = new RateLimitedLog(Level.WARNING, TimeUnit.MINUTES.toNanos(1));
    private final Object lifecycle = new Object();
    private volatile Thread flusher;
    private volatile boolean closing;
    private volatile boolean closed;
    private volatile long giveUpAt = Long.MAX_VALUE;
    private volatile boolean giveUpArmed;
    private volatile int markers;
    /** One permit per batch that may be in flight. */
    private final Semaphore sendSlots;
    private volatile ExecutorService senders;

    public EventSender(TransportSettings settings, OkHttpClient http, Counters counters) {
        this.settings = settings;
        this.counters = counters;
        this.poster = new BatchPoster(http, settings, counters, this::pastCloseDeadline);
        this.sendSlots = new Semaphore(settings.maxConcurrentRequests());
    }

    /** Queues an event for sending. Never blocks or throws; false (and counted) when dropped. */
    public boolean offer(Event event) {
        if (closing) {
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
        counters.queued.increment();
        if (size == settings.batchSize()) {
            LockSupport.unpark(flusher);
        }
        if (flusher == null) {
            startFlusher();
        }
        return true;
    }

    private void drop(String why) {
        counters.dropped.increment();
        dropLog.log("Raceway dropped an event because " + why + "; see client.stats() for counts");
    }

    private void startFlusher() {
        synchronized (lifecycle) {
            if (flusher != null || closing) {
                return;
            }
            senders = Executors.newFixedThreadPool(settings.maxConcurrentRequests(), r -> {
                Thread sender = new Thread(r, "raceway-sender");
                sender.setDaemon(true);
                return sender;
            });
            Thread t = new Thread(this::run, "raceway-flusher");
            t.setDaemon(true);
            flusher = t;
            t.start();
        }
    }

    /**
     * Waits until everything queued before this call has been sent, or definitively failed.
     *
     * @return false when the timeout passed first
     */
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (flusher == null) {
            return true; // nothing was ever queued
        }
        if (closed) {
            return queue.isEmpty();
        }
        FlushMarker marker = new FlushMarker();
        try {
            synchronized (lifecycle) {
                markers++;
            }
            queue.offer(marker);
            LockSupport.unpark(flusher);
            return marker.done.await(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Flushes what is queued within {@code timeout}, then stops the flusher; later events are dropped. */
    public void close(Duration timeout) {
        Thread t;
        synchronized (lifecycle) {
            if (closing) {
                t = flusher;
            } else {
                giveUpAt = System.nanoTime() + timeout.toNanos();
                giveUpArmed = true;
                closing = true;
                t = flusher;
            }
        }
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(Math.max(TimeUnit.NANOSECONDS.toMillis(timeout.toNanos()), 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                // Past the deadline: stop retry waits and in-flight calls, and let the threads settle their counts.
                poster.interruptWait();
                senders.shutdownNow();
                t.interrupt();
                try {
                    t.join(1000);
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
        }
        closed = true;
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
            counters.dropped.add(left);
            LOG.log(Level.WARNING, "Raceway: " + left + " events were still queued when the client closed; dropped");
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    private boolean pastCloseDeadline() {
        return giveUpArmed && System.nanoTime() - giveUpAt > 0;
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
                while (!closing && markers == 0 && pending.get() < batchSize && (now = System.nanoTime()) - due < 0) {
                    LockSupport.parkNanos(this, due - now);
                }
                if (closing && pastCloseDeadline()) {
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
                pending.addAndGet(-events);
                for (Object o : drained) {
                    if (o instanceof FlushMarker m) {
                        batch = dispatch(batch);
                        awaitInFlight();
                        synchronized (lifecycle) {
                            markers--;
                        }
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
                    if (closing && queue.isEmpty()) {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            // close() past its deadline: count what this thread held; close() counts what is still queued.
            long held = batch.size() + drained.subList(handled, drained.size()).stream()
                    .filter(o -> !(o instanceof FlushMarker)).count();
            counters.dropped.add(held);
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
            counters.failed.add(batch.size());
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
            counters.failed.add(batch.size());
            LOG.log(Level.WARNING, "Raceway: failed to send a batch of " + batch.size() + " events", e);
        }
    }

    private static final class FlushMarker {
        final CountDownLatch done = new CountDownLatch(1);
    }
}
