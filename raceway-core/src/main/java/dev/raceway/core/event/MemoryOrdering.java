package dev.raceway.core.event;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Ordering of a {@link EventKind.MemoryFence}; wire names are the constant names. */
public enum MemoryOrdering {
    Relaxed, Acquire, Release, AcqRel, SeqCst;

    public static Optional<MemoryOrdering> fromWireName(String name) {
        for (Optional<MemoryOrdering> o : BY_ORDINAL) { // values() would copy its array on every call (once per event)
            if (o.get().name().equals(name)) {
                return o;
            }
        }
        return Optional.empty();
    }

    private static final List<Optional<MemoryOrdering>> BY_ORDINAL = Arrays.stream(values()).map(Optional::of).toList();
}
