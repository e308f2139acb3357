package dev.raceway.core.schema;

import dev.raceway.core.event.JsonValue;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Receives a record's fields from its {@link WireObject}'s reader, by position and in wire order, each through the
 * method of its {@link FieldType}: what a writer implements to write an object. The reader calls it directly, so a
 * writer costs one indirect call per object, not per field.
 */
public interface FieldSink {
    void string(int field, String value);

    void optionalString(int field, Optional<String> value);

    void number(int field, long value);

    void optionalNumber(int field, OptionalLong value);

    void value(int field, JsonValue value);

    void optionalValue(int field, Optional<JsonValue> value);

    void map(int field, Map<String, String> value);

    void list(int field, List<String> value);

    void constant(int field, Enum<?> value);
}
