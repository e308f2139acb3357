package dev.raceway.server.otlp;

import dev.raceway.core.event.Event;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Raceway events an OTLP export request became, and the spans that could not be (OTLP's partial success).
 *
 * @param spans          every span the request carried
 * @param rejectedSpans  spans left out, each with a reason; the first reason is {@link #firstRejection()}
 */
public record MappedSpans(List<Event> events, int spans, int rejectedSpans, Optional<String> firstRejection) {
    public MappedSpans {
        events = List.copyOf(events);
        Objects.requireNonNull(firstRejection, "firstRejection");
        if (rejectedSpans < 0 || rejectedSpans > spans) {
            throw new IllegalArgumentException("rejectedSpans must be within [0, spans]");
        }
    }

    /** An error message for the partial-success answer: how many were rejected and the first reason. */
    public String rejectionMessage() {
        return rejectedSpans + " of " + spans + " spans rejected; first: " + firstRejection.orElse("(none)");
    }
}
