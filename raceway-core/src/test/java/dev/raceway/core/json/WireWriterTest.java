package dev.raceway.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.MemoryOrdering;
import dev.raceway.core.event.VectorClock;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@link WireWriter} must write exactly what Jackson's generator wrote for every event (the former writer is kept as
 * {@link JacksonEventWriter}), and its ASCII mode must decode back to the same event.
 */
class WireWriterTest {
    /** Jackson as the former writer used it, except that astral characters are written as UTF-8, not escaped. */
    private static final JsonFactory JACKSON = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();

    @Property(tries = 400)
    void writesExactlyWhatJacksonWrote(@ForAll("events") Event e) throws Exception {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (JsonGenerator g = JACKSON.createGenerator(expected)) {
            JacksonEventWriter.write(e, g);
        }
        assertThat(EventJson.toJson(e)).isEqualTo(expected.toString(StandardCharsets.UTF_8));
    }

    @Property(tries = 200)
    void batchesDecodeToTheSameEvents(@ForAll("batches") List<Event> events) throws Exception {
        BatchDecodeResult back = EventJson.decodeBatch(EventJson.encodeBatch(events));
        assertThat(back.rejections()).isEmpty();
        assertThat(back.events()).isEqualTo(events);
    }

    @Property(tries = 300)
    void asciiFormIsPlainAsciiAndDecodesToTheSameEvent(@ForAll("events") Event e) throws Exception {
        String ascii = EventJson.toAsciiJson(e);
        assertThat(ascii.chars()).allMatch(c -> c >= 0x20 && c < 0x80);
        assertThat(EventJson.decodeEvent(ascii)).isEqualTo(e);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EventJson.writeAsciiJson(e, out);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(ascii);
    }

    @Test
    void loneSurrogatesAreEscapedAndSurvive() throws Exception {
        Event e = event(new EventKind.Custom("lone \uD800 high, \uDC00 low, pair \uD83D\uDE00",
                JsonValue.ofCompactJson("\"in a value \uDBFF\"")), "t\uD800");
        String json = EventJson.toJson(e);
        assertThat(json).contains("lone \\uD800 high, \\uDC00 low, pair \uD83D\uDE00")
                .contains("\"in a value \\uDBFF\"").contains("\"thread_id\":\"t\\uD800\"");
        assertThat(EventJson.decodeEvent(json)).isEqualTo(e);
        assertThat(EventJson.toAsciiJson(e)).contains("pair \\uD83D\\uDE00");
        assertThat(EventJson.decodeEvent(EventJson.toAsciiJson(e))).isEqualTo(e);
    }

    @Test
    void controlCharactersUseJacksonsEscapes() {
        Event e = event(new EventKind.Custom("\b\t\n\f\r\u0000\u001f\"\\/\u007f", JsonValue.NULL), "t");
        assertThat(EventJson.toJson(e)).contains("\"name\":\"\\b\\t\\n\\f\\r\\u0000\\u001F\\\"\\\\/\u007f\"");
    }

    @Test
    void extremeNumbers() throws Exception {
        Event e = new Event(UUID.randomUUID(), UUID.randomUUID(), Optional.empty(), Instant.EPOCH,
                new EventKind.DatabaseResult(Long.MAX_VALUE), metadata("t", OptionalLong.of(0)),
                VectorClock.of(List.of(new ClockEntry("a", 0), new ClockEntry("b", Long.MAX_VALUE))), List.of());
        String json = EventJson.toJson(e);
        assertThat(json).contains("\"rows_affected\":9223372036854775807").contains("\"duration_ns\":0")
                .contains("\"causality_vector\":[[\"a\",0],[\"b\",9223372036854775807]]");
        assertThat(EventJson.decodeEvent(json)).isEqualTo(e);
    }

    /**
     * Strings repeat from event to event (and are then copied from the writers' shared cache) and timestamps share
     * their second (whose text a writer keeps): neither may change a byte, whatever the string needs, in either
     * mode, and across second boundaries and the three fraction widths (a year past 9999, which the wire format
     * cannot carry back, is compared with Jackson only).
     */
    @Test
    void repeatedStringsAndTimestampsAreWrittenAsTheFirstTime() throws Exception {
        List<String> texts = List.of("bench#instance-1/java-1-ab", "tab\there", "quote\"d", "caf\u00e9", "\u00e9t\u00e9",
                "emoji \ud83d\ude00", "", "x", "ctl\u0001", "plain-" + "y".repeat(90),
                "long-" + "z".repeat(200));
        List<Instant> times = List.of(Instant.parse("2026-12-07T05:46:19Z"),
                Instant.parse("2026-12-07T05:46:19.5Z"), Instant.parse("2026-12-07T05:46:19.000123Z"),
                Instant.parse("2026-12-07T05:46:19.123456789Z"), Instant.parse("2026-12-07T05:46:20.001Z"),
                Instant.parse("1970-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("+10000-01-01T00:00:00.25Z"), Instant.parse("2026-12-07T05:46:19.000000001Z"));
        List<Event> events = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (String t : texts) {
                for (Instant at : times) {
                    EventKind kind = new EventKind.LockAcquire(t, "Mutex", t);
                    events.add(new Event(UUID.randomUUID(), UUID.randomUUID(), Optional.empty(), at, kind,
                            metadata(t, OptionalLong.empty()), VectorClock.of("node " + t, round), List.of(t)));
                }
            }
        }
        for (Event e : events) {
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            try (JsonGenerator g = JACKSON.createGenerator(expected)) {
                JacksonEventWriter.write(e, g);
            }
            assertThat(EventJson.toJson(e)).isEqualTo(expected.toString(StandardCharsets.UTF_8));
        }
        events.removeIf(e -> e.timestamp().getEpochSecond() > Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
        for (Event e : events) {
            String ascii = EventJson.toAsciiJson(e);
            assertThat(ascii.chars()).allMatch(c -> c >= 0x20 && c < 0x80);
            assertThat(EventJson.decodeEvent(ascii)).isEqualTo(e);
        }
        BatchDecodeResult back = EventJson.decodeBatch(EventJson.encodeBatch(events));
        assertThat(back.rejections()).isEmpty();
        assertThat(back.events()).isEqualTo(events);
    }

    // ------------------------------------------------------------------ generators

    private static Event event(EventKind kind, String thread) {
        return new Event(UUID.randomUUID(), UUID.randomUUID(), Optional.empty(),
                Instant.parse("2025-01-01T00:00:00.5Z"), kind, metadata(thread, OptionalLong.empty()),
                VectorClock.empty(), List.of());
    }

    private static EventMetadata metadata(String thread, OptionalLong duration) {
        return new EventMetadata(thread, 1, "svc", "dev", Map.of(), duration, Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    @Provide
    Arbitrary<Event> events() {
        return EventArbitraries.events();
    }

    @Provide
    Arbitrary<List<Event>> batches() {
        return EventArbitraries.batches();
    }
}
