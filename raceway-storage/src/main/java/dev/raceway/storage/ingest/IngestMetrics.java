package dev.raceway.storage.ingest;

/**
 * A snapshot of the pipeline's counters, for {@code /status} and {@code /metrics}. Counters are cumulative since
 * start; gauges are current values.
 *
 * @param accepted          events taken by {@link IngestPipeline#offer}
 * @param refused           events refused by {@link IngestPipeline#offer} (buffer full, too large, closed)
 * @param written           events whose batch the store accepted (including duplicates by id)
 * @param inserted          of {@code written}, events that were new to the store
 * @param failed            accepted events given up on: rejected by the store as invalid, or unwritten at close
 * @param retries           failed store calls that were retried
 * @param batches           successful store calls
 * @param queueDepth        gauge: events buffered, not yet written (includes a batch being retried)
 * @param bufferCapacity    the configured buffer size
 * @param lastBatchMillis   gauge: duration of the last successful store call
 * @param totalBatchMillis  sum of the durations of successful store calls (mean = total / batches)
 * @param maxBatchMillis    longest successful store call
 * @param storeAvailable    gauge: false while the last store call failed transiently and is being retried
 * @param conflicting       of {@code written}, duplicates by id whose content differed from the stored event
 */
public record IngestMetrics(long accepted, long refused, long written, long inserted, long failed, long retries,
                            long batches, long queueDepth, long bufferCapacity, double lastBatchMillis,
                            double totalBatchMillis, double maxBatchMillis, boolean storeAvailable,
                            long conflicting) {

    public double meanBatchMillis() {
        return batches == 0 ? 0 : totalBatchMillis / batches;
    }
}
