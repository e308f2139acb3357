package dev.raceway.core.schema;

import dev.raceway.core.event.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * One field of a wire object: its JSON name, its {@link FieldType}, its limit, and how to read it from the record
 * (the matching record component). Declared once in {@link EventSchema}; every codec derives its handling from it.
 *
 * @param <T> the record the field belongs to
 */
public final class WireField<T> {
    /** The largest value of an unsigned 16- and 32-bit field, and of a 64-bit one that Java's long can hold. */
    public static final long U16 = 0xFFFFL;
    public static final long U32 = 0xFFFF_FFFFL;
    public static final long U64 = Long.MAX_VALUE;

    private final String name;
    private final FieldType type;
    private final long max;
    private final boolean repeats;
    private final Enum<?>[] constants;
    private final Function<T, ?> object;
    private final ToLongFunction<T> number;

    private WireField(String name, FieldType type, long max, boolean repeats, Enum<?>[] constants,
                      Function<T, ?> object, ToLongFunction<T> number) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.max = max;
        this.repeats = repeats;
        this.constants = constants;
        this.object = object;
        this.number = number;
    }

    private static <T> WireField<T> of(String name, FieldType type, Function<T, ?> get) {
        return new WireField<>(name, type, U64, true, null, Objects.requireNonNull(get, "get"), null);
    }

    static <T> WireField<T> string(String name, Function<T, String> get) {
        return of(name, FieldType.STRING, get);
    }

    static <T> WireField<T> optionalString(String name, Function<T, Optional<String>> get) {
        return of(name, FieldType.OPTIONAL_STRING, get);
    }

    static <T> WireField<T> number(String name, long max, ToLongFunction<T> get) {
        return new WireField<>(name, FieldType.NUMBER, max, true, null, null, Objects.requireNonNull(get, "get"));
    }

    static <T> WireField<T> millis(String name, ToLongFunction<T> get) {
        return new WireField<>(name, FieldType.MILLIS, U64, true, null, null, Objects.requireNonNull(get, "get"));
    }

    static <T> WireField<T> optionalNumber(String name, Function<T, OptionalLong> get) {
        return of(name, FieldType.OPTIONAL_NUMBER, get);
    }

    static <T> WireField<T> value(String name, Function<T, JsonValue> get) {
        return of(name, FieldType.VALUE, get);
    }

    static <T> WireField<T> valueOrNull(String name, Function<T, JsonValue> get) {
        return of(name, FieldType.VALUE_OR_NULL, get);
    }

    static <T> WireField<T> optionalValue(String name, Function<T, Optional<JsonValue>> get) {
        return of(name, FieldType.OPTIONAL_VALUE, get);
    }

    static <T> WireField<T> stringMap(String name, Function<T, Map<String, String>> get) {
        return of(name, FieldType.STRING_MAP, get);
    }

    static <T> WireField<T> stringList(String name, Function<T, List<String>> get) {
        return of(name, FieldType.STRING_LIST, get);
    }

    static <T, E extends Enum<E>> WireField<T> constant(String name, Class<E> type, Function<T, E> get) {
        return new WireField<>(name, FieldType.CONSTANT, U64, true, type.getEnumConstants(),
                Objects.requireNonNull(get, "get"), null);
    }

    /** This field, marked as one whose values rarely repeat from event to event (ids, messages). */
    WireField<T> distinct() {
        return new WireField<>(name, type, max, false, constants, object, number);
    }

    /** The JSON key. */
    public String name() {
        return name;
    }

    public FieldType type() {
        return type;
    }

    /** The largest value a number field takes (a larger one is invalid). */
    public long max() {
        return max;
    }

    /** Whether values tend to repeat across events (worth a dictionary entry in a compact encoding). */
    public boolean repeats() {
        return repeats;
    }

    /** The field's value in {@code owner}: the record component (not for {@linkplain FieldType#isNumber numbers}). */
    public Object get(T owner) {
        return object.apply(owner);
    }

    /** A {@linkplain FieldType#isNumber number} field's value in {@code owner}. */
    public long getLong(T owner) {
        return number.applyAsLong(owner);
    }

    /** A {@link FieldType#CONSTANT} field's constants in declaration order (index = ordinal). */
    public List<Enum<?>> constants() {
        return constants == null ? List.of() : List.of(constants);
    }

    /** A {@link FieldType#CONSTANT} field's constant by ordinal. */
    public Enum<?> constant(int ordinal) {
        return constants[ordinal];
    }

    /** A {@link FieldType#CONSTANT} field's constant named {@code wireName}, or null. */
    public Enum<?> constantNamed(String wireName) {
        for (Enum<?> c : constants) {
            if (c.name().equals(wireName)) {
                return c;
            }
        }
        return null;
    }

    /**
     * What a {@link FieldType#CONSTANT} field's values are, in words, from the enum's name: "access type" for
     * {@code AccessType}.
     */
    public String constantsDescription() {
        String simple = constants[0].getDeclaringClass().getSimpleName();
        return simple.replaceAll("(?<=[a-z])(?=[A-Z])", " ").toLowerCase(java.util.Locale.ROOT);
    }

    /** The constants' names, as an error message lists them. */
    public String constantNames() {
        return Arrays.toString(constants);
    }

    @Override
    public String toString() {
        return name + ": " + type;
    }
}
