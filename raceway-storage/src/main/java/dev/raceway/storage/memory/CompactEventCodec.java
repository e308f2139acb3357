package dev.raceway.storage.memory;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.MemoryOrdering;
import dev.raceway.core.event.VectorClock;
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
 * <p>String encoding: varint header {@code (n << 2) | mode}; mode 0 = dictionary id n, 1 = n UTF-8 bytes follow,
 * 2 = n UTF-16 chars follow (only for text with unpaired surrogates, which UTF-8 cannot carry).
 */
final class CompactEventCodec {
    private static final int K_FUNCTION_CALL = 0;
    private static final int K_ASYNC_SPAWN = 1;
    private static final int K_ASYNC_AWAIT = 2;
    private static final int K_STATE_CHANGE = 3;
    private static final int K_LOCK_ACQUIRE = 4;
    private static final int K_LOCK_RELEASE = 5;
    private static final int K_MEMORY_FENCE = 6;
    private static final int K_HTTP_REQUEST = 7;
    private static final int K_HTTP_RESPONSE = 8;
    private static final int K_DATABASE_QUERY = 9;
    private static final int K_DATABASE_RESULT = 10;
    private static final int K_ERROR = 11;
    private static final int K_CUSTOM = 12;
    private static final int K_EXTENSION = 13;

