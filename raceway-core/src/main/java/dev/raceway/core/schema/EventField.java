package dev.raceway.core.schema;

/**
 * The top-level fields of an event object, in wire order. Their values have shapes of their own (UUIDs, a
 * timestamp, the externally tagged kind, the metadata object, the clock pairs), so each codec handles them by name
 * here rather than by {@link FieldType}.
 */
public enum EventField {
    ID("id"),
    TRACE_ID("trace_id"),
    PARENT_ID("parent_id"),
    TIMESTAMP("timestamp"),
    KIND("kind"),
    METADATA("metadata"),
    CAUSALITY_VECTOR("causality_vector"),
    LOCK_SET("lock_set");

    private static final EventField[] VALUES = values();

    private final String wireName;

    EventField(String wireName) {
        this.wireName = wireName;
    }

    /** The JSON key. */
    public String wireName() {
        return wireName;
    }

    /** The field at {@code ordinal} (without copying {@code values()}). */
    public static EventField at(int ordinal) {
        return VALUES[ordinal];
    }

    public static int count() {
        return VALUES.length;
    }
}
