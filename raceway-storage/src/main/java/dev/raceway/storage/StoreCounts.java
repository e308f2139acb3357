package dev.raceway.storage;

/** How much is stored. */
public record StoreCounts(long events, long traces) {
}
