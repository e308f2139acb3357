package dev.raceway.sdk.internal;

import dev.raceway.core.event.Uuids;
import java.util.Optional;
import java.util.UUID;

/**
 * The trace id of the active OpenTelemetry span, when the application uses the OpenTelemetry API, so that a
 * Raceway trace and the application's own trace share an id. The API is an optional dependency: without it on
 * the class path this always answers empty.
 */
public final class OtelTraceIds {
    private static final boolean API_PRESENT = isPresent();

    private OtelTraceIds() {
    }

    public static Optional<UUID> activeTraceId() {
        if (!API_PRESENT) {
            return Optional.empty();
        }
        try {
            return Bridge.activeTraceId();
        } catch (LinkageError | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean isPresent() {
        try {
            Class.forName("io.opentelemetry.api.trace.Span", false, OtelTraceIds.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Loaded only when the API is present. */
    private static final class Bridge {
        static Optional<UUID> activeTraceId() {
            io.opentelemetry.api.trace.SpanContext sc = io.opentelemetry.api.trace.Span.current().getSpanContext();
            return sc.isValid() ? Uuids.parse(sc.getTraceId()) : Optional.empty();
        }
    }
}
