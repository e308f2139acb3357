package dev.raceway.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.Timestamps;
import dev.raceway.core.event.Uuids;
import dev.raceway.core.event.VectorClock;
import dev.raceway.core.schema.EventField;
import dev.raceway.core.schema.EventSchema;
import dev.raceway.core.schema.WireObject;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Reads one event object from a streaming parser, validating every field against the wire format of the
 * reference server (and the extensions real SDKs need). Invalid input raises {@link FieldError} with a path
 * relative to the event.
 */
final class EventDecoder {
    /** The kinds with fixed fields by variant name, then the SDK extensions (index {@link EventSchema#EXTENSION}). */
    private static final Map<String, Integer> KIND_INDEX = kindIndex();
    private static final String EXPECTED_VARIANTS = EventSchema.KINDS.stream().map(WireObject::name)
            .collect(java.util.stream.Collectors.joining(", ")) + " (and the SDK extension "
            + String.join(", ", EventKind.Extension.KNOWN) + ")";
    /** "kind.&lt;variant&gt;" for the known variants, so that reading a kind does not build its path string. */
    private static final String[] KIND_PATHS = EventSchema.KINDS.stream()
            .map(k -> EventField.KIND.wireName() + "." + k.name()).toArray(String[]::new);
    /** The top-level fields by name (names from the parser are interned: looked up as a switch would). */
    private static final Map<String, EventField> FIELDS = fieldsByName();

    private static Map<String, Integer> kindIndex() {
        Map<String, Integer> index = new HashMap<>();
        for (WireObject<?> k : EventSchema.KINDS) {
            index.put(k.name(), k.index());
        }
        for (String x : EventKind.Extension.KNOWN) {
            index.put(x, EventSchema.EXTENSION);
        }
        return Map.copyOf(index);
    }

    private static Map<String, EventField> fieldsByName() {
        Map<String, EventField> byName = new HashMap<>();
        for (EventField f : EventField.values()) {
            byName.put(f.wireName(), f);
        }
        return Map.copyOf(byName);
    }

    private static final String ID = EventField.ID.wireName();
    private static final String TRACE_ID = EventField.TRACE_ID.wireName();
    private static final String PARENT_ID = EventField.PARENT_ID.wireName();
    private static final String TIMESTAMP = EventField.TIMESTAMP.wireName();
    private static final String KIND = EventField.KIND.wireName();
    private static final String METADATA = EventField.METADATA.wireName();
    private static final String CAUSALITY_VECTOR = EventField.CAUSALITY_VECTOR.wireName();
    private static final String LOCK_SET = EventField.LOCK_SET.wireName();

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
            EventField field = FIELDS.get(p.currentName());
            JsonToken t = p.nextToken();
            if (field == null) {
                p.skipChildren();
                continue;
            }
            switch (field) {
                case ID -> {
                    UUID fast = canonicalUuid(t);
                    if (fast != null) {
                        id = fast;
                        idText = null; // built from id if needed
                    } else {
                        idText = string(t, ID);
                        id = uuid(idText, ID);
                    }
                }
                case TRACE_ID -> {
                    UUID fast = canonicalUuid(t);
                    traceId = fast != null ? fast : uuid(string(t, TRACE_ID), TRACE_ID);
                }
                case PARENT_ID -> {
                    UUID fast = canonicalUuid(t);
                    parentId = fast != null ? Optional.of(fast) : t == JsonToken.VALUE_NULL
                            ? Optional.empty()
                            : Optional.of(uuid(string(t, PARENT_ID), PARENT_ID));
                }
                case TIMESTAMP -> timestamp = timestamp(t);
                case KIND -> kind = readKind();
                case METADATA -> metadata = readMetadata();
                case CAUSALITY_VECTOR -> clock = readClock();
                case LOCK_SET -> lockSet = readLockSet();
                default -> throw new IllegalStateException("unhandled field " + field);
            }
        }
        require(id, ID);
        require(traceId, TRACE_ID);
        require(timestamp, TIMESTAMP);
        require(kind, KIND);
        require(metadata, METADATA);
        if (parentId.isPresent() && parentId.get().equals(id)) {
            throw new FieldError(PARENT_ID, "an event cannot be its own parent");
        }
        return new Event(id, traceId, parentId, timestamp, kind, metadata, clock, lockSet);
    }

    private final List<ClockEntry> clockScratch = new ArrayList<>();
    private final List<String> lockScratch = new ArrayList<>();

    /** One reusable payload per kind (by {@link WireObject#index()}) and one for the metadata, made on first use. */
    private final Payload<?>[] kindPayloads = new Payload<?>[EventSchema.KINDS.size()];
    private Payload<EventMetadata> metadataPayload;

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
            throw new FieldError(TIMESTAMP, "must be a string, got " + ValueReader.describe(t));
        }
        try {
            return Timestamps.parse(reader.chars(TIMESTAMP));
        } catch (IllegalArgumentException e) {
            throw new FieldError(TIMESTAMP, e.getMessage());
        }
    }

    private VectorClock readClock() throws IOException {
        String path = CAUSALITY_VECTOR;
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
        return CAUSALITY_VECTOR + "[" + index + "]";
    }

    private List<String> readLockSet() throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (t != JsonToken.START_ARRAY) {
            throw new FieldError(LOCK_SET, "must be an array of strings, got " + ValueReader.describe(t));
        }
        List<String> locks = lockScratch; // Event copies it
        locks.clear();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (locks.size() >= limits.maxCollectionSize()) {
                throw new FieldError(LOCK_SET, "has more than " + limits.maxCollectionSize() + " entries");
            }
            if (t != JsonToken.VALUE_STRING) {
                throw new FieldError(LOCK_SET + "[" + locks.size() + "]", "must be a string, got "
                        + ValueReader.describe(t));
            }
            locks.add(reader.text(LOCK_SET, null, locks.size()));
        }
        return locks;
    }

    private EventMetadata readMetadata() throws IOException {
        if (metadataPayload == null) {
            metadataPayload = Payload.reusable(reader, METADATA, EventSchema.METADATA);
        }
        return metadataPayload.read(this::sharedTags);
    }

    private EventKind readKind() throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_OBJECT) {
            throw new FieldError(KIND, "must be an object with one key naming the event kind, got "
                    + ValueReader.describe(t));
        }
        if (p.nextToken() != JsonToken.FIELD_NAME) {
            throw new FieldError(KIND, "must name exactly one event kind, got an empty object");
        }
        String variant = p.currentName();
        p.nextToken();
        Integer index = KIND_INDEX.get(variant);
        if (index == null) {
            throw new FieldError(KIND, "unknown event kind '" + abbreviate(variant) + "'; expected one of "
                    + EXPECTED_VARIANTS);
        }
        EventKind kind;
        if (index == EventSchema.EXTENSION) {
            String path = KIND + "." + variant;
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new FieldError(path, "must be a JSON object, got " + ValueReader.describe(p.currentToken()));
            }
            kind = new EventKind.Extension(variant, reader.readValue(path));
        } else {
            Payload<?> payload = kindPayloads[index];
            if (payload == null) {
                payload = Payload.reusable(reader, KIND_PATHS[index], EventSchema.KINDS.get(index));
                kindPayloads[index] = payload;
            }
            kind = (EventKind) payload.read(UnaryOperator.identity());
        }
        if (p.nextToken() != JsonToken.END_OBJECT) {
            throw new FieldError(KIND, "must name exactly one event kind, found '" + abbreviate(variant)
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
