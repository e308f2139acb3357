package dev.raceway.core.analysis;

/**
 * @param minSamples      baseline samples needed before an event of that kind is judged (reference: 5)
 * @param thresholdSigma  two-sided |x − mean| / σ above which an event is anomalous (reference: 1.5)
 * @param zeroSpreadPercent when σ = 0: relative deviation from the mean, in percent, above which an event is
 *                        anomalous (reference: 20)
 */
public record AnomalyOptions(long minSamples, double thresholdSigma, double zeroSpreadPercent) {
    public static final AnomalyOptions DEFAULT = new AnomalyOptions(5, 1.5, 20);

    public AnomalyOptions {
        if (minSamples < 1) {
            throw new IllegalArgumentException("minSamples must be at least 1, got " + minSamples);
        }
        if (!(thresholdSigma > 0) || !Double.isFinite(thresholdSigma)) {
            throw new IllegalArgumentException("thresholdSigma must be a positive number, got " + thresholdSigma);
        }
        if (!(zeroSpreadPercent >= 0) || !Double.isFinite(zeroSpreadPercent)) {
            throw new IllegalArgumentException("zeroSpreadPercent must be a non-negative number, got "
                    + zeroSpreadPercent);
        }
    }
}
