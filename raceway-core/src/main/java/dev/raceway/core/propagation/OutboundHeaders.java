package dev.raceway.core.propagation;

import dev.raceway.core.event.VectorClock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Builds the headers a Raceway-instrumented caller sends downstream (reference api-sdk §7.1): {@code traceparent},
 * {@code tracestate} when the inbound request had one, and {@code raceway-clock} naming the child span the callee
 * records under and the caller's span. Header names are lower case.
 *
 * <p>{@code traceparent}'s parent-id is the caller's span, as W3C defines it, so a callee instrumented with
 * OpenTelemetry makes its server span a child of the caller's span and the call is a span edge. (The reference SDKs
 * send the child span there; a Raceway callee reads the child span from {@code raceway-clock} either way.)
 */
public final class OutboundHeaders {
    private OutboundHeaders() {
    }

    /**
     * @param currentSpanId the caller's span (sent in {@code traceparent} and as {@code parent_span_id})
     * @param childSpanId   the new span for the callee (sent as {@code span_id})
     * @param clock         the caller's vector clock, already incremented for this send
     */
    public static Map<String, String> build(UUID traceId, String currentSpanId, String childSpanId, String service,
                                            String instance, VectorClock clock, Optional<String> traceState) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(TraceParent.HEADER, TraceParent.of(traceId, currentSpanId).format());
        traceState.ifPresent(s -> headers.put(TraceState.HEADER, s));
        headers.put(RacewayClock.HEADER,
                RacewayClock.outgoing(traceId, childSpanId, currentSpanId, service, instance, clock).encode());
        return headers;
    }
}
