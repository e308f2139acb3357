package dev.raceway.sdk.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A log line that is written the first time, then at most once per interval with the number of occurrences
 * suppressed in between, so that a misbehaving hot path cannot flood the application's logs.
 */
public final class RateLimitedLog {
    private static final Logger LOG = System.getLogger("dev.raceway.sdk");

    private final Level level;
    private final long intervalNanos;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Level level, long intervalNanos) {
        this.level = level;
        this.intervalNanos = intervalNanos;
    }

    public void log(String message) {
        long now = System.nanoTime();
        long allowed = nextAllowed.get();
        if ((allowed != Long.MIN_VALUE && now - allowed < 0) || !nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return;
        }
        long skipped = suppressed.getAndSet(0);
        if (LOG.isLoggable(level)) {
            LOG.log(level, skipped == 0 ? message : message + " (" + skipped + " similar messages suppressed)");
        }
    }
}
