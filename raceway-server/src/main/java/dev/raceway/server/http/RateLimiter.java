package dev.raceway.server.http;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets keyed by client identity: a bucket holds at most {@code rpm} tokens (the burst) and regains
 * {@code rpm / 60} per second. The state is bounded: buckets that would be full again are equivalent to new ones
 * and are dropped when the table grows beyond {@code maxClients}.
 */
public final class RateLimiter {
    private final double capacity;
    private final double perNano;
    private final int maxClients;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** The outcome of one request: allowed, or refused with the seconds until a token is available. */
    public record Decision(boolean allowed, long retryAfterSeconds) {
    }

    public RateLimiter(int rpm, int maxClients, LongSupplier nanoClock) {
        if (rpm < 1) {
            throw new IllegalArgumentException("rate_limit_rpm must be >= 1");
        }
        this.capacity = rpm;
        this.perNano = rpm / 60.0 / 1e9;
        this.maxClients = maxClients;
        this.clock = nanoClock;
    }

    public Decision acquire(String client) {
        long now = clock.getAsLong();
        if (buckets.size() >= maxClients && !buckets.containsKey(client)) {
            evictIdle(now);
        }
        Bucket b = buckets.computeIfAbsent(client, k -> new Bucket(capacity, now));
        synchronized (b) {
            b.tokens = Math.min(capacity, b.tokens + (now - b.updated) * perNano);
            b.updated = now;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return new Decision(true, 0);
            }
            double waitNanos = (1 - b.tokens) / perNano;
            return new Decision(false, Math.max(1, (long) Math.ceil(waitNanos / 1e9)));
        }
    }

    int trackedClients() {
        return buckets.size();
    }

    private void evictIdle(long now) {
        double refillNanos = capacity / perNano;
        for (Iterator<Map.Entry<String, Bucket>> it = buckets.entrySet().iterator(); it.hasNext(); ) {
            Bucket b = it.next().getValue();
            synchronized (b) {
                if (b.tokens + (now - b.updated) * perNano >= capacity || now - b.updated >= refillNanos) {
                    it.remove();
                }
            }
        }
        // Still full of active clients (e.g. a flood of addresses): drop arbitrary ones rather than grow without
        // bound; a dropped client merely starts again with a full bucket. Drop a tenth at once so that a flood does
        // not pay for a full scan on every new client.
        Iterator<String> it = buckets.keySet().iterator();
        int target = maxClients - Math.max(1, maxClients / 10);
        while (buckets.size() > target && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }
}
