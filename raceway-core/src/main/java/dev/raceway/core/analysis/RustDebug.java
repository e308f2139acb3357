package dev.raceway.core.analysis;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.raceway.core.event.JsonValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Renders JSON values the way the reference's human-readable race lines do (Rust {@code Debug} of
 * {@code serde_json::Value}): {@code Number(10)}, {@code String("x")}, {@code Null}, {@code Bool(true)},
 * {@code Array [Number(1)]}, {@code Object {"a": Number(1)}}, wrapped in {@code Some(..)}/{@code None} for optional
 * values. Existing clients (the TUI) parse these lines, so the notation is kept.
 */
public final class RustDebug {
    private RustDebug() {
    }

    public static String option(Optional<JsonValue> value) {
        return value.map(v -> "Some(" + value(v) + ")").orElse("None");
    }

    public static String value(JsonValue value) {
        StringBuilder sb = new StringBuilder();
        try (JsonParser p = value.parser()) {
            p.nextToken();
            write(p, sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sb.toString();
    }

    private static void write(JsonParser p, StringBuilder sb) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case VALUE_NULL -> sb.append("Null");
            case VALUE_TRUE -> sb.append("Bool(true)");
            case VALUE_FALSE -> sb.append("Bool(false)");
            case VALUE_NUMBER_INT -> sb.append("Number(").append(p.getText()).append(')');
            case VALUE_NUMBER_FLOAT -> sb.append("Number(").append(floatText(p.getDoubleValue())).append(')');
            case VALUE_STRING -> sb.append("String(").append(quote(p.getText())).append(')');
            case START_ARRAY -> {
                sb.append("Array [");
                boolean first = true;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (!first) {
                        sb.append(", ");
                    }
                    first = false;
                    write(p, sb);
                }
                sb.append(']');
            }
            case START_OBJECT -> {
                sb.append("Object {");
                boolean first = true;
                while (p.nextToken() != JsonToken.END_OBJECT) {
                    if (!first) {
                        sb.append(", ");
                    }
                    first = false;
                    sb.append(quote(p.currentName())).append(": ");
                    p.nextToken();
                    write(p, sb);
                }
                sb.append('}');
            }
            default -> sb.append(p.getText());
        }
    }

    private static String floatText(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e16) {
            return Long.toString((long) d) + ".0";
        }
        return Double.toString(d);
    }

    /** Rust {@code {:?}} of a string: double quotes, backslash escapes for quote, backslash and controls. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append("\\u{").append(Integer.toHexString(c)).append('}');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
