package dev.raceway.core.propagation;

import dev.raceway.core.event.VectorClock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Builds the headers a Raceway-instrumented caller sends downstream (reference api-sdk §7.1): {@code traceparent}
 * naming the child span, {@code tracestate} when the inbound request had one, and {@code raceway-clock}.
 * Header names are lower case.
 */
public final class OutboundHeaders {
    private OutboundHeaders() {
    }

    /**
     * @param currentSpanId the caller's span (sent as {@code parent_span_id})
     * @param childSpanId   the new span for the callee (sent in {@code traceparent} and as {@code span_id})
     * @param clock         the caller's vector clock, already incremented for this send
     */
    public static Map<String, String> build(UUID traceId, String currentSpanId, String childSpanId, String service,
                                            String instance, VectorClock clock, Optional<String> traceState) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(TraceParent.HEADER, TraceParent.of(traceId, childSpanId).format());
        traceState.ifPresent(s -> headers.put(TraceState.HEADER, s));
        headers.put(RacewayClock.HEADER,
                RacewayClock.outgoing(traceId, childSpanId, currentSpanId, service, instance, clock).encode());
        return headers;
    }
}
