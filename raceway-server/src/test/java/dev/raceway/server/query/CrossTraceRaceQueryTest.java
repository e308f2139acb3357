package dev.raceway.server.query;

import static dev.raceway.server.query.StoreScenario.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.causality.CausalityOptions;
import dev.raceway.core.causality.RacePair;
import dev.raceway.storage.EventStore;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CrossTraceRaceQueryTest {
    private final UUID a = UUID.randomUUID();
    private final UUID overlapping = UUID.randomUUID();
    private final UUID afterwards = UUID.randomUUID();

    /** a writes x at 0 and 10 ms (two threads); overlapping writes x at 5 ms; afterwards writes x a minute later. */
    private final EventStore store = new StoreScenario()
            .add(write(a, 0, "t1", "x")).add(write(a, 10, "t2", "x"))
            .add(write(overlapping, 5, "t3", "x"))
            .add(write(afterwards, 60_000, "t4", "x")).store();
    private final CrossTraceRaceQuery q = new CrossTraceRaceQuery(store, CausalityOptions.DEFAULT_CLOCK_SKEW);
    private final LinkedTraceQuery traces = new LinkedTraceQuery(store, false);

    @Test
    void aTraceRacesTheTracesThatRanAtTheSameTimeOnly() {
        assertThat(q.racesWith(traces.load(a))).hasSize(2).allSatisfy(p -> {
            assertThat(p.crossTrace()).isTrue();
            assertThat(java.util.Set.of(p.first().traceId(), p.second().traceId())).containsOnly(a, overlapping);
        });
    }

    @Test
    void theRaceInsideTheTraceIsNotACrossTraceRace() {
        assertThat(q.racesWith(traces.load(a))).extracting(RacePair::crossTrace).containsOnly(true);
    }

    @Test
    void aTraceThatRanAfterTheOthersRacesNone() {
        assertThat(q.racesWith(traces.load(afterwards))).isEmpty();
    }
}
