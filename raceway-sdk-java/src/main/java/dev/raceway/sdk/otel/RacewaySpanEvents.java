package dev.raceway.sdk.otel;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.propagation.OtelSpanEvents;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;

/**
 * Reports shared-state accesses and locks as span events on the current OpenTelemetry span, for services that stay
 * on the OpenTelemetry API and export to Raceway over OTLP ({@code POST /v1/traces}); the server turns them into
 * StateChange, LockAcquire and LockRelease events at the span event's time (docs/otel.md). Needs the OpenTelemetry
 * API on the class path (the SDK's dependency on it is optional).
 *
 * <p>Like the rest of the SDK's tracking calls these never throw, and do nothing outside a recording span.
 * Values become attributes: integers as long, floating-point numbers as double, booleans as boolean, anything else
 * as its {@code toString()}; a {@code null} value is left out.
 */
public final class RacewaySpanEvents {
    private static final AttributeKey<String> VARIABLE = AttributeKey.stringKey(OtelSpanEvents.VARIABLE);
    private static final AttributeKey<String> ACCESS = AttributeKey.stringKey(OtelSpanEvents.ACCESS);
    private static final AttributeKey<String> LOCK_ID = AttributeKey.stringKey(OtelSpanEvents.LOCK_ID);
    private static final AttributeKey<String> LOCK_TYPE = AttributeKey.stringKey(OtelSpanEvents.LOCK_TYPE);

    private RacewaySpanEvents() {
    }

    /** A read or write of {@code variable} on the current span; {@code oldValue} may be {@code null} (none). */
    public static void stateChange(String variable, Object oldValue, Object newValue, AccessType access) {
        try {
            Span span = Span.current();
            if (!span.isRecording() || variable == null || access == null) {
                return;
            }
            AttributesBuilder a = Attributes.builder().put(VARIABLE, variable).put(ACCESS, access.wireName());
            put(a, OtelSpanEvents.OLD_VALUE, oldValue);
            put(a, OtelSpanEvents.NEW_VALUE, newValue);
            span.addEvent(OtelSpanEvents.STATE_CHANGE, a.build());
        } catch (RuntimeException | LinkageError e) {
            // Tracking never breaks the application.
        }
    }

    /** A read of {@code variable} that saw {@code value}. */
    public static void read(String variable, Object value) {
        stateChange(variable, null, value, AccessType.Read);
    }

    /** A write of {@code variable} from {@code oldValue} to {@code newValue}. */
    public static void write(String variable, Object oldValue, Object newValue) {
        stateChange(variable, oldValue, newValue, AccessType.Write);
    }

    /** {@code lockId} was obtained (an exclusive lock: {@code Mutex}). */
    public static void lockAcquired(String lockId) {
        lock(OtelSpanEvents.LOCK_ACQUIRE, lockId, null);
    }

    /** {@code lockId} was released. */
    public static void lockReleased(String lockId) {
        lock(OtelSpanEvents.LOCK_RELEASE, lockId, null);
    }

    /** A lock event with a lock type such as {@code RwLock-Read} (see {@code LockTypes}). */
    public static void lock(String eventName, String lockId, String lockType) {
        try {
            Span span = Span.current();
            if (!span.isRecording() || lockId == null) {
                return;
            }
            AttributesBuilder a = Attributes.builder().put(LOCK_ID, lockId);
            if (lockType != null) {
                a.put(LOCK_TYPE, lockType);
            }
            span.addEvent(eventName, a.build());
        } catch (RuntimeException | LinkageError e) {
            // Tracking never breaks the application.
        }
    }

    private static void put(AttributesBuilder a, String key, Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            a.put(AttributeKey.longKey(key), ((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            a.put(AttributeKey.doubleKey(key), ((Number) value).doubleValue());
        } else if (value instanceof Boolean b) {
            a.put(AttributeKey.booleanKey(key), b);
        } else {
            a.put(AttributeKey.stringKey(key), value.toString());
        }
    }
}
