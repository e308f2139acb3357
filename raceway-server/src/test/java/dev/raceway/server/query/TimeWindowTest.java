package dev.raceway.server.query;

import static dev.raceway.server.query.StoreScenario.T0;
import static dev.raceway.server.query.StoreScenario.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.raceway.core.event.Event;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeWindowTest {
    private final List<Event> trace = List.of(write(UUID.randomUUID(), 0, "t", "x"),
            write(UUID.randomUUID(), 1000, "t", "x"));

    @Test
    void aTraceIsInTheWindowWhenOneOfItsEventsIsBothEndsIncluded() {
        assertThat(TimeWindow.ALL.touches(trace)).isTrue();
        assertThat(new TimeWindow(Optional.of(T0.plusMillis(1000)), Optional.empty()).touches(trace)).isTrue();
        assertThat(new TimeWindow(Optional.empty(), Optional.of(T0)).touches(trace)).isTrue();
        assertThat(new TimeWindow(Optional.of(T0.plusMillis(1)), Optional.of(T0.plusMillis(999))).touches(trace))
                .isFalse();
        assertThat(new TimeWindow(Optional.of(T0.plusMillis(1001)), Optional.empty()).touches(trace)).isFalse();
    }

    @Test
    void sinceAfterUntilIsRefused() {
        assertThatThrownBy(() -> new TimeWindow(Optional.of(T0.plusMillis(1)), Optional.of(T0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("since must not be after until");
    }
}
