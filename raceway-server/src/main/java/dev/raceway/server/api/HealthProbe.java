package dev.raceway.server.api;

import dev.raceway.storage.EventStore;
import dev.raceway.storage.StoreHealth;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Asks the store whether it is healthy once a second, on a thread of its own, and keeps the answer: {@code /health}
 * reads it and so answers at once in every state. A probe that has not come back within {@link #TIMEOUT} (a
 * database that does not answer, a pool with no free connection) makes the store count as unhealthy until it does.
 */
public final class HealthProbe implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private final EventStore store;
    private final ScheduledExecutorService thread;
    private volatile StoreHealth last;
    /** When the running probe started, or 0 while none runs. */
    private volatile long runningSince;

    private HealthProbe(EventStore store, boolean run) {
        this.store = store;
        this.last = new StoreHealth(false, store.backendName(), "not probed yet");
        this.thread = run ? Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("raceway-health", true))
                : null;
    }

    /** Probes now (waiting at most {@link #TIMEOUT}) and then every second. */
    public static HealthProbe start(EventStore store) {
        HealthProbe p = new HealthProbe(store, true);
        var first = p.thread.submit(p::probe);
        try {
            first.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // the cached answer says what is known; the schedule keeps probing
        }
        p.thread.scheduleWithFixedDelay(p::probe, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return p;
    }

    /** A probe that asks the store on every call (for short-lived contexts such as the warm-up). */
    public static HealthProbe direct(EventStore store) {
        return new HealthProbe(store, false);
    }

    private void probe() {
        runningSince = System.nanoTime() | 1;
        try {
            last = store.health();
        } catch (RuntimeException e) {
            last = new StoreHealth(false, store.backendName(), "health probe failed: " + e.getMessage());
        } finally {
            runningSince = 0;
        }
    }

    /** The last answer, or unhealthy when the running probe is overdue. */
    public StoreHealth current() {
        if (thread == null) {
            probe();
            return last;
        }
        long since = runningSince;
        if (since != 0 && System.nanoTime() - since > TIMEOUT.toNanos()) {
            return new StoreHealth(false, store.backendName(), "storage did not answer the health probe within "
                    + TIMEOUT.toMillis() + " ms");
        }
        return last;
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.shutdownNow();
        }
    }
}
