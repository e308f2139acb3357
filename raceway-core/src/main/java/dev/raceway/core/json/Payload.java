package dev.raceway.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.schema.FieldType;
import dev.raceway.core.schema.FieldValues;
import dev.raceway.core.schema.WireField;
import dev.raceway.core.schema.WireObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The fields of one small JSON object of the wire format (an event-kind payload or the metadata, as its
 * {@link WireObject} declares them), read in one pass and then checked field by field against the declared type
 * before the record is built. Only the declared fields are kept; unknown fields are skipped, as the reference server
 * ignores them.
 */
final class Payload<T> {
    private final ValueReader reader;
    private final String path;
    private final WireObject<T> object;
    private final String[] names;
    private final FieldType[] types;
    private final long[] max;
    /** Fields that the wire format defines as objects of strings or arrays of strings. */
    private final boolean[] stringCollections;
    private final FieldValues values;
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

    private Payload(ValueReader reader, String path, WireObject<T> object) {
        this.reader = reader;
        this.path = path;
        this.object = object;
        int n = object.size();
        this.names = new String[n];
        this.types = new FieldType[n];
        this.max = new long[n];
        this.stringCollections = new boolean[n];
        for (int i = 0; i < n; i++) {
            WireField f = object.fields().get(i);
            names[i] = f.name().intern(); // Jackson interns field names: identity finds them (see slotOf)
            types[i] = f.type();
            max[i] = f.max();
            stringCollections[i] = f.type() == FieldType.STRING_MAP || f.type() == FieldType.STRING_LIST;
        }
        this.values = object.newValues();
        this.tokens = new JsonToken[n];
        this.texts = new String[n];
        this.structured = new JsonValue[n];
        this.numberTooLarge = new boolean[n];
        this.longs = new long[n];
        this.collections = new Object[n];
        this.collectionErrors = new FieldError[n];
        this.repeatedMaps = new RepeatedMap[n];
    }

    /** A payload for {@code object} at {@code path} to be read, again and again, by {@link #read}. */
    static <T> Payload<T> reusable(ValueReader reader, String path, WireObject<T> object) {
        return new Payload<>(reader, path, object);
    }

    /**
     * Reads the object at the parser's current token and builds its record, checking each declared field in wire
     * order (the first invalid one is reported). {@code sharedMaps} may replace each string map by an equal shared
     * instance.
     */
    T read(UnaryOperator<Map<String, String>> sharedMaps) throws IOException {
        readNext();
        FieldValues v = values;
        v.clear();
        for (int i = 0; i < types.length; i++) {
            switch (types[i]) {
                case STRING -> v.set(i, string(i));
                case OPTIONAL_STRING -> {
                    if (!absentOrNull(i)) {
                        v.set(i, string(i));
                    }
                }
                case NUMBER -> v.setNumber(i, unsigned(i));
                case OPTIONAL_NUMBER -> {
                    if (!absentOrNull(i)) {
                        v.setNumber(i, unsigned(i));
                    }
                }
                case MILLIS -> v.setNumber(i, unsignedRounded(i));
                case VALUE -> v.set(i, valueAt(present(i)));
                case VALUE_OR_NULL, OPTIONAL_VALUE -> {
                    if (!absentOrNull(i)) {
                        v.set(i, valueAt(i));
                    }
                }
                case STRING_MAP -> v.set(i, sharedMaps.apply(stringMap(i)));
                case STRING_LIST -> v.set(i, stringList(i));
                case CONSTANT -> v.set(i, constant(i));
                default -> throw new IllegalStateException("field type " + types[i]);
            }
        }
        return object.construct(v);
    }

