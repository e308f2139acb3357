package dev.raceway.storage;

import java.util.Objects;
import java.util.UUID;

/** Two different traces joined by a distributed edge: a span of {@code upstream} called a span of {@code downstream}. */
public record TraceLink(UUID upstream, UUID downstream) {
    public TraceLink {
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(downstream, "downstream");
        if (upstream.equals(downstream)) {
            throw new IllegalArgumentException("a link joins two different traces, got " + upstream + " twice");
        }
    }
}
