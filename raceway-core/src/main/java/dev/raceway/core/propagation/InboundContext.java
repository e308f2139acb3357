package dev.raceway.core.propagation;

import dev.raceway.core.event.VectorClock;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * What an incoming request's propagation headers say (reference api-sdk §7.2, with its known bug 23 fixed): the
 * trace id from {@code traceparent}, then {@code raceway-clock} overriding trace id, span and parent span and
 * supplying the vector clock, and {@code tracestate} kept verbatim. Each header that fails to parse is ignored on
 * its own; nothing here throws.
 *
 * <p>{@code traceparent}'s parent-id is read as W3C defines it: the caller's span. A Raceway caller also names the
 * span it created for this call in {@code raceway-clock}, and that span becomes this service's. A caller that sends
 * {@code traceparent} alone (OpenTelemetry, any W3C tracer) names no span for the callee: this service then opens
 * a span of its own whose parent is the caller's, so the call is a span edge between the two services. (The
 * reference SDKs adopt the caller's span id as their own, which merges two services into one span and loses the
 * edge.) When {@code raceway-clock} names a parent but no span, the parent-id is the span the caller chose, as the
 * reference reads it.
 *
 * @param traceId      the trace to join, if a header named one
 * @param spanId       the span this service should record its events under, if the caller chose one (else the
 *                     service opens a new span)
 * @param parentSpanId the caller's span (becomes {@code upstream_span_id} of this service's events)
 * @param clock        the caller's vector clock (empty when none)
 * @param traceState   {@code tracestate} to forward unchanged
 * @param distributed  true when a valid traceparent or raceway-clock was present
 */
public record InboundContext(Optional<UUID> traceId, Optional<String> spanId, Optional<String> parentSpanId,
                             VectorClock clock, Optional<String> traceState, boolean distributed) {
    public InboundContext {
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(spanId, "spanId");
        Objects.requireNonNull(parentSpanId, "parentSpanId");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(traceState, "traceState");
    }

    /**
     * Reads the propagation headers through {@code header}, a case-insensitive lookup returning {@code null}
     * for an absent header (e.g. {@code HttpServletRequest::getHeader}).
     */
    public static InboundContext parse(Function<String, String> header) {
        Optional<TraceParent> parent = TraceParent.parse(safe(header, TraceParent.HEADER));
        Optional<RacewayClock> clock = RacewayClock.decode(safe(header, RacewayClock.HEADER));
        Optional<UUID> traceId = parent.map(TraceParent::traceIdAsUuid);
        Optional<String> spanId = Optional.empty();
        Optional<String> parentSpanId = parent.map(TraceParent::parentId);
        VectorClock vector = VectorClock.empty();
        if (clock.isPresent()) {
            RacewayClock c = clock.get();
            traceId = c.traceId().or(() -> traceIdOf(parent));
            if (c.spanId().isPresent() || c.parentSpanId().isPresent()) {
                Optional<String> callerChose = c.spanId().or(() -> parent.map(TraceParent::parentId));
                Optional<String> w3cParent = parentSpanId.filter(p -> !callerChose.equals(Optional.of(p)));
                spanId = callerChose;
                parentSpanId = c.parentSpanId().or(() -> w3cParent);
            }
            vector = c.clock();
        }
        return new InboundContext(traceId, spanId, parentSpanId, vector,
                TraceState.parse(safe(header, TraceState.HEADER)), parent.isPresent() || clock.isPresent());
    }

    private static Optional<UUID> traceIdOf(Optional<TraceParent> parent) {
        return parent.map(TraceParent::traceIdAsUuid);
    }

    private static String safe(Function<String, String> header, String name) {
        try {
            return header.apply(name);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
