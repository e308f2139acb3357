package dev.raceway.server.config;

import dev.raceway.core.causality.CausalityOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code [race_detection]}, {@code [anomaly_detection]}, {@code [distributed_tracing]} {@code enabled}, and
 * {@code [race_detection] clock_skew_ms}. Distributed tracing defaults to off, as in the reference (spans and edges
 * are always stored; the flag decides whether a trace bundle merges the traces it is linked to).
 *
 * @param clockSkew how far the clocks of two instances may disagree: orderings inferred from timestamps of two
 *                  instances (one trace's window before another's, a callee's last event before its caller's next
 *                  one) must hold by more than this; one instance's timestamps are compared exactly
 */
public record FeatureFlags(boolean raceDetection, boolean anomalyDetection, boolean distributedTracing,
                           Duration clockSkew) {
    /** Largest accepted {@code clock_skew_ms}: one day. */
    public static final long MAX_CLOCK_SKEW_MS = 86_400_000L;

    public FeatureFlags {
        Objects.requireNonNull(clockSkew, "clockSkew");
        if (clockSkew.isNegative() || clockSkew.toMillis() > MAX_CLOCK_SKEW_MS) {
            throw new IllegalArgumentException("clockSkew must be 0.." + MAX_CLOCK_SKEW_MS + " ms, got " + clockSkew);
        }
    }

    public FeatureFlags(boolean raceDetection, boolean anomalyDetection, boolean distributedTracing) {
        this(raceDetection, anomalyDetection, distributedTracing, CausalityOptions.DEFAULT_CLOCK_SKEW);
    }

    public static FeatureFlags defaults() {
        return new FeatureFlags(true, true, false);
    }

    /** The causality options of race detection: all edges, this clock skew. */
    public CausalityOptions causality() {
        return CausalityOptions.DEFAULT.withClockSkew(clockSkew);
    }
}
