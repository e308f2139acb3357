package dev.raceway.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class VectorClockTest {
    private static final VectorClock ABC = VectorClock.of(List.of(new ClockEntry("a", 1), new ClockEntry("b", 2),
            new ClockEntry("c", 3)));

    @Test
    void incrementCountsUpInPlaceOrAppendsAndLeavesTheOriginalAlone() {
        VectorClock b = ABC.increment("b");
        assertThat(b.entries()).containsExactly(new ClockEntry("a", 1), new ClockEntry("b", 3),
                new ClockEntry("c", 3));
        VectorClock d = b.increment("d").increment("d");
        assertThat(d.entries()).containsExactly(new ClockEntry("a", 1), new ClockEntry("b", 3),
                new ClockEntry("c", 3), new ClockEntry("d", 2));
        assertThat(ABC.valueOf("b")).isEqualTo(2);
        assertThat(ABC.size()).isEqualTo(3);
        assertThat(VectorClock.empty().increment("x")).isEqualTo(VectorClock.of("x", 1));
    }

    @Test
    void withSetsOrAppendsAndStepsEqualTheSameClockBuiltAtOnce() {
        VectorClock stepped = VectorClock.empty().with("a", 1).with("b", 1).increment("b").with("c", 3);
        assertThat(stepped).isEqualTo(ABC).hasSameHashCodeAs(ABC);
        assertThat(ABC).isEqualTo(stepped);
        assertThat(stepped.toString()).isEqualTo(ABC.toString());
        assertThat(stepped.happenedBefore(ABC.increment("a"))).isTrue();
    }

    @Test
    void entriesCannotBeChanged() {
        VectorClock stepped = ABC.increment("a");
        assertThatThrownBy(() -> stepped.entries().add(new ClockEntry("z", 1)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> stepped.entries().set(0, new ClockEntry("z", 1)))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
