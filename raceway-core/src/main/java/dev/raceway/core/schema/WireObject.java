package dev.raceway.core.schema;

import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A JSON object of the wire format with fixed fields (an event kind's payload, the metadata): its name, its fields
 * in wire order, the record it is, how to hand the record's components to a {@link FieldSink} (for writers) and
 * how to build the record from decoded {@link FieldValues} (for readers). Reader and constructor are one indirect
 * call per object, not per field.
 *
 * @param <T> the record
 */
public final class WireObject<T> {
    private final String name;
    private final Class<T> type;
    private final List<WireField> fields;
    private final BiConsumer<T, FieldSink> reader;
    private final Function<FieldValues, T> constructor;
    private final int index;

    WireObject(String name, Class<T> type, int index, BiConsumer<T, FieldSink> reader,
               Function<FieldValues, T> constructor, List<WireField> fields) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.index = index;
        this.reader = Objects.requireNonNull(reader, "reader");
        this.constructor = Objects.requireNonNull(constructor, "constructor");
        this.fields = List.copyOf(fields);
        if (this.fields.isEmpty() || this.fields.size() > EventSchema.MAX_FIELDS) {
            throw new IllegalArgumentException(name + ": between 1 and " + EventSchema.MAX_FIELDS + " fields");
        }
        if (this.fields.get(0).type() == FieldType.OPTIONAL_STRING) {
            throw new IllegalArgumentException(name + ": the first field is always written");
        }
    }

    /** The kind's variant name ({@code "StateChange"}), or the object's key ({@code "metadata"}). */
    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    /** The fields in wire order. */
    public List<WireField> fields() {
        return fields;
    }

    public int size() {
        return fields.size();
    }

    /** A kind's position in {@link EventSchema#KINDS} (the reference enum's order); -1 for the metadata. */
    public int index() {
        return index;
    }

    /** A holder for this object's decoded fields, to be reused. */
    public FieldValues newValues() {
        return new FieldValues(fields.size());
    }

    /** Hands the components of {@code record} to {@code sink}, field by field in wire order. */
    public void write(T record, FieldSink sink) {
        reader.accept(record, sink);
    }

    /** The record of {@code values}, in which every required field is set. */
    public T construct(FieldValues values) {
        return constructor.apply(values);
    }

    @Override
    public String toString() {
        return name + fields;
    }
}
