package dev.raceway.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.VectorClock;
import dev.raceway.core.json.BatchDecodeResult;
import dev.raceway.core.json.EventJson;
import dev.raceway.core.json.FastPathCounters;
import dev.raceway.core.schema.EventField;
import dev.raceway.core.schema.EventSchema;
import dev.raceway.core.schema.FieldType;
import dev.raceway.core.schema.FieldValues;
import dev.raceway.core.schema.WireField;
import dev.raceway.core.schema.WireObject;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Guards the one definition of the event wire format ({@link EventSchema}): every kind the sealed {@link EventKind}
 * permits, and the metadata, has a schema covering each record component exactly once, and an event whose every
 * component has a distinct value comes back equal through the JSON writer, the general decoder, the fast decoder
 * and the memory store's compact codec. A component added to a record without a schema field, or a constructor
 * that reads the wrong position, fails here.
 */
class EventSchemaGuardTest {
    private int counter;

    @Test
    void everyKindAndTheMetadataDeclareEachRecordComponentOnce() {
        for (Class<?> kind : EventKind.class.getPermittedSubclasses()) {
            if (kind == EventKind.Extension.class) {
                continue; // kept verbatim: no fixed fields
            }
            EventKind sample = (EventKind) sample(kind, true);
            WireObject<EventKind> schema = EventSchema.kind(EventSchema.indexOf(sample));
            assertThat(schema.type()).isEqualTo(kind);
            assertThat(schema.name()).isEqualTo(sample.variant());
            assertFieldsMapComponentsOneToOne(schema, sample);
        }
        assertFieldsMapComponentsOneToOne(EventSchema.METADATA, sample(EventMetadata.class, true));
        assertThat(EventField.count()).as("top-level event fields").isEqualTo(Event.class.getRecordComponents().length);
        assertThat(EventSchema.KINDS).hasSize(EventKind.class.getPermittedSubclasses().length - 1);
    }

    @Test
    void everyComponentOfEveryKindSurvivesWriterBothDecodersAndTheCompactCodec() throws Exception {
        CompactEventCodec codec = new CompactEventCodec(new StringDictionary(1000, Long.MAX_VALUE));
        for (Class<?> kind : EventKind.class.getPermittedSubclasses()) {
            for (boolean optionalsPresent : new boolean[] {true, false}) {
                Event e = event((EventKind) sample(kind, optionalsPresent), optionalsPresent);
                String as = kind.getSimpleName() + (optionalsPresent ? " with" : " without") + " optional fields";

                Event general = EventJson.decodeEvent(EventJson.toJson(e));
                assertThat(general).as(as + ": writer, then general decoder").isEqualTo(e);

                long declined = declines();
                BatchDecodeResult batch = EventJson.decodeBatch(EventJson.encodeBatch(List.of(general)));
                assertThat(declines()).as(as + ": the fast decoder took the body").isEqualTo(declined);
                assertThat(batch.rejections()).as(as).isEmpty();
                assertThat(batch.events()).as(as + ": writer, then fast decoder").containsExactly(e);

                int length = codec.encode(batch.events().get(0));
                Event compact = codec.decode(java.util.Arrays.copyOf(codec.buffer(), length), 0);
                assertThat(compact).as(as + ": compact codec").isEqualTo(e);
            }
        }
    }

    private static long declines() {
        FastPathCounters counters = EventJson.fastPathCounters();
        long sum = counters.defects();
        for (FastPathCounters.Reason r : FastPathCounters.Reason.values()) {
            sum += counters.declines(r);
        }
        return sum;
    }

    /**
     * The reader puts each component at a different field (values are distinct), every component somewhere, and
     * optional components only when present.
     */
    private static <T> void assertFieldsMapComponentsOneToOne(WireObject<T> schema, T sample) {
        RecordComponent[] components = sample.getClass().getRecordComponents();
        assertThat(schema.fields()).as(schema.name() + " fields").hasSameSizeAs(components);
        FieldValues values = EventSchema.newValues();
        schema.write(sample, values);
        Set<String> mapped = new HashSet<>();
        for (int i = 0; i < schema.size(); i++) {
            WireField f = schema.fields().get(i);
            assertThat(values.has(i)).as(schema.name() + "." + f.name() + " read").isTrue();
            Object value = f.type() == FieldType.OPTIONAL_NUMBER || f.type().isNumber() ? (Object) values.number(i)
                    : values.object(i);
            String component = componentWithValue(components, sample, value);
            assertThat(component).as(schema.name() + "." + f.name() + " reads a component").isNotNull();
            assertThat(mapped.add(component)).as(schema.name() + "." + f.name() + " reads " + component + " again")
                    .isTrue();
        }
    }

    private static String componentWithValue(RecordComponent[] components, Object record, Object value) {
        for (RecordComponent c : components) {
            Object v = invoke(c, record);
            Object inner = v instanceof Optional<?> o ? o.orElse(null)
                    : v instanceof OptionalLong l ? (l.isPresent() ? (Object) l.getAsLong() : null)
                    : v instanceof Integer i ? (Object) i.longValue() : v;
            if (value.equals(inner)) {
                return c.getName();
            }
        }
        return null;
    }

    private static Object invoke(RecordComponent c, Object record) {
        try {
            return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private Event event(EventKind kind, boolean optionalsPresent) {
        return new Event(new UUID(1, ++counter), new UUID(2, 3),
                optionalsPresent ? Optional.of(new UUID(4, 5)) : Optional.empty(),
                Instant.parse("2026-01-02T03:04:05.123456789Z"), kind, sample(EventMetadata.class, optionalsPresent),
                VectorClock.of(List.of(new ClockEntry("clock-" + counter, 7))), List.of("lock-" + counter));
    }

    /** A record of {@code type} whose components all have distinct values (optional ones present or not). */
    private <T> T sample(Class<T> type, boolean optionalsPresent) {
        if (type == EventKind.Extension.class) {
            return type.cast(new EventKind.Extension(EventKind.Extension.KNOWN.get(0),
                    JsonValue.ofCompactJson("{\"x\":" + ++counter + "}")));
        }
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            args[i] = value(components[i].getGenericType(), optionalsPresent);
        }
        try {
            return type.getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(type + ": " + e, e);
        }
    }

    private Object value(Type type, boolean optionalsPresent) {
        int n = ++counter;
        if (type == String.class) {
            return "text " + n + " \u00e9\u4e16";
        }
        if (type == long.class) {
            return 1000L + n;
        }
        if (type == int.class) {
            return 200 + n;
        }
        if (type == JsonValue.class) {
            return JsonValue.ofCompactJson("{\"n\":" + n + "}");
        }
        if (type == OptionalLong.class) {
            return optionalsPresent ? OptionalLong.of(5000L + n) : OptionalLong.empty();
        }
        if (type instanceof Class<?> c && c.isEnum()) {
            Object[] constants = c.getEnumConstants();
            return constants[1 + n % (constants.length - 1)]; // never the first: a default would pass unnoticed
        }
        if (type instanceof ParameterizedType p) {
            Type raw = p.getRawType();
            Type arg = p.getActualTypeArguments()[0];
            if (raw == Optional.class) {
                return optionalsPresent ? Optional.of(value(arg, true)) : Optional.empty();
            }
            if (raw == Map.class) {
                return Map.of("key " + n, "value " + n, "other " + n, "more " + n);
            }
            if (raw == List.class) {
                return new ArrayList<>(List.of("first " + n, "second " + n));
            }
        }
        throw new AssertionError("no sample for component type " + type + ": teach this test (and the schema) it");
    }
}
