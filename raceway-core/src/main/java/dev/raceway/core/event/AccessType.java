package dev.raceway.core.event;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** How a {@link EventKind.StateChange} touched its variable. Wire names are the enum constant names. */
public enum AccessType {
    Read(false, false),
    Write(true, false),
    AtomicRead(false, true),
    AtomicWrite(true, true),
    AtomicRMW(true, true);

    private final boolean write;
    private final boolean atomic;

    AccessType(boolean write, boolean atomic) {
        this.write = write;
        this.atomic = atomic;
    }

    /** True for every kind that modifies the variable ({@code Write}, {@code AtomicWrite}, {@code AtomicRMW}). */
    public boolean isWrite() {
        return write;
    }

    public boolean isAtomic() {
        return atomic;
    }

    /** The wire name, exactly as the reference spells it. */
    public String wireName() {
        return name();
    }

    /** Parses a wire name (exact, case-sensitive, as the reference server does). */
    public static Optional<AccessType> fromWireName(String name) {
        for (Optional<AccessType> t : BY_ORDINAL) { // values() would copy its array on every call (once per event)
            if (t.get().name().equals(name)) {
                return t;
            }
        }
        return Optional.empty();
    }

    private static final List<Optional<AccessType>> BY_ORDINAL = Arrays.stream(values()).map(Optional::of).toList();
}
