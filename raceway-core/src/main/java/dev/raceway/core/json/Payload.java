package dev.raceway.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.raceway.core.event.JsonValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The fields of one small JSON object (an event-kind payload or the metadata), read in one pass and then
 * checked field by field against the type the wire format requires. Only the named fields are kept; unknown
 * fields are skipped, as the reference server ignores them.
 */
final class Payload {
    private final ValueReader reader;
    private final String path;
    private final String[] names;
    private final JsonToken[] tokens;
    private final String[] texts;
    private final JsonValue[] structured;
    private final boolean[] numberTooLarge;
    /** Integer values that fit a long, as the parser read them (no second parse of the text). */
    private final long[] longs;
    /** String maps and lists, read directly (no intermediate JSON text) because every event has tags. */
    private final Object[] collections;
    /** A field-level error found while reading a collection, reported only if the field is asked for. */
    private final FieldError[] collectionErrors;
    /** For string-map fields: the previous map, returned again while the same entries repeat. */
    private final RepeatedMap[] repeatedMaps;
    /** The Optional last returned by {@link #optionalString} for each field. */
    private final Optional<String>[] lastOptionals;

    private Payload(ValueReader reader, String path, String[] names) {
        this.reader = reader;
        this.path = path;
        this.names = names;
        this.tokens = new JsonToken[names.length];
        this.texts = new String[names.length];
        this.structured = new JsonValue[names.length];
        this.numberTooLarge = new boolean[names.length];
        this.longs = new long[names.length];
        this.collections = new Object[names.length];
        this.collectionErrors = new FieldError[names.length];
        this.repeatedMaps = new RepeatedMap[names.length];
        @SuppressWarnings("unchecked")
        Optional<String>[] optionals = (Optional<String>[]) new Optional<?>[names.length];
        this.lastOptionals = optionals;
    }

    /** Fields that the wire format defines as objects of strings or arrays of strings. */
    private static boolean isStringCollection(String name) {
        return name.equals("tags") || name.equals("headers") || name.equals("stack_trace");
    }

    /** A payload for {@code names} to be filled, again and again, by {@link #readNext()}. */
    static Payload reusable(ValueReader reader, String path, String[] names) {
        return new Payload(reader, path, names);
    }

