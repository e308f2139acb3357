package dev.raceway.storage.postgres;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import dev.raceway.core.event.Event;
import dev.raceway.core.json.EventJson;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The stored form of an event: its JSON with every non-ASCII character escaped, so plain ASCII. Unpaired surrogates
 * (valid in JSON strings, not encodable in UTF-8) then survive the round trip exactly, and a raw NUL can never reach
 * a text column.
 */
final class AsciiJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    private AsciiJson() {
    }

    /** Writes the event's JSON as ASCII bytes. */
    static void write(Event e, OutputStream out) throws IOException {
        try (JsonGenerator g = new AsciiRawValues(FACTORY.createGenerator(out, JsonEncoding.UTF8))) {
            EventJson.writeEvent(e, g);
        }
    }

    /** The event's JSON as text. */
    static String text(Event e) {
        StringWriter out = new StringWriter(384);
        try (JsonGenerator g = new AsciiRawValues(FACTORY.createGenerator(out))) {
            EventJson.writeEvent(e, g);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    /**
     * Escapes non-ASCII characters in raw JSON values (free-form values are kept as JSON text and written raw) the
     * way the generator escapes them in strings. Outside string literals JSON text is ASCII, so this is exact, and a
     * lone surrogate inside a string — valid JSON, but not encodable in UTF-8 — is stored as its escape instead of
     * failing the write.
     */
    private static final class AsciiRawValues extends JsonGeneratorDelegate {
        AsciiRawValues(JsonGenerator d) {
            super(d, false);
        }

        @Override
        public void writeRawValue(String text) throws IOException {
            delegate.writeRawValue(ascii(text));
        }

        @Override
        public void writeRawValue(String text, int offset, int len) throws IOException {
            delegate.writeRawValue(ascii(text.substring(offset, offset + len)));
        }

        @Override
        public void writeRawValue(char[] text, int offset, int len) throws IOException {
            delegate.writeRawValue(ascii(new String(text, offset, len)));
        }

        static String ascii(String json) {
            int i = 0;
            while (i < json.length() && json.charAt(i) < 0x80) {
                i++;
            }
            if (i == json.length()) {
                return json;
            }
            StringBuilder sb = new StringBuilder(json.length() + 16).append(json, 0, i);
            for (; i < json.length(); i++) {
                char c = json.charAt(i);
                if (c < 0x80) {
                    sb.append(c);
                } else {
                    sb.append("\\u").append(HEX[c >>> 12]).append(HEX[(c >>> 8) & 0xF]).append(HEX[(c >>> 4) & 0xF])
                            .append(HEX[c & 0xF]);
                }
            }
            return sb.toString();
        }

        private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    }
}
