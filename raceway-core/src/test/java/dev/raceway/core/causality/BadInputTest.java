package dev.raceway.core.causality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.raceway.core.event.Event;
import dev.raceway.core.testing.Ev;
import dev.raceway.core.testing.Fixtures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BadInputTest {

    @Test
    void nullEventsAreRejectedWithAReason() {
        List<Event> events = new ArrayList<>(Fixtures.f0());
        events.add(null);
        assertThatThrownBy(() -> CausalityIndex.of(events)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("events must not contain null");
        assertThatThrownBy(() -> GlobalRaces.builder().addTrace(events)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("events must not contain null");
    }

    @Test
    void negativeLimitsAreRejected() {
        CausalityIndex idx = CausalityIndex.of(Fixtures.f0());
        assertThatThrownBy(() -> TraceRaces.analyze(idx, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxDetails");
        assertThatThrownBy(() -> GlobalRaces.builder().maxDetails(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GlobalRaces.builder().examplesPerVariable(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBuilderIsUsedOnce() {
        GlobalRaces.Builder b = GlobalRaces.builder();
        b.build();
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.addTrace(Fixtures.f0())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void zeroDetailsStillCountsExactly() {
        TraceRaceReport r = TraceRaces.analyze(CausalityIndex.of(Fixtures.f0()), 0);
        assertThat(r.pairCount()).isEqualTo(1);
        assertThat(r.details()).isEmpty();
    }

    /** Skewed clocks: children may carry earlier timestamps than their parents (on other threads). */
    @Property(tries = 100)
    void skewedTimestampsGiveAnOrderIndependentAcyclicRelation(@ForAll long seed,
                                                               @ForAll @IntRange(min = 2, max = 40) int n) {
        Random rnd = new Random(seed);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Ev b = Ev.in(1).id(i + 1).thread("t" + rnd.nextInt(3)).at(rnd.nextInt(20));
            if (i > 0 && rnd.nextBoolean()) {
                b.parent(Ev.uuid(1 + rnd.nextInt(n))); // any event, even a later one or itself: cycles allowed
            }
            events.add(rnd.nextBoolean() ? b.write("x", i, i + 1) : b.read("x", i));
        }
        CausalityIndex a = CausalityIndex.of(events);
        List<Event> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, rnd);
        CausalityIndex b = CausalityIndex.of(shuffled);
        for (Event x : events) {
            for (Event y : events) {
                assertThat(b.happensBefore(x, y)).isEqualTo(a.happensBefore(x, y));
                if (a.happensBefore(x, y)) {
                    assertThat(a.happensBefore(y, x)).as("acyclic").isFalse();
                }
            }
        }
        assertThat(TraceRaces.analyze(b).pairCount()).isEqualTo(TraceRaces.analyze(a).pairCount());
        assertThat(Arrays.asList(b.topologicalOrder().toArray())).isEqualTo(Arrays.asList(a.topologicalOrder().toArray()));
    }
}
