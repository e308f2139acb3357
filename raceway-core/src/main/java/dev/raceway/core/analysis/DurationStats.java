package dev.raceway.core.analysis;

/**
 * Running duration statistics for one baseline key, in milliseconds. Kept as count / sum / sum of squares so that
 * baselines can be merged across batches and, crucially, a trace's own contribution can be subtracted before the
 * trace is tested against the baseline (a trace must never be compared with itself).
 */
public record DurationStats(long count, double sumMs, double sumSquaresMs, double minMs, double maxMs) {
    public static final DurationStats EMPTY = new DurationStats(0, 0, 0, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY);

    public DurationStats {
        if (count < 0) {
            throw new IllegalArgumentException("count must be non-negative, got " + count);
        }
    }

    public static DurationStats of(double durationMs) {
        return new DurationStats(1, durationMs, durationMs * durationMs, durationMs, durationMs);
    }

    public DurationStats add(double durationMs) {
        return merge(of(durationMs));
    }

    public DurationStats merge(DurationStats other) {
        if (other.count == 0) {
            return this;
        }
        if (count == 0) {
            return other;
        }
        return new DurationStats(count + other.count, sumMs + other.sumMs, sumSquaresMs + other.sumSquaresMs,
                Math.min(minMs, other.minMs), Math.max(maxMs, other.maxMs));
    }

    /**
     * These statistics without {@code part} (which must have been merged in before). Min and max cannot be
     * un-merged and are kept as they were; mean and standard deviation are exact.
     */
    public DurationStats subtract(DurationStats part) {
        if (part.count == 0) {
            return this;
        }
        long n = count - part.count;
        if (n <= 0) {
            return EMPTY;
        }
        return new DurationStats(n, sumMs - part.sumMs, Math.max(0, sumSquaresMs - part.sumSquaresMs), minMs, maxMs);
    }

    public double mean() {
        return count == 0 ? 0 : sumMs / count;
    }

    /** Population standard deviation (divide by n), as the reference computes it. */
    public double stdDev() {
        if (count == 0) {
            return 0;
        }
        double m = mean();
        double variance = sumSquaresMs / count - m * m;
        return variance <= 0 ? 0 : Math.sqrt(variance);
    }
}
