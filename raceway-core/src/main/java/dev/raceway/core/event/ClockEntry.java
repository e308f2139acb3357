package dev.raceway.core.event;

import java.util.Objects;

/** One component of a vector clock: {@code ["component", counter]} on the wire. */
public record ClockEntry(String component, long value) {
    public ClockEntry {
        Objects.requireNonNull(component, "component");
        if (value < 0) {
            throw new IllegalArgumentException("clock value must be non-negative, got " + value);
        }
    }
}
