package dev.raceway.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.raceway.core.event.JsonValue;
import java.io.IOException;
import java.io.StringWriter;

/** A parser plus the per-event limits: reads strings and free JSON values while enforcing those limits. */
final class ValueReader {
    private final JsonParser parser;
    private final JsonFactory factory;
    private final DecodeLimits limits;

    ValueReader(JsonParser parser, JsonFactory factory, DecodeLimits limits) {
        this.parser = parser;
        this.factory = factory;
        this.limits = limits;
    }

    JsonParser parser() {
        return parser;
    }

    DecodeLimits limits() {
        return limits;
    }

    /** The current string token's text, bounded by {@link DecodeLimits#maxStringLength()}. */
    String text(String path) throws IOException {
        int len = parser.getTextLength();
        if (len > limits.maxStringLength()) {
            throw new FieldError(path, "string of " + len + " characters exceeds the limit of "
                    + limits.maxStringLength());
        }
        return parser.getText();
    }

    /**
     * Copies the object or array at the current token into a compact {@link JsonValue}, enforcing the depth and
     * string limits. On return the parser is on the value's closing token.
     */
    JsonValue readValue(String path) throws IOException {
        StringWriter out = new StringWriter(64);
        try (JsonGenerator g = factory.createGenerator(out)) {
            int depth = 0;
            JsonToken t = parser.currentToken();
            do {
                switch (t) {
                    case START_OBJECT -> {
                        checkDepth(++depth, path);
                        g.writeStartObject();
                    }
                    case START_ARRAY -> {
                        checkDepth(++depth, path);
                        g.writeStartArray();
                    }
                    case END_OBJECT -> {
                        depth--;
                        g.writeEndObject();
                    }
                    case END_ARRAY -> {
                        depth--;
                        g.writeEndArray();
                    }
                    case FIELD_NAME -> {
                        String name = parser.currentName();
                        if (name.length() > limits.maxStringLength()) {
                            throw new FieldError(path, "object key of " + name.length()
                                    + " characters exceeds the limit of " + limits.maxStringLength());
                        }
                        g.writeFieldName(name);
                    }
                    case VALUE_STRING -> g.writeString(text(path));
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> g.writeNumber(parser.getText());
                    case VALUE_TRUE -> g.writeBoolean(true);
                    case VALUE_FALSE -> g.writeBoolean(false);
                    case VALUE_NULL -> g.writeNull();
                    default -> throw new FieldError(path, "unexpected token " + t);
                }
                if (depth == 0) {
                    break;
                }
                t = parser.nextToken();
            } while (t != null);
        }
        return JsonValue.ofCompactJson(out.toString());
    }

    private void checkDepth(int depth, String path) {
        if (depth > limits.maxValueDepth()) {
            throw new FieldError(path, "value nested deeper than " + limits.maxValueDepth() + " levels");
        }
    }

    static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a floating-point number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }
}
