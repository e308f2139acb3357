package dev.raceway.benchmarks.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.raceway.core.event.Event;
import dev.raceway.core.json.EventJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SDK's encoder ({@link EventJson#encodeBatch}, 1,000 events) against a ceiling on the same payload: Jackson's
 * generator writing the body's token stream, already tokenised (every name, string and number written, nothing
 * read from an event). Timed in thread CPU time in short alternating slices, as {@link DecodeCpuTime} is.
 *
 * <p>{@code java -cp raceway-benchmarks/target/benchmarks.jar dev.raceway.benchmarks.codec.EncodeCpuTime [slices=300]}
 */
public final class EncodeCpuTime {
    private EncodeCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        int slices = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        byte[] body = DecodeBenchmark.sampleBatch(DecodeBenchmark.EVENTS);
        List<Event> events = EventJson.decodeBatch(body).events();
        JsonFactory factory = new JsonFactory();
        List<Object> tokens = tokens(factory, body);
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length * 2);
        AlternatingCpuTime.compare(slices, DecodeBenchmark.EVENTS,
                "encodeBatch", () -> EventJson.encodeBatch(events).length,
                "rawJacksonGenerate", () -> {
                    out.reset();
                    return generate(factory, tokens, out);
                });
    }

    /** The body as tokens: a JsonToken, followed by its text (names, strings, numbers). */
    private static List<Object> tokens(JsonFactory factory, byte[] body) throws IOException {
        List<Object> tokens = new ArrayList<>();
        try (JsonParser p = factory.createParser(body)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                tokens.add(t);
                if (t == JsonToken.FIELD_NAME || t.isScalarValue()) {
                    tokens.add(p.getText());
                }
            }
        }
        return tokens;
    }

    private static long generate(JsonFactory factory, List<Object> tokens, ByteArrayOutputStream out)
            throws IOException {
        try (JsonGenerator g = factory.createGenerator(out)) {
            for (int i = 0; i < tokens.size(); i++) {
                JsonToken t = (JsonToken) tokens.get(i);
                switch (t) {
                    case START_OBJECT -> g.writeStartObject();
                    case END_OBJECT -> g.writeEndObject();
                    case START_ARRAY -> g.writeStartArray();
                    case END_ARRAY -> g.writeEndArray();
                    case FIELD_NAME -> g.writeFieldName((String) tokens.get(++i));
                    case VALUE_STRING -> g.writeString((String) tokens.get(++i));
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> g.writeNumber((String) tokens.get(++i));
                    case VALUE_TRUE, VALUE_FALSE -> {
                        g.writeBoolean(t == JsonToken.VALUE_TRUE);
                        i++;
                    }
                    case VALUE_NULL -> {
                        g.writeNull();
                        i++;
                    }
                    default -> throw new IllegalStateException("token " + t);
                }
            }
        }
        return out.size();
    }
}