    /**
     * Forgets the previous object and reads the one at the parser's current token. Reusing one payload per event
     * kind saves allocating its arrays for every event; values already handed out are not touched.
     */
    private void readNext() throws IOException {
        // Only the tokens are cleared for all fields: the other arrays are read only for a field whose token is
        // set, and those of a field are reset below when its token is.
        java.util.Arrays.fill(tokens, null);
        String path = this.path;
        JsonParser p = reader.parser();
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new FieldError(path, "must be a JSON object, got " + ValueReader.describe(p.currentToken()));
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            int slot = slotOf(name);
            if (slot < 0) {
                p.skipChildren();
                continue;
            }
            tokens[slot] = t;
            structured[slot] = null;
            collections[slot] = null;
            collectionErrors[slot] = null;
            numberTooLarge[slot] = false;
            if ((t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) && stringCollections[slot]) {
                readCollection(slot);
                continue;
            }
            switch (t) {
                case START_OBJECT, START_ARRAY -> structured[slot] = reader.readValue(path, name);
                case VALUE_STRING -> texts[slot] = reader.text(path, name, -1);
                case VALUE_NUMBER_INT -> {
                    boolean tooLarge = p.getNumberType() == JsonParser.NumberType.BIG_INTEGER;
                    numberTooLarge[slot] = tooLarge;
                    if (tooLarge) {
                        texts[slot] = p.getText();
                    } else {
                        long v = p.getLongValue();
                        longs[slot] = v;
                        // The text is the long's own unless it is "-0"; it is built only if the value is kept.
                        texts[slot] = v == 0 && p.getTextLength() != 1 ? p.getText() : null;
                    }
                }
                default -> texts[slot] = p.getText();
            }
        }
    }

    private int slotOf(String name) {
        // Field names from Jackson and the names here are both interned: identity finds them without equals.
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

    private String fieldPath(int slot) {
        return path + "." + names[slot];
    }

    private int present(int slot) {
        if (tokens[slot] == null) {
            throw new FieldError(fieldPath(slot), "missing required field");
        }
        return slot;
    }

    private boolean absentOrNull(int slot) {
        return tokens[slot] == null || tokens[slot] == JsonToken.VALUE_NULL;
    }

    private String string(int slot) {
        present(slot);
        if (tokens[slot] != JsonToken.VALUE_STRING) {
            throw new FieldError(fieldPath(slot), "must be a string, got " + ValueReader.describe(tokens[slot]));
        }
        return texts[slot];
    }

    private Enum<?> constant(int slot) {
        String name = string(slot);
        WireField field = object.fields().get(slot);
        Enum<?> c = field.constantNamed(name);
        if (c == null) {
            throw new FieldError(fieldPath(slot), "unknown " + field.constantsDescription() + " '"
                    + EventDecoder.abbreviate(name) + "'; expected one of " + field.constantNames());
        }
        return c;
    }

    private long unsigned(int slot) {
        present(slot);
        long max = this.max[slot];
        if (tokens[slot] != JsonToken.VALUE_NUMBER_INT) {
            throw new FieldError(fieldPath(slot), "must be a non-negative integer, got "
                    + ValueReader.describe(tokens[slot])
                    + (tokens[slot] == JsonToken.VALUE_NUMBER_FLOAT ? " " + texts[slot] : ""));
        }
        if (numberTooLarge[slot]) {
            throw new FieldError(fieldPath(slot), "integer " + texts[slot] + " is out of range (max " + max + ")");
        }
        long v = longs[slot];
        if (v < 0) {
            throw new FieldError(fieldPath(slot), "must be a non-negative integer, got " + v);
        }
        if (v > max) {
            throw new FieldError(fieldPath(slot), "integer " + v + " is out of range (max " + max + ")");
        }
        return v;
    }

    /** A non-negative number of milliseconds: an integer, or a fraction rounded to the nearest integer. */
    private long unsignedRounded(int slot) {
        present(slot);
        if (tokens[slot] != JsonToken.VALUE_NUMBER_FLOAT) {
            return unsigned(slot);
        }
        long max = this.max[slot];
        double d;
        try {
            d = Double.parseDouble(texts[slot]);
        } catch (NumberFormatException | NullPointerException e) {
            throw new FieldError(fieldPath(slot), "must be a non-negative number, got " + texts[slot]);
        }
        if (!(d >= 0)) {
            throw new FieldError(fieldPath(slot), "must be a non-negative number, got " + texts[slot]);
        }
        if (d >= 0x1p63 || Math.round(d) > max) {
            throw new FieldError(fieldPath(slot), "number " + texts[slot] + " is out of range (max " + max + ")");
        }
        return Math.round(d);
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

    private void readCollection(int slot) throws IOException {
        String field = names[slot];
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
    private Map<String, String> stringMap(int slot) {
        present(slot);
        if (collectionErrors[slot] != null) {
            throw collectionErrors[slot];
        }
        if (!(collections[slot] instanceof Map)) {
            throw new FieldError(fieldPath(slot), "must be an object of strings, got "
                    + ValueReader.describe(tokens[slot]));
        }
        return (Map<String, String>) collections[slot];
    }

    /** A JSON array of strings, e.g. {@code stack_trace}. */
    @SuppressWarnings("unchecked")
    private List<String> stringList(int slot) {
        present(slot);
        if (collectionErrors[slot] != null) {
            throw collectionErrors[slot];
        }
        if (!(collections[slot] instanceof List)) {
            throw new FieldError(fieldPath(slot), "must be an array of strings, got "
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

}
