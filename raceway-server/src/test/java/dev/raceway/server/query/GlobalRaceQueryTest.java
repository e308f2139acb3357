package dev.raceway.server.query;

import static dev.raceway.server.query.StoreScenario.T0;
import static dev.raceway.server.query.StoreScenario.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.server.config.FeatureFlags;
import dev.raceway.storage.EventStore;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class GlobalRaceQueryTest {
    private final UUID a = UUID.randomUUID();
    private final UUID b = UUID.randomUUID();
    private final UUID c = UUID.randomUUID();

    /**
     * x: a's two threads race each other (1 pair inside a) and b's write (2 pairs between traces).
     * y: c, a day later, writes y on two threads (1 pair inside c), alone in its window.
     */
    private final EventStore store = new StoreScenario()
            .add(write(a, 0, "t1", "x")).add(write(a, 10, "t2", "x"))
            .add(write(b, 5, "t3", "x"))
            .add(write(c, 86_400_000, "t1", "y")).add(write(c, 86_400_001, "t2", "y")).store();
    private final GlobalRaceQuery q = new GlobalRaceQuery(store, FeatureFlags.defaults());

    @Test
    void pairsAreSplitIntoBetweenTracesAndWithinATrace() {
        CrossTraceRaceSummary s = q.analyze(TimeWindow.ALL);
        assertThat(s.betweenTraces()).isEqualTo(2);
        assertThat(s.critical()).isEqualTo(2);
        assertThat(s.warning()).isZero();
        assertThat(s.withinTrace()).isEqualTo(2);
        assertThat(s.report().details()).hasSize(2).allSatisfy(p -> assertThat(p.crossTrace()).isTrue());
        assertThat(s.byVariable()).satisfiesExactlyInAnyOrder(
                x -> {
                    assertThat(x.races().variable()).isEqualTo("x");
                    assertThat(x.betweenTraces()).isEqualTo(2);
                    assertThat(x.withinTrace()).isEqualTo(1);
                },
                y -> {
                    assertThat(y.races().variable()).isEqualTo("y");
                    assertThat(y.betweenTraces()).isZero();
                    assertThat(y.withinTrace()).isEqualTo(1);
                });
        assertThat(s.counts().traces()).isEqualTo(3);
    }

    @Test
    void theWindowKeepsOnlyTheTracesWithAnEventInIt() {
        CrossTraceRaceSummary s = q.analyze(new TimeWindow(Optional.of(T0.plusSeconds(3600)), Optional.empty()));
        assertThat(s.report().traceCount()).isEqualTo(1);
        assertThat(s.betweenTraces()).isZero();
        assertThat(s.withinTrace()).isEqualTo(1);
        assertThat(s.report().details()).isEmpty();
    }
}
