package dev.raceway.core.causality;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Traces joined into groups by links between them (union-find with path compression), as the global race analysis
 * analyses traces linked by span edges together. A group's representative is its smallest trace id, so the grouping
 * does not depend on the order the links arrive in. Not thread-safe.
 */
public final class TraceGroups {
    private final Map<UUID, UUID> parent = new HashMap<>();

    /** Adds {@code trace} as a group of its own, unless it is already added. */
    public void add(UUID trace) {
        parent.putIfAbsent(Objects.requireNonNull(trace, "trace"), trace);
    }

    public boolean contains(UUID trace) {
        return parent.containsKey(trace);
    }

    /** Joins the groups of two added traces. */
    public void join(UUID a, UUID b) {
        UUID ra = representative(a);
        UUID rb = representative(b);
        if (!ra.equals(rb)) {
            if (ra.compareTo(rb) < 0) {
                parent.put(rb, ra);
            } else {
                parent.put(ra, rb);
            }
        }
    }

    /** The smallest trace id of the group of {@code trace}, which must have been added. */
    public UUID representative(UUID trace) {
        UUID root = trace;
        for (UUID up = parent.get(root); !up.equals(root); up = parent.get(root)) {
            root = up;
        }
        for (UUID x = trace; !x.equals(root); ) {
            UUID next = parent.put(x, root);
            x = next;
        }
        return root;
    }
}
