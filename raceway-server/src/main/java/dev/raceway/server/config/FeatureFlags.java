package dev.raceway.server.config;

/**
 * {@code [race_detection]}, {@code [anomaly_detection]}, {@code [distributed_tracing]} {@code enabled}.
 * Distributed tracing defaults to off, as in the reference (spans and edges are always stored; the flag decides
 * whether a trace bundle merges the traces it is linked to).
 */
public record FeatureFlags(boolean raceDetection, boolean anomalyDetection, boolean distributedTracing) {
    public static FeatureFlags defaults() {
        return new FeatureFlags(true, true, false);
    }
}
