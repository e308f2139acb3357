package dev.raceway.benchmarks.sdk;

import dev.raceway.sdk.RacewayClient;
import dev.raceway.sdk.RacewayStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples the client's queue depth (queued but not yet settled) every 100 ms while the producers run, and
 * summarises it per second: where a run drops, this shows whether the queue filled at the start (warm-up) or
 * later (a stall).
 */
final class QueueTimeline {
    private final RacewayClient client;
    private final long start;
    private final List<Long> maxPerSecond = new ArrayList<>();
    private final Thread sampler;
    private volatile boolean stopped;

    private QueueTimeline(RacewayClient client, long start) {
        this.client = client;
        this.start = start;
        this.sampler = new Thread(this::sample, "queue-timeline");
        this.sampler.setDaemon(true);
    }

    static QueueTimeline start(RacewayClient client, long start) {
        QueueTimeline t = new QueueTimeline(client, start);
        t.sampler.start();
        return t;
    }

    private void sample() {
        while (!stopped) {
            RacewayStats s = client.stats();
            long depth = s.queued() - s.sent() - s.failed() - s.rejected();
            int second = (int) ((System.nanoTime() - start) / 1_000_000_000L);
            synchronized (maxPerSecond) {
                while (maxPerSecond.size() <= second) {
                    maxPerSecond.add(0L);
                }
                maxPerSecond.set(second, Math.max(maxPerSecond.get(second), depth));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    void stop() throws InterruptedException {
        stopped = true;
        sampler.join();
    }

    /** "queue depth, max per second (thousands): 3 5 12 ..." */
    String summary() {
        StringBuilder b = new StringBuilder("queue depth, max per second (thousands of events):");
        synchronized (maxPerSecond) {
            for (long depth : maxPerSecond) {
                b.append(' ').append(Math.round(depth / 1000.0));
            }
        }
        return b.toString();
    }
}
