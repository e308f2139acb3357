package dev.raceway.core.json;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.raceway.core.event.JsonValue;
import java.io.IOException;

/** A parser plus the per-event limits: reads strings and free JSON values while enforcing those limits. */
final class ValueReader {
    private final JsonParser parser;
    private final DecodeLimits limits;
    private final StringBuilder buffer = new StringBuilder(256);
    private final StringPool strings = new StringPool();
    /** A view of the current string token's characters, for parsers that take a {@link CharSequence}. */
    private final CharSlice slice = new CharSlice();

    ValueReader(JsonParser parser, DecodeLimits limits) {
        this.parser = parser;
        this.limits = limits;
    }

    JsonParser parser() {
        return parser;
    }

    DecodeLimits limits() {
        return limits;
    }

    /**
     * The current string token's characters as a reused view (valid until the next token), bounded by
     * {@link DecodeLimits#maxStringLength()}: for values that are parsed rather than kept.
     */
    CharSequence chars(String path) throws IOException {
        checkLength(path, null, -1);
        return slice.of(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
    }

    /**
     * The current string token's text, bounded by {@link DecodeLimits#maxStringLength()}; one instance per
     * distinct string of the batch ({@link StringPool}).
     */
    String text(String path) throws IOException {
        return text(path, null, -1);
    }

    /**
     * Like {@link #text(String)} for the field {@code prefix.name} (or the element {@code prefix[index]} when
     * {@code name} is null and {@code index >= 0}); the path is only built when there is an error to report, as
     * building it for every field was a measurable part of decode time.
     */
    String text(String prefix, String name, int index) throws IOException {
        int len = checkLength(prefix, name, index);
        return strings.get(parser.getTextCharacters(), parser.getTextOffset(), len);
    }

    private int checkLength(String prefix, String name, int index) throws IOException {
        int len = parser.getTextLength();
        if (len > limits.maxStringLength()) {
            throw new FieldError(path(prefix, name, index), "string of " + len + " characters exceeds the limit of "
                    + limits.maxStringLength());
        }
        return len;
    }

    static String path(String prefix, String name, int index) {
        if (name != null) {
            return prefix + "." + name;
        }
        return index >= 0 ? prefix + "[" + index + "]" : prefix;
    }

    /**
     * Copies the object or array at the current token into a compact {@link JsonValue}, enforcing the depth and
     * string limits. On return the parser is on the value's closing token.
     */
    JsonValue readValue(String path) throws IOException {
        return readValue(path, null);
    }

    /** {@link #readValue(String)} of the field {@code prefix.name}, building that path only for an error. */
    JsonValue readValue(String prefix, String name) throws IOException {
        // Written by hand into a reused buffer: creating a JsonGenerator per value dominated decode time.
        StringBuilder out = buffer;
        out.setLength(0);
        int depth = 0;
        boolean needComma = false;
        JsonToken t = parser.currentToken();
        while (true) {
            switch (t) {
                case START_OBJECT, START_ARRAY -> {
                    checkDepth(++depth, prefix, name);
                    if (needComma) {
                        out.append(',');
                    }
                    out.append(t == JsonToken.START_OBJECT ? '{' : '[');
                    needComma = false;
                }
                case END_OBJECT, END_ARRAY -> {
                    depth--;
                    out.append(t == JsonToken.END_OBJECT ? '}' : ']');
                    needComma = true;
                }
                case FIELD_NAME -> {
                    String key = parser.currentName();
                    if (key.length() > limits.maxStringLength()) {
                        throw new FieldError(path(prefix, name, -1), "object key of " + key.length()
                                + " characters exceeds the limit of " + limits.maxStringLength());
                    }
                    if (needComma) {
                        out.append(',');
                    }
                    appendQuoted(out, key).append(':');
                    needComma = false;
                }
                case VALUE_STRING -> {
                    if (needComma) {
                        out.append(',');
                    }
                    appendQuoted(out, prefix, name);
                    needComma = true;
                }
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> {
                    if (needComma) {
                        out.append(',');
                    }
                    out.append(parser.getText());
                    needComma = true;
                }
                default -> throw new FieldError(path(prefix, name, -1), "unexpected token " + t);
            }
            if (depth == 0) {
                break;
            }
            t = parser.nextToken();
            if (t == null) {
                throw new com.fasterxml.jackson.core.JsonParseException(parser, "unexpected end of input");
            }
        }
        return JsonValue.ofCompactJson(out.toString());
    }

    /** The current string token, quoted, copied from the parser's buffer when nothing in it needs escaping. */
    private void appendQuoted(StringBuilder out, String prefix, String name) throws IOException {
        int len = checkLength(prefix, name, -1);
        char[] c = parser.getTextCharacters();
        int off = parser.getTextOffset();
        for (int i = off; i < off + len; i++) {
            char ch = c[i];
            if (ch < 0x20 || ch == '"' || ch == '\\') {
                appendQuoted(out, new String(c, off, len));
                return;
            }
        }
        out.append('"').append(c, off, len).append('"');
    }

    static StringBuilder appendQuoted(StringBuilder out, String s) {
        out.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, out);
        return out.append('"');
    }

    private void checkDepth(int depth, String prefix, String name) {
        if (depth > limits.maxValueDepth()) {
            throw new FieldError(path(prefix, name, -1), "value nested deeper than " + limits.maxValueDepth() + " levels");
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
