package dev.raceway.server.http;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One bounded pool per {@link Lane}: {@code query} has {@code [server] worker_threads} threads, {@code ingest} one
 * per processor (decoding is CPU-bound), {@code light} two. A full queue refuses the task, which the router answers
 * with 503 and {@code Retry-After}.
 */
public final class LaneExecutors implements Function<Lane, Executor>, AutoCloseable {
    private final Map<Lane, ThreadPoolExecutor> pools = new EnumMap<>(Lane.class);

    public LaneExecutors(int queryThreads) {
        int cpus = Runtime.getRuntime().availableProcessors();
        pools.put(Lane.QUERY, pool("raceway-query", queryThreads, 4096));
        pools.put(Lane.INGEST, pool("raceway-ingest", Math.max(2, cpus), 4096));
        pools.put(Lane.LIGHT, pool("raceway-light", 2, 1024));
    }

    private static ThreadPoolExecutor pool(String name, int threads, int queue) {
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                new DefaultThreadFactory(name, true));
    }

    @Override
    public Executor apply(Lane lane) {
        return pools.get(lane);
    }

    /** Stops taking work and waits up to {@code seconds} for what is running. */
    public void shutdown(long seconds) {
        pools.values().forEach(ThreadPoolExecutor::shutdown);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (ThreadPoolExecutor p : pools.values()) {
            try {
                p.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        pools.values().forEach(ThreadPoolExecutor::shutdownNow);
    }
}
