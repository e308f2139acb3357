package dev.raceway.server.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an exported trace back into {@code POST /events} bodies. Accepts what {@code raceway export} and the UI's
 * export write (the {@code GET /api/traces/:id} answer, {@code {"success":…,"data":{"events":[…],…}}}), its
 * {@code data} object alone, and a plain {@code {"events":[…]}} body. Each event's bytes are copied as they are, so
 * nothing (numbers, timestamps, unknown fields) is changed on the way; the events are cut into bodies of at most
 * {@code batchSize} events, as the server limits a body's events.
 */
final class TraceImport {
    private static final JsonFactory JSON = new JsonFactory();

    private TraceImport() {
    }

    /** The {@code POST /events} bodies for the events of {@code file}; at least one event, else an exception. */
    static List<byte[]> bodies(byte[] file, int batchSize) {
        List<int[]> events = eventSlices(file);
        if (events.isEmpty()) {
            throw new IllegalArgumentException("the file has no events");
        }
        List<byte[]> bodies = new ArrayList<>();
        for (int from = 0; from < events.size(); from += batchSize) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes("{\"events\":[".getBytes(StandardCharsets.UTF_8));
            for (int i = from; i < Math.min(events.size(), from + batchSize); i++) {
                if (i > from) {
                    body.write(',');
                }
                int[] s = events.get(i);
                body.write(file, s[0], s[1] - s[0]);
            }
            body.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
            bodies.add(body.toByteArray());
        }
        return bodies;
    }

    /** Byte ranges [start, end) of the elements of the events array. */
    private static List<int[]> eventSlices(byte[] file) {
        try (JsonParser p = JSON.createParser(file)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not an exported trace: expected a JSON object");
            }
            if (!findField(p, "events")) {
                throw new IllegalArgumentException("not an exported trace: no \"events\" array (nor data.events)");
            }
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("not an exported trace: \"events\" is not an array");
            }
            List<int[]> slices = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    throw new IllegalArgumentException("events[" + slices.size() + "] is not an object");
                }
                int start = (int) p.currentTokenLocation().getByteOffset();
                p.skipChildren();
                int end = (int) p.currentLocation().getByteOffset();
                slices.add(new int[] {start, end});
            }
            return slices;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read: " + e.getMessage());
        }
    }

    /**
     * Moves {@code p} (inside an object) to the value of {@code name} in this object or in its {@code data} object.
     */
    private static boolean findField(JsonParser p, String name) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals(name)) {
                return true;
            }
            if (field.equals("data") && value == JsonToken.START_OBJECT) {
                return findField(p, name);
            }
            p.skipChildren();
        }
        return false;
    }
}
