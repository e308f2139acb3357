package dev.raceway.storage.postgres;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.raceway.core.event.Event;
import dev.raceway.core.json.EventDecodeException;
import dev.raceway.core.json.EventJson;
import dev.raceway.storage.StorageException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.UUID;

/** Conversions between events and column values. */
final class Rows {
    /**
     * Non-ASCII is escaped so that the stored JSON is plain ASCII: unpaired surrogates (valid in JSON strings, not
     * encodable in UTF-8) survive the round trip exactly, and a raw NUL can never reach a text column.
     */
    private static final JsonFactory ASCII_JSON = JsonFactory.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private Rows() {
    }

    static String body(Event e) {
        StringWriter out = new StringWriter(384);
        try (JsonGenerator g = ASCII_JSON.createGenerator(out)) {
            EventJson.writeEvent(e, g);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    static Event event(String body) {
        try {
            return EventJson.decodeEvent(body);
        } catch (EventDecodeException ex) {
            throw new StorageException("a stored event could not be decoded: " + ex.getMessage(), false, ex);
        }
    }

    /**
     * Epoch nanoseconds, saturated: exact for 1677-09-21 … 2262-04-11. Outside that range only the index column is
     * clamped; the stored event keeps its exact timestamp.
     */
    static long nanos(Instant t) {
        try {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        } catch (ArithmeticException e) {
            return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    /** Text for an extracted (index) column: PostgreSQL text cannot hold NUL. */
    static String text(String s) {
        return s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }

    static UUID uuid(Object o) {
        return o instanceof UUID u ? u : UUID.fromString(o.toString());
    }

    /** Appends a value in COPY text format. */
    static void appendCopy(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\0' -> sb.append('\uFFFD');
                default -> sb.append(c);
            }
        }
    }
}
