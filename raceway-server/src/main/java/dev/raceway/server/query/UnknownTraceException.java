package dev.raceway.server.query;

import java.util.UUID;

/** A query named a trace the store holds no events of. */
public final class UnknownTraceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnknownTraceException(UUID traceId) {
        super("Trace not found: " + traceId, null, false, false);
    }
}
