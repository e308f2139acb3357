package dev.raceway.server.query;

import dev.raceway.core.causality.Deadlock;
import java.util.List;

/**
 * Lock-order inversions found across the store, and how much of it was analysed.
 *
 * @param eventsAnalyzed events of the traces that acquire locks, newest traces first
 * @param truncated      whether older traces were left out to stay within {@link DeadlockQuery#MAX_DEADLOCK_EVENTS}
 */
public record StoreDeadlocks(List<Deadlock> deadlocks, int eventsAnalyzed, boolean truncated) {
    public StoreDeadlocks {
        deadlocks = List.copyOf(deadlocks);
        if (eventsAnalyzed < 0) {
            throw new IllegalArgumentException("eventsAnalyzed must be non-negative, got " + eventsAnalyzed);
        }
    }
}
