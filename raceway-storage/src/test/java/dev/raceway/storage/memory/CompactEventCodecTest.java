package dev.raceway.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.JsonValue;
import dev.raceway.storage.TestEvents;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompactEventCodecTest {

    @Test
    void everyKindRoundTripsExactly() {
        CompactEventCodec codec = new CompactEventCodec(new StringDictionary(1000, Long.MAX_VALUE));
        for (Event e : TestEvents.everyKind(TestEvents.uuid(7), 1)) {
            assertThat(roundTrip(codec, e)).isEqualTo(e);
        }
    }

    @Test
    void stringsBeyondTheDictionaryAndUnpairedSurrogatesRoundTrip() {
        StringDictionary tiny = new StringDictionary(2, Long.MAX_VALUE);
        CompactEventCodec codec = new CompactEventCodec(tiny);
        String lone = "bad \uD800 surrogate";
        String longText = "x".repeat(StringDictionary.MAX_LENGTH + 1);
        Event e = TestEvents.call(TestEvents.uuid(1), TestEvents.uuid(2), 0)
                .withKind(new EventKind.Custom(lone, JsonValue.ofCompactJson("\"" + longText + "\"")));

        Event back = roundTrip(codec, e);

        assertThat(back).isEqualTo(e);
        assertThat(tiny.size()).isEqualTo(2);
    }

    @Test
    void timestampsBeforeTheEpochAndWithNanosRoundTrip() {
        CompactEventCodec codec = new CompactEventCodec(new StringDictionary(10, Long.MAX_VALUE));
        Event e = TestEvents.call(TestEvents.uuid(1), TestEvents.uuid(2), 0)
                .withTimestamp(Instant.parse("1969-12-31T23:59:59.123456789Z"));
        assertThat(roundTrip(codec, e)).isEqualTo(e);
        byte[] atOffset = new byte[200];
        int n = codec.encode(e);
        System.arraycopy(codec.buffer(), 0, atOffset, 37, n);
        assertThat(CompactEventCodec.idOf(atOffset, 37)).isEqualTo(e.id());
        assertThat(codec.decode(atOffset, 37)).isEqualTo(e);
    }

    @Test
    void aTypicalEventIsSmall() {
        CompactEventCodec codec = new CompactEventCodec(new StringDictionary(1000, Long.MAX_VALUE));
        List<Event> events = TestEvents.everyKind(TestEvents.uuid(7), 1);
        codec.encode(events.get(0)); // fill the dictionary
        assertThat(codec.encode(events.get(0))).isLessThan(100);
    }

    /** Encodes, copies the bytes out of the codec's reused buffer (as the store does), decodes. */
    private static Event roundTrip(CompactEventCodec codec, Event e) {
        int length = codec.encode(e); // first: the buffer may grow
        byte[] copy = java.util.Arrays.copyOf(codec.buffer(), length);
        return codec.decode(copy, 0);
    }
}
