package dev.raceway.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.raceway.core.event.Event;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON wire codec for events: {@code POST /events} bodies ({@code {"events":[...]}}) and single events.
 *
 * <p>Decoding streams through the body once. Each event is validated on its own: an invalid event becomes an
 * {@link EventRejection} naming its index, id (when readable), JSON path and reason, and the decoder moves on to
 * the next event, so one bad event never poisons its batch. Only problems that make the body as a whole unusable
 * (bad syntax, wrong top-level shape, too many events, nesting beyond recovery) raise
 * {@link MalformedBatchException}.
 *
 * <p>Encoding writes the reference shapes: timestamps in UTC with {@code Z}, absent optional values as
 * {@code null}, the three distributed metadata fields omitted when absent. Thread-safe; all methods are static.
 */
public final class EventJson {
    private static final ConcurrentHashMap<DecodeLimits, JsonFactory> FACTORIES = new ConcurrentHashMap<>();

    private EventJson() {
    }

    /** The Jackson factory configured for {@code limits} (hard nesting and string limits). */
    public static JsonFactory factory(DecodeLimits limits) {
        return FACTORIES.computeIfAbsent(limits, l -> JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(l.maxNestingDepth())
                        // A string longer than the per-event limit rejects its event; far beyond it, the body.
                        .maxStringLength((int) Math.min(Integer.MAX_VALUE,
                                Math.max(16L * l.maxStringLength(), 1 << 20)))
                        .maxNameLength(Math.max(l.maxStringLength(), 1024))
                        .build())
                // A key given twice would let two readers of one body (a proxy, this server) see two events.
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build());
    }

    /** Decodes a {@code POST /events} body with the default limits. */
    public static BatchDecodeResult decodeBatch(byte[] body) throws MalformedBatchException {
        return decodeBatch(body, DecodeLimits.DEFAULT);
    }

    public static BatchDecodeResult decodeBatch(byte[] body, DecodeLimits limits) throws MalformedBatchException {
        return decodeBatch(body, 0, body.length, limits);
    }

    /**
     * Decodes the body held in {@code body[offset, offset + length)}. A body whose events are all valid usually
     * takes the byte-level fast path ({@link FastBatchDecoder}); any other body, and any body that path declines,
     * is decoded by the general streaming decoder, which alone decides rejections and errors. The result is the
     * same either way.
     */
    public static BatchDecodeResult decodeBatch(byte[] body, int offset, int length, DecodeLimits limits)
            throws MalformedBatchException {
        java.util.Objects.checkFromIndexSize(offset, length, body.length);
        BatchDecodeResult fast;
        try {
            fast = FastBatchDecoder.decode(body, offset, length, limits);
        } catch (RuntimeException e) {
            // A defect of the fast path must not cost a valid batch: the general decoder still decides.
            fast = null;
        }
        return fast != null ? fast : decodeGeneral(body, offset, length, limits);
    }

    /** The general decoder alone (Jackson's streaming parser): what every body means. */
    static BatchDecodeResult decodeGeneral(byte[] body, int offset, int length, DecodeLimits limits)
            throws MalformedBatchException {
        // Jackson decodes overlong and surrogate forms without complaint; they are not UTF-8 (RFC 3629).
        if (!Utf8.isWellFormed(body, offset, offset + length)) {
            throw new MalformedBatchException(MalformedBatchException.Reason.SYNTAX,
                    "body is not well-formed UTF-8 (overlong form, encoded surrogate or truncated sequence)");
        }
        try (JsonParser p = factory(limits).createParser(body, offset, length)) {
            return decodeBatch(p, limits);
        } catch (IOException e) {
            throw malformed(e);
        } catch (UncheckedIOException e) {
            throw malformed(e.getCause());
        }
    }

    /** Reads the whole stream, then decodes it as {@link #decodeBatch(byte[], int, int, DecodeLimits)} does. */
    public static BatchDecodeResult decodeBatch(InputStream body, DecodeLimits limits) throws MalformedBatchException {
        byte[] bytes;
        try {
            bytes = body.readAllBytes();
        } catch (IOException e) {
            throw malformed(e);
        }
        return decodeBatch(bytes, 0, bytes.length, limits);
    }

    private static BatchDecodeResult decodeBatch(JsonParser p, DecodeLimits limits)
            throws IOException, MalformedBatchException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new MalformedBatchException(MalformedBatchException.Reason.NOT_A_BATCH,
                    "body must be a JSON object {\"events\": [...]}");
        }
        List<Event> events = null;
        List<EventRejection> rejections = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if (!"events".equals(name)) {
                p.skipChildren();
                continue;
            }
            if (t != JsonToken.START_ARRAY) {
                throw new MalformedBatchException(MalformedBatchException.Reason.NOT_A_BATCH,
                        "\"events\" must be an array, got " + ValueReader.describe(t));
            }
            events = new ArrayList<>();
            readEvents(p, limits, events, rejections);
        }
        if (p.nextToken() != null) {
            throw new MalformedBatchException(MalformedBatchException.Reason.SYNTAX,
                    "trailing content after the JSON body");
        }
        if (events == null) {
            throw new MalformedBatchException(MalformedBatchException.Reason.NOT_A_BATCH,
                    "body must have an \"events\" array");
        }
        return new BatchDecodeResult(events, rejections);
    }

    private static void readEvents(JsonParser p, DecodeLimits limits, List<Event> events,
                                   List<EventRejection> rejections) throws IOException, MalformedBatchException {
        ValueReader reader = new ValueReader(p, limits);
        EventDecoder decoder = new EventDecoder(reader);
        JsonStreamContext array = p.getParsingContext();
        int index = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new MalformedBatchException(MalformedBatchException.Reason.SYNTAX, "unexpected end of body");
            }
            if (index >= limits.maxEvents()) {
                throw new MalformedBatchException(MalformedBatchException.Reason.TOO_MANY_EVENTS,
                        "more than " + limits.maxEvents() + " events in one body; split the batch");
            }
            String path;
            String reason;
            try {
                events.add(decoder.read());
                index++;
                continue;
            } catch (FieldError e) {
                path = join(prefix(index), e.path);
                reason = e.reason;
            } catch (IllegalArgumentException | NullPointerException e) {
                // An invariant of the model that the field checks did not anticipate: still this event only.
                path = prefix(index);
                reason = String.valueOf(e.getMessage());
            }
            Optional<String> idSeenLater = skipToEnd(p, array);
            rejections.add(new EventRejection(index, decoder.idText().or(() -> idSeenLater), path, reason));
            index++;
        }
    }

    /**
     * After a field error, advances the parser to the end of the current event so the next one can be read.
     * While skipping, picks up the event's top-level {@code id} if it comes later in the object.
     */
    private static Optional<String> skipToEnd(JsonParser p, JsonStreamContext array) {
        String id = null;
        try {
            while (p.getParsingContext() != array) {
                JsonToken t = p.nextToken();
                if (t == null) {
                    return Optional.ofNullable(id);
                }
                if (t == JsonToken.FIELD_NAME && p.getParsingContext().getParent() == array
                        && "id".equals(p.currentName())) {
                    if (p.nextToken() == JsonToken.VALUE_STRING && p.getTextLength() <= 128) {
                        id = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // surfaced by the caller's next read as a syntax error
        }
        return Optional.ofNullable(id);
    }

    /** Built only for a rejected event: building it for each event cost measurable decode time. */
    private static String prefix(int index) {
        return "events[" + index + "]";
    }

    private static String join(String prefix, String path) {
        return path.isEmpty() ? prefix : prefix + "." + path;
    }

    private static MalformedBatchException malformed(IOException e) {
        if (e instanceof StreamConstraintsException) {
            return new MalformedBatchException(MalformedBatchException.Reason.TOO_LARGE,
                    "body exceeds a hard limit: " + e.getMessage(), e);
        }
        if (e instanceof JsonProcessingException j) {
            var loc = j.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            return new MalformedBatchException(MalformedBatchException.Reason.SYNTAX,
                    "malformed JSON" + where + ": " + readable(j.getOriginalMessage()), e);
        }
        return new MalformedBatchException(MalformedBatchException.Reason.SYNTAX,
                "could not read body: " + e.getMessage(), e);
    }

    /** Jackson's messages name a redacted source location; say where instead, or nothing. */
    private static String readable(String message) {
        return message == null ? "" : message
                .replaceAll("\\[Source: [^\\]]*; line: (\\d+), column: (\\d+)\\]", "line $1, column $2")
                .replaceAll("\\s*\\[Source: [^\\]]*\\]", "");
    }

    /** Decodes one event object (e.g. a stored row). */
    public static Event decodeEvent(String json) throws EventDecodeException {
        return decodeEvent(json, DecodeLimits.DEFAULT);
    }

    public static Event decodeEvent(String json, DecodeLimits limits) throws EventDecodeException {
        try (JsonParser p = factory(limits).createParser(json)) {
            p.nextToken();
            Event e = new EventDecoder(new ValueReader(p, limits)).read();
            if (p.nextToken() != null) {
                throw new EventDecodeException("", "trailing content after the event");
            }
            return e;
        } catch (FieldError e) {
            throw new EventDecodeException(e.path, e.reason);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new EventDecodeException("", String.valueOf(e.getMessage()));
        } catch (UncheckedIOException e) {
            throw new EventDecodeException("", "malformed JSON: " + e.getCause().getMessage());
        } catch (IOException e) {
            throw new EventDecodeException("", "malformed JSON: " + e.getMessage());
        }
    }

    /** Writes one event in the wire shape (as a raw value: the same bytes as {@link #toJson}). */
    public static void writeEvent(Event event, JsonGenerator generator) throws IOException {
        generator.writeRawValue(toJson(event));
    }

    public static String toJson(Event event) {
        WireWriter w = new WireWriter(1024, false);
        w.event(event);
        return w.toString();
    }

    /**
     * The event's JSON with every non-ASCII character escaped, so plain ASCII: lone surrogates (valid in JSON
     * strings, not encodable in UTF-8) survive a round trip exactly, and a raw NUL never appears.
     */
    public static String toAsciiJson(Event event) {
        WireWriter w = new WireWriter(1024, true);
        w.event(event);
        return w.toString();
    }

    /** {@link #toAsciiJson} written as bytes to {@code out}. */
    public static void writeAsciiJson(Event event, OutputStream out) throws IOException {
        WireWriter w = new WireWriter(1024, true);
        w.event(event);
        w.writeTo(out);
    }

    /** A complete {@code POST /events} body for {@code events}. */
    public static byte[] encodeBatch(Collection<Event> events) {
        WireWriter w = new WireWriter(256 + events.size() * 640, false);
        w.rawAscii("{\"events\":");
        writeArray(w, events);
        w.rawAscii("}");
        return w.toByteArray();
    }

    /**
     * The JSON array of {@code events} in the wire shape, UTF-8 encoded: the bytes {@link #writeEvent} writes for
     * each, comma-separated in brackets, without the cost of a string per event (a trace bundle lists 100,000).
     */
    public static byte[] encodeArray(Collection<Event> events) {
        WireWriter w = new WireWriter(16 + events.size() * 640, false);
        writeArray(w, events);
        return w.toByteArray();
    }

    private static void writeArray(WireWriter w, Collection<Event> events) {
        w.rawAscii("[");
        boolean first = true;
        for (Event e : events) {
            if (!first) {
                w.rawAscii(",");
            }
            first = false;
            w.event(e);
        }
        w.rawAscii("]");
    }
}
