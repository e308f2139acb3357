package dev.raceway.core.schema;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One field of a wire object: its JSON name, its {@link FieldType} and its limit. Declared once in
 * {@link EventSchema}, at the position its {@link WireObject}'s reader and constructor use; every codec derives its
 * handling from it.
 */
public final class WireField {
    /** The largest value of an unsigned 16- and 32-bit field, and of a 64-bit one that Java's long can hold. */
    public static final long U16 = 0xFFFFL;
    public static final long U32 = 0xFFFF_FFFFL;
    public static final long U64 = Long.MAX_VALUE;

    private final String name;
    private final FieldType type;
    private final long max;
    private final boolean repeats;
    private final Enum<?>[] constants;

    private WireField(String name, FieldType type, long max, boolean repeats, Enum<?>[] constants) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.max = max;
        this.repeats = repeats;
        this.constants = constants;
    }

    private static WireField of(String name, FieldType type) {
        return new WireField(name, type, U64, true, null);
    }

    static WireField string(String name) {
        return of(name, FieldType.STRING);
    }

    static WireField optionalString(String name) {
        return of(name, FieldType.OPTIONAL_STRING);
    }

    static WireField number(String name, long max) {
        return new WireField(name, FieldType.NUMBER, max, true, null);
    }

    static WireField millis(String name) {
        return of(name, FieldType.MILLIS);
    }

    static WireField optionalNumber(String name) {
        return of(name, FieldType.OPTIONAL_NUMBER);
    }

    static WireField value(String name) {
        return of(name, FieldType.VALUE);
    }

    static WireField valueOrNull(String name) {
        return of(name, FieldType.VALUE_OR_NULL);
    }

    static WireField optionalValue(String name) {
        return of(name, FieldType.OPTIONAL_VALUE);
    }

    static WireField stringMap(String name) {
        return of(name, FieldType.STRING_MAP);
    }

    static WireField stringList(String name) {
        return of(name, FieldType.STRING_LIST);
    }

    static <E extends Enum<E>> WireField constant(String name, Class<E> type) {
        return new WireField(name, FieldType.CONSTANT, U64, true, type.getEnumConstants());
    }

    /** This field, marked as one whose values rarely repeat from event to event (ids, messages). */
    WireField distinct() {
        return new WireField(name, type, max, false, constants);
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
