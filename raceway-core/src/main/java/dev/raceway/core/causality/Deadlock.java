package dev.raceway.core.causality;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A potential deadlock: locks acquired in a cyclic order by threads that nothing orders and no common gate lock
 * serialises. {@code locks} is the cycle starting at its smallest lock id; {@code edges.get(i)} acquires
 * {@code locks[(i+1) % n]} while holding {@code locks[i]}.
 */
public record Deadlock(List<String> locks, List<LockOrderEdge> edges) {
    public Deadlock {
        locks = List.copyOf(locks);
        edges = List.copyOf(edges);
    }

    /** A lock-order inversion hangs every thread involved once the timing lines up. */
    public String severity() {
        return "CRITICAL";
    }

    public String description() {
        String order = edges.stream()
                .map(e -> "thread " + e.acquire().metadata().threadId() + " holds " + e.heldLock() + " and acquires "
                        + e.acquiredLock() + " @ " + e.location())
                .collect(Collectors.joining("; "));
        return "Potential deadlock: locks " + String.join(", ", locks) + " are acquired in opposite orders by "
                + "concurrent threads (" + order + ").";
    }
}
