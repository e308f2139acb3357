package dev.raceway.storage;

import dev.raceway.core.event.DistributedEdge;
import dev.raceway.core.event.DistributedSpan;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Distributed spans and the edges between them, maintained at write time from {@code metadata.distributedSpanId}
 * and {@code metadata.upstreamSpanId} (always; there is no switch in storage).
 */
public interface DistributedReader {

    Optional<DistributedSpan> span(String spanId);

    /** Spans whose trace is {@code traceId}, ordered by first event then span id. */
    List<DistributedSpan> spans(UUID traceId);

    /**
     * Edges touching the trace: those whose downstream span belongs to the trace, or whose upstream span does.
     * Ordered by timestamp, then from span, then to span.
     */
    List<DistributedEdge> edges(UUID traceId);

    /** Every edge, ordered as {@link #edges(UUID)}. */
    List<DistributedEdge> allEdges();

    /**
     * Calls between services, from edges whose two spans are both known: one row per (from service, to service,
     * link type), including calls within one service. Ordered by call count descending, then names.
     */
    List<ServiceCall> serviceCalls();

    /**
     * The pairs of different traces joined by an edge whose two spans are known (the trace of the upstream span, the
     * trace of the downstream one), each pair once, ordered by upstream then downstream trace id (unsigned).
     */
    List<TraceLink> traceLinks();
}
