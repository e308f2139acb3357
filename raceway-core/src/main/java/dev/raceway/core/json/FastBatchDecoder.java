package dev.raceway.core.json;

import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.Timestamps;
import dev.raceway.core.event.Uuids;
import dev.raceway.core.event.VectorClock;
import dev.raceway.core.schema.EventField;
import dev.raceway.core.schema.EventSchema;
import dev.raceway.core.schema.FieldType;
import dev.raceway.core.schema.FieldValues;
import dev.raceway.core.schema.WireField;
import dev.raceway.core.schema.WireObject;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The ingest fast path: decodes a {@code POST /events} body in which every event is valid straight from its UTF-8
 * bytes, or declines it.
 *
 * <p>The general decoder ({@link EventDecoder} over Jackson's streaming parser) defines what a body means: every
 * rejection, path and reason. This class accepts only a subset of the bodies it accepts — well-formed JSON whose
 * events are all valid and within the limits — and for those returns exactly what it returns. Anything else (a
 * syntax error, an invalid or over-limit event, a repeated field, a string that is not well-formed UTF-8, a rare
 * construct this reader does not handle) makes {@link #decode} return null, and the caller runs the general
 * decoder on the whole body, which finds and reports the problem. Declining is always correct; accepting is only
 * allowed when the result is identical, which a differential property test checks on valid, reformatted and
 * randomly corrupted bodies.
 *
 * <p>Why it exists: for a typical SDK batch the general decoder spends three times as long as a bare token scan,
 * and on the ingest path decoding is most of the server's CPU. Reading bytes directly avoids decoding each string to
 * characters before looking it up: repeated strings (most of them) are found in a per-batch pool by their bytes,
 * and UUIDs, timestamps and integers are parsed from the bytes without an intermediate string.
 *
 * <p>Not thread-safe: one instance decodes one body.
 */
final class FastBatchDecoder {
    /** Thrown to decline the body; carries no stack trace (it is control flow, not an error), only its reason. */
    private static final class Decline extends RuntimeException {
        final FastPathCounters.Reason reason;

        Decline(FastPathCounters.Reason reason) {
            super(null, null, false, false);
            this.reason = reason;
        }
    }

    private static final Decline SYNTAX = new Decline(FastPathCounters.Reason.SYNTAX);
    private static final Decline INVALID = new Decline(FastPathCounters.Reason.INVALID_EVENT);
    private static final Decline OVER_LIMIT = new Decline(FastPathCounters.Reason.OVER_LIMIT);
    private static final Decline DUPLICATE = new Decline(FastPathCounters.Reason.DUPLICATE_KEY);
    private static final Decline BAD_UTF8 = new Decline(FastPathCounters.Reason.MALFORMED_UTF8);
    private static final Decline UNSUPPORTED = new Decline(FastPathCounters.Reason.UNSUPPORTED);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private static final long U64 = WireField.U64;
    /** Longer number literals (legal JSON, e.g. huge integers in free values) are left to the general decoder. */
    private static final int MAX_NUMBER_LENGTH = 100;
    /** Deepest free value copied here, whatever the limits allow: the copy recurses once per level. */
    private static final int MAX_DEPTH = 128;
    private static final byte[] LONG_MAX = Long.toString(Long.MAX_VALUE).getBytes(StandardCharsets.US_ASCII);

    private final byte[] b;
    private final int end;
    private final DecodeLimits limits;
    private int pos;
    private final BytePool pool;
    /** Output of the free JSON value being copied. */
    private byte[] out = new byte[256];
    private int outLen;
    private boolean outAscii;
    private final ByteSlice slice = new ByteSlice();
    /** Per kind (by {@link WireObject#index()}), then the metadata: the reusable fields, made on first use. */
    private final Fields[] fields = new Fields[OBJECTS.length];
    private final List<ClockEntry> clockScratch = new ArrayList<>();
    private final List<String> lockScratch = new ArrayList<>();

    private FastBatchDecoder(byte[] body, int offset, int length, DecodeLimits limits) {
        this.b = body;
        this.pos = offset;
        this.end = offset + length;
        this.limits = limits;
        this.pool = new BytePool(length);
    }

    /**
     * The events of {@code body[offset, offset + length)} when the body is well-formed and every event in it is
     * valid (then the result has no rejections and equals the general decoder's); null to leave the body to the
     * general decoder.
     */
    static BatchDecodeResult decode(byte[] body, int offset, int length, DecodeLimits limits) {
        try {
            return new FastBatchDecoder(body, offset, length, limits).batch();
        } catch (Decline d) {
            FastPathCounters.INSTANCE.declined(d.reason);
            return null;
        } catch (IllegalArgumentException e) {
            // A model invariant (an unparsable timestamp, a bad clock) that the general decoder reports as this
            // event's rejection.
            FastPathCounters.INSTANCE.declined(FastPathCounters.Reason.INVALID_EVENT);
            return null;
        }
    }

    // ------------------------------------------------------------------ structure

    private BatchDecodeResult batch() {
        expect('{');
        List<Event> events = null;
        if (peek() == '}') {
            pos++;
        } else {
            int unknown = 0;
            do {
                if (key(BATCH_NAMES, 0) == 0) {
                    if (events != null) {
                        throw DUPLICATE;
                    }
                    events = eventArray();
                } else {
                    unknown = distinctKey(BATCH_KEYS, unknown, lastKeyFrom, lastKeyTo);
                    skipValue();
                }
            } while (nextMember('}'));
        }
        while (pos < end) {
            if (!isWhitespace(b[pos++])) {
                throw SYNTAX;
            }
        }
        if (events == null) {
            throw SYNTAX;
        }
        return new BatchDecodeResult(events, List.of());
    }

    private List<Event> eventArray() {
        expect('[');
        List<Event> events = new ArrayList<>();
        if (peek() == ']') {
            pos++;
            return events;
        }
        do {
            if (events.size() >= limits.maxEvents()) {
                throw OVER_LIMIT;
            }
            events.add(event());
        } while (nextMember(']'));
        return events;
    }

    private Event event() {
        expect('{');
        if (peek() == '}') {
            throw INVALID;
        }
        UUID id = null;
        UUID traceId = null;
        Optional<UUID> parentId = Optional.empty();
        Instant timestamp = null;
        EventKind kind = null;
        EventMetadata metadata = null;
        VectorClock clock = VectorClock.empty();
        List<String> lockSet = List.of();
        int seen = 0;
        int unknown = 0;
        int f = -1;
        do {
            f = key(EVENT_NAMES, f + 1);
            if (f < 0) {
                unknown = distinctKey(EVENT_KEYS, unknown, lastKeyFrom, lastKeyTo);
                skipValue();
                continue;
            }
            if ((seen & (1 << f)) != 0) {
                throw DUPLICATE; // a repeated field: the general decoder refuses the body
            }
            seen |= 1 << f;
            switch (EventField.at(f)) {
                case ID -> id = uuid();
                case TRACE_ID -> traceId = uuid();
                case PARENT_ID -> parentId = isNull() ? Optional.empty() : Optional.of(uuid());
                case TIMESTAMP -> timestamp = timestamp();
                case KIND -> kind = kind();
                case METADATA -> metadata = metadata();
                case CAUSALITY_VECTOR -> clock = isNull() ? VectorClock.empty() : clock();
                case LOCK_SET -> lockSet = isNull() ? List.of() : lockSet();
                default -> throw new IllegalStateException("unhandled field " + EventField.at(f));
            }
        } while (nextMember('}'));
        if (id == null || traceId == null || timestamp == null || kind == null || metadata == null
                || parentId.isPresent() && parentId.get().equals(id)) {
            throw INVALID;
        }
        return new Event(id, traceId, parentId, timestamp, kind, metadata, clock, lockSet);
    }

    /** After a value: true on {@code ','}, false on {@code close} (both consumed). */
    private boolean nextMember(char close) {
        int c = peek();
        pos++;
        if (c == ',') {
            return true;
        }
        if (c == close) {
            return false;
        }
        throw SYNTAX;
    }

    /**
     * Reads an object key and its colon; the index of the key in {@code spec}'s names, or -1 for another key.
     * {@code expected}: the index the key probably has (clients write fields in one order), checked first with
     * one comparison instead of a scan. Keys are matched as bytes: one with an escape declines the body.
     */
    private int key(byte[][] names, int expected) {
        if (peek() != '"') {
            throw SYNTAX;
        }
        lastKeyFrom = pos;
        if (expected < names.length) {
            byte[] name = names[expected];
            int from = pos + 1;
            int to = from + name.length;
            // The name's bytes then a quote: exactly this key (no name contains a backslash to escape that quote).
            if (to < end && b[to] == '"' && Arrays.equals(b, from, to, name, 0, name.length)) {
                pos = to + 1;
                expect(':');
                return expected;
            }
        }
        int start = ++pos;
        int i = start;
        while (true) {
            if (i >= end) {
                throw SYNTAX;
            }
            byte c = b[i];
            if (c == '"') {
                break;
            }
            if (c < 0x20 || c == '\\') {
                throw c >= 0 && c < 0x20 ? SYNTAX : UNSUPPORTED; // a control character; an escape or non-ASCII byte
            }
            i++;
        }
        int len = i - start;
        if (len > limits.maxStringLength()) {
            throw OVER_LIMIT; // the general parser's name limit may be lower than this key
        }
        pos = i + 1;
        lastKeyTo = pos;
        expect(':');
        for (int n = 0; n < names.length; n++) {
            byte[] name = names[n];
            if (name.length == len && Arrays.equals(name, 0, len, b, start, i)) {
                return n;
            }
        }
        return -1;
    }

    private int peek() {
        while (pos < end) {
            byte c = b[pos];
            if (!isWhitespace(c)) {
                return c;
            }
            pos++;
        }
        throw SYNTAX;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw SYNTAX;
        }
        pos++;
    }

    private static boolean isWhitespace(byte c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    /** True (and consumed) when the next value is the literal {@code null}. */
    private boolean isNull() {
        if (peek() == 'n') {
            literal("null");
            return true;
        }
        return false;
    }

    private void literal(String word) {
        int n = word.length();
        if (end - pos < n) {
            throw SYNTAX;
        }
        for (int i = 0; i < n; i++) {
            if (b[pos + i] != word.charAt(i)) {
                throw SYNTAX;
            }
        }
        pos += n;
    }

    // ------------------------------------------------------------------ event fields

    private UUID uuid() {
        if (peek() != '"') {
            throw INVALID; // not a string
        }
        if (end - pos > 37 && b[pos + 37] == '"' && limits.maxStringLength() >= 36) {
            UUID u = CanonicalUuid.parse(slice.of(b, pos + 1, 36));
            if (u != null) {
                pos += 38;
                return u;
            }
        }
        // Upper case, braces, 32 digits without hyphens: the general parser's forms.
        return Uuids.parse(readString()).orElseThrow(() -> INVALID);
    }

    private Instant timestamp() {
        if (peek() != '"') {
            throw INVALID; // not a string
        }
        int start = pos + 1;
        int i = start;
        while (i < end && b[i] != '"') {
            byte c = b[i];
            if (c == '\\') {
                return Timestamps.parse(readString()); // legal, if no client writes it
            }
            if (c < 0x20) { // control and non-ASCII bytes: never in a valid timestamp
                throw c < 0 ? INVALID : SYNTAX;
            }
            i++;
        }
        if (i >= end) {
            throw SYNTAX;
        }
        if (i - start > limits.maxStringLength()) {
            throw OVER_LIMIT;
        }
        pos = i + 1;
        return Timestamps.parse(slice.of(b, start, i - start)); // IllegalArgumentException declines
    }

    private VectorClock clock() {
        expect('[');
        List<ClockEntry> entries = clockScratch;
        entries.clear();
        if (peek() == ']') {
            pos++;
            return VectorClock.of(entries);
        }
        do {
            if (entries.size() >= limits.maxClockComponents()) {
                throw OVER_LIMIT;
            }
            expect('[');
            if (peek() != '"') {
                throw SYNTAX;
            }
            String component = readString();
            expect(',');
            long counter = unsigned(U64);
            expect(']');
            entries.add(new ClockEntry(component, counter));
        } while (nextMember(']'));
        return VectorClock.of(entries);
    }

    private List<String> lockSet() {
        lockScratch.clear();
        List<String> locks = strings(lockScratch); // the event copies it
        return locks.isEmpty() ? List.of() : locks; // an empty list kept as is (a copy would still allocate)
    }

    /** An array of strings, within the collection limit, added to {@code out}. */
    private List<String> strings(List<String> out) {
        expect('[');
        if (peek() == ']') {
            pos++;
            return out;
        }
        do {
            if (out.size() >= limits.maxCollectionSize()) {
                throw OVER_LIMIT;
            }
            if (peek() != '"') {
                throw SYNTAX;
            }
            out.add(readString());
        } while (nextMember(']'));
        return out;
    }

    private EventMetadata metadata() {
        return (EventMetadata) fields(METADATA).read();
    }

    private EventKind kind() {
        expect('{');
        if (peek() != '"') {
            throw INVALID; // an empty kind object
        }
        int variant = key(KIND_NAMES, KIND_NAMES.length);
        if (variant < 0) {
            throw INVALID; // an unknown kind
        }
        EventKind kind;
        if (variant < EventSchema.EXTENSION) {
            kind = (EventKind) fields(variant).read();
        } else {
            if (peek() != '{') {
                throw SYNTAX;
            }
            kind = new EventKind.Extension(EventKind.Extension.KNOWN.get(variant - EventSchema.EXTENSION),
                    readValue());
        }
        expect('}'); // exactly one kind
        return kind;
    }

    /** The reusable fields of {@code OBJECTS[object]} (made on first use). */
    private Fields fields(int object) {
        Fields f = fields[object];
        if (f == null) {
            f = new Fields(OBJECTS[object]);
            fields[object] = f;
        }
        return f;
    }

    /**
     * The typed fields of one small object (a kind payload, the metadata), parsed by their declared type as they
     * are read. A missing required field, a wrong type or a repeated field declines the body.
     */
    private final class Fields {
        private final ObjectTable table;
        private final FieldValues values;
        /** Per map field: the last map, returned again while the same pooled entries repeat. */
        private final Payload.RepeatedMap[] maps;

        Fields(ObjectTable table) {
            this.table = table;
            this.values = table.object.newValues();
            this.maps = new Payload.RepeatedMap[table.types.length];
        }

        /** Reads the object at the current position and builds its record. */
        Object read() {
            FieldValues v = values;
            v.clear();
            ObjectTable t = table;
            expect('{');
            if (peek() == '}') {
                pos++;
            } else {
                int f = -1;
                int seen = 0;
                int unknown = 0;
                do {
                    f = key(t.names, f + 1);
                    if (f < 0) {
                        unknown = distinctKey(FIELD_KEYS, unknown, lastKeyFrom, lastKeyTo);
                        skipValue();
                        continue;
                    }
                    int bit = 1 << f;
                    if ((seen & bit) != 0) {
                        throw DUPLICATE; // a repeated field (also after a null): the general decoder refuses the body
                    }
                    seen |= bit;
                    FieldType type = t.types[f];
                    if (t.nullMeansAbsent[f] && isNull()) {
                        continue;
                    }
                    switch (type) {
                        case STRING, OPTIONAL_STRING -> v.set(f, string());
                        case NUMBER, OPTIONAL_NUMBER -> v.setNumber(f, unsigned(t.max[f]));
                        case MILLIS -> v.setNumber(f, roundedMillis(t.max[f]));
                        case VALUE, VALUE_OR_NULL, OPTIONAL_VALUE -> v.set(f, readValue());
                        case STRING_MAP -> v.set(f, stringMap(f));
                        case STRING_LIST -> v.set(f, strings(new ArrayList<>()));
                        case CONSTANT -> {
                            Enum<?> c = t.object.fields().get(f).constantNamed(string());
                            if (c == null) {
                                throw INVALID;
                            }
                            v.set(f, c);
                        }
                        default -> throw new IllegalStateException("field type " + type);
                    }
                } while (nextMember('}'));
            }
            if ((v.presentMask() & t.required) != t.required) {
                throw INVALID; // a required field is missing
            }
            return t.object.construct(v);
        }

        private String string() {
            if (peek() != '"') {
                throw INVALID; // a value of another type
            }
            return readString();
        }

        /** An object of strings, built as the general decoder builds it ({@link Payload.RepeatedMap}). */
        private Map<String, String> stringMap(int f) {
            Payload.RepeatedMap map = maps[f];
            if (map == null) {
                map = new Payload.RepeatedMap();
                maps[f] = map;
            }
            map.start();
            expect('{');
            if (peek() == '}') {
                pos++;
                return map.finish();
            }
            do {
                if (map.size() >= limits.maxCollectionSize()) {
                    throw OVER_LIMIT;
                }
                if (peek() != '"') {
                    throw SYNTAX;
                }
                String k = readString();
                checkKeyLength(k);
                expect(':');
                if (peek() != '"') {
                    throw SYNTAX;
                }
                map.add(k, readString());
            } while (nextMember('}'));
            Map<String, String> result = map.finish();
            if (result.size() != map.size()) {
                throw DUPLICATE; // a key given twice: the general decoder refuses the body
            }
            return result;
        }
    }

    // ------------------------------------------------------------------ scalars

    /** A non-negative integer literal no larger than {@code max}; anything else (sign, fraction, exponent) declines. */
    private long unsigned(long max) {
        int c = peek();
        int start = pos;
        if (c < '0' || c > '9') {
            throw INVALID; // a negative number or a value of another type
        }
        long v = 0;
        int i = pos;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            v = v * 10 + (b[i] - '0');
            i++;
        }
        int digits = i - start;
        if (digits > 1 && c == '0') {
            throw SYNTAX; // leading zeros are not JSON
        }
        if (digits > 19 || digits == 19 && Arrays.compare(b, start, i, LONG_MAX, 0, 19) > 0 || v > max) {
            throw INVALID; // beyond the field's maximum or a long (the general decoder's out-of-range error)
        }
        if (i < end && (b[i] == '.' || b[i] == 'e' || b[i] == 'E')) {
            throw INVALID; // a fraction where the wire format wants an integer
        }
        pos = i;
        return v;
    }

    /**
     * An integer as {@link #unsigned}, or a plain decimal fraction ({@code 12.75}) rounded to the nearest integer the
     * way the general decoder rounds it; exponents and anything unusual decline to the general decoder.
     */
    private long roundedMillis(long max) {
        int start = pos;
        int i = pos;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        if (i == end || b[i] != '.') {
            return unsigned(max);
        }
        int intDigits = i - start;
        i++;
        int fractionStart = i;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        if (intDigits == 0 || intDigits > 15 || i == fractionStart || i - fractionStart > 30
                || intDigits > 1 && b[start] == '0' || i < end && (b[i] == 'e' || b[i] == 'E')) {
            throw UNSUPPORTED; // not JSON, or large or odd enough that the general decoder should decide
        }
        double d = Double.parseDouble(new String(b, start, i - start, StandardCharsets.US_ASCII));
        long v = Math.round(d);
        if (v > max) {
            throw INVALID;
        }
        pos = i;
        return v;
    }

    /**
     * The string at the current position (its opening quote), one instance per distinct short string of the body.
     * Escapes and non-ASCII bytes are handled; a control character, a string over the length limit or UTF-8 that is
     * not well-formed declines.
     */
    private String readString() {
        int start = pos + 1;
        byte[] buf = b;
        int i = start;
        long h = 0;
        // Eight bytes at a time while they are plain ASCII text: a string is mostly that.
        while (i + 8 <= end) {
            long w = (long) LONGS.get(buf, i);
            long special = BytePool.specials(w);
            if (special == 0) {
                h = BytePool.mix(h, w);
                i += 8;
                continue;
            }
            int k = Long.numberOfTrailingZeros(special) >>> 3;
            if (buf[i + k] != '"') {
                return readStringSlowly(start); // an escape, a control character or a non-ASCII byte
            }
            if (k > 0) {
                h = BytePool.mix(h, w & (-1L >>> (64 - 8 * k))); // the bytes before the quote
            }
            int len = i + k - start;
            pos = i + k + 1;
            if (len > limits.maxStringLength()) {
                throw OVER_LIMIT;
            }
            return pool.get(buf, start, len, BytePool.finish(h), true);
        }
        return readStringSlowly(start);
    }

    /** {@link #readString()} byte by byte, for strings with escapes or non-ASCII bytes and at the body's end. */
    private String readStringSlowly(int start) {
        int close = scanString(start);
        if (close < 0) {
            return escapedString(start);
        }
        int len = close - start;
        pos = close + 1;
        if (len > limits.maxStringLength()) {
            throw OVER_LIMIT; // counted in bytes, so possibly more strictly than the general decoder's characters
        }
        String s = pool.get(b, start, len, BytePool.hash(b, start, len), scannedAscii);
        if (s == null) {
            throw BAD_UTF8;
        }
        return s;
    }

    /** Whether the string last passed to {@link #scanString} was all ASCII. */
    private boolean scannedAscii;

    /**
     * The index of the closing quote of the string whose contents start at {@code start}, or -1 if it has an escape
     * (then decode it with {@link #escapedString}); a control character or the body's end declines.
     */
    private int scanString(int start) {
        boolean ascii = true;
        for (int i = start; i < end; i++) {
            byte c = b[i];
            if (c == '"') {
                scannedAscii = ascii;
                return i;
            }
            if (c < 0x20 || c == '\\') {
                if (c == '\\') {
                    return -1;
                }
                if (c >= 0) {
                    throw SYNTAX;
                }
                ascii = false;
            }
        }
        throw SYNTAX;
    }

    /** A string with escapes, from just after its opening quote; built without pooling (rare). */
    private String escapedString(int start) {
        StringBuilder sb = new StringBuilder();
        int i = start;
        int segment = start;
        while (true) {
            if (i >= end) {
                throw SYNTAX;
            }
            byte c = b[i];
            if (c == '"') {
                appendUtf8(sb, segment, i);
                break;
            }
            if (c >= 0 && c < 0x20) {
                throw SYNTAX;
            }
            if (c != '\\') {
                i++;
                continue;
            }
            appendUtf8(sb, segment, i);
            if (i + 1 >= end) {
                throw SYNTAX;
            }
            byte e = b[i + 1];
            i += 2;
            switch (e) {
                case '"', '\\', '/' -> sb.append((char) e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (i + 4 > end) {
                        throw SYNTAX;
                    }
                    int cp = 0;
                    for (int k = 0; k < 4; k++) {
                        int d = Character.digit(b[i + k], 16); // either case, as JSON allows
                        if (d < 0 || b[i + k] < 0) {
                            throw SYNTAX;
                        }
                        cp = (cp << 4) | d;
                    }
                    sb.append((char) cp);
                    i += 4;
                }
                default -> throw SYNTAX;
            }
            segment = i;
        }
        pos = i + 1;
        if (sb.length() > limits.maxStringLength()) {
            throw OVER_LIMIT;
        }
        return sb.toString();
    }

    /** Appends bytes {@code [from, to)}, which must be well-formed UTF-8. */
    private void appendUtf8(StringBuilder sb, int from, int to) {
        if (from == to) {
            return;
        }
        if (!Utf8.isWellFormed(b, from, to)) {
            throw BAD_UTF8;
        }
        sb.append(new String(b, from, to - from, StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ free JSON values

    /**
     * The JSON value at the current position in the general decoder's compact form: whitespace removed, numbers as
     * written, strings copied when they have no escape and re-quoted as Jackson's encoder does when they have one.
     */
    private JsonValue readValue() {
        outLen = 0;
        outAscii = true;
        copyValue(0, true);
        // Not pooled: values (arguments, new values) mostly differ from event to event.
        return JsonValue.ofCompactJson(new String(out, 0, outLen,
                outAscii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
    }

    /** Validates and skips the value at the current position (an unknown field's). */
    private void skipValue() {
        copyValue(0, false);
    }

    private void copyValue(int depth, boolean copy) {
        int c = peek();
        switch (c) {
            case '{', '[' -> copyContainer(c == '{', depth, copy);
            case '"' -> copyString(copy, false);
            case 't' -> copyLiteral("true", copy);
            case 'f' -> copyLiteral("false", copy);
            case 'n' -> copyLiteral("null", copy);
            default -> copyNumber(copy);
        }
    }

    /**
     * An object or array at {@code depth} (0 for a value's top), within the free-value depth limit and
     * {@link #MAX_DEPTH} (this copy recurses; the general decoder, which does not, takes deeper values).
     */
    private void copyContainer(boolean object, int depth, boolean copy) {
        if (depth + 1 > limits.maxValueDepth()) {
            throw OVER_LIMIT;
        }
        if (depth + 1 > MAX_DEPTH) {
            throw UNSUPPORTED;
        }
        char close = object ? '}' : ']';
        pos++;
        emit(object ? '{' : '[', copy);
        if (peek() == close) {
            pos++;
        } else {
            boolean first = true;
            int keys = 0;
            do {
                if (!first) {
                    emit(',', copy);
                }
                first = false;
                if (object) {
                    if (peek() != '"') {
                        throw SYNTAX;
                    }
                    int keyStart = pos;
                    copyString(copy, true);
                    keys = distinctKey(depth, keys, keyStart, pos);
                    expect(':');
                    emit(':', copy);
                }
                copyValue(depth + 1, copy);
            } while (nextMember(close));
        }
        emit(close, copy);
    }

    /** Keys compared pairwise per object; an object with more is checked through a set of its decoded keys. */
    private static final int MAX_KEYS_COMPARED = 16;
    /** Slots of {@link #keyRanges} for the objects with known fields, beyond the free values' depths. */
    private static final int BATCH_KEYS = MAX_DEPTH + 1;
    private static final int EVENT_KEYS = MAX_DEPTH + 2;
    private static final int FIELD_KEYS = MAX_DEPTH + 3;
    /** Per slot (a free value's depth, or one of the known-field objects), the byte ranges of its keys so far. */
    private int[] keyRanges;
    /** Per slot, the decoded keys of an object with more than {@link #MAX_KEYS_COMPARED} keys. */
    private java.util.Set<String>[] manyKeys;
    /** The quoted key {@link #key} read last: {@code b[lastKeyFrom, lastKeyTo)}. */
    private int lastKeyFrom;
    private int lastKeyTo;

    /**
     * Records the quoted key at {@code b[from, to)} as the {@code index}-th of the object open in {@code slot},
     * declining when the object already has that key (the general decoder refuses such a body). Keys without
     * escapes are compared as bytes; a key with an escape is compared by its decoded text. Returns
     * {@code index + 1}.
     */
    @SuppressWarnings("unchecked")
    private int distinctKey(int slot, int index, int from, int to) {
        if (keyRanges == null) {
            keyRanges = new int[(FIELD_KEYS + 1) * MAX_KEYS_COMPARED * 2];
            manyKeys = (java.util.Set<String>[]) new java.util.Set<?>[FIELD_KEYS + 1];
        }
        if (index == 0) {
            manyKeys[slot] = null;
        }
        if (index >= MAX_KEYS_COMPARED) {
            java.util.Set<String> set = manyKeys[slot];
            if (set == null) {
                set = new java.util.HashSet<>();
                for (int k = 0; k < MAX_KEYS_COMPARED; k++) {
                    set.add(keyText(keyRanges[slotBase(slot) + 2 * k], keyRanges[slotBase(slot) + 2 * k + 1]));
                }
                manyKeys[slot] = set;
            }
            if (!set.add(keyText(from, to))) {
                throw DUPLICATE;
            }
            return index + 1;
        }
        int base = slotBase(slot);
        boolean escaped = hasEscape(from, to);
        for (int k = 0; k < index; k++) {
            int s = keyRanges[base + 2 * k];
            int e = keyRanges[base + 2 * k + 1];
            boolean same = escaped || hasEscape(s, e) ? keyText(s, e).equals(keyText(from, to))
                    : Arrays.equals(b, s, e, b, from, to);
            if (same) {
                throw DUPLICATE;
            }
        }
        keyRanges[base + 2 * index] = from;
        keyRanges[base + 2 * index + 1] = to;
        return index + 1;
    }

    private static int slotBase(int slot) {
        return slot * MAX_KEYS_COMPARED * 2;
    }

    private boolean hasEscape(int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\\') {
                return true;
            }
        }
        return false;
    }

    /** The text of the quoted key at {@code b[from, to)}, escapes decoded. */
    private String keyText(int from, int to) {
        if (!hasEscape(from, to)) {
            return new String(b, from + 1, to - from - 2, StandardCharsets.UTF_8);
        }
        int saved = pos;
        try {
            return escapedString(from + 1);
        } finally {
            pos = saved;
        }
    }

    private void copyLiteral(String word, boolean copy) {
        int start = pos;
        literal(word);
        if (copy) {
            emit(b, start, pos);
        }
    }

    /** A number exactly as JSON defines it ({@code -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?}), copied verbatim. */
    private void copyNumber(boolean copy) {
        int start = pos;
        int i = pos;
        if (i < end && b[i] == '-') {
            i++;
        }
        if (i >= end) {
            throw SYNTAX;
        }
        if (b[i] == '0') {
            i++;
        } else {
            i = digits(i);
        }
        if (i < end && b[i] == '.') {
            i = digits(i + 1);
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            i = digits(i);
        }
        if (i - start > MAX_NUMBER_LENGTH) {
            throw UNSUPPORTED;
        }
        pos = i;
        if (copy) {
            emit(b, start, i);
        }
    }

    /** The end of a run of at least one digit starting at {@code i}. */
    private int digits(int i) {
        int start = i;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        if (i == start) {
            throw SYNTAX;
        }
        return i;
    }

    /** A string inside a free value (or a key): verbatim without escapes, else decoded and re-quoted. */
    private void copyString(boolean copy, boolean key) {
        int start = pos + 1;
        int close = scanString(start);
        if (close < 0) {
            String s = escapedString(start);
            if (key) {
                checkKeyLength(s);
            }
            requote(s, copy);
            return;
        }
        boolean ascii = scannedAscii;
        if (close - start > limits.maxStringLength()) {
            throw OVER_LIMIT;
        }
        if (!ascii && !Utf8.isWellFormed(b, start, close)) {
            throw BAD_UTF8;
        }
        pos = close + 1;
        if (copy) {
            outAscii &= ascii;
            emit(b, start - 1, pos);
        }
    }

    /**
     * Jackson limits object keys by their length in UTF-8 bytes ({@code maxNameLength}, at least this decoder's
     * string limit) and refuses the whole body beyond it: a key longer than the string limit in UTF-8 declines.
     * (An unescaped key was already measured in bytes; this counts escaped ones, at three bytes per surrogate.)
     */
    private void checkKeyLength(String key) {
        int max = limits.maxStringLength();
        if (key.length() * 3L <= max) {
            return;
        }
        long bytes = 0;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        }
        if (bytes > max) {
            throw OVER_LIMIT;
        }
    }

    /** {@code s} quoted as the general decoder writes it (Jackson's string encoder). */
    private void requote(String s, boolean copy) {
        if (!copy) {
            return;
        }
        String quoted = Payload.quote(s);
        if (!Utf8.isEncodable(quoted)) {
            throw UNSUPPORTED; // a lone surrogate from a \\u escape: not representable in the UTF-8 output buffer
        }
        byte[] bytes = quoted.getBytes(StandardCharsets.UTF_8);
        for (byte x : bytes) {
            if (x < 0) {
                outAscii = false;
                break;
            }
        }
        emit(bytes, 0, bytes.length);
    }

    private void emit(char c, boolean copy) {
        if (copy) {
            if (outLen == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            out[outLen++] = (byte) c;
        }
    }

    private void emit(byte[] src, int from, int to) {
        int n = to - from;
        if (outLen + n > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, outLen + n));
        }
        System.arraycopy(src, from, out, outLen, n);
        outLen += n;
    }

    // ------------------------------------------------------------------ tables (from EventSchema)

    /** The keys of a batch object, of an event object ({@link EventField} order) and the kind names. */
    private static final byte[][] BATCH_NAMES = names(List.of(EventSchema.EVENTS));
    private static final byte[][] EVENT_NAMES = names(Arrays.stream(EventField.values())
            .map(EventField::wireName).toList());
    /** The kinds in {@link EventSchema#KINDS} order, then the SDK extensions. */
    private static final byte[][] KIND_NAMES = names(java.util.stream.Stream.concat(
            EventSchema.KINDS.stream().map(WireObject::name), EventKind.Extension.KNOWN.stream()).toList());
    /** The kinds' payload tables by index, then the metadata's. */
    private static final ObjectTable[] OBJECTS = java.util.stream.Stream.concat(EventSchema.KINDS.stream(),
            java.util.stream.Stream.of(EventSchema.METADATA)).map(ObjectTable::new).toArray(ObjectTable[]::new);
    private static final int METADATA = OBJECTS.length - 1;

    private static byte[][] names(List<String> names) {
        return names.stream().map(n -> n.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
    }

    /** One object's fields as arrays: what {@link Fields#read} looks up per field. */
    private static final class ObjectTable {
        final WireObject<?> object;
        final byte[][] names;
        final FieldType[] types;
        final boolean[] nullMeansAbsent;
        final long[] max;
        /** One bit per field that must be present. */
        final int required;

        ObjectTable(WireObject<?> object) {
            this.object = object;
            int n = object.size();
            this.names = names(object.fields().stream().map(WireField::name).toList());
            this.types = new FieldType[n];
            this.nullMeansAbsent = new boolean[n];
            this.max = new long[n];
            int req = 0;
            for (int i = 0; i < n; i++) {
                WireField f = object.fields().get(i);
                types[i] = f.type();
                nullMeansAbsent[i] = f.type().nullMeansAbsent();
                max[i] = f.max();
                if (!f.type().nullMeansAbsent()) {
                    req |= 1 << i;
                }
            }
            this.required = req;
        }
    }
}
