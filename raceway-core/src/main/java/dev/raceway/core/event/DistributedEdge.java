package dev.raceway.core.event;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A call from one span to another ({@code upstream_span_id} → {@code distributed_span_id}). One edge per span
 * pair: the first event that revealed it names it ({@code eventId}, {@code timestamp}) and sets the link type.
 */
public record DistributedEdge(String fromSpan, String toSpan, EdgeLinkType linkType, UUID eventId,
                              Instant timestamp) {
    public DistributedEdge {
        Objects.requireNonNull(fromSpan, "fromSpan");
        Objects.requireNonNull(toSpan, "toSpan");
        Objects.requireNonNull(linkType, "linkType");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(timestamp, "timestamp");
    }
}
