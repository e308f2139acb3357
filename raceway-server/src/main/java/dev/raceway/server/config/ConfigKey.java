package dev.raceway.server.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One key of {@code raceway.toml} as {@link ConfigKeys} declares it: where it lives, its type, its default, the values
 * it accepts and what it means. The loader reads keys through it, the settings records take their defaults from it and
 * check their values with it, and the tests compare {@code raceway.toml.example} and the key table of
 * {@code docs/server.md} against it — so each of those facts is written once, here.
 *
 * @param <T> the Java type of the value: {@code String}, {@code Integer}, {@code Long}, {@code Boolean} or
 *            {@code List<String>}
 */
final class ConfigKey<T> {
    /** The TOML type a key takes; {@link #INTEGER} and {@link #LONG} are both TOML integers. */
    enum Type { STRING, INTEGER, LONG, BOOLEAN, STRINGS }

    private final String section;
    private final String name;
    private final Type type;
    private final Optional<T> defaultValue;
    private final String defaultText;
    private final long min;
    private final long max;
    private final List<String> choices;
    private final boolean fromGuide;
    private final String doc;

    ConfigKey(String section, String name, Type type, Optional<T> defaultValue, String defaultText, long min, long max,
              List<String> choices, boolean fromGuide, String doc) {
        this.section = Objects.requireNonNull(section, "section");
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.defaultValue = Objects.requireNonNull(defaultValue, "defaultValue");
        this.defaultText = Objects.requireNonNull(defaultText, "defaultText");
        this.min = min;
        this.max = max;
        this.choices = List.copyOf(choices);
        this.fromGuide = fromGuide;
        this.doc = Objects.requireNonNull(doc, "doc");
        if (type == Type.INTEGER && (min < Integer.MIN_VALUE || max > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException(path() + ": an INTEGER key's range must fit an int");
        }
        defaultValue.ifPresent(this::check);
    }

    /** {@code [section]} of the file, e.g. {@code server.tls}. */
    String section() {
        return section;
    }

    String name() {
        return name;
    }

    /** {@code section.name}, as error messages and the docs name the key. */
    String path() {
        return section + "." + name;
    }

    Type type() {
        return type;
    }

    /** Whether the key has no default: absent means "not set" (e.g. {@code otlp.port}: no OTLP listener). */
    boolean isOptional() {
        return defaultValue.isEmpty();
    }

    /** The value used when the file does not set the key. */
    T defaultValue() {
        return defaultValue.orElseThrow(() -> new IllegalStateException(path() + " has no default"));
    }

    /** The default as the docs show it: a TOML literal, or what an optional key's absence means. */
    String defaultText() {
        return defaultValue.map(ConfigKey::toml).orElse(defaultText);
    }

    /** The default as a TOML literal (as {@code raceway.toml.example} writes it); empty for optional keys. */
    Optional<String> defaultToml() {
        return defaultValue.map(ConfigKey::toml);
    }

    /** Smallest and largest accepted value of an integer key. */
    long min() {
        return min;
    }

    long max() {
        return max;
    }

    /** The values a string key accepts (lower case); empty = any string. */
    List<String> choices() {
        return choices;
    }

    /** What the key accepts, as the docs show it. */
    String allowedText() {
        return switch (type) {
            case STRING -> choices.isEmpty() ? "string" : String.join(", ", choices);
            case INTEGER, LONG -> "integer " + bound(min) + " – " + bound(max);
            case BOOLEAN -> "true, false";
            case STRINGS -> "array of strings";
        };
    }

    /** Whether the configuration guide of the reference implementation has the key (else it is an addition). */
    boolean fromGuide() {
        return fromGuide;
    }

    /** One line saying what the key does. */
    String doc() {
        return doc;
    }

    /**
     * {@code value} if the key accepts it (integers within the range, strings among the choices, compared in lower
     * case); otherwise an {@link InvalidValue} naming the key.
     */
    T check(T value) {
        Objects.requireNonNull(value, this::path);
        if (value instanceof Number n) {
            check(n.longValue());
        }
        if (value instanceof String s && !choices.isEmpty() && !choices.contains(s)) {
            throw invalid("must be one of " + String.join(", ", choices) + "; got \"" + s + "\"");
        }
        return value;
    }

    /** {@code value} if it is within the range of this {@link Type#INTEGER} or {@link Type#LONG} key. */
    long check(long value) {
        if (value < min || value > max) {
            throw invalid("must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    /**
     * The value of the key from what the TOML reader produced for its type ({@code String}, {@code Long},
     * {@code Boolean}, {@code List<String>}), converted and {@linkplain #check checked}.
     */
    @SuppressWarnings("unchecked")
    T fromToml(Object parsed) {
        Object value = switch (type) {
            case INTEGER -> Math.toIntExact(check((Long) parsed));
            case LONG -> check((Long) parsed);
            case STRING -> choices.isEmpty() ? parsed : ((String) parsed).toLowerCase(Locale.ROOT);
            case BOOLEAN, STRINGS -> parsed;
        };
        return check((T) value);
    }

    /** An error about this key's value: {@code 'section.name' <problem>}. */
    InvalidValue invalid(String problem) {
        return new InvalidValue(path(), "'" + path() + "' " + problem);
    }

    @Override
    public String toString() {
        return path();
    }

    private static String bound(long v) {
        return v == Integer.MAX_VALUE ? "2³¹−1" : v == Long.MAX_VALUE ? "2⁶³−1" : Long.toString(v);
    }

    private static String toml(Object value) {
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ConfigKey::toml).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        }
        return value.toString();
    }

    /** A value a key does not accept; the message names the key, {@link #key()} says which for the line number. */
    static final class InvalidValue extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String key;

        InvalidValue(String key, String message) {
            super(message);
            this.key = key;
        }

        /** {@code section.name} of the key. */
        String key() {
            return key;
        }
    }
}
