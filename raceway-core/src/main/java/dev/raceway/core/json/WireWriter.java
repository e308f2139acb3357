package dev.raceway.core.json;

import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.Timestamps;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
final class WireWriter {
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
    private Collection<Map.Entry<String, String>> sortedEntries;

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
        asciiString(Timestamps.format(e.timestamp()));
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
        stringField(THREAD_ID, m.threadId());
        numberField(PROCESS_ID, m.processId());
        stringField(SERVICE_NAME, m.serviceName());
        stringField(ENVIRONMENT, m.environment());
        raw(TAGS);
        stringMap(m.tags());
        raw(DURATION_NS);
        if (m.durationNs().isPresent()) {
            number(m.durationNs().getAsLong());
        } else {
            raw(NULL);
        }
        // The reference omits these three when absent (serde skip_serializing_if).
        optional(INSTANCE_ID, m.instanceId());
        optional(DISTRIBUTED_SPAN_ID, m.distributedSpanId());
        optional(UPSTREAM_SPAN_ID, m.upstreamSpanId());
        raw((byte) '}');
    }

    private void kind(EventKind kind) {
        raw((byte) '{');
        string(kind.variant());
        raw((byte) ':');
        if (kind instanceof EventKind.Extension x) {
            json(x.payload());
            raw((byte) '}');
            return;
        }
        if (kind instanceof EventKind.StateChange k) {
            stringField(VARIABLE, k.variable());
            jsonField(OLD_VALUE, k.oldValue().orElse(JsonValue.NULL));
            jsonField(NEW_VALUE, k.newValue());
            stringField(LOCATION, k.location());
            stringField(ACCESS_TYPE, k.accessType().wireName());
        } else if (kind instanceof EventKind.FunctionCall k) {
            stringField(FUNCTION_NAME, k.functionName());
            stringField(MODULE, k.module());
            jsonField(ARGS, k.args());
            stringField(FILE, k.file());
            numberField(LINE, k.line());
        } else if (kind instanceof EventKind.AsyncSpawn k) {
            stringField(TASK_ID, k.taskId());
            optional(SPAWNED_BY, k.spawnedBy());
        } else if (kind instanceof EventKind.AsyncAwait k) {
            stringField(FUTURE_ID, k.futureId());
            stringField(AWAITED_AT, k.awaitedAt());
        } else if (kind instanceof EventKind.LockAcquire k) {
            lock(k.lockId(), k.lockType(), k.location());
        } else if (kind instanceof EventKind.LockRelease k) {
            lock(k.lockId(), k.lockType(), k.location());
        } else if (kind instanceof EventKind.MemoryFence k) {
            stringField(ORDERING, k.ordering().name());
            stringField(LOCATION, k.location());
        } else if (kind instanceof EventKind.HttpRequest k) {
            stringField(METHOD, k.method());
            stringField(URL, k.url());
            raw(HEADERS);
            stringMap(k.headers());
            jsonField(BODY, k.body().orElse(JsonValue.NULL));
        } else if (kind instanceof EventKind.HttpResponse k) {
            numberField(STATUS, k.status());
            raw(HEADERS);
            stringMap(k.headers());
            jsonField(BODY, k.body().orElse(JsonValue.NULL));
            numberField(DURATION_MS, k.durationMs());
        } else if (kind instanceof EventKind.DatabaseQuery k) {
            stringField(QUERY, k.query());
            stringField(DATABASE, k.database());
            numberField(DURATION_MS, k.durationMs());
        } else if (kind instanceof EventKind.DatabaseResult k) {
            numberField(ROWS_AFFECTED, k.rowsAffected());
        } else if (kind instanceof EventKind.Error k) {
            stringField(ERROR_TYPE, k.errorType());
            stringField(MESSAGE, k.message());
            raw(STACK_TRACE);
            strings(k.stackTrace());
        } else if (kind instanceof EventKind.Custom k) {
            stringField(NAME, k.name());
            jsonField(DATA, k.data());
        } else {
            raw((byte) '{');
        }
        raw(CLOSE_TWO);
    }

    private void lock(String id, String type, String location) {
        stringField(LOCK_ID, id);
        stringField(LOCK_TYPE, type);
        stringField(LOCATION, location);
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

    private void optional(byte[] name, Optional<String> value) {
        if (value.isPresent()) {
            stringField(name, value.get());
        }
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

    /** A JSON string literal. */
    private void string(String s) {
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
    private static final byte[] ID = bytes("{\"id\":");
    private static final byte[] TRACE_ID = bytes(",\"trace_id\":");
    private static final byte[] PARENT_ID = bytes(",\"parent_id\":");
    private static final byte[] TIMESTAMP = bytes(",\"timestamp\":");
    private static final byte[] KIND = bytes(",\"kind\":");
    private static final byte[] METADATA = bytes(",\"metadata\":{");
    private static final byte[] CAUSALITY_VECTOR = bytes(",\"causality_vector\":[");
    private static final byte[] OPEN_PAIR = bytes("[");
    private static final byte[] NEXT_PAIR = bytes(",[");
    private static final byte[] LOCK_SET = bytes("],\"lock_set\":");
    private static final byte[] CLOSE_TWO = bytes("}}");

    private static final byte[] THREAD_ID = bytes("\"thread_id\":");
    private static final byte[] PROCESS_ID = bytes(",\"process_id\":");
    private static final byte[] SERVICE_NAME = bytes(",\"service_name\":");
    private static final byte[] ENVIRONMENT = bytes(",\"environment\":");
    private static final byte[] TAGS = bytes(",\"tags\":");
    private static final byte[] DURATION_NS = bytes(",\"duration_ns\":");
    private static final byte[] INSTANCE_ID = bytes(",\"instance_id\":");
    private static final byte[] DISTRIBUTED_SPAN_ID = bytes(",\"distributed_span_id\":");
    private static final byte[] UPSTREAM_SPAN_ID = bytes(",\"upstream_span_id\":");

    private static final byte[] VARIABLE = bytes("{\"variable\":");
    private static final byte[] OLD_VALUE = bytes(",\"old_value\":");
    private static final byte[] NEW_VALUE = bytes(",\"new_value\":");
    private static final byte[] LOCATION = bytes(",\"location\":");
    private static final byte[] ACCESS_TYPE = bytes(",\"access_type\":");
    private static final byte[] FUNCTION_NAME = bytes("{\"function_name\":");
    private static final byte[] MODULE = bytes(",\"module\":");
    private static final byte[] ARGS = bytes(",\"args\":");
    private static final byte[] FILE = bytes(",\"file\":");
    private static final byte[] LINE = bytes(",\"line\":");
    private static final byte[] TASK_ID = bytes("{\"task_id\":");
    private static final byte[] SPAWNED_BY = bytes(",\"spawned_by\":");
    private static final byte[] FUTURE_ID = bytes("{\"future_id\":");
    private static final byte[] AWAITED_AT = bytes(",\"awaited_at\":");
    private static final byte[] LOCK_ID = bytes("{\"lock_id\":");
    private static final byte[] LOCK_TYPE = bytes(",\"lock_type\":");
    private static final byte[] ORDERING = bytes("{\"ordering\":");
    private static final byte[] METHOD = bytes("{\"method\":");
    private static final byte[] URL = bytes(",\"url\":");
    private static final byte[] HEADERS = bytes(",\"headers\":");
    private static final byte[] BODY = bytes(",\"body\":");
    private static final byte[] STATUS = bytes("{\"status\":");
    private static final byte[] DURATION_MS = bytes(",\"duration_ms\":");
    private static final byte[] QUERY = bytes("{\"query\":");
    private static final byte[] DATABASE = bytes(",\"database\":");
    private static final byte[] ROWS_AFFECTED = bytes("{\"rows_affected\":");
    private static final byte[] ERROR_TYPE = bytes("{\"error_type\":");
    private static final byte[] MESSAGE = bytes(",\"message\":");
    private static final byte[] STACK_TRACE = bytes(",\"stack_trace\":");
    private static final byte[] NAME = bytes("{\"name\":");
    private static final byte[] DATA = bytes(",\"data\":");
}
