package dev.raceway.core.schema;

import dev.raceway.core.event.JsonValue;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The decoded fields of one wire object, by position in its {@link WireObject}, from which the object's
 * {@linkplain WireObject#construct constructor} builds the record. A decoder fills it (validating as it goes, so
 * every required field is set), then constructs; one instance is reused from object to object.
 *
 * <p>Not thread-safe.
 */
public final class FieldValues implements FieldSink {
    private final Object[] objects;
    private final long[] numbers;
    private final Optional<String>[] lastOptionals;
    private int present;

    @SuppressWarnings("unchecked")
    FieldValues(int size) {
        this.objects = new Object[size];
        this.numbers = new long[size];
        this.lastOptionals = (Optional<String>[]) new Optional<?>[size];
    }

    /** Forgets every field (before the next object is read). */
    public void clear() {
        present = 0;
    }

    public void set(int field, Object value) {
        objects[field] = value;
        present |= 1 << field;
    }

    public void setNumber(int field, long value) {
        numbers[field] = value;
        present |= 1 << field;
    }

    // As a sink (a record's fields collected, e.g. to inspect them): optional fields are set only when present.

    @Override
    public void string(int field, String value) {
        set(field, value);
    }

    @Override
    public void optionalString(int field, Optional<String> value) {
        value.ifPresent(v -> set(field, v));
    }

    @Override
    public void number(int field, long value) {
        setNumber(field, value);
    }

    @Override
    public void optionalNumber(int field, OptionalLong value) {
        value.ifPresent(v -> setNumber(field, v));
    }

    @Override
    public void value(int field, JsonValue value) {
        set(field, value);
    }

    @Override
    public void optionalValue(int field, Optional<JsonValue> value) {
        value.ifPresent(v -> set(field, v));
    }

    @Override
    public void map(int field, Map<String, String> value) {
        set(field, value);
    }

    @Override
    public void list(int field, List<String> value) {
        set(field, value);
    }

    @Override
    public void constant(int field, Enum<?> value) {
        set(field, value);
    }

    public boolean has(int field) {
        return (present & (1 << field)) != 0;
    }

    /** One bit per field, set for the fields read. */
    public int presentMask() {
        return present;
    }

    private int required(int field) {
        if ((present & (1 << field)) == 0) {
            // A decoder's bug: it must check required fields before constructing (else a stale value is read).
            throw new IllegalStateException("required field " + field + " was not read");
        }
        return field;
    }

    /** A field's value as set (the value inside an optional one), whatever its type; for writers. */
    public Object object(int field) {
        return objects[required(field)];
    }

    public String string(int field) {
        return (String) objects[required(field)];
    }

    public Optional<String> optionalString(int field) {
        if (!has(field)) {
            return Optional.empty();
        }
        String s = (String) objects[field];
        Optional<String> last = lastOptionals[field];
        if (last == null || last.get() != s) { // pooled ids repeat from object to object: so can their Optional
            last = Optional.of(s);
            lastOptionals[field] = last;
        }
        return last;
    }

    public long number(int field) {
        return numbers[required(field)];
    }

    public OptionalLong optionalNumber(int field) {
        return has(field) ? OptionalLong.of(numbers[field]) : OptionalLong.empty();
    }

    /** A value field; absent is JSON {@code null} ({@link FieldType#VALUE_OR_NULL}). */
    public JsonValue value(int field) {
        return has(field) ? (JsonValue) objects[field] : JsonValue.NULL;
    }

    public Optional<JsonValue> optionalValue(int field) {
        return has(field) ? Optional.of((JsonValue) objects[field]) : Optional.empty();
    }

    @SuppressWarnings("unchecked")
    public Map<String, String> map(int field) {
        return (Map<String, String>) objects[required(field)];
    }

    @SuppressWarnings("unchecked")
    public List<String> list(int field) {
        return (List<String>) objects[required(field)];
    }

    /** A {@link FieldType#CONSTANT} field's enum constant. */
    @SuppressWarnings("unchecked")
    public <E extends Enum<E>> E constant(int field) {
        return (E) objects[required(field)];
    }
}
