package dev.raceway.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * A service as seen in stored events.
 *
 * @param lastActivity timestamp of its newest event
 */
public record ServiceSummary(String name, long eventCount, long traceCount, Instant lastActivity) {
    public ServiceSummary {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lastActivity, "lastActivity");
    }
}
