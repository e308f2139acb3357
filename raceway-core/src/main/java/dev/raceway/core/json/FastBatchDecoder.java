package dev.raceway.core.json;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.MemoryOrdering;
import dev.raceway.core.event.Timestamps;
import dev.raceway.core.event.Uuids;
import dev.raceway.core.event.VectorClock;
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
import java.util.OptionalLong;
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
    /** Thrown to decline the body; carries no stack trace (it is control flow, not an error). */
    private static final class Decline extends RuntimeException {
        Decline() {
            super(null, null, false, false);
        }
    }

    private static final Decline DECLINE = new Decline();
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private static final long U16 = 0xFFFFL;
    private static final long U32 = 0xFFFF_FFFFL;
    private static final long U64 = Long.MAX_VALUE;
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
    private final Fields[] fields = new Fields[Spec.values().length];
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
        } catch (Decline | IllegalArgumentException e) {
            // IllegalArgumentException: a model invariant (an unparsable timestamp, a bad clock) that the general
            // decoder reports as this event's rejection.
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
                if (key(Spec.BATCH, 0) == 0) {
                    if (events != null) {
                        throw DECLINE;
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
                throw DECLINE;
            }
        }
        if (events == null) {
            throw DECLINE;
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
                throw DECLINE;
            }
            events.add(event());
        } while (nextMember(']'));
        return events;
    }

    private Event event() {
        expect('{');
        if (peek() == '}') {
            throw DECLINE;
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
            f = key(Spec.EVENT, f + 1);
            if (f >= 0) {
                if ((seen & (1 << f)) != 0) {
                    throw DECLINE; // a repeated field: the general decoder refuses the body
                }
                seen |= 1 << f;
            } else {
                unknown = distinctKey(EVENT_KEYS, unknown, lastKeyFrom, lastKeyTo);
            }
            switch (f) {
                case 0 -> id = uuid();
                case 1 -> traceId = uuid();
                case 2 -> parentId = isNull() ? Optional.empty() : Optional.of(uuid());
                case 3 -> timestamp = timestamp();
                case 4 -> kind = kind();
                case 5 -> metadata = metadata();
                case 6 -> clock = isNull() ? VectorClock.empty() : clock();
                case 7 -> lockSet = isNull() ? List.of() : lockSet();
                default -> skipValue();
            }
        } while (nextMember('}'));
        if (id == null || traceId == null || timestamp == null || kind == null || metadata == null
                || parentId.isPresent() && parentId.get().equals(id)) {
            throw DECLINE;
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
        throw DECLINE;
    }

    /**
     * Reads an object key and its colon; the index of the key in {@code spec}'s names, or -1 for another key.
     * {@code expected}: the index the key probably has (clients write fields in one order), checked first with
     * one comparison instead of a scan. Keys are matched as bytes: one with an escape declines the body.
     */
    private int key(Spec spec, int expected) {
        if (peek() != '"') {
            throw DECLINE;
        }
        lastKeyFrom = pos;
        if (expected < spec.names.length) {
            byte[] name = spec.names[expected];
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
                throw DECLINE;
            }
            byte c = b[i];
            if (c == '"') {
                break;
            }
            if (c < 0x20 || c == '\\') {
                throw DECLINE;
            }
            i++;
        }
        int len = i - start;
        if (len > limits.maxStringLength()) {
            throw DECLINE; // the general parser's name limit may be lower than this key
        }
        pos = i + 1;
        lastKeyTo = pos;
        expect(':');
        byte[][] names = spec.names;
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
        throw DECLINE;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw DECLINE;
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
            throw DECLINE;
        }
        for (int i = 0; i < n; i++) {
            if (b[pos + i] != word.charAt(i)) {
                throw DECLINE;
            }
        }
        pos += n;
    }

    // ------------------------------------------------------------------ event fields

    private UUID uuid() {
        if (peek() != '"') {
            throw DECLINE;
        }
        if (end - pos > 37 && b[pos + 37] == '"' && limits.maxStringLength() >= 36) {
            UUID u = CanonicalUuid.parse(slice.of(b, pos + 1, 36));
            if (u != null) {
                pos += 38;
                return u;
            }
        }
        // Upper case, braces, 32 digits without hyphens: the general parser's forms.
        return Uuids.parse(readString()).orElseThrow(() -> DECLINE);
    }

    private Instant timestamp() {
        if (peek() != '"') {
            throw DECLINE;
        }
        int start = pos + 1;
        int i = start;
        while (i < end && b[i] != '"') {
            byte c = b[i];
            if (c == '\\') {
                return Timestamps.parse(readString()); // legal, if no client writes it
            }
            if (c < 0x20) { // control and non-ASCII bytes: never in a valid timestamp
                throw DECLINE;
            }
            i++;
        }
        if (i >= end || i - start > limits.maxStringLength()) {
            throw DECLINE;
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
                throw DECLINE;
            }
            expect('[');
            if (peek() != '"') {
                throw DECLINE;
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
            if (out.size() >= limits.maxCollectionSize() || peek() != '"') {
                throw DECLINE;
            }
            out.add(readString());
        } while (nextMember(']'));
        return out;
    }

    private EventMetadata metadata() {
        Fields m = fields(Spec.METADATA);
        return new EventMetadata(m.string(0), m.number(1), m.string(2), m.string(3), m.map(4), m.optionalNumber(5),
                m.optionalString(6), m.optionalString(7), m.optionalString(8));
    }

    private EventKind kind() {
        expect('{');
        if (peek() != '"') {
            throw DECLINE;
        }
        int variant = key(Spec.KINDS, Spec.KINDS.names.length);
        if (variant < 0) {
            throw DECLINE;
        }
        EventKind kind = switch (variant) {
            case 0 -> {
                Fields f = fields(Spec.FUNCTION_CALL);
                // absent or null args are null, as in the general decoder
                yield new EventKind.FunctionCall(f.string(0), f.string(1), f.optionalValue(2).orElse(JsonValue.NULL),
                        f.string(3), f.number(4));
            }
            case 1 -> {
                Fields f = fields(Spec.ASYNC_SPAWN);
                yield new EventKind.AsyncSpawn(f.string(0), f.optionalString(1));
            }
            case 2 -> {
                Fields f = fields(Spec.ASYNC_AWAIT);
                yield new EventKind.AsyncAwait(f.string(0), f.string(1));
            }
            case 3 -> {
                Fields f = fields(Spec.STATE_CHANGE);
                AccessType access = AccessType.fromWireName(f.string(4)).orElseThrow(() -> DECLINE);
                yield new EventKind.StateChange(f.string(0), f.optionalValue(1), f.value(2), f.string(3), access);
            }
            case 4 -> {
                Fields f = fields(Spec.LOCK);
                yield new EventKind.LockAcquire(f.string(0), f.string(1), f.string(2));
            }
            case 5 -> {
                Fields f = fields(Spec.LOCK);
                yield new EventKind.LockRelease(f.string(0), f.string(1), f.string(2));
            }
            case 6 -> {
                Fields f = fields(Spec.MEMORY_FENCE);
                MemoryOrdering ordering = MemoryOrdering.fromWireName(f.string(0)).orElseThrow(() -> DECLINE);
                yield new EventKind.MemoryFence(ordering, f.string(1));
            }
            case 7 -> {
                Fields f = fields(Spec.HTTP_REQUEST);
                yield new EventKind.HttpRequest(f.string(0), f.string(1), f.map(2), f.optionalValue(3));
            }
            case 8 -> {
                Fields f = fields(Spec.HTTP_RESPONSE);
                yield new EventKind.HttpResponse((int) f.number(0), f.map(1), f.optionalValue(2), f.number(3));
            }
            case 9 -> {
                Fields f = fields(Spec.DATABASE_QUERY);
                yield new EventKind.DatabaseQuery(f.string(0), f.string(1), f.number(2));
            }
            case 10 -> new EventKind.DatabaseResult(fields(Spec.DATABASE_RESULT).number(0));
            case 11 -> {
                Fields f = fields(Spec.ERROR);
                yield new EventKind.Error(f.string(0), f.string(1), f.list(2));
            }
            case 12 -> {
                Fields f = fields(Spec.CUSTOM);
                yield new EventKind.Custom(f.string(0), f.value(1));
            }
            default -> {
                if (peek() != '{') {
                    throw DECLINE;
                }
                yield new EventKind.Extension(Spec.KINDS.texts[variant], readValue());
            }
        };
        expect('}'); // exactly one kind
        return kind;
    }

    /** Reads the object at the current position into the reusable fields of {@code spec} (made on first use). */
    private Fields fields(Spec spec) {
        Fields f = fields[spec.ordinal()];
        if (f == null) {
            f = new Fields(spec);
            fields[spec.ordinal()] = f;
        }
        f.read();
        return f;
    }

    /**
     * The typed fields of one small object (a kind payload, the metadata), parsed by their declared type as they
     * are read. A missing required field, a wrong type or a repeated field declines the body.
     */
    private final class Fields {
        private final Spec spec;
        private final Object[] objects;
        private final long[] numbers;
        private int present;
        /** Per map field: the last map, returned again while the same pooled entries repeat. */
        private final Payload.RepeatedMap[] maps;
        private final Optional<String>[] lastOptionals;

        @SuppressWarnings("unchecked")
        Fields(Spec spec) {
            this.spec = spec;
            int n = spec.names.length;
            this.objects = new Object[n];
            this.numbers = new long[n];
            this.maps = new Payload.RepeatedMap[n];
            this.lastOptionals = (Optional<String>[]) new Optional<?>[n];
        }

        void read() {
            expect('{');
            present = 0;
            if (peek() == '}') {
                pos++;
                return;
            }
            int f = -1;
            int seen = 0;
            int unknown = 0;
            do {
                f = key(spec, f + 1);
                if (f < 0) {
                    unknown = distinctKey(FIELD_KEYS, unknown, lastKeyFrom, lastKeyTo);
                    skipValue();
                    continue;
                }
                if ((seen & (1 << f)) != 0) {
                    throw DECLINE; // a repeated field (also after a null): the general decoder refuses the body
                }
                seen |= 1 << f;
                present |= 1 << f;
                int type = spec.types[f];
                if (type == OPTIONAL_STRING || type == OPTIONAL_NUMBER || type == OPTIONAL_VALUE) {
                    if (isNull()) {
                        present &= ~(1 << f);
                        continue;
                    }
                }
                switch (type) {
                    case STRING, OPTIONAL_STRING -> {
                        if (peek() != '"') {
                            throw DECLINE;
                        }
                        objects[f] = readString();
                    }
                    case NUMBER, OPTIONAL_NUMBER -> numbers[f] = unsigned(spec.max[f]);
                    case MILLIS -> numbers[f] = roundedMillis(spec.max[f]);
                    case VALUE, OPTIONAL_VALUE -> objects[f] = readValue();
                    case MAP -> objects[f] = stringMap(f);
                    case LIST -> objects[f] = strings(new ArrayList<>());
                    default -> throw new IllegalStateException("field type " + type);
                }
            } while (nextMember('}'));
        }

        private boolean has(int f) {
            return (present & (1 << f)) != 0;
        }

        private int required(int f) {
            if (!has(f)) {
                throw DECLINE;
            }
            return f;
        }

        String string(int f) {
            return (String) objects[required(f)];
        }

        Optional<String> optionalString(int f) {
            if (!has(f)) {
                return Optional.empty();
            }
            String s = (String) objects[f];
            Optional<String> last = lastOptionals[f];
            if (last == null || last.get() != s) { // pooled ids repeat from event to event: so can their Optional
                last = Optional.of(s);
                lastOptionals[f] = last;
            }
            return last;
        }

        long number(int f) {
            return numbers[required(f)];
        }

        OptionalLong optionalNumber(int f) {
            return has(f) ? OptionalLong.of(numbers[f]) : OptionalLong.empty();
        }

        JsonValue value(int f) {
            return (JsonValue) objects[required(f)];
        }

        Optional<JsonValue> optionalValue(int f) {
            return has(f) ? Optional.of((JsonValue) objects[f]) : Optional.empty();
        }

        @SuppressWarnings("unchecked")
        Map<String, String> map(int f) {
            return (Map<String, String>) objects[required(f)];
        }

        @SuppressWarnings("unchecked")
        List<String> list(int f) {
            return (List<String>) objects[required(f)];
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
                if (map.size() >= limits.maxCollectionSize() || peek() != '"') {
                    throw DECLINE;
                }
                String k = readString();
                checkKeyLength(k);
                expect(':');
                if (peek() != '"') {
                    throw DECLINE;
                }
                map.add(k, readString());
            } while (nextMember('}'));
            Map<String, String> result = map.finish();
            if (result.size() != map.size()) {
                throw DECLINE; // a key given twice: the general decoder refuses the body
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
            throw DECLINE;
        }
        long v = 0;
        int i = pos;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            v = v * 10 + (b[i] - '0');
            i++;
        }
        int digits = i - start;
        if (digits > 19 || digits == 19 && Arrays.compare(b, start, i, LONG_MAX, 0, 19) > 0
                || digits > 1 && c == '0' || v > max) {
            throw DECLINE; // beyond a long (the general decoder's out-of-range error); leading zeros are not JSON
        }
        if (i < end && (b[i] == '.' || b[i] == 'e' || b[i] == 'E')) {
            throw DECLINE;
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
            throw DECLINE; // not JSON, or large or odd enough that the general decoder should decide
        }
        double d = Double.parseDouble(new String(b, start, i - start, StandardCharsets.US_ASCII));
        long v = Math.round(d);
        if (v > max) {
            throw DECLINE;
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
                throw DECLINE;
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
            throw DECLINE; // counted in bytes, so possibly more strictly than the general decoder's characters
        }
        String s = pool.get(b, start, len, BytePool.hash(b, start, len), scannedAscii);
        if (s == null) {
            throw DECLINE; // not well-formed UTF-8
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
                    throw DECLINE;
                }
                ascii = false;
            }
        }
        throw DECLINE;
    }

    /** A string with escapes, from just after its opening quote; built without pooling (rare). */
    private String escapedString(int start) {
        StringBuilder sb = new StringBuilder();
        int i = start;
        int segment = start;
        while (true) {
            if (i >= end) {
                throw DECLINE;
            }
            byte c = b[i];
            if (c == '"') {
                appendUtf8(sb, segment, i);
                break;
            }
            if (c >= 0 && c < 0x20) {
                throw DECLINE;
            }
            if (c != '\\') {
                i++;
                continue;
            }
            appendUtf8(sb, segment, i);
            if (i + 1 >= end) {
                throw DECLINE;
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
                        throw DECLINE;
                    }
                    int cp = 0;
                    for (int k = 0; k < 4; k++) {
                        int d = Character.digit(b[i + k], 16); // either case, as JSON allows
                        if (d < 0 || b[i + k] < 0) {
                            throw DECLINE;
                        }
                        cp = (cp << 4) | d;
                    }
                    sb.append((char) cp);
                    i += 4;
                }
                default -> throw DECLINE;
            }
            segment = i;
        }
        pos = i + 1;
        if (sb.length() > limits.maxStringLength()) {
            throw DECLINE;
        }
        return sb.toString();
    }

    /** Appends bytes {@code [from, to)}, which must be well-formed UTF-8. */
    private void appendUtf8(StringBuilder sb, int from, int to) {
        if (from == to) {
            return;
        }
        if (!Utf8.isWellFormed(b, from, to)) {
            throw DECLINE;
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
        if (depth + 1 > limits.maxValueDepth() || depth + 1 > MAX_DEPTH) {
            throw DECLINE;
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
                        throw DECLINE;
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
                throw DECLINE;
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
                throw DECLINE;
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
            throw DECLINE;
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
            throw DECLINE;
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
            throw DECLINE;
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
        if (close - start > limits.maxStringLength() || !ascii && !Utf8.isWellFormed(b, start, close)) {
            throw DECLINE;
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
            throw DECLINE;
        }
    }

    /** {@code s} quoted as the general decoder writes it (Jackson's string encoder). */
    private void requote(String s, boolean copy) {
        if (!copy) {
            return;
        }
        String quoted = Payload.quote(s);
        if (!Utf8.isEncodable(quoted)) {
            throw DECLINE; // a lone surrogate from a \\u escape: not representable in the UTF-8 output buffer
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

    // ------------------------------------------------------------------ tables

    // Declared field types of {@link Spec}: how a field's value is parsed, and whether null means absent.
    private static final int STRING = 1;
    private static final int OPTIONAL_STRING = 2;
    private static final int NUMBER = 3;
    private static final int OPTIONAL_NUMBER = 4;
    private static final int VALUE = 5;
    private static final int OPTIONAL_VALUE = 6;
    private static final int MAP = 7;
    private static final int LIST = 8;
    /** A non-negative number of milliseconds that may have a fraction (rounded, as the general decoder does). */
    private static final int MILLIS = 9;
    /** Flags on a number type: its maximum is u32's or u16's rather than a long's. */
    private static final int U32_MAX = 1 << 8;
    private static final int U16_MAX = 2 << 8;

    /** The names (and for payloads the declared types) of the fields of each object this decoder reads. */
    private enum Spec {
        BATCH(new String[] {"events"}),
        EVENT(new String[] {"id", "trace_id", "parent_id", "timestamp", "kind", "metadata", "causality_vector",
            "lock_set"}),
        KINDS(kindNames()),
        METADATA("thread_id", STRING, "process_id", NUMBER | U32_MAX, "service_name", STRING, "environment", STRING,
                "tags", MAP, "duration_ns", OPTIONAL_NUMBER, "instance_id", OPTIONAL_STRING, "distributed_span_id",
                OPTIONAL_STRING, "upstream_span_id", OPTIONAL_STRING),
        FUNCTION_CALL("function_name", STRING, "module", STRING, "args", OPTIONAL_VALUE, "file", STRING, "line",
                NUMBER | U32_MAX),
        ASYNC_SPAWN("task_id", STRING, "spawned_by", OPTIONAL_STRING),
        ASYNC_AWAIT("future_id", STRING, "awaited_at", STRING),
        STATE_CHANGE("variable", STRING, "old_value", OPTIONAL_VALUE, "new_value", VALUE, "location", STRING,
                "access_type", STRING),
        LOCK("lock_id", STRING, "lock_type", STRING, "location", STRING),
        MEMORY_FENCE("ordering", STRING, "location", STRING),
        HTTP_REQUEST("method", STRING, "url", STRING, "headers", MAP, "body", OPTIONAL_VALUE),
        HTTP_RESPONSE("status", NUMBER | U16_MAX, "headers", MAP, "body", OPTIONAL_VALUE, "duration_ms", MILLIS),
        DATABASE_QUERY("query", STRING, "database", STRING, "duration_ms", MILLIS),
        DATABASE_RESULT("rows_affected", NUMBER),
        ERROR("error_type", STRING, "message", STRING, "stack_trace", LIST),
        CUSTOM("name", STRING, "data", VALUE);

        final String[] texts;
        final byte[][] names;
        final int[] types;
        final long[] max;

        Spec(String[] names) {
            this.texts = names;
            this.names = Arrays.stream(names).map(n -> n.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
            this.types = new int[names.length];
            this.max = new long[names.length];
        }

        /** Alternating field names and types. */
        Spec(Object... namesAndTypes) {
            this(names(namesAndTypes));
            for (int i = 0; i < types.length; i++) {
                int t = (Integer) namesAndTypes[2 * i + 1];
                types[i] = t & 0xFF;
                max[i] = (t & U32_MAX) != 0 ? U32 : (t & U16_MAX) != 0 ? U16 : U64;
            }
        }

        private static String[] names(Object[] namesAndTypes) {
            String[] n = new String[namesAndTypes.length / 2];
            for (int i = 0; i < n.length; i++) {
                n[i] = (String) namesAndTypes[2 * i];
            }
            return n;
        }

        /** The thirteen variants in the order of {@link #kind()}'s cases, then the SDK extensions. */
        private static String[] kindNames() {
            List<String> n = new ArrayList<>(EventDecoder.VARIANTS);
            n.addAll(EventKind.Extension.KNOWN);
            return n.toArray(String[]::new);
        }
    }
}
