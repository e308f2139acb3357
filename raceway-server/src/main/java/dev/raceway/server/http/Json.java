package dev.raceway.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.Timestamps;
import dev.raceway.core.json.EventJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Writes response bodies from plain values: maps (insertion order kept), collections, strings, numbers, booleans,
 * {@code null}/empty optionals, {@link Instant} (RFC 3339 UTC {@code Z}), {@link UUID}, {@link JsonValue} (verbatim),
 * {@link Event} (wire shape) and {@link Writable} (writes itself).
 */
public final class Json {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private Json() {
    }

    /** Something that writes itself as one JSON value. */
    @FunctionalInterface
    public interface Writable {
        void writeTo(JsonGenerator g) throws IOException;
    }

    /** An ordered JSON object: {@code Json.obj("a", 1, "b", "x")}. */
    public static Map<String, Object> obj(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    public static byte[] bytes(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code {"success":true,"data":…,"error":null}} plus optional extra top-level fields. */
    public static byte[] ok(Object data, Object... extraKeysAndValues) {
        Map<String, Object> m = obj("success", true, "data", data, "error", null);
        m.putAll(obj(extraKeysAndValues));
        return bytes(m);
    }

    /** {@code {"success":false,"data":null,"error":"…"}} plus optional extra top-level fields. */
    public static byte[] error(String message, Object... extraKeysAndValues) {
        Map<String, Object> m = obj("success", false, "data", null, "error", message);
        m.putAll(obj(extraKeysAndValues));
        return bytes(m);
    }

    public static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                g.writeNull();
            } else {
                g.writeNumber(d);
            }
        } else if (v instanceof Number n) {
            g.writeNumber(n.toString());
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object o : c) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Optional<?> o) {
            write(g, o.orElse(null));
        } else if (v instanceof OptionalLong o) {
            if (o.isPresent()) {
                g.writeNumber(o.getAsLong());
            } else {
                g.writeNull();
            }
        } else if (v instanceof OptionalDouble o) {
            write(g, o.isPresent() ? o.getAsDouble() : null);
        } else if (v instanceof Instant t) {
            g.writeString(Timestamps.format(t));
        } else if (v instanceof UUID u) {
            g.writeString(u.toString());
        } else if (v instanceof JsonValue j) {
            g.writeRawValue(j.json());
        } else if (v instanceof Event e) {
            EventJson.writeEvent(e, g);
        } else if (v instanceof Writable w) {
            w.writeTo(g);
        } else if (v instanceof Enum<?> e) {
            g.writeString(e.name());
        } else {
            throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
        }
    }
}
