package dev.raceway.core.causality;

import java.time.Duration;
import java.util.Objects;

/**
 * Which optional edges the happens-before index includes, and how far apart two instances' clocks may be.
 *
 * @param lockEdges order a lock release before the next acquire of the same lock id within a trace. On for race
 *                  detection (a release/acquire pair is real synchronisation in the observed run); off for
 *                  lock-order analysis, where the order two critical sections happened to run in is exactly what
 *                  a lock-order inversion makes schedule-dependent.
 * @param clockEdges use the SDK-sent {@code causality_vector}s (compared only within one trace, and only through
 *                   per-context components, see {@link ClockComponents})
 * @param clockSkew  how far the clocks of two different instances may disagree. Timestamps of one instance are
 *                   one clock and are compared exactly; an ordering inferred from timestamps of two instances
 *                   (a callee's last event before its caller's next event, one trace's window before another's)
 *                   must hold by more than this
 */
public record CausalityOptions(boolean lockEdges, boolean clockEdges, Duration clockSkew) {
    /** The documented default of {@code [race_detection] clock_skew_ms}. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMillis(50);
    public static final CausalityOptions DEFAULT = new CausalityOptions(true, true);
    public static final CausalityOptions WITHOUT_LOCK_EDGES = new CausalityOptions(false, true);

    public CausalityOptions {
        Objects.requireNonNull(clockSkew, "clockSkew");
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException("clockSkew must not be negative, got " + clockSkew);
        }
    }

    public CausalityOptions(boolean lockEdges, boolean clockEdges) {
        this(lockEdges, clockEdges, DEFAULT_CLOCK_SKEW);
    }

    public CausalityOptions withClockSkew(Duration skew) {
        return new CausalityOptions(lockEdges, clockEdges, skew);
    }

    /** The skew in nanoseconds (saturated). */
    long clockSkewNanos() {
        long max = Long.MAX_VALUE / 4;
        return clockSkew.compareTo(Duration.ofNanos(max)) >= 0 ? max : clockSkew.toNanos();
    }
}
