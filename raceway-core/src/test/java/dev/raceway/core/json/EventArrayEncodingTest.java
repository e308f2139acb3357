package dev.raceway.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.Event;
import dev.raceway.core.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EventArrayEncodingTest {
    @Test
    void anArrayIsEachEventsJsonCommaSeparatedInBrackets() {
        List<Event> events = Fixtures.f0();
        String expected = events.stream().map(EventJson::toJson).collect(Collectors.joining(",", "[", "]"));
        assertThat(new String(EventJson.encodeArray(events), StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(new String(EventJson.encodeArray(List.of()), StandardCharsets.UTF_8)).isEqualTo("[]");
    }

    @Test
    void aBatchBodyWrapsTheArray() {
        List<Event> events = Fixtures.f0();
        assertThat(new String(EventJson.encodeBatch(events), StandardCharsets.UTF_8))
                .isEqualTo("{\"events\":" + new String(EventJson.encodeArray(events), StandardCharsets.UTF_8) + "}");
    }
}
