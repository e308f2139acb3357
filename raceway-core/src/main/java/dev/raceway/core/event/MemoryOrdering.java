package dev.raceway.core.event;

import java.util.Optional;

/** Ordering of a {@link EventKind.MemoryFence}; wire names are the constant names. */
public enum MemoryOrdering {
    Relaxed, Acquire, Release, AcqRel, SeqCst;

    public static Optional<MemoryOrdering> fromWireName(String name) {
        for (MemoryOrdering o : values()) {
            if (o.name().equals(name)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