    private static final AccessType[] ACCESS_TYPES = AccessType.values();
    private static final MemoryOrdering[] ORDERINGS = MemoryOrdering.values();

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
        if (kind instanceof EventKind.FunctionCall k) {
            o.varint(K_FUNCTION_CALL);
            str(o, k.functionName(), true);
            str(o, k.module(), true);
            json(o, k.args());
            str(o, k.file(), true);
            o.varlong(k.line());
        } else if (kind instanceof EventKind.AsyncSpawn k) {
            o.varint(K_ASYNC_SPAWN);
            str(o, k.taskId(), false);
            optStr(o, k.spawnedBy());
        } else if (kind instanceof EventKind.AsyncAwait k) {
            o.varint(K_ASYNC_AWAIT);
            str(o, k.futureId(), false);
            str(o, k.awaitedAt(), true);
        } else if (kind instanceof EventKind.StateChange k) {
            o.varint(K_STATE_CHANGE);
            str(o, k.variable(), true);
            optJson(o, k.oldValue());
            json(o, k.newValue());
            str(o, k.location(), true);
            o.varint(k.accessType().ordinal());
        } else if (kind instanceof EventKind.LockAcquire k) {
            o.varint(K_LOCK_ACQUIRE);
            str(o, k.lockId(), true);
            str(o, k.lockType(), true);
            str(o, k.location(), true);
        } else if (kind instanceof EventKind.LockRelease k) {
            o.varint(K_LOCK_RELEASE);
            str(o, k.lockId(), true);
            str(o, k.lockType(), true);
            str(o, k.location(), true);
        } else if (kind instanceof EventKind.MemoryFence k) {
            o.varint(K_MEMORY_FENCE);
            o.varint(k.ordering().ordinal());
            str(o, k.location(), true);
        } else if (kind instanceof EventKind.HttpRequest k) {
            o.varint(K_HTTP_REQUEST);
            str(o, k.method(), true);
            str(o, k.url(), true);
            map(o, k.headers());
            optJson(o, k.body());
        } else if (kind instanceof EventKind.HttpResponse k) {
            o.varint(K_HTTP_RESPONSE);
            o.varint(k.status());
            map(o, k.headers());
            optJson(o, k.body());
            o.varlong(k.durationMs());
        } else if (kind instanceof EventKind.DatabaseQuery k) {
            o.varint(K_DATABASE_QUERY);
            str(o, k.query(), true);
            str(o, k.database(), true);
            o.varlong(k.durationMs());
        } else if (kind instanceof EventKind.DatabaseResult k) {
            o.varint(K_DATABASE_RESULT);
            o.varlong(k.rowsAffected());
        } else if (kind instanceof EventKind.Error k) {
            o.varint(K_ERROR);
            str(o, k.errorType(), true);
            str(o, k.message(), false);
            o.varint(k.stackTrace().size());
            for (String line : k.stackTrace()) {
                str(o, line, true);
            }
        } else if (kind instanceof EventKind.Custom k) {
            o.varint(K_CUSTOM);
            str(o, k.name(), true);
            json(o, k.data());
        } else if (kind instanceof EventKind.Extension k) {
            o.varint(K_EXTENSION);
            str(o, k.variant(), true);
            json(o, k.payload());
        } else {
            throw new IllegalArgumentException("unknown event kind " + kind.getClass().getName());
        }
    }

    private void metadata(Out o, EventMetadata m) {
        str(o, m.threadId(), true);
        o.varlong(m.processId());
        str(o, m.serviceName(), true);
        str(o, m.environment(), true);
        map(o, m.tags());
        int flags = (m.durationNs().isPresent() ? 1 : 0) | (m.instanceId().isPresent() ? 2 : 0)
                | (m.distributedSpanId().isPresent() ? 4 : 0) | (m.upstreamSpanId().isPresent() ? 8 : 0);
        o.varint(flags);
        if (m.durationNs().isPresent()) {
            o.varlong(m.durationNs().getAsLong());
        }
        if (m.instanceId().isPresent()) {
            str(o, m.instanceId().get(), true);
        }
        if (m.distributedSpanId().isPresent()) {
            str(o, m.distributedSpanId().get(), true);
        }
        if (m.upstreamSpanId().isPresent()) {
            str(o, m.upstreamSpanId().get(), true);
        }
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

    private void optJson(Out o, Optional<JsonValue> v) {
        o.flag(v.isPresent());
        v.ifPresent(x -> json(o, x));
    }

    private void optStr(Out o, Optional<String> v) {
        o.flag(v.isPresent());
        v.ifPresent(x -> str(o, x, true));
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
        return switch (tag) {
            case K_FUNCTION_CALL -> new EventKind.FunctionCall(str(in), str(in), json(in), str(in), in.varlong());
            case K_ASYNC_SPAWN -> new EventKind.AsyncSpawn(str(in), optStr(in));
            case K_ASYNC_AWAIT -> new EventKind.AsyncAwait(str(in), str(in));
            case K_STATE_CHANGE -> new EventKind.StateChange(str(in), optJson(in), json(in), str(in),
                    ACCESS_TYPES[(int) in.varlong()]);
            case K_LOCK_ACQUIRE -> new EventKind.LockAcquire(str(in), str(in), str(in));
            case K_LOCK_RELEASE -> new EventKind.LockRelease(str(in), str(in), str(in));
            case K_MEMORY_FENCE -> new EventKind.MemoryFence(ORDERINGS[(int) in.varlong()], str(in));
            case K_HTTP_REQUEST -> new EventKind.HttpRequest(str(in), str(in), map(in), optJson(in));
            case K_HTTP_RESPONSE -> new EventKind.HttpResponse((int) in.varlong(), map(in), optJson(in),
                    in.varlong());
            case K_DATABASE_QUERY -> new EventKind.DatabaseQuery(str(in), str(in), in.varlong());
            case K_DATABASE_RESULT -> new EventKind.DatabaseResult(in.varlong());
            case K_ERROR -> {
                String type = str(in);
                String message = str(in);
                int n = (int) in.varlong();
                String[] stack = new String[n];
                for (int i = 0; i < n; i++) {
                    stack[i] = str(in);
                }
                yield new EventKind.Error(type, message, Arrays.asList(stack));
            }
            case K_CUSTOM -> new EventKind.Custom(str(in), json(in));
            case K_EXTENSION -> new EventKind.Extension(str(in), json(in));
            default -> throw new IllegalStateException("corrupt encoded event: kind tag " + tag);
        };
    }

    private EventMetadata metadata(In in) {
        String thread = str(in);
        long pid = in.varlong();
        String service = str(in);
        String env = str(in);
        Map<String, String> tags = map(in);
        int flags = (int) in.varlong();
        OptionalLong duration = (flags & 1) != 0 ? OptionalLong.of(in.varlong()) : OptionalLong.empty();
        Optional<String> instance = (flags & 2) != 0 ? Optional.of(str(in)) : Optional.empty();
        Optional<String> span = (flags & 4) != 0 ? Optional.of(str(in)) : Optional.empty();
        Optional<String> upstream = (flags & 8) != 0 ? Optional.of(str(in)) : Optional.empty();
        return new EventMetadata(thread, pid, service, env, tags, duration, instance, span, upstream);
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

    private Optional<JsonValue> optJson(In in) {
        return in.flag() ? Optional.of(json(in)) : Optional.empty();
    }

    private Optional<String> optStr(In in) {
        return in.flag() ? Optional.of(str(in)) : Optional.empty();
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
