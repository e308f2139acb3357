package dev.raceway.storage;

import java.time.Instant;

/** Retention, health and reset. */
public interface StoreMaintenance {

    /**
     * Deletes every trace whose newest event is older than {@code cutoff}, with its events, spans, edges whose
     * downstream span was in it, and variable accesses. Baselines are aggregates and are kept.
     */
    RetentionResult deleteTracesOlderThan(Instant cutoff);

    /**
     * Deletes whole traces, oldest (by newest event) first, until at most {@code maxEvents} events remain.
     */
    RetentionResult deleteOldestTracesBeyond(long maxEvents);

    /** Checks that the store can serve requests now (PostgreSQL: runs a query). Never throws. */
    StoreHealth health();

    /** Deletes everything, including baselines. */
    void clear();
}
