package dev.raceway.server.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.raceway.core.event.JsonValue;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;

/** OTLP attribute values as Raceway sees them: JSON values, plain strings and integers, and their nesting depth. */
final class AnyValues {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private AnyValues() {
    }

    /** How deeply arrays and key-value lists nest in {@code v} (a scalar is 1). */
    static int depth(AnyValue v) {
        return switch (v.getValueCase()) {
            case ARRAY_VALUE -> 1 + maxDepth(v.getArrayValue().getValuesList());
            case KVLIST_VALUE -> {
                int d = 0;
                for (KeyValue kv : v.getKvlistValue().getValuesList()) {
                    d = Math.max(d, depth(kv.getValue()));
                }
                yield 1 + d;
            }
            default -> 1;
        };
    }

    private static int maxDepth(List<AnyValue> values) {
        int d = 0;
        for (AnyValue x : values) {
            d = Math.max(d, depth(x));
        }
        return d;
    }

    /** The value as JSON: strings, numbers and booleans as themselves, arrays, key-value lists as objects. */
    static JsonValue json(AnyValue v) {
        switch (v.getValueCase()) {
            case BOOL_VALUE:
                return v.getBoolValue() ? JsonValue.TRUE : JsonValue.FALSE;
            case VALUE_NOT_SET:
                return JsonValue.NULL;
            default:
                break;
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return JsonValue.ofCompactJson(out.toString());
    }

    /** The attributes as one JSON object, leaving out those {@code skip} accepts; {@code {}} when none is left. */
    static JsonValue object(List<KeyValue> attributes, Predicate<String> skip) {
        StringWriter out = null;
        try {
            JsonGenerator g = null;
            for (KeyValue kv : attributes) {
                if (skip.test(kv.getKey())) {
                    continue;
                }
                if (g == null) {
                    out = new StringWriter();
                    g = FACTORY.createGenerator(out);
                    g.writeStartObject();
                }
                g.writeFieldName(kv.getKey());
                write(g, kv.getValue());
            }
            if (g == null) {
                return JsonValue.EMPTY_OBJECT;
            }
            g.writeEndObject();
            g.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return JsonValue.ofCompactJson(out.toString());
    }

    private static void write(JsonGenerator g, AnyValue v) throws IOException {
        switch (v.getValueCase()) {
            case STRING_VALUE -> g.writeString(v.getStringValue());
            case BOOL_VALUE -> g.writeBoolean(v.getBoolValue());
            case INT_VALUE -> g.writeNumber(v.getIntValue());
            case DOUBLE_VALUE -> {
                double d = v.getDoubleValue();
                if (Double.isFinite(d)) {
                    g.writeNumber(d);
                } else {
                    g.writeString(Double.toString(d)); // JSON has no NaN or infinity
                }
            }
            case BYTES_VALUE -> g.writeString(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
            case ARRAY_VALUE -> {
                g.writeStartArray();
                for (AnyValue x : v.getArrayValue().getValuesList()) {
                    write(g, x);
                }
                g.writeEndArray();
            }
            case KVLIST_VALUE -> {
                g.writeStartObject();
                for (KeyValue kv : v.getKvlistValue().getValuesList()) {
                    g.writeFieldName(kv.getKey());
                    write(g, kv.getValue());
                }
                g.writeEndObject();
            }
            default -> g.writeNull();
        }
    }

    /** A scalar as text (how a string attribute is meant; numbers and booleans as written). */
    static String text(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> Long.toString(v.getIntValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            default -> json(v).toString();
        };
    }

    /** An integer attribute, also when sent as a string of digits (some instrumentations do); -1 otherwise. */
    static long integer(AnyValue v) {
        if (v.getValueCase() == AnyValue.ValueCase.INT_VALUE) {
            return v.getIntValue();
        }
        if (v.getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
            try {
                return Long.parseLong(v.getStringValue().trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }
}
