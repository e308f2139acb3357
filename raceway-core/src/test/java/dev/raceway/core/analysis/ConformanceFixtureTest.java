package dev.raceway.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.causality.CausalityIndex;
import dev.raceway.core.causality.LockOrder;
import dev.raceway.core.event.Event;
import dev.raceway.core.testing.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConformanceFixtureTest {
    private final CausalityIndex index = CausalityIndex.of(Fixtures.f0());

    @Test
    void criticalPathRunsFromTheRootToTheSlowerWrite() {
        CriticalPath cp = CriticalPaths.of(index).orElseThrow();
        assertThat(cp.path()).extracting(Event::id).containsExactly(Fixtures.F0_ROOT, Fixtures.F0_SECOND_WRITE);
        assertThat(cp.totalDurationMs()).isEqualTo(26.0);
        assertThat(cp.traceTotalDurationMs()).isEqualTo(37.0);
        assertThat(cp.percentageOfTotal()).isEqualTo(70.27027027027027);
    }

    @Test
    void auditTrailLinksTheFirstWriteAndFlagsTheSecondAsARace() {
        List<AuditEntry> trail = AuditTrail.of(index, "balance");
        assertThat(trail).extracting(a -> a.event().id())
                .containsExactly(Fixtures.F0_FIRST_WRITE, Fixtures.F0_SECOND_WRITE);
        assertThat(trail.get(0).hasCausalLinkToPrevious()).isTrue();
        assertThat(trail.get(0).isRace()).isFalse();
        assertThat(trail.get(1).hasCausalLinkToPrevious()).isFalse();
        assertThat(trail.get(1).isRace()).isTrue();
        assertThat(AuditTrail.of(index, "unknown")).isEmpty();
        assertThat(AuditTrail.all(index)).containsOnlyKeys("balance");
    }

    @Test
    void dependenciesListOneServiceAndNoCalls() {
        TraceDependencies d = TraceDependencies.of(index);
        assertThat(d.services()).containsExactly(new ServiceCount("web", 4));
        assertThat(d.dependencies()).isEmpty();
    }

    @Test
    void noAnomaliesWithoutAnyBaseline() {
        assertThat(Anomalies.detect(Fixtures.f0(), Map.of(), false)).isEmpty();
        assertThat(Anomalies.contribution(Fixtures.f0())).containsOnlyKeys("FunctionCall(handle_request)",
                "StateChange(balance)", "FunctionCall(respond)");
        assertThat(Anomalies.contribution(Fixtures.f0()).get("StateChange(balance)").count()).isEqualTo(2);
    }

    @Test
    void traceAnalysisBundlesTheSameResults() {
        TraceAnalysis a = TraceAnalysis.of(Fixtures.f0(), List.of());
        assertThat(a.races().pairCount()).isEqualTo(1);
        assertThat(a.auditTrails()).containsOnlyKeys("balance");
        assertThat(a.criticalPath().orElseThrow().totalDurationMs()).isEqualTo(26.0);
        assertThat(a.dependencies().services()).containsExactly(new ServiceCount("web", 4));
        assertThat(LockOrder.analyze(Fixtures.f0(), List.of())).isEmpty();
    }

    @Test
    void traceAnalysisWithoutRacesKeepsTheOtherResults() {
        TraceAnalysis a = TraceAnalysis.withoutRaces(CausalityIndex.of(Fixtures.f0()));
        assertThat(a.races().pairCount()).isZero();
        assertThat(a.races().details()).isEmpty();
        assertThat(a.auditTrails()).containsOnlyKeys("balance");
        assertThat(a.criticalPath().orElseThrow().totalDurationMs()).isEqualTo(26.0);
    }

    @Test
    void theWireFixtureDecodesToTheSameEventsAndResults() throws Exception {
        byte[] body;
        try (var in = getClass().getResourceAsStream("/f0-fixture.json")) {
            body = in.readAllBytes();
        }
        List<Event> decoded = dev.raceway.core.json.EventJson.decodeBatch(body).events();
        assertThat(decoded).containsExactlyInAnyOrderElementsOf(Fixtures.f0());
        TraceAnalysis a = TraceAnalysis.of(decoded, List.of());
        assertThat(a.races().pairCount()).isEqualTo(1);
        assertThat(a.criticalPath().orElseThrow().percentageOfTotal()).isEqualTo(70.27027027027027);
    }
}
