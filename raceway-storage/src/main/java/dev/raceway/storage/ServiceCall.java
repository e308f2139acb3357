package dev.raceway.storage;

import dev.raceway.core.event.EdgeLinkType;
import java.util.Objects;

/**
 * Span-to-span calls from one service to another, aggregated.
 *
 * @param callCount  number of distributed edges (one per span pair)
 * @param traceCount distinct traces of the downstream spans
 */
public record ServiceCall(String fromService, String toService, EdgeLinkType linkType, long callCount,
                          long traceCount) {
    public ServiceCall {
        Objects.requireNonNull(fromService, "fromService");
        Objects.requireNonNull(toService, "toService");
        Objects.requireNonNull(linkType, "linkType");
    }
}
