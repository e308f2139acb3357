package dev.raceway.server.query;

import static dev.raceway.server.query.StoreScenario.access;
import static dev.raceway.server.query.StoreScenario.call;
import static dev.raceway.server.query.StoreScenario.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.raceway.core.analysis.AuditEntry;
import dev.raceway.core.event.AccessType;
import dev.raceway.server.config.FeatureFlags;
import dev.raceway.storage.EventStore;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TraceAnalysisQueryTest {
    private final UUID racy = UUID.randomUUID();
    private final UUID other = UUID.randomUUID();
    private final UUID later = UUID.randomUUID();

    /** {@code racy}: two threads write x unordered, a slow call; {@code other} overlaps it and writes x too. */
    private EventStore store() {
        StoreScenario s = new StoreScenario()
                .add(access(racy, 0, "t1", "x", AccessType.Read)).add(write(racy, 1, "t1", "x"))
                .add(write(racy, 2, "t2", "x")).add(call(racy, 10, "t1", 200))
                .add(write(other, 5, "t3", "x"))
                .add(write(later, 60_000, "t4", "x"));
        for (int i = 0; i < 6; i++) { // baselines of "work": 10-15 ms, in traces of their own, long before
            s.add(call(UUID.randomUUID(), -86_400_000L * (i + 1), "b", 10 + i));
        }
        return s.store();
    }

    @Test
    void findingsHoldTheRacesInsideAndAcrossTracesAndTheSlowCall() {
        TraceFindings f = new TraceAnalysisQuery(store(), FeatureFlags.defaults()).findings(racy);
        assertThat(f.analysis().races().pairCount()).as("t1's read and write against t2's write").isEqualTo(2);
        assertThat(f.crossTraceRaces()).as("other's write against racy's three accesses, not later's")
                .hasSize(3).allSatisfy(p -> assertThat(p.crossTrace()).isTrue())
                .allSatisfy(p -> assertThat(p.first().traceId().equals(other) || p.second().traceId().equals(other))
                        .isTrue());
        assertThat(f.anomalies()).singleElement().satisfies(a -> assertThat(a.actualDurationMs()).isEqualTo(200.0));
        assertThat(f.analysis().auditTrails()).containsOnlyKeys("x");
        assertThat(f.trace().all()).hasSize(4);
    }

    @Test
    void aTraceAloneOnItsVariablesHasNoRacesAndAnOrdinaryCallIsNoAnomaly() {
        EventStore store = store();
        TraceFindings f = new TraceAnalysisQuery(store, FeatureFlags.defaults()).findings(later);
        assertThat(f.analysis().races().pairCount()).isZero();
        assertThat(f.crossTraceRaces()).isEmpty();
        assertThat(f.anomalies()).isEmpty();
    }

    @Test
    void switchedOffFeaturesGiveEmptyParts() {
        TraceFindings f = new TraceAnalysisQuery(store(), new FeatureFlags(false, false, false)).findings(racy);
        assertThat(f.analysis().races().pairCount()).isZero();
        assertThat(f.crossTraceRaces()).isEmpty();
        assertThat(f.anomalies()).isEmpty();
        assertThat(f.analysis().criticalPath()).isPresent();
    }

    @Test
    void partsOfOneTrace() {
        TraceAnalysisQuery q = new TraceAnalysisQuery(store(), FeatureFlags.defaults());
        assertThat(q.auditTrail(racy, "x")).hasSize(3).extracting(AuditEntry::isRace)
                .containsExactly(false, false, true);
        assertThat(q.auditTrail(racy, "y")).isEmpty();
        assertThat(q.criticalPath(racy)).isPresent();
        assertThat(q.dependencies(racy).services()).singleElement()
                .satisfies(c -> assertThat(c.eventCount()).isEqualTo(4));
        assertThat(q.anomalies(racy)).hasSize(1);
    }

    @Test
    void anUnknownTraceIsRefusedExceptForAnomalies() {
        TraceAnalysisQuery q = new TraceAnalysisQuery(store(), FeatureFlags.defaults());
        UUID unknown = UUID.randomUUID();
        assertThatThrownBy(() -> q.findings(unknown)).isInstanceOf(UnknownTraceException.class);
        assertThatThrownBy(() -> q.criticalPath(unknown)).isInstanceOf(UnknownTraceException.class);
        assertThatThrownBy(() -> q.dependencies(unknown)).isInstanceOf(UnknownTraceException.class);
        assertThatThrownBy(() -> q.auditTrail(unknown, "x")).isInstanceOf(UnknownTraceException.class);
        assertThat(q.anomalies(unknown)).isEmpty();
    }
}
