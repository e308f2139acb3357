package dev.raceway.core.propagation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.Uuids;
import dev.raceway.core.event.VectorClock;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code raceway-clock} header shared by all Raceway SDKs: {@code v1;} followed by unpadded base64url of a
 * JSON object {@code {"clock":[["svc#inst",n],...],"instance":…,"parent_span_id":…,"service":…,"span_id":…,
 * "trace_id":"<uuid>"}} (keys written in that, alphabetical, order as the Rust SDK does).
 *
 * <p>Decoding never throws: a malformed header is absent; within a well-formed one, an invalid field is dropped
 * on its own (an invalid clock entry, a trace id that is not a UUID, an implausible span id), as the other SDKs
 * do. Padded base64 is accepted. The header is bounded in size and in clock entries.
 */
public record RacewayClock(Optional<UUID> traceId, Optional<String> spanId, Optional<String> parentSpanId,
                           Optional<String> service, Optional<String> instance, VectorClock clock) {
    public static final String HEADER = "raceway-clock";
    static final String PREFIX = "v1;";
    static final int MAX_HEADER_LENGTH = 8192;
    static final int MAX_ENTRIES = 256;
    private static final int MAX_NAME_LENGTH = 256;
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).build())
            .build();

    public RacewayClock {
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(spanId, "spanId");
        Objects.requireNonNull(parentSpanId, "parentSpanId");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(clock, "clock");
    }

    /** The clock an SDK sends on an outgoing call. */
    public static RacewayClock outgoing(UUID traceId, String childSpanId, String currentSpanId, String service,
                                        String instance, VectorClock clock) {
        return new RacewayClock(Optional.of(traceId), Optional.of(childSpanId), Optional.of(currentSpanId),
                Optional.of(service), Optional.of(instance), clock);
    }

    /** The header value: {@code v1;<base64url-no-padding(JSON)>}. */
    public String encode() {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("clock");
            g.writeStartArray();
            for (ClockEntry e : clock.entries()) {
                g.writeStartArray();
                g.writeString(e.component());
                g.writeNumber(e.value());
                g.writeEndArray();
            }
            g.writeEndArray();
            writeOptional(g, "instance", instance);
            writeOptional(g, "parent_span_id", parentSpanId);
            writeOptional(g, "service", service);
            writeOptional(g, "span_id", spanId);
            writeOptional(g, "trace_id", traceId.map(UUID::toString));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void writeOptional(JsonGenerator g, String name, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(name, value.get());
        } else {
            g.writeNullField(name);
        }
    }

    /** Decodes a header value; empty when absent, of another version, or malformed. Never throws. */
    public static Optional<RacewayClock> decode(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.trim();
        if (h.length() > MAX_HEADER_LENGTH || !h.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String b64 = h.substring(PREFIX.length());
        int end = b64.length();
        while (end > 0 && b64.charAt(end - 1) == '=') {
            end--;
        }
        byte[] json;
        try {
            json = Base64.getUrlDecoder().decode(b64.substring(0, end));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        try (JsonParser p = JSON.createParser(json)) {
            return Optional.ofNullable(read(p));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static RacewayClock read(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        Optional<UUID> traceId = Optional.empty();
        Optional<String> spanId = Optional.empty();
        Optional<String> parentSpanId = Optional.empty();
        Optional<String> service = Optional.empty();
        Optional<String> instance = Optional.empty();
        VectorClock clock = VectorClock.empty();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "trace_id" -> traceId = text(p, t).flatMap(Uuids::parse);
                case "span_id" -> spanId = text(p, t).filter(RacewayClock::isSpanId);
                case "parent_span_id" -> parentSpanId = text(p, t).filter(RacewayClock::isSpanId);
                case "service" -> service = text(p, t).filter(s -> s.length() <= MAX_NAME_LENGTH);
                case "instance" -> instance = text(p, t).filter(s -> s.length() <= MAX_NAME_LENGTH);
                case "clock" -> clock = readClock(p, t);
                default -> p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
            return null;
        }
        return new RacewayClock(traceId, spanId, parentSpanId, service, instance, clock);
    }

    private static Optional<String> text(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            p.skipChildren();
            return Optional.empty();
        }
        String s = p.getText();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private static VectorClock readClock(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return VectorClock.empty();
        }
        List<ClockEntry> entries = new ArrayList<>();
        JsonToken element;
        while ((element = p.nextToken()) != JsonToken.END_ARRAY) {
            if (element == null) {
                throw new IOException("unexpected end of clock");
            }
            if (element != JsonToken.START_ARRAY) {
                p.skipChildren(); // not a pair: dropped, like any other invalid entry
                continue;
            }
            String component = null;
            long value = -1;
            int n = 0;
            JsonToken e;
            while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                if (n == 0 && e == JsonToken.VALUE_STRING) {
                    component = p.getText();
                } else if (n == 1 && e == JsonToken.VALUE_NUMBER_INT
                        && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                    value = p.getLongValue();
                } else if (n == 1 && e == JsonToken.VALUE_NUMBER_FLOAT) {
                    double d = p.getDoubleValue();
                    value = d >= 0 && d < 9.0e18 && d == Math.rint(d) ? (long) d : -1;
                } else {
                    p.skipChildren();
                }
                n++;
            }
            boolean valid = n == 2 && component != null && !component.isEmpty()
                    && component.length() <= MAX_NAME_LENGTH && value >= 0;
            if (valid && entries.size() < MAX_ENTRIES) {
                entries.add(new ClockEntry(component, value));
            }
        }
        return VectorClock.of(entries);
    }

    /** Span ids are 16 hex digits in every SDK; accept any short token of URL-safe characters. */
    static boolean isSpanId(String s) {
        if (s.isEmpty() || s.length() > 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-'
                    || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
