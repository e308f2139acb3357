package dev.raceway.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.MemoryOrdering;
import dev.raceway.core.event.Timestamps;
import dev.raceway.core.event.Uuids;
import dev.raceway.core.event.VectorClock;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads one event object from a streaming parser, validating every field against the wire format of the
 * reference server (and the extensions real SDKs need). Invalid input raises {@link FieldError} with a path
 * relative to the event.
 */
final class EventDecoder {
    private static final long U16 = 0xFFFFL;
    private static final long U32 = 0xFFFF_FFFFL;
    private static final long U64 = Long.MAX_VALUE; // values beyond a Java long are rejected as out of range
    /** The reference server's thirteen kinds, in the order of its enum (the fast path numbers them so). */
    static final List<String> VARIANTS = List.of("FunctionCall", "AsyncSpawn", "AsyncAwait", "StateChange",
            "LockAcquire", "LockRelease", "MemoryFence", "HttpRequest", "HttpResponse", "DatabaseQuery",
            "DatabaseResult", "Error", "Custom");
    private static final String EXPECTED_VARIANTS = String.join(", ", VARIANTS) + " (and the SDK extension "
            + String.join(", ", EventKind.Extension.KNOWN) + ")";

    /** "kind.&lt;variant&gt;" for the known variants, so that reading a kind does not build its path string. */
    private static final Map<String, String> KIND_PATHS = kindPaths();

    private static Map<String, String> kindPaths() {
        Map<String, String> paths = new HashMap<>();
        for (List<String> variants : List.of(VARIANTS, EventKind.Extension.KNOWN)) {
            for (String v : variants) {
                paths.put(v, "kind." + v);
            }
        }
        return Map.copyOf(paths);
    }

    private final ValueReader reader;
    private final JsonParser p;
    private final DecodeLimits limits;
    /** The {@code id} text of the event being read, once seen, for error reports. */
    private String idText;
    /** The id of the event being read, once parsed (its text is then built only if the event is rejected). */
    private UUID id;
    /**
     * Tag maps repeat in almost every event of a batch: sharing one instance saves both decode time and the memory
     * of whoever stores the events. (Strings are shared by the reader's pool.)
     */
    private final Map<Map<String, String>, Map<String, String>> sharedTags = new HashMap<>();
    private Map<String, String> lastTags = Map.of();

    EventDecoder(ValueReader reader) {
        this.reader = reader;
        this.p = reader.parser();
        this.limits = reader.limits();
    }

    Optional<String> idText() {
        if (idText == null && id != null) {
            idText = id.toString(); // the fast path only takes text that is exactly this form
        }
        return Optional.ofNullable(idText);
    }