    /**
     * Forgets the previous object and reads the one at the parser's current token. Reusing one payload per event
     * kind saves allocating its eight arrays for every event; values already handed out are not touched.
     */
    Payload readNext() throws IOException {
        // Only the tokens are cleared for all fields: the other arrays are read only for a field whose token is
        // set, and those of a field are reset below when its token is.
        java.util.Arrays.fill(tokens, null);
        Payload payload = this;
        String path = this.path;
        JsonParser p = reader.parser();
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new FieldError(path, "must be a JSON object, got " + ValueReader.describe(p.currentToken()));
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            int slot = payload.slotOf(name);
            if (slot < 0) {
                p.skipChildren();
                continue;
            }
            payload.tokens[slot] = t;
            payload.structured[slot] = null;
            payload.collections[slot] = null;
            payload.collectionErrors[slot] = null;
            payload.numberTooLarge[slot] = false;
            if ((t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) && isStringCollection(name)) {
                payload.readCollection(slot, name);
                continue;
            }
            switch (t) {
                case START_OBJECT, START_ARRAY -> payload.structured[slot] = reader.readValue(path, name);
                case VALUE_STRING -> payload.texts[slot] = reader.text(path, name, -1);
                case VALUE_NUMBER_INT -> {
                    boolean tooLarge = p.getNumberType() == JsonParser.NumberType.BIG_INTEGER;
                    payload.numberTooLarge[slot] = tooLarge;
                    if (tooLarge) {
                        payload.texts[slot] = p.getText();
                    } else {
                        long v = p.getLongValue();
                        payload.longs[slot] = v;
                        // The text is the long's own unless it is "-0"; it is built only if the value is kept.
                        payload.texts[slot] = v == 0 && p.getTextLength() != 1 ? p.getText() : null;
                    }
                }
                default -> payload.texts[slot] = p.getText();
            }
        }
        return payload;
    }

    private int slotOf(String name) {
        // Field names from Jackson and the literals here are both interned: identity finds them without equals.
        for (int i = 0; i < names.length; i++) {
            if (names[i] == name) {
                return i;
            }
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private int present(String name) {
        int slot = slotOf(name);
        if (slot < 0) {
            throw new IllegalStateException("field not declared: " + name);
        }
        if (tokens[slot] == null) {
            throw new FieldError(path + "." + name, "missing required field");
        }
        return slot;
    }

    private boolean absentOrNull(String name) {
        int slot = slotOf(name);
        return tokens[slot] == null || tokens[slot] == JsonToken.VALUE_NULL;
    }

    String string(String name) {
        int slot = present(name);
        if (tokens[slot] != JsonToken.VALUE_STRING) {
            throw new FieldError(path + "." + name, "must be a string, got " + ValueReader.describe(tokens[slot]));
        }
        return texts[slot];
    }

    Optional<String> optionalString(String name) {
        int slot = slotOf(name);
        if (tokens[slot] == null || tokens[slot] == JsonToken.VALUE_NULL) {
            return Optional.empty();
        }
        // Pooled strings repeat from event to event (span and instance ids): so can their Optional.
        String value = string(name);
        if (lastOptionals[slot] == null || lastOptionals[slot].get() != value) {
            lastOptionals[slot] = Optional.of(value);
        }
        return lastOptionals[slot];
    }

    long unsigned(String name, long max) {
        int slot = present(name);
        if (tokens[slot] != JsonToken.VALUE_NUMBER_INT) {
            throw new FieldError(path + "." + name, "must be a non-negative integer, got " + ValueReader.describe(tokens[slot])
                    + (tokens[slot] == JsonToken.VALUE_NUMBER_FLOAT ? " " + texts[slot] : ""));
        }
        if (numberTooLarge[slot]) {
            throw new FieldError(path + "." + name, "integer " + texts[slot] + " is out of range (max " + max + ")");
        }
        long v = longs[slot];
        if (v < 0) {
            throw new FieldError(path + "." + name, "must be a non-negative integer, got " + v);
        }
        if (v > max) {
            throw new FieldError(path + "." + name, "integer " + v + " is out of range (max " + max + ")");
        }
        return v;
    }

    /**
     * A non-negative number of milliseconds: an integer, or a fraction rounded to the nearest integer (JavaScript
     * callers send {@code performance.now()} differences such as {@code 12.7}).
     */
    long unsignedRounded(String name, long max) {
        int slot = present(name);
        if (tokens[slot] != JsonToken.VALUE_NUMBER_FLOAT) {
            return unsigned(name, max);
        }
        double d;
        try {
            d = Double.parseDouble(texts[slot]);
        } catch (NumberFormatException | NullPointerException e) {
            throw new FieldError(path + "." + name, "must be a non-negative number, got " + texts[slot]);
        }
        if (!(d >= 0)) {
            throw new FieldError(path + "." + name, "must be a non-negative number, got " + texts[slot]);
        }
        if (d >= 0x1p63 || Math.round(d) > max) {
            throw new FieldError(path + "." + name, "number " + texts[slot] + " is out of range (max " + max + ")");
        }
        return Math.round(d);
    }

    OptionalLong optionalUnsigned(String name, long max) {
        return absentOrNull(name) ? OptionalLong.empty() : OptionalLong.of(unsigned(name, max));
    }

    /** A free JSON value whose key must be present (its value may be {@code null}). */
    JsonValue value(String name) {
        return valueAt(present(name));
    }

    /** A free JSON value that may be absent or {@code null}. */
    Optional<JsonValue> optionalValue(String name) {
        return absentOrNull(name) ? Optional.empty() : Optional.of(valueAt(slotOf(name)));
    }

    private JsonValue valueAt(int slot) {
        return switch (tokens[slot]) {
            case START_OBJECT, START_ARRAY -> structured[slot];
            case VALUE_NULL -> JsonValue.NULL;
            case VALUE_TRUE -> JsonValue.TRUE;
            case VALUE_FALSE -> JsonValue.FALSE;
            case VALUE_STRING -> JsonValue.ofCompactJson(quote(texts[slot]));
            case VALUE_NUMBER_INT -> JsonValue.ofCompactJson(texts[slot] != null ? texts[slot]
                    : Long.toString(longs[slot])); // the exact source text (see readNext)
            default -> JsonValue.ofCompactJson(texts[slot]); // numbers keep their exact source text
        };
    }

    private void readCollection(int slot, String field) throws IOException {
        JsonParser parser = reader.parser();
        int max = reader.limits().maxCollectionSize();
        int maxLength = reader.limits().maxStringLength();
        try {
            if (parser.currentToken() == JsonToken.START_OBJECT) {
                RepeatedMap repeated = repeatedMaps[slot];
                if (repeated == null) {
                    repeated = new RepeatedMap();
                    repeatedMaps[slot] = repeated;
                }
                repeated.start();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    JsonToken t = parser.nextToken();
                    if (t != JsonToken.VALUE_STRING) {
                        throw new FieldError(path + "." + field + "." + key, "must be a string, got "
                                + ValueReader.describe(t));
                    }
                    if (repeated.size() >= max) {
                        throw new FieldError(path + "." + field, "has more than " + max + " entries");
                    }
                    if (parser.getTextLength() > maxLength) {
                        reader.text(path + "." + field, key, -1); // reports the limit with its path
                    }
                    repeated.add(key, reader.text(path, field, -1));
                }
                collections[slot] = repeated.finish();
            } else {
                List<String> out = new ArrayList<>();
                JsonToken t;
                while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (t != JsonToken.VALUE_STRING) {
                        throw new FieldError(path + "." + field + "[" + out.size() + "]", "must be a string, got "
                                + ValueReader.describe(t));
                    }
                    if (out.size() >= max) {
                        throw new FieldError(path + "." + field, "has more than " + max + " entries");
                    }
                    if (parser.getTextLength() > maxLength) {
                        reader.text(path + "." + field, null, out.size()); // reports the limit with its path
                    }
                    out.add(reader.text(path, field, -1));
                }
                collections[slot] = out;
            }
        } catch (FieldError e) {
            // Finish reading this field so the payload stays in sync; the error surfaces when the field is used.
            collectionErrors[slot] = e;
            parser.skipChildren();
        }
    }

    /** A JSON object whose values are all strings, e.g. {@code headers} or {@code tags}. */
    @SuppressWarnings("unchecked")
    Map<String, String> stringMap(String name) {
        int slot = present(name);
        if (collectionErrors[slot] != null) {
            throw collectionErrors[slot];
        }
        if (!(collections[slot] instanceof Map)) {
            throw new FieldError(path + "." + name, "must be an object of strings, got "
                    + ValueReader.describe(tokens[slot]));
        }
        return (Map<String, String>) collections[slot];
    }

    /** A JSON array of strings, e.g. {@code stack_trace}. */
    @SuppressWarnings("unchecked")
    List<String> stringList(String name) {
        int slot = present(name);
        if (collectionErrors[slot] != null) {
            throw collectionErrors[slot];
        }
        if (!(collections[slot] instanceof List)) {
            throw new FieldError(path + "." + name, "must be an array of strings, got "
                    + ValueReader.describe(tokens[slot]));
        }
        return (List<String>) collections[slot];
    }

    /**
     * Builds an immutable string map from entries read one by one, returning the previous map itself when the
     * entries are the same instances in the same order. Keys are canonical in the parser and values pooled per
     * batch, so repeated tag and header maps cost one identity comparison per entry instead of a new map and a
     * comparison of contents.
     */
    static final class RepeatedMap { // also used by FastBatchDecoder
        private String[] entries = new String[16];
        private int size;
        private String[] previous = new String[0];
        private Map<String, String> previousMap = Map.of();

        void start() {
            size = 0;
        }

        int size() {
            return size / 2;
        }

        void add(String key, String value) {
            if (size + 2 > entries.length) {
                entries = java.util.Arrays.copyOf(entries, entries.length * 2);
            }
            entries[size++] = key;
            entries[size++] = value;
        }

        Map<String, String> finish() {
            if (size == previous.length) {
                int i = 0;
                while (i < size && entries[i] == previous[i]) {
                    i++;
                }
                if (i == size) {
                    return previousMap;
                }
            }
            Map<String, String> map = new LinkedHashMap<>();
            for (int i = 0; i < size; i += 2) {
                map.put(entries[i], entries[i + 1]); // a repeated key keeps its last value
            }
            previous = java.util.Arrays.copyOf(entries, size);
            previousMap = Map.copyOf(map);
            return previousMap;
        }
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, sb);
        return sb.append('"').toString();
    }

    ValueReader reader() {
        return reader;
    }
}
