package dev.raceway.core.event;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A span (one service's part of a distributed request), derived from events carrying
 * {@code metadata.distributed_span_id}. {@code firstEvent}/{@code lastEvent} are the earliest and latest event
 * timestamps seen for it, whatever order events arrive in.
 */
public record DistributedSpan(UUID traceId, String spanId, String service, String instance, Instant firstEvent,
                              Optional<Instant> lastEvent) {
    public DistributedSpan {
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(spanId, "spanId");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(firstEvent, "firstEvent");
        Objects.requireNonNull(lastEvent, "lastEvent");
    }
}
