package dev.raceway.core.event;

import java.util.Optional;

/** How a downstream span was reached from its upstream span. */
public enum EdgeLinkType {
    HttpCall, GrpcCall, MessageQueue, DatabaseQuery, Custom;

    /** The link type the reference server derives from the kind of the event that revealed the edge. */
    public static EdgeLinkType forEventKind(EventKind kind) {
        if (kind instanceof EventKind.HttpRequest || kind instanceof EventKind.HttpResponse) {
            return HttpCall;
        }
        if (kind instanceof EventKind.DatabaseQuery) {
            return DatabaseQuery;
        }
        return Custom;
    }

    public static Optional<EdgeLinkType> fromWireName(String name) {
        for (EdgeLinkType t : values()) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