    /** Reads the event whose START_OBJECT is the current token; leaves the parser on its END_OBJECT. */
    Event read() throws IOException {
        idText = null;
        id = null;
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new FieldError("", "event must be a JSON object, got " + ValueReader.describe(p.currentToken()));
        }
        UUID traceId = null;
        Optional<UUID> parentId = Optional.empty();
        Instant timestamp = null;
        EventKind kind = null;
        EventMetadata metadata = null;
        VectorClock clock = VectorClock.empty();
        List<String> lockSet = List.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "id" -> {
                    UUID fast = canonicalUuid(t);
                    if (fast != null) {
                        id = fast;
                        idText = null; // built from id if needed
                    } else {
                        idText = string(t, "id");
                        id = uuid(idText, "id");
                    }
                }
                case "trace_id" -> {
                    UUID fast = canonicalUuid(t);
                    traceId = fast != null ? fast : uuid(string(t, "trace_id"), "trace_id");
                }
                case "parent_id" -> {
                    UUID fast = canonicalUuid(t);
                    parentId = fast != null ? Optional.of(fast) : t == JsonToken.VALUE_NULL
                            ? Optional.empty()
                            : Optional.of(uuid(string(t, "parent_id"), "parent_id"));
                }
                case "timestamp" -> timestamp = timestamp(t);
                case "kind" -> kind = readKind();
                case "metadata" -> metadata = readMetadata();
                case "causality_vector" -> clock = readClock();
                case "lock_set" -> lockSet = readLockSet();
                default -> p.skipChildren();
            }
        }
        require(id, "id");
        require(traceId, "trace_id");
        require(timestamp, "timestamp");
        require(kind, "kind");
        require(metadata, "metadata");
        if (parentId.isPresent() && parentId.get().equals(id)) {
            throw new FieldError("parent_id", "an event cannot be its own parent");
        }
        return new Event(id, traceId, parentId, timestamp, kind, metadata, clock, lockSet);
    }

    private final List<ClockEntry> clockScratch = new ArrayList<>();
    private final List<String> lockScratch = new ArrayList<>();

    /** One reusable payload per path ("metadata", "kind.StateChange", …): paths are fixed per field list. */
    private final Map<String, Payload> payloads = new HashMap<>();

    // The fields read from each object, as constants: a varargs call would allocate the array for every event.
    private static final String[] METADATA_FIELDS = {"thread_id", "process_id", "service_name", "environment",
        "tags", "duration_ns", "instance_id", "distributed_span_id", "upstream_span_id"};
    private static final String[] FUNCTION_CALL_FIELDS = {"function_name", "module", "args", "file", "line"};
    private static final String[] ASYNC_SPAWN_FIELDS = {"task_id", "spawned_by"};
    private static final String[] ASYNC_AWAIT_FIELDS = {"future_id", "awaited_at"};
    private static final String[] STATE_CHANGE_FIELDS = {"variable", "old_value", "new_value", "location",
        "access_type"};
    private static final String[] LOCK_FIELDS = {"lock_id", "lock_type", "location"};
    private static final String[] MEMORY_FENCE_FIELDS = {"ordering", "location"};
    private static final String[] HTTP_REQUEST_FIELDS = {"method", "url", "headers", "body"};
    private static final String[] HTTP_RESPONSE_FIELDS = {"status", "headers", "body", "duration_ms"};
    private static final String[] DATABASE_QUERY_FIELDS = {"query", "database", "duration_ms"};
    private static final String[] DATABASE_RESULT_FIELDS = {"rows_affected"};
    private static final String[] ERROR_FIELDS = {"error_type", "message", "stack_trace"};
    private static final String[] CUSTOM_FIELDS = {"name", "data"};

    private Payload payload(String path, String[] names) throws IOException {
        Payload payload = payloads.get(path);
        if (payload == null) {
            payload = Payload.reusable(reader, path, names);
            payloads.put(path, payload);
        }
        return payload.readNext();
    }

    /** The shared immutable copy of {@code tags}, copying only the first time a tag map is seen. */
    private Map<String, String> sharedTags(Map<String, String> tags) {
        if (lastTags.equals(tags)) { // the common case: the same tags as the previous event
            return lastTags;
        }
        Map<String, String> known = sharedTags.get(tags); // maps are equal across implementations
        if (known == null) {
            if (sharedTags.size() >= 4096) {
                sharedTags.clear(); // bounded: a hostile batch of unique tag sets must not grow this without limit
            }
            known = Map.copyOf(tags);
            sharedTags.put(known, known);
        }
        lastTags = known;
        return known;
    }

    private static void require(Object value, String field) {
        if (value == null) {
            throw new FieldError(field, "missing required field");
        }
    }

    private String string(JsonToken t, String path) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            throw new FieldError(path, "must be a string, got " + ValueReader.describe(t));
        }
        return reader.text(path);
    }

    /** The UUID of a string token in canonical form, read from the parser's buffer ({@link CanonicalUuid}); or null. */
    private UUID canonicalUuid(JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_STRING || p.getTextLength() != 36) {
            return null;
        }
        return CanonicalUuid.parse(reader.chars(""));
    }

    private static UUID uuid(String text, String path) {
        return Uuids.parse(text).orElseThrow(() -> new FieldError(path, "not a UUID: '" + abbreviate(text) + "'"));
    }

    private Instant timestamp(JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            throw new FieldError("timestamp", "must be a string, got " + ValueReader.describe(t));
        }
        try {
            return Timestamps.parse(reader.chars("timestamp"));
        } catch (IllegalArgumentException e) {
            throw new FieldError("timestamp", e.getMessage());
        }
    }

    private VectorClock readClock() throws IOException {
        String path = "causality_vector";
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return VectorClock.empty();
        }
        if (t != JsonToken.START_ARRAY) {
            throw new FieldError(path, "must be an array of [component, counter] pairs, got " + ValueReader.describe(t));
        }
        List<ClockEntry> entries = clockScratch; // VectorClock.of copies it
        entries.clear();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            int index = entries.size();
            if (entries.size() >= limits.maxClockComponents()) {
                throw new FieldError(path, "has more than " + limits.maxClockComponents() + " components");
            }
            if (t != JsonToken.START_ARRAY) {
                throw new FieldError(clockPath(index), "must be a [component, counter] pair, got "
                        + ValueReader.describe(t));
            }
            JsonToken c = p.nextToken();
            if (c != JsonToken.VALUE_STRING) {
                throw new FieldError(clockPath(index) + "[0]", "must be a string, got " + ValueReader.describe(c));
            }
            if (p.getTextLength() > limits.maxStringLength()) {
                reader.text(clockPath(index), null, 0); // reports the limit with its path
            }
            String component = reader.text(path);
            JsonToken n = p.nextToken();
            if (n != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    || p.getLongValue() < 0) {
                throw new FieldError(clockPath(index) + "[1]", "counter must be a non-negative integer, got "
                        + ValueReader.describe(n) + (n != null && n.isScalarValue() ? " " + abbreviate(p.getText()) : ""));
            }
            long value = p.getLongValue();
            if (p.nextToken() != JsonToken.END_ARRAY) {
                throw new FieldError(clockPath(index), "must have exactly two elements");
            }
            entries.add(new ClockEntry(component, value));
        }
        return VectorClock.of(entries);
    }

    private static String clockPath(int index) {
        return "causality_vector[" + index + "]";
    }

    private List<String> readLockSet() throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (t != JsonToken.START_ARRAY) {
            throw new FieldError("lock_set", "must be an array of strings, got " + ValueReader.describe(t));
        }
        List<String> locks = lockScratch; // Event copies it
        locks.clear();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (locks.size() >= limits.maxCollectionSize()) {
                throw new FieldError("lock_set", "has more than " + limits.maxCollectionSize() + " entries");
            }
            if (t != JsonToken.VALUE_STRING) {
                throw new FieldError("lock_set[" + locks.size() + "]", "must be a string, got "
                        + ValueReader.describe(t));
            }
            locks.add(reader.text("lock_set", null, locks.size()));
        }
        return locks;
    }

    private EventMetadata readMetadata() throws IOException {
        Payload m = payload("metadata", METADATA_FIELDS);
        return new EventMetadata(
                m.string("thread_id"),
                m.unsigned("process_id", U32),
                m.string("service_name"),
                m.string("environment"),
                sharedTags(m.stringMap("tags")),
                m.optionalUnsigned("duration_ns", U64),
                m.optionalString("instance_id"),
                m.optionalString("distributed_span_id"),
                m.optionalString("upstream_span_id"));
    }

    private EventKind readKind() throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_OBJECT) {
            throw new FieldError("kind", "must be an object with one key naming the event kind, got "
                    + ValueReader.describe(t));
        }
        if (p.nextToken() != JsonToken.FIELD_NAME) {
            throw new FieldError("kind", "must name exactly one event kind, got an empty object");
        }
        String variant = p.currentName();
        p.nextToken();
        String knownPath = KIND_PATHS.get(variant);
        String path = knownPath != null ? knownPath : "kind." + variant;
        EventKind kind = switch (variant) {
            case "FunctionCall" -> {
                Payload f = payload(path, FUNCTION_CALL_FIELDS);
                // args may be absent: JavaScript's JSON.stringify drops an undefined value (stored as null)
                yield new EventKind.FunctionCall(f.string("function_name"), f.string("module"),
                        f.optionalValue("args").orElse(JsonValue.NULL), f.string("file"), f.unsigned("line", U32));
            }
            case "AsyncSpawn" -> {
                Payload f = payload(path, ASYNC_SPAWN_FIELDS);
                yield new EventKind.AsyncSpawn(f.string("task_id"), f.optionalString("spawned_by"));
            }
            case "AsyncAwait" -> {
                Payload f = payload(path, ASYNC_AWAIT_FIELDS);
                yield new EventKind.AsyncAwait(f.string("future_id"), f.string("awaited_at"));
            }
            case "StateChange" -> {
                Payload f = payload(path, STATE_CHANGE_FIELDS);
                String access = f.string("access_type");
                AccessType type = AccessType.fromWireName(access).orElseThrow(() -> new FieldError(
                        path + ".access_type", "unknown access type '" + abbreviate(access)
                        + "'; expected one of " + Arrays.toString(AccessType.values())));
                yield new EventKind.StateChange(f.string("variable"), f.optionalValue("old_value"),
                        f.value("new_value"), f.string("location"), type);
            }
            case "LockAcquire" -> {
                Payload f = payload(path, LOCK_FIELDS);
                yield new EventKind.LockAcquire(f.string("lock_id"), f.string("lock_type"), f.string("location"));
            }
            case "LockRelease" -> {
                Payload f = payload(path, LOCK_FIELDS);
                yield new EventKind.LockRelease(f.string("lock_id"), f.string("lock_type"), f.string("location"));
            }
            case "MemoryFence" -> {
                Payload f = payload(path, MEMORY_FENCE_FIELDS);
                String ordering = f.string("ordering");
                MemoryOrdering o = MemoryOrdering.fromWireName(ordering).orElseThrow(() -> new FieldError(
                        path + ".ordering", "unknown memory ordering '" + abbreviate(ordering)
                        + "'; expected one of " + Arrays.toString(MemoryOrdering.values())));
                yield new EventKind.MemoryFence(o, f.string("location"));
            }
            case "HttpRequest" -> {
                Payload f = payload(path, HTTP_REQUEST_FIELDS);
                yield new EventKind.HttpRequest(f.string("method"), f.string("url"),
                        f.stringMap("headers"), f.optionalValue("body"));
            }
            case "HttpResponse" -> {
                Payload f = payload(path, HTTP_RESPONSE_FIELDS);
                yield new EventKind.HttpResponse((int) f.unsigned("status", U16),
                        f.stringMap("headers"), f.optionalValue("body"),
                        f.unsignedRounded("duration_ms", U64));
            }
            case "DatabaseQuery" -> {
                Payload f = payload(path, DATABASE_QUERY_FIELDS);
                yield new EventKind.DatabaseQuery(f.string("query"), f.string("database"),
                        f.unsignedRounded("duration_ms", U64));
            }
            case "DatabaseResult" -> {
                Payload f = payload(path, DATABASE_RESULT_FIELDS);
                yield new EventKind.DatabaseResult(f.unsigned("rows_affected", U64));
            }
            case "Error" -> {
                Payload f = payload(path, ERROR_FIELDS);
                yield new EventKind.Error(f.string("error_type"), f.string("message"),
                        f.stringList("stack_trace"));
            }
            case "Custom" -> {
                Payload f = payload(path, CUSTOM_FIELDS);
                yield new EventKind.Custom(f.string("name"), f.value("data"));
            }
            default -> {
                if (!EventKind.Extension.KNOWN.contains(variant)) {
                    throw new FieldError("kind", "unknown event kind '" + abbreviate(variant) + "'; expected one of "
                            + EXPECTED_VARIANTS);
                }
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    throw new FieldError(path, "must be a JSON object, got " + ValueReader.describe(p.currentToken()));
                }
                yield new EventKind.Extension(variant, reader.readValue(path));
            }
        };
        if (p.nextToken() != JsonToken.END_OBJECT) {
            throw new FieldError("kind", "must name exactly one event kind, found '" + abbreviate(variant)
                    + "' and '" + abbreviate(p.currentName()) + "'");
        }
        return kind;
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
