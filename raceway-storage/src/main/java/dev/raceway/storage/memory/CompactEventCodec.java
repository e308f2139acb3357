package dev.raceway.storage.memory;

import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.VectorClock;
import dev.raceway.core.schema.EventSchema;
import dev.raceway.core.schema.FieldSink;
import dev.raceway.core.schema.FieldType;
import dev.raceway.core.schema.FieldValues;
import dev.raceway.core.schema.WireField;
import dev.raceway.core.schema.WireObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Encodes an {@link Event} as a compact byte array and back, losslessly ({@code decode(encode(e)).equals(e)}).
 *
 * <p>Why: a decoded event is a graph of some 25 objects (records, UUIDs, Optionals, Strings, maps, the clock list)
 * and costs over 1 KB of heap; the memory backend must hold a million events in a few hundred MB. Strings that
 * repeat across events go through a {@link StringDictionary} (a varint id instead of the text); numbers are
 * varints; UUIDs are 16 raw bytes. A typical event takes 80–150 bytes.
 *
 * <p>Kinds and metadata are written field by field as {@link EventSchema} declares them: the kind as its index
 * in the schema, then, for an object with optional fields, a varint with one bit per optional field present, then
 * each field by its {@link FieldType} (strings of fields whose values {@linkplain WireField#repeats() repeat}
 * through the dictionary, enum constants as their ordinal).
 *
 * <p>String encoding: varint header {@code (n << 2) | mode}; mode 0 = dictionary id n, 1 = n UTF-8 bytes follow,
 * 2 = n UTF-16 chars follow (only for text with unpaired surrogates, which UTF-8 cannot carry).
 */
final class CompactEventCodec {
    /** The tag of an {@link EventKind.Extension}; the other kinds' tags are their {@link WireObject#index()}. */
    private static final int K_EXTENSION = EventSchema.EXTENSION;

    private final StringDictionary dictionary;

    CompactEventCodec(StringDictionary dictionary) {
        this.dictionary = dictionary;
    }

    // ------------------------------------------------------------------ encode

    /** Reused by {@link #encode}: writes happen one at a time (under the store's write lock). */
    private final Out out = new Out();

    /**
     * Encodes {@code e} into this codec's buffer ({@link #buffer()}) and returns the length. Not thread-safe (one
     * reused buffer): callers serialise encodes, as the store's write lock does.
     */
    int encode(Event e) {
        Out o = out;
        o.len = 0;
        o.uuid(e.id());
        o.uuid(e.traceId());
        o.flag(e.parentId().isPresent());
        e.parentId().ifPresent(o::uuid);
        o.zigzag(e.timestamp().getEpochSecond());
        o.varint(e.timestamp().getNano());
        kind(o, e.kind());
        metadata(o, e.metadata());
        o.varint(e.causalityVector().size());
        for (ClockEntry c : e.causalityVector().entries()) {
            str(o, c.component(), true);
            o.varlong(c.value());
        }
        o.varint(e.lockSet().size());
        for (String l : e.lockSet()) {
            str(o, l, true);
        }
        return o.len;
    }

    /** The bytes of the last {@link #encode}, valid until the next one. */
    byte[] buffer() {
        return out.buf;
    }

    private void kind(Out o, EventKind kind) {
        int index = EventSchema.indexOf(kind);
        o.varint(index);
        if (index == K_EXTENSION) {
            EventKind.Extension x = (EventKind.Extension) kind;
            str(o, x.variant(), true);
            json(o, x.payload());
        } else {
            fields(o, EventSchema.kind(index), kind);
        }
    }

    private void metadata(Out o, EventMetadata m) {
        fields(o, EventSchema.METADATA, m);
    }

    /** Writes the fields handed to it into {@link #out} (encodes are serialised, see {@link #encode}). */
    private final FieldEncoder encoder = new FieldEncoder();

    /**
     * The fields of {@code owner} in schema order; first, if the object has optional fields, one byte with a bit per
     * optional field (the k-th optional field, bit k) that is present (an absent one then takes no bytes).
     */
    private <T> void fields(Out o, WireObject<T> object, T owner) {
        FieldEncoder e = encoder;
        int slot = slot(object);
        e.repeats = REPEATS[slot];
        e.optionalBits = OPTIONAL_BITS[slot];
        e.mask = 0;
        e.maskAt = -1;
        if (hasOptionals(object)) {
            e.maskAt = o.len;
            o.write(0); // patched below
        }
        object.write(owner, e);
        if (e.maskAt >= 0) {
            o.buf[e.maskAt] = (byte) e.mask;
        }
    }

    /** The {@link FieldSink} that writes one object's fields, as {@link #fields(Out, WireObject, Object)} says. */
    private final class FieldEncoder implements FieldSink {
        boolean[] repeats;
        int[] optionalBits;
        int mask;
        int maskAt;

        @Override
        public void string(int field, String value) {
            str(out, value, repeats[field]);
        }

        @Override
        public void optionalString(int field, Optional<String> value) {
            if (value.isPresent()) {
                mask |= optionalBits[field];
                str(out, value.get(), repeats[field]);
            }
        }

        @Override
        public void number(int field, long value) {
            out.varlong(value);
        }

        @Override
        public void optionalNumber(int field, OptionalLong value) {
            if (value.isPresent()) {
                mask |= optionalBits[field];
                out.varlong(value.getAsLong());
            }
        }

        @Override
        public void value(int field, JsonValue value) {
            json(out, value);
        }

        @Override
        public void optionalValue(int field, Optional<JsonValue> value) {
            if (value.isPresent()) {
                mask |= optionalBits[field];
                json(out, value.get());
            }
        }

        @Override
        public void map(int field, Map<String, String> value) {
            CompactEventCodec.this.map(out, value);
        }

        @Override
        public void list(int field, List<String> value) {
            out.varint(value.size());
            for (String s : value) {
                str(out, s, repeats[field]);
            }
        }

        @Override
        public void constant(int field, Enum<?> value) {
            out.varint(value.ordinal());
        }
    }

    /** Per kind (by index), then for the metadata: per field, whether its strings go through the dictionary. */
    private static final boolean[][] REPEATS = perObject(o -> {
        boolean[] r = new boolean[o.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = o.fields().get(i).repeats();
        }
        return r;
    }, boolean[][]::new);

    /** Per kind, then for the metadata: per field, its bit in the optional-fields byte (0 for a required field). */
    private static final int[][] OPTIONAL_BITS = perObject(o -> {
        int[] bits = new int[o.size()];
        int k = 0;
        for (int i = 0; i < bits.length; i++) {
            if (o.fields().get(i).type().isOptional()) {
                bits[i] = 1 << k++;
            }
        }
        if (k > 8) {
            throw new IllegalStateException(o.name() + ": more optional fields than one byte holds");
        }
        return bits;
    }, int[][]::new);

    private static <A> A[] perObject(java.util.function.Function<WireObject<?>, A> f,
                                     java.util.function.IntFunction<A[]> array) {
        A[] result = array.apply(EventSchema.KINDS.size() + 1);
        for (int k = 0; k < result.length; k++) {
            result[k] = f.apply(k < EventSchema.KINDS.size() ? EventSchema.KINDS.get(k) : EventSchema.METADATA);
        }
        return result;
    }

    private static int slot(WireObject<?> object) {
        return object.index() < 0 ? EventSchema.KINDS.size() : object.index();
    }

    /** Per kind, then for the metadata: whether it has optional fields (and so an optional-fields byte). */
    private static final boolean[] HAS_OPTIONALS = hasOptionals();

    private static boolean[] hasOptionals() {
        boolean[] has = new boolean[OPTIONAL_BITS.length];
        for (int k = 0; k < has.length; k++) {
            has[k] = Arrays.stream(OPTIONAL_BITS[k]).anyMatch(bit -> bit != 0);
        }
        return has;
    }

    private static boolean hasOptionals(WireObject<?> object) {
        return HAS_OPTIONALS[slot(object)];
    }

    private void map(Out o, Map<String, String> map) {
        o.varint(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            str(o, e.getKey(), true);
            str(o, e.getValue(), true);
        }
    }

    private void json(Out o, JsonValue v) {
        str(o, v.json(), v.json().length() <= 16);
    }

    private void str(Out o, String s, boolean dictionaryWorthy) {
        if (dictionaryWorthy) {
            int id = dictionary.idOf(s);
            if (id >= 0) {
                o.varlong((long) id << 2);
                return;
            }
        }
        if (isWellFormed(s)) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            o.varlong(((long) utf8.length << 2) | 1);
            o.bytes(utf8);
        } else {
            o.varlong(((long) s.length() << 2) | 2);
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                o.write(c >>> 8);
                o.write(c);
            }
        }
    }

    private static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ decode

    /** The event encoded at {@code offset} of {@code buf}. */
    Event decode(byte[] buf, int offset) {
        In in = new In(buf, offset);
        UUID id = in.uuid();
        UUID traceId = in.uuid();
        Optional<UUID> parent = in.flag() ? Optional.of(in.uuid()) : Optional.empty();
        long seconds = in.zigzag();
        int nanos = (int) in.varlong();
        Instant ts = Instant.ofEpochSecond(seconds, nanos);
        EventKind kind = kind(in);
        EventMetadata metadata = metadata(in);
        int clockSize = (int) in.varlong();
        VectorClock clock;
        if (clockSize == 0) {
            clock = VectorClock.empty();
        } else {
            List<ClockEntry> entries = new ArrayList<>(clockSize);
            for (int i = 0; i < clockSize; i++) {
                entries.add(new ClockEntry(str(in), in.varlong()));
            }
            clock = VectorClock.of(entries);
        }
        int locks = (int) in.varlong();
        List<String> lockSet;
        if (locks == 0) {
            lockSet = List.of();
        } else {
            String[] l = new String[locks];
            for (int i = 0; i < locks; i++) {
                l[i] = str(in);
            }
            lockSet = Arrays.asList(l);
        }
        return new Event(id, traceId, parent, ts, kind, metadata, clock, lockSet);
    }

    /** The event id of the event encoded at {@code offset} of {@code buf}, without decoding the rest. */
    static UUID idOf(byte[] buf, int offset) {
        return new In(buf, offset).uuid();
    }

    private EventKind kind(In in) {
        int tag = (int) in.varlong();
        if (tag == K_EXTENSION) {
            return new EventKind.Extension(str(in), json(in));
        }
        if (tag < 0 || tag > K_EXTENSION) {
            throw new IllegalStateException("corrupt encoded event: kind tag " + tag);
        }
        return fields(in, EventSchema.kind(tag));
    }

    private EventMetadata metadata(In in) {
        return fields(in, EventSchema.METADATA);
    }

    /** Per decoding thread: the fields of the object being decoded (one object at a time: kind, then metadata). */
    private static final ThreadLocal<FieldValues> DECODING = ThreadLocal.withInitial(EventSchema::newValues);

    /** The record of {@code object} encoded as {@link #fields(Out, WireObject, Object)} writes it. */
    private <T> T fields(In in, WireObject<T> object) {
        FieldValues v = DECODING.get(); // decodes may run concurrently: a holder per thread
        v.clear();
        List<WireField> fields = object.fields();
        int n = fields.size();
        int slot = slot(object);
        int[] optionalBits = OPTIONAL_BITS[slot];
        int mask = HAS_OPTIONALS[slot] ? in.buf[in.pos++] & 0xFF : 0;
        for (int i = 0; i < n; i++) {
            WireField f = fields.get(i);
            FieldType type = f.type();
            if (type.isOptional() && (mask & optionalBits[i]) == 0) {
                continue;
            }
            switch (type) {
                case STRING, OPTIONAL_STRING -> v.set(i, str(in));
                case NUMBER, MILLIS, OPTIONAL_NUMBER -> v.setNumber(i, in.varlong());
                case VALUE, VALUE_OR_NULL, OPTIONAL_VALUE -> v.set(i, json(in));
                case STRING_MAP -> v.set(i, map(in));
                case STRING_LIST -> {
                    int size = (int) in.varlong();
                    String[] list = new String[size];
                    for (int k = 0; k < size; k++) {
                        list[k] = str(in);
                    }
                    v.set(i, Arrays.asList(list));
                }
                case CONSTANT -> v.set(i, f.constant((int) in.varlong()));
                default -> throw new IllegalStateException("field type " + type);
            }
        }
        return object.construct(v);
    }

    private Map<String, String> map(In in) {
        int n = (int) in.varlong();
        if (n == 0) {
            return Map.of();
        }
        Map<String, String> m = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            m.put(str(in), str(in));
        }
        return m;
    }

    private JsonValue json(In in) {
        return JsonValue.ofCompactJson(str(in));
    }

    private String str(In in) {
        long header = in.varlong();
        int mode = (int) (header & 3);
        int n = (int) (header >>> 2);
        switch (mode) {
            case 0:
                return dictionary.get(n);
            case 1: {
                String s = new String(in.buf, in.pos, n, StandardCharsets.UTF_8);
                in.pos += n;
                return s;
            }
            case 2: {
                char[] chars = new char[n];
                for (int i = 0; i < n; i++) {
                    chars[i] = (char) (((in.buf[in.pos] & 0xFF) << 8) | (in.buf[in.pos + 1] & 0xFF));
                    in.pos += 2;
                }
                return new String(chars);
            }
            default:
                throw new IllegalStateException("corrupt encoded event: string mode " + mode);
        }
    }

    // ------------------------------------------------------------------ byte buffers

    private static final class Out {
        private byte[] buf = new byte[512];
        private int len;

        void write(int b) {
            if (len == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[len++] = (byte) b;
        }

        void bytes(byte[] b) {
            if (len + b.length > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + b.length));
            }
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
        }

        void flag(boolean b) {
            write(b ? 1 : 0);
        }

        void varint(int v) {
            varlong(v & 0xFFFF_FFFFL);
        }

        void varlong(long v) {
            while ((v & ~0x7FL) != 0) {
                write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            write((int) v);
        }

        void zigzag(long v) {
            varlong((v << 1) ^ (v >> 63));
        }

        void uuid(UUID u) {
            longBits(u.getMostSignificantBits());
            longBits(u.getLeastSignificantBits());
        }

        private void longBits(long v) {
            for (int shift = 56; shift >= 0; shift -= 8) {
                write((int) (v >>> shift));
            }
        }

    }

    private static final class In {
        final byte[] buf;
        int pos;

        In(byte[] buf, int offset) {
            this.buf = buf;
            this.pos = offset;
        }

        boolean flag() {
            return buf[pos++] != 0;
        }

        long varlong() {
            long v = 0;
            int shift = 0;
            while (true) {
                byte b = buf[pos++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
                shift += 7;
            }
        }

        long zigzag() {
            long v = varlong();
            return (v >>> 1) ^ -(v & 1);
        }

        UUID uuid() {
            return new UUID(longBits(), longBits());
        }

        private long longBits() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (buf[pos++] & 0xFF);
            }
            return v;
        }
    }
}
