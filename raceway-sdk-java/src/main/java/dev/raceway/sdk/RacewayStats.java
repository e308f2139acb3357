package dev.raceway.sdk;

/**
 * The client's event accounting since it was created.
 *
 * @param queued   events accepted into the send queue
 * @param sent     events the server accepted
 * @param dropped  events lost before sending: queue full, client closed, or still queued at the close deadline
 * @param rejected events the server answered as invalid (not retried)
 * @param failed   events whose batch failed for good (non-retryable answer, or retries exhausted)
 * @param retried  retry attempts of batches
 * @param invalid  tracking calls refused at the call site (e.g. an unknown access type); no event was made
 * @param outsideContext tracking calls made on a thread with no current Raceway context (no request, or work
 *                 handed to another thread without its context): no event was made
 */
public record RacewayStats(long queued, long sent, long dropped, long rejected, long failed, long retried,
                           long invalid, long outsideContext) {
}
