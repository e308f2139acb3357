package dev.raceway.server.config;

import static dev.raceway.server.config.ConfigKeys.ANOMALIES_ENABLED;
import static dev.raceway.server.config.ConfigKeys.DISTRIBUTED_ENABLED;
import static dev.raceway.server.config.ConfigKeys.RACES_CLOCK_SKEW_MS;
import static dev.raceway.server.config.ConfigKeys.RACES_ENABLED;

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

    public FeatureFlags {
        Objects.requireNonNull(clockSkew, "clockSkew");
        RACES_CLOCK_SKEW_MS.check(clockSkew.toMillis());
    }

    /** The three switches with the default clock skew. */
    public FeatureFlags(boolean raceDetection, boolean anomalyDetection, boolean distributedTracing) {
        this(raceDetection, anomalyDetection, distributedTracing,
                Duration.ofMillis(RACES_CLOCK_SKEW_MS.defaultValue()));
    }

    public static FeatureFlags defaults() {
        return new FeatureFlags(RACES_ENABLED.defaultValue(), ANOMALIES_ENABLED.defaultValue(),
                DISTRIBUTED_ENABLED.defaultValue());
    }

    /** The causality options of race detection: all edges, this clock skew. */
    public CausalityOptions causality() {
        return CausalityOptions.DEFAULT.withClockSkew(clockSkew);
    }
}
