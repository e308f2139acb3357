package dev.raceway.core.schema;

/**
 * How a field of the wire format is read, validated, stored and written. Every codec (the JSON writer, both JSON
 * decoders, the memory store's compact codec) switches over these types; adding a type means teaching each of them.
 */
public enum FieldType {
    /** A string; the key is required. */
    STRING,
    /** A string that may be absent or {@code null} (an {@code Optional<String>}); omitted from output when absent. */
    OPTIONAL_STRING,
    /** A non-negative integer no larger than the field's {@linkplain WireField#max() maximum}; required. */
    NUMBER,
    /** A non-negative integer that may be absent or {@code null} (an {@code OptionalLong}); written as null then. */
    OPTIONAL_NUMBER,
    /**
     * A non-negative number of milliseconds, required: an integer, or a fraction rounded to the nearest integer
     * (JavaScript callers send {@code performance.now()} differences such as {@code 12.7}).
     */
    MILLIS,
    /** Any JSON value; the key is required, its value may be {@code null}. */
    VALUE,
    /** Any JSON value, an absent key read as {@code null} (a {@code JsonValue} component, always written). */
    VALUE_OR_NULL,
    /** Any JSON value that may be absent or {@code null} (an {@code Optional<JsonValue>}); written as null then. */
    OPTIONAL_VALUE,
    /** A JSON object whose values are all strings; required. */
    STRING_MAP,
    /** A JSON array of strings; required. */
    STRING_LIST,
    /** One of an enum's constants, written as its name; required. */
    CONSTANT;

    /** Whether a {@code null} value means the field is absent (and an absent key is allowed). */
    public boolean nullMeansAbsent() {
        return this == OPTIONAL_STRING || this == OPTIONAL_NUMBER || this == OPTIONAL_VALUE || this == VALUE_OR_NULL;
    }

    /** Whether the record component is an {@code Optional}/{@code OptionalLong}: present or not. */
    public boolean isOptional() {
        return this == OPTIONAL_STRING || this == OPTIONAL_NUMBER || this == OPTIONAL_VALUE;
    }

    /** Whether the value is a required {@code long} ({@link FieldValues#number}) rather than an object. */
    public boolean isNumber() {
        return this == NUMBER || this == MILLIS;
    }
}
