package dev.raceway.core.propagation;

/**
 * The OpenTelemetry span-event convention through which services on the OpenTelemetry API report shared-state
 * accesses and locks to Raceway (docs/otel.md): the server's OTLP ingest reads these names, the SDK's
 * {@code dev.raceway.sdk.otel} helper writes them.
 */
public final class OtelSpanEvents {
    /** A read or write of shared state: {@link #VARIABLE}, {@link #ACCESS}, optional old and new value. */
    public static final String STATE_CHANGE = "raceway.state_change";
    /** A lock was obtained: {@link #LOCK_ID}, optional {@link #LOCK_TYPE} (default {@code Mutex}). */
    public static final String LOCK_ACQUIRE = "raceway.lock_acquire";
    /** A lock was released: {@link #LOCK_ID}, optional {@link #LOCK_TYPE}. */
    public static final String LOCK_RELEASE = "raceway.lock_release";

    public static final String VARIABLE = "raceway.variable";
    /** An access type's wire name: {@code Read}, {@code Write}, {@code AtomicRead}, {@code AtomicWrite}, or
     * {@code AtomicRMW}. */
    public static final String ACCESS = "raceway.access";
    public static final String OLD_VALUE = "raceway.old_value";
    public static final String NEW_VALUE = "raceway.new_value";
    public static final String LOCK_ID = "raceway.lock_id";
    public static final String LOCK_TYPE = "raceway.lock_type";

    private OtelSpanEvents() {
    }
}
