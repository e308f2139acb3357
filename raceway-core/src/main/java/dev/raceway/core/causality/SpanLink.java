package dev.raceway.core.causality;

import dev.raceway.core.event.Event;
import java.util.Objects;

/**
 * A distributed call resolved to events: the last event of span {@code fromSpan} at or before the first event of
 * span {@code toSpan} (the first upstream event when clocks disagree) happens before that first downstream event.
 */
public record SpanLink(String fromSpan, String toSpan, Event upstream, Event downstream) {
    public SpanLink {
        Objects.requireNonNull(fromSpan, "fromSpan");
        Objects.requireNonNull(toSpan, "toSpan");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(downstream, "downstream");
    }
}
