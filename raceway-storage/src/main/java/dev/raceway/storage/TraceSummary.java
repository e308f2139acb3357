package dev.raceway.storage;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A trace at a glance.
 *
 * @param services distinct {@code service_name}s of its events, sorted
 */
public record TraceSummary(UUID traceId, long eventCount, Instant firstTimestamp, Instant lastTimestamp,
                           List<String> services) {
    public TraceSummary {
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(firstTimestamp, "firstTimestamp");
        Objects.requireNonNull(lastTimestamp, "lastTimestamp");
        services = List.copyOf(services);
    }

    public int serviceCount() {
        return services.size();
    }
}
