package dev.raceway.core.json;

import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.Timestamps;
import dev.raceway.core.schema.EventField;
import dev.raceway.core.schema.EventSchema;
import dev.raceway.core.schema.FieldSink;
import dev.raceway.core.schema.WireField;
import dev.raceway.core.schema.WireObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Writes events in the reference wire shape (field names, order and null conventions of serde) straight into UTF-8
 * bytes: the one definition of the event's JSON form, used for {@code POST /events} bodies, API responses and the
 * stored rows.
 *
 * <p>Field names are written as pre-encoded bytes, ids and numbers without intermediate strings, and strings with an
 * escaping loop over their characters. Through Jackson's generator this was most of what an SDK spends per event.
 * Strings are escaped as Jackson escapes them ({@code \"}, {@code \\}, {@code \b \t \n \f \r}, other control
 * characters as {@code &#92;u00XX}); a lone surrogate, which UTF-8 cannot carry, is written as its {@code &#92;uXXXX}
 * escape.
 * In {@linkplain #ascii ASCII mode} every non-ASCII character is escaped, strings and free JSON values alike.
 *
 * <p>Not thread-safe: one writer per use.
 */
final class WireWriter implements FieldSink {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX_UPPER = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /** For ASCII characters: 0 = written as is, otherwise the letter of its short escape, or 'u' for a six-character escape. */
    private static final byte[] ESCAPES = escapes();

    private static byte[] escapes() {
        byte[] e = new byte[128];
        for (int c = 0; c < 0x20; c++) {
            e[c] = 'u';
        }
        e['\b'] = 'b';
        e['\t'] = 't';
        e['\n'] = 'n';
        e['\f'] = 'f';
        e['\r'] = 'r';
        e['"'] = '"';
        e['\\'] = '\\';
        return e;
    }

    /** Longest string or value text: its worst-case escaped size must fit an array. */
    private static final int MAX_TEXT = (Integer.MAX_VALUE - 64) / 6;

    private final boolean ascii;
    private byte[] buf;
    private int pos;
    private char[] chars = new char[64];
    private Map<String, String> sortedMap;
    /** The pre-encoded field names of the object being written. */
    private byte[][] names;
    private Collection<Map.Entry<String, String>> sortedEntries;
    /** The epoch second of the last timestamp written, and its quoted text up to the seconds. */
    private long stampSecond = Long.MIN_VALUE;
    private byte[] stampPrefix;

    /**
     * Quoted strings that need no escaping, by hash: the ids, names and components that repeat from event to event
     * (thread ids, clock components, service names, lock ids) are copied instead of escaped character by
     * character. Shared by all writers; a slot is taken by a string seen twice in a row there, so one-off strings do
     * not churn it. Entries are immutable, so a racing reader sees a whole entry or a miss.
     */
    private static final int CACHE_SLOTS = 1024;
    private static final int CACHEABLE_LENGTH = 96;
    private static final Quoted[] QUOTED = new Quoted[CACHE_SLOTS];
    private static final int[] CANDIDATES = new int[CACHE_SLOTS];

    private record Quoted(String text, byte[] bytes) {
    }

    /** @param ascii escape every non-ASCII character, so that the output is plain ASCII */
    WireWriter(int capacity, boolean ascii) {
        this.buf = new byte[Math.max(capacity, 64)];
        this.ascii = ascii;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    /** The output as text (ISO-8859-1 decoding suffices in ASCII mode). */
    @Override
    public String toString() {
        return new String(buf, 0, pos, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, pos);
    }

    // ------------------------------------------------------------------ the event shape

    void event(Event e) {
        raw(ID);
        uuid(e.id());
        raw(TRACE_ID);
        uuid(e.traceId());
        raw(PARENT_ID);
        if (e.parentId().isPresent()) {
            uuid(e.parentId().get());
        } else {
            raw(NULL);
        }
        raw(TIMESTAMP);
        timestamp(e.timestamp());
        raw(KIND);
        kind(e.kind());
        raw(METADATA);
        metadata(e.metadata());
        raw(CAUSALITY_VECTOR);
        List<ClockEntry> clock = e.causalityVector().entries();
        for (int i = 0; i < clock.size(); i++) {
            ClockEntry c = clock.get(i);
            raw(i == 0 ? OPEN_PAIR : NEXT_PAIR);
            string(c.component());
            raw((byte) ',');
            number(c.value());
            raw((byte) ']');
        }
        raw(LOCK_SET);
        strings(e.lockSet());
        raw((byte) '}');
    }

    private void metadata(EventMetadata m) {
        fields(METADATA_LAYOUT, m);
    }

    private void kind(EventKind kind) {
        int index = EventSchema.indexOf(kind);
        if (index == EventSchema.EXTENSION) {
            raw((byte) '{');
            string(kind.variant());
            raw((byte) ':');
            json(((EventKind.Extension) kind).payload());
            raw((byte) '}');
            return;
        }
        Layout layout = KIND_LAYOUTS[index];
        raw(layout.open);
        fields(layout, kind);
        raw((byte) '}');
    }

    /** The fields of {@code owner} as {@code layout} declares them, each after its pre-encoded name; then '}'. */
    @SuppressWarnings("unchecked")
    private void fields(Layout layout, Object owner) {
        byte[][] outer = names;
        names = layout.names;
        ((WireObject<Object>) layout.object).write(owner, this);
        names = outer;
        raw((byte) '}');
    }

    // FieldSink: each field of the object being written, after its name from the current layout.

    @Override
    public void string(int field, String value) {
        stringField(names[field], value);
    }

    @Override
    public void optionalString(int field, Optional<String> value) {
        if (value.isPresent()) { // omitted when absent (serde skip_serializing_if)
            stringField(names[field], value.get());
        }
    }

    @Override
    public void number(int field, long value) {
        numberField(names[field], value);
    }

    @Override
    public void optionalNumber(int field, OptionalLong value) {
        raw(names[field]);
        if (value.isPresent()) {
            number(value.getAsLong());
        } else {
            raw(NULL);
        }
    }

    @Override
    public void value(int field, JsonValue value) {
        jsonField(names[field], value);
    }

    @Override
    public void optionalValue(int field, Optional<JsonValue> value) {
        jsonField(names[field], value.isPresent() ? value.get() : JsonValue.NULL);
    }

    @Override
    public void map(int field, Map<String, String> value) {
        raw(names[field]);
        stringMap(value);
    }

    @Override
    public void list(int field, List<String> value) {
        raw(names[field]);
        strings(value);
    }

    @Override
    public void constant(int field, Enum<?> value) {
        stringField(names[field], value.name());
    }

    /** A field: its pre-encoded {@code ,"name":} (or {@code {"name":} for the first), then the value. */
    private void stringField(byte[] name, String value) {
        raw(name);
        string(value);
    }

    private void numberField(byte[] name, long value) {
        raw(name);
        number(value);
    }

    private void jsonField(byte[] name, JsonValue value) {
        raw(name);
        json(value);
    }

    private void strings(List<String> values) {
        raw((byte) '[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                raw((byte) ',');
            }
            string(values.get(i));
        }
        raw((byte) ']');
    }

    private void stringMap(Map<String, String> map) {
        raw((byte) '{');
        boolean first = true;
        for (Map.Entry<String, String> e : sortedEntries(map)) {
            if (!first) {
                raw((byte) ',');
            }
            first = false;
            string(e.getKey());
            raw((byte) ':');
            string(e.getValue());
        }
        raw((byte) '}');
    }

    /**
     * The entries sorted by key, so that output is deterministic (immutable maps iterate in a per-JVM random order).
     * The events' maps are immutable and the events of a batch usually share one tag map: its sorted entries are
     * kept for the next event.
     */
    private Collection<Map.Entry<String, String>> sortedEntries(Map<String, String> map) {
        if (map.size() < 2) {
            return map.entrySet();
        }
        if (map != sortedMap) {
            sortedEntries = List.copyOf(new TreeMap<>(map).entrySet());
            sortedMap = map;
        }
        return sortedEntries;
    }

    // ------------------------------------------------------------------ primitives

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }

    private void raw(byte b) {
        ensure(1);
        buf[pos++] = b;
    }

    private void raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    private void uuid(UUID id) {
        ensure(38);
        byte[] b = buf;
        int p = pos;
        b[p++] = '"';
        p = hex(b, p, id.getMostSignificantBits() >>> 32, 8);
        b[p++] = '-';
        p = hex(b, p, id.getMostSignificantBits() >>> 16, 4);
        b[p++] = '-';
        p = hex(b, p, id.getMostSignificantBits(), 4);
        b[p++] = '-';
        p = hex(b, p, id.getLeastSignificantBits() >>> 48, 4);
        b[p++] = '-';
        p = hex(b, p, id.getLeastSignificantBits(), 12);
        b[p++] = '"';
        pos = p;
    }

    /** The low {@code digits} hex digits of {@code v}, lower-case. */
    private static int hex(byte[] b, int p, long v, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            b[p + i] = HEX[(int) (v & 0xF)];
            v >>>= 4;
        }
        return p + digits;
    }

    private void number(long v) {
        ensure(20);
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                asciiText("-9223372036854775808");
                return;
            }
            buf[pos++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        int end = pos + digits;
        for (int p = end - 1; p >= pos; p--) {
            buf[p] = (byte) ('0' + (int) (v % 10));
            v /= 10;
        }
        pos = end;
    }

    /** A string known to need no escaping (timestamps). */
    private void asciiString(String s) {
        ensure(s.length() + 2);
        buf[pos++] = '"';
        asciiText(s);
        buf[pos++] = '"';
    }

    /** Text known to be ASCII and to need no escaping, written as is (structure between events). */
    void rawAscii(String s) {
        asciiText(s);
    }

    private void asciiText(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[pos + i] = (byte) s.charAt(i);
        }
        pos += n;
    }

    /** RFC 3339 UTC, as {@link Timestamps#format} writes it; the date and time of day kept for the next event. */
    private void timestamp(Instant t) {
        long second = t.getEpochSecond();
        if (second != stampSecond) {
            String whole = Timestamps.format(Instant.ofEpochSecond(second));
            if (whole.length() != 20) { // a year outside 0000–9999, written as the JDK formats it
                asciiString(Timestamps.format(t));
                return;
            }
            stampPrefix = ("\"" + whole.substring(0, 19)).getBytes(StandardCharsets.US_ASCII);
            stampSecond = second;
        }
        raw(stampPrefix);
        int digits = Timestamps.fractionDigits(t.getNano());
        ensure(digits + 3);
        if (digits > 0) {
            buf[pos++] = '.';
            int v = Timestamps.fraction(t.getNano(), digits);
            for (int i = pos + digits - 1; i >= pos; i--) {
                buf[i] = (byte) ('0' + v % 10);
                v /= 10;
            }
            pos += digits;
        }
        buf[pos++] = 'Z';
        buf[pos++] = '"';
    }

    /** A JSON string literal: copied when cached, else escaped (and cached when it needed no escaping). */
    private void string(String s) {
        int n = s.length();
        if (n > CACHEABLE_LENGTH) {
            escaped(s);
            return;
        }
        int h = s.hashCode();
        int slot = (h ^ (h >>> 16)) & (CACHE_SLOTS - 1);
        Quoted q = QUOTED[slot];
        if (q != null && (q.text == s || q.text.equals(s))) {
            raw(q.bytes);
            return;
        }
        int start = pos;
        escaped(s);
        if (pos - start == n + 2) { // every character one byte, none escaped: the same in ASCII mode
            if (CANDIDATES[slot] == h) {
                QUOTED[slot] = new Quoted(s, Arrays.copyOfRange(buf, start, pos));
            } else {
                CANDIDATES[slot] = h;
            }
        }
    }

    private void escaped(String s) {
        int n = s.length();
        char[] c = charsOf(s);
        ensure(n * 6 + 2); // at most six bytes (an escape) per character
        byte[] b = buf;
        int p = pos;
        b[p++] = '"';
        for (int i = 0; i < n; i++) {
            char ch = c[i];
            if (ch < 0x80) {
                byte esc = ESCAPES[ch];
                if (esc == 0) {
                    b[p++] = (byte) ch;
                } else if (esc == 'u') {
                    p = unicodeEscape(b, p, ch);
                } else {
                    b[p++] = '\\';
                    b[p++] = esc;
                }
            } else if (!ascii && Character.isHighSurrogate(ch) && i + 1 < n && Character.isLowSurrogate(c[i + 1])) {
                p = utf8Pair(b, p, ch, c[++i]);
            } else {
                p = nonAscii(b, p, ch);
            }
        }
        b[p++] = '"';
        pos = p;
    }

    /** A free JSON value, as its (compact, valid) text. */
    private void json(JsonValue v) {
        String s = v.json();
        int n = s.length();
        char[] c = charsOf(s);
        ensure(n * 6);
        byte[] b = buf;
        int p = pos;
        for (int i = 0; i < n; i++) {
            char ch = c[i];
            if (ch < 0x80) {
                b[p++] = (byte) ch;
            } else if (!ascii && Character.isHighSurrogate(ch) && i + 1 < n && Character.isLowSurrogate(c[i + 1])) {
                p = utf8Pair(b, p, ch, c[++i]);
            } else {
                // Outside string literals JSON text is ASCII: this character is inside one, where escaping is exact.
                p = nonAscii(b, p, ch);
            }
        }
        pos = p;
    }

    private char[] charsOf(String s) {
        int n = s.length();
        if (n > MAX_TEXT) {
            throw new IllegalArgumentException("a string of " + n + " characters is too long to encode");
        }
        if (chars.length < n) {
            chars = new char[Math.max(n, chars.length * 2)];
        }
        s.getChars(0, n, chars, 0);
        return chars;
    }

    /**
     * Writes the non-ASCII character {@code ch} (not the start of a surrogate pair) at {@code p}: UTF-8, or its
     * escape in ASCII mode or when it is a lone surrogate. Returns the new position.
     */
    private int nonAscii(byte[] b, int p, char ch) {
        if (ascii || Character.isSurrogate(ch)) {
            return unicodeEscape(b, p, ch);
        }
        if (ch < 0x800) {
            b[p++] = (byte) (0xC0 | (ch >> 6));
            b[p++] = (byte) (0x80 | (ch & 0x3F));
            return p;
        }
        b[p++] = (byte) (0xE0 | (ch >> 12));
        b[p++] = (byte) (0x80 | ((ch >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (ch & 0x3F));
        return p;
    }

    private static int utf8Pair(byte[] b, int p, char high, char low) {
        int cp = Character.toCodePoint(high, low);
        b[p++] = (byte) (0xF0 | (cp >> 18));
        b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (cp & 0x3F));
        return p;
    }

    private static int unicodeEscape(byte[] b, int p, char ch) {
        b[p++] = '\\';
        b[p++] = 'u';
        b[p++] = HEX_UPPER[ch >>> 12];
        b[p++] = HEX_UPPER[(ch >>> 8) & 0xF];
        b[p++] = HEX_UPPER[(ch >>> 4) & 0xF];
        b[p++] = HEX_UPPER[ch & 0xF];
        return p;
    }

    // ------------------------------------------------------------------ pre-encoded field names

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static final byte[] NULL = bytes("null");
    private static final byte[] ID = field('{', EventField.ID);
    private static final byte[] TRACE_ID = field(',', EventField.TRACE_ID);
    private static final byte[] PARENT_ID = field(',', EventField.PARENT_ID);
    private static final byte[] TIMESTAMP = field(',', EventField.TIMESTAMP);
    private static final byte[] KIND = field(',', EventField.KIND);
    private static final byte[] METADATA = field(',', EventField.METADATA);
    private static final byte[] CAUSALITY_VECTOR = bytes(new String(field(',', EventField.CAUSALITY_VECTOR),
            StandardCharsets.US_ASCII) + "[");
    private static final byte[] OPEN_PAIR = bytes("[");
    private static final byte[] NEXT_PAIR = bytes(",[");
    private static final byte[] LOCK_SET = bytes("]" + new String(field(',', EventField.LOCK_SET),
            StandardCharsets.US_ASCII));

    private static byte[] field(char before, EventField field) {
        return bytes(before + "\"" + field.wireName() + "\":");
    }

    /** An object's fields with their names pre-encoded ({@code {"first":}, {@code ,"next":}). */
    private static final class Layout {
        final WireObject<?> object;
        /** For a kind: {@code {"Variant":}. */
        final byte[] open;
        final byte[][] names;

        Layout(WireObject<?> object) {
            this.object = object;
            this.open = bytes("{\"" + object.name() + "\":");
            int n = object.size();
            this.names = new byte[n][];
            for (int i = 0; i < n; i++) {
                WireField f = object.fields().get(i);
                names[i] = bytes((i == 0 ? "{" : ",") + "\"" + f.name() + "\":");
            }
        }
    }

    private static final Layout METADATA_LAYOUT = new Layout(EventSchema.METADATA);
    private static final Layout[] KIND_LAYOUTS = EventSchema.KINDS.stream().map(Layout::new).toArray(Layout[]::new);
}
