package dev.raceway.core.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.util.Map;
import java.util.Objects;

/**
 * A free-form JSON value ({@code args}, {@code data}, {@code old_value}, {@code new_value}, {@code body}), kept as
 * its compact JSON text. Keeping text rather than a tree makes events cheap to store and round-trips numbers
 * exactly; analyses that need structure parse it on demand.
 */
public final class JsonValue {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    public static final JsonValue NULL = new JsonValue("null");
    public static final JsonValue EMPTY_OBJECT = new JsonValue("{}");
    public static final JsonValue TRUE = new JsonValue("true");
    public static final JsonValue FALSE = new JsonValue("false");

    private final String json;

    private JsonValue(String json) {
        this.json = json;
    }

    /**
     * Wraps JSON text that is already known to be one valid, compact JSON value (as produced by a
     * {@link JsonGenerator}). No validation: use {@link #parse(String)} for untrusted text.
     */
    public static JsonValue ofCompactJson(String json) {
        Objects.requireNonNull(json, "json");
        return switch (json) {
            case "null" -> NULL;
            case "{}" -> EMPTY_OBJECT;
            case "true" -> TRUE;
            case "false" -> FALSE;
            default -> new JsonValue(json);
        };
    }

    /**
     * Parses untrusted JSON text holding exactly one value, normalising it to compact form.
     *
     * @throws IllegalArgumentException when the text is not exactly one JSON value
     */
    public static JsonValue parse(String text) {
        Objects.requireNonNull(text, "text");
        try (JsonParser p = FACTORY.createParser(text)) {
            if (p.nextToken() == null) {
                throw new IllegalArgumentException("empty JSON text");
            }
            StringWriter out = new StringWriter(text.length());
            try (JsonGenerator g = FACTORY.createGenerator(out)) {
                g.copyCurrentStructure(p);
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("trailing content after JSON value");
            }
            return ofCompactJson(out.toString());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Converts a plain Java value to JSON: {@code null}, {@link CharSequence}, {@link Number}, {@link Boolean},
     * {@link Character}, {@link Enum} (its name), {@link Map} (keys via {@code String.valueOf}), {@link Iterable},
     * arrays, {@link java.util.Optional} and {@link JsonValue}. Anything else becomes its {@code toString()} string.
     * Never throws for ordinary values; self-referencing containers are cut off at depth 64.
     */
    public static JsonValue of(Object value) {
        if (value == null) {
            return NULL;
        }
        if (value instanceof JsonValue v) {
            return v;
        }
        if (value instanceof Boolean b) {
            return b ? TRUE : FALSE;
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, value, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ofCompactJson(out.toString());
    }

    private static void write(JsonGenerator g, Object value, int depth) throws IOException {
        if (depth > 64) {
            g.writeString("…");
            return;
        }
        if (value == null) {
            g.writeNull();
        } else if (value instanceof JsonValue v) {
            g.writeRawValue(v.json);
        } else if (value instanceof CharSequence s) {
            g.writeString(s.toString());
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double d) {
            writeFloating(g, d);
        } else if (value instanceof Float f) {
            writeFloating(g, f.doubleValue());
        } else if (value instanceof java.math.BigDecimal d) {
            g.writeNumber(d);
        } else if (value instanceof java.math.BigInteger i) {
            g.writeNumber(i);
        } else if (value instanceof Number n) {
            writeFloating(g, n.doubleValue());
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Character c) {
            g.writeString(c.toString());
        } else if (value instanceof Enum<?> e) {
            g.writeString(e.name());
        } else if (value instanceof java.util.Optional<?> o) {
            write(g, o.orElse(null), depth);
        } else if (value instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue(), depth + 1);
            }
            g.writeEndObject();
        } else if (value instanceof Iterable<?> it) {
            g.writeStartArray();
            for (Object o : it) {
                write(g, o, depth + 1);
            }
            g.writeEndArray();
        } else if (value.getClass().isArray()) {
            g.writeStartArray();
            int n = Array.getLength(value);
            for (int i = 0; i < n; i++) {
                write(g, Array.get(value, i), depth + 1);
            }
            g.writeEndArray();
        } else {
            g.writeString(value.toString());
        }
    }

    private static void writeFloating(JsonGenerator g, double d) throws IOException {
        if (Double.isFinite(d)) {
            g.writeNumber(d);
        } else {
            g.writeNull(); // JSON has no NaN/Infinity
        }
    }

    /** The compact JSON text of this value. */
    public String json() {
        return json;
    }

    public boolean isNull() {
        return this == NULL || "null".equals(json);
    }

    /** The first token of the value, for cheap type checks. */
    public JsonToken type() {
        try (JsonParser p = FACTORY.createParser(json)) {
            return p.nextToken();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens a streaming parser over this value (for analyses that need its structure). */
    public JsonParser parser() {
        try {
            return FACTORY.createParser(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonValue v && v.json.equals(json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return json;
    }
}
