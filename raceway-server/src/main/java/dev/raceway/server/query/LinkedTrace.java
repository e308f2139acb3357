package dev.raceway.server.query;

import dev.raceway.core.event.DistributedEdge;
import dev.raceway.core.event.Event;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One trace together with the traces its distributed span edges link it to.
 *
 * @param own   the trace's own events
 * @param all   its events and those of the linked traces (by timestamp, then id, when traces were merged)
 * @param edges the span edges found while following the links
 */
public record LinkedTrace(UUID id, List<Event> own, List<Event> all, List<DistributedEdge> edges) {
    public LinkedTrace {
        Objects.requireNonNull(id, "id");
        own = List.copyOf(own);
        all = List.copyOf(all);
        edges = List.copyOf(edges);
    }
}
