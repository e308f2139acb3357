package dev.raceway.server.query;

import static dev.raceway.server.query.StoreScenario.nested;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.raceway.server.config.FeatureFlags;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeadlockQueryTest {
    private final UUID a = UUID.randomUUID();
    private final UUID b = UUID.randomUUID();

    @Test
    void oppositeOrdersInTwoRequestsAreAnInversionAcrossTheStoreButNotInsideEither() {
        StoreScenario s = new StoreScenario().addAll(nested(a, 0, "t1", "L1", "L2"))
                .addAll(nested(b, 1, "t2", "L2", "L1"));
        DeadlockQuery q = new DeadlockQuery(s.store(), FeatureFlags.defaults());
        StoreDeadlocks found = q.acrossTraces();
        assertThat(found.deadlocks()).singleElement().satisfies(d -> assertThat(d.locks()).containsExactly("L1", "L2"));
        assertThat(found.eventsAnalyzed()).isEqualTo(8);
        assertThat(found.truncated()).isFalse();
        assertThat(q.inTrace(a)).isEmpty();
        assertThat(q.inTrace(b)).isEmpty();
    }

    @Test
    void theSameOrderEverywhereIsNoInversion() {
        StoreScenario s = new StoreScenario().addAll(nested(a, 0, "t1", "L1", "L2"))
                .addAll(nested(b, 1, "t2", "L1", "L2"));
        assertThat(new DeadlockQuery(s.store(), FeatureFlags.defaults()).acrossTraces().deadlocks()).isEmpty();
    }

    @Test
    void oppositeOrdersOnTwoThreadsOfOneTraceAreAnInversionInsideIt() {
        StoreScenario s = new StoreScenario().addAll(nested(a, 0, "t1", "L1", "L2"))
                .addAll(nested(a, 1, "t2", "L2", "L1"));
        assertThat(new DeadlockQuery(s.store(), FeatureFlags.defaults()).inTrace(a)).hasSize(1);
    }

    @Test
    void theStoreWideWalkStopsBeforeTheTraceThatWouldExceedTheCap() {
        StoreScenario s = new StoreScenario().addAll(nested(a, 0, "t1", "L1", "L2"))
                .addAll(nested(b, 10, "t2", "L2", "L1"));
        StoreDeadlocks found = new DeadlockQuery(s.store(), FeatureFlags.defaults(), 6).acrossTraces();
        assertThat(found.eventsAnalyzed()).isEqualTo(4);
        assertThat(found.truncated()).isTrue();
        assertThat(found.deadlocks()).isEmpty();
    }

    @Test
    void anUnknownTraceIsRefused() {
        DeadlockQuery q = new DeadlockQuery(new StoreScenario().store(), FeatureFlags.defaults());
        assertThatThrownBy(() -> q.inTrace(a)).isInstanceOf(UnknownTraceException.class);
    }
}
