package dev.raceway.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.raceway.core.causality.CausalityIndex;
import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.testing.Ev;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnalysesTest {

    /** gateway → orders → payments, each service starting its events with parent_id = null (as SDKs do). */
    static List<Event> threeServiceChain() {
        return List.of(
                Ev.in(1).id(1).service("gateway").span("g1").thread("g").at(0).durationMs(50).httpRequest("POST", "/order"),
                Ev.in(1).id(2).service("orders").span("o1").upstream("g1").thread("o").at(5).durationMs(30).call("place"),
                Ev.in(1).id(3).service("orders").span("o1").upstream("g1").parent(2).thread("o").at(6).durationMs(2)
                        .write("stock", 5, 4),
                Ev.in(1).id(4).service("payments").span("p1").upstream("o1").thread("p").at(10).durationMs(20).call("charge"),
                Ev.in(1).id(5).service("payments").span("p1").upstream("o1").parent(4).thread("p").at(11).durationMs(1)
                        .call("audit"));
    }

    @Test
    void dependenciesFollowSpanEdgesAndCountCallsNotEvents() {
        TraceDependencies d = TraceDependencies.of(CausalityIndex.of(threeServiceChain()));
        assertThat(d.services()).containsExactly(new ServiceCount("gateway", 1), new ServiceCount("orders", 2),
                new ServiceCount("payments", 2));
        assertThat(d.dependencies()).containsExactly(new ServiceDependency("gateway", "orders", 1),
                new ServiceDependency("orders", "payments", 1));
    }

    @Test
    void criticalPathCrossesServiceBoundaries() {
        CriticalPath cp = CriticalPaths.of(CausalityIndex.of(threeServiceChain())).orElseThrow();
        assertThat(cp.path()).extracting(e -> e.metadata().serviceName())
                .containsExactly("gateway", "orders", "orders", "payments", "payments");
        // the call to payments hangs off the last orders event before it (the stock write)
        assertThat(cp.path().get(2).id()).isEqualTo(Ev.uuid(3));
        assertThat(cp.totalDurationMs()).isEqualTo(103.0);
        assertThat(cp.traceTotalDurationMs()).isEqualTo(103.0);
    }

    @Test
    void criticalPathShareIsOfTheWallClockExtentNotOfTheSumOfDurations() {
        // Each event is recorded when it ends: the gateway request occupies [-50, 0], orders [-25, 5] etc.
        CriticalPath cp = CriticalPaths.of(CausalityIndex.of(threeServiceChain())).orElseThrow();
        // Extent: from the earliest start (-50 ms, the gateway) to the latest timestamp (11 ms).
        assertThat(cp.traceWallDurationMs()).isEqualTo(61.0);
        // The path's events cover [-50, 0] ∪ [-25, 5] ∪ [4, 6] ∪ [-10, 10] ∪ [10, 11] = [-50, 11].
        assertThat(cp.wallDurationMs()).isEqualTo(61.0);
        assertThat(cp.percentageOfWall()).isEqualTo(100.0);
        // The reference's share (sum of path durations over the sum of all durations) is kept as it was.
        assertThat(cp.percentageOfTotal()).isEqualTo(100.0);
    }

    @Test
    void wallClockUnionCountsOverlapsOnceAndIgnoresInstants() {
        List<Event> events = List.of(
                Ev.in(1).id(1).thread("a").at(100).durationMs(100).call("outer"),   // [0, 100]
                Ev.in(1).id(2).thread("a").at(60).durationMs(40).call("inner"),     // [20, 60], inside outer
                Ev.in(1).id(3).thread("b").at(300).durationMs(50).call("later"),    // [250, 300]
                Ev.in(1).id(4).thread("b").at(400).call("instant"));                // no duration
        assertThat(WallClock.coveredMs(events)).isEqualTo(150.0);
        assertThat(WallClock.extentMs(events)).isEqualTo(400.0);
        assertThat(WallClock.extentMs(List.of())).isZero();
    }

    @Test
    void criticalPathOfNoEventsIsEmpty() {
        assertThat(CriticalPaths.of(CausalityIndex.of(List.of()))).isEmpty();
    }

    @Test
    void auditTrailTreatsAtomicWritesAsWrites() {
        Event a = Ev.in(1).id(1).thread("t1").at(1).access("n", AccessType.AtomicRMW);
        Event b = Ev.in(1).id(2).thread("t2").at(2).write("n", 1, 2);
        Event c = Ev.in(1).id(3).thread("t3").at(3).access("n", AccessType.AtomicRead);
        List<AuditEntry> trail = AuditTrail.of(CausalityIndex.of(List.of(a, b, c)), "n");
        assertThat(trail).extracting(AuditEntry::isRace).containsExactly(false, true, true);
        Event d = Ev.in(1).id(4).thread("t4").at(4).access("n", AccessType.AtomicWrite);
        Event e = Ev.in(1).id(5).thread("t5").at(5).access("n", AccessType.AtomicRead);
        assertThat(AuditTrail.of(CausalityIndex.of(List.of(d, e)), "n")).extracting(AuditEntry::isRace)
                .containsExactly(false, false);
    }

    private static Event timed(int trace, int id, double ms) {
        return Ev.in(trace).id(id).thread("t").at(id).durationMs(ms).call("handle");
    }

    @Test
    void anomaliesCompareAgainstOtherTracesOnly() {
        Map<String, DurationStats> baselines = new HashMap<>();
        double[] history = {10, 11, 9, 10, 10, 11, 9};
        for (double ms : history) {
            baselines.merge("FunctionCall(handle)", DurationStats.of(ms), DurationStats::merge);
        }
        List<Event> slow = List.of(timed(9, 100, 40));
        assertThat(Anomalies.detect(slow, baselines, false)).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(AnomalySeverity.Critical);
            assertThat(a.expectedDurationMs()).isCloseTo(10.0, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(a.description()).startsWith("FunctionCall(handle) took 40.00ms (expected 10.00ms ± ");
            assertThat(a.location()).isEqualTo("app.rs:1 (handle)");
        });
        // the same baselines with the slow trace already merged in: subtracting it gives the same verdict
        Map<String, DurationStats> withTrace = new HashMap<>(baselines);
        withTrace.merge("FunctionCall(handle)", DurationStats.of(40), DurationStats::merge);
        assertThat(Anomalies.detect(slow, withTrace, true)).singleElement()
                .satisfies(a -> assertThat(a.severity()).isEqualTo(AnomalySeverity.Critical));
        // unusually fast events are flagged too (two-sided)
        assertThat(Anomalies.detect(List.of(timed(9, 101, 1)), baselines, false)).hasSize(1);
        assertThat(Anomalies.detect(List.of(timed(9, 102, 10)), baselines, false)).isEmpty();
    }

    @Test
    void anomaliesNeedEnoughSamplesAfterExcludingTheTrace() {
        Map<String, DurationStats> baselines = new HashMap<>();
        for (double ms : new double[] {10, 10, 10, 10, 40}) {
            baselines.merge("FunctionCall(handle)", DurationStats.of(ms), DurationStats::merge);
        }
        assertThat(Anomalies.detect(List.of(timed(9, 100, 40)), baselines, true)).isEmpty();
    }

    @Test
    void zeroSpreadUsesTheTwentyPercentRuleAndZeroMeanStaysFinite() {
        Map<String, DurationStats> flat = Map.of("FunctionCall(handle)",
                new DurationStats(5, 50, 500, 10, 10));
        assertThat(Anomalies.detect(List.of(timed(9, 1, 11)), flat, false)).isEmpty();
        assertThat(Anomalies.detect(List.of(timed(9, 1, 13)), flat, false)).singleElement()
                .satisfies(a -> assertThat(a.stdDevFromMean()).isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-9)));
        Map<String, DurationStats> zero = Map.of("FunctionCall(handle)", new DurationStats(5, 0, 0, 0, 0));
        assertThat(Anomalies.detect(List.of(timed(9, 1, 0)), zero, false)).isEmpty();
        assertThat(Anomalies.detect(List.of(timed(9, 1, 2)), zero, false)).singleElement()
                .satisfies(a -> assertThat(a.severity()).isEqualTo(AnomalySeverity.Critical));
    }

    @Test
    void anomalyOptionsRejectNonsense() {
        assertThatThrownBy(() -> new AnomalyOptions(0, 1.5, 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AnomalyOptions(5, Double.NaN, 20)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rustDebugRendersValuesLikeTheReference() {
        assertThat(RustDebug.option(Optional.of(JsonValue.of(10)))).isEqualTo("Some(Number(10))");
        assertThat(RustDebug.option(Optional.empty())).isEqualTo("None");
        assertThat(RustDebug.value(JsonValue.of("x\"y"))).isEqualTo("String(\"x\\\"y\")");
        assertThat(RustDebug.value(JsonValue.NULL)).isEqualTo("Null");
        assertThat(RustDebug.value(JsonValue.parse("[1,true,{\"a\":1.5}]")))
                .isEqualTo("Array [Number(1), Bool(true), Object {\"a\": Number(1.5)}]");
    }

    @Test
    void criticalPathDoesNotDependOnArrivalOrderWithTies() {
        List<Event> events = new ArrayList<>();
        events.add(Ev.in(1).id(1).thread("m").at(0).durationMs(5).call("root"));
        for (int i = 2; i <= 6; i++) {
            events.add(Ev.in(1).id(i).parent(1).thread("w" + i).at(1).durationMs(3).call("leaf"));
        }
        CriticalPath a = CriticalPaths.of(CausalityIndex.of(events)).orElseThrow();
        java.util.Collections.reverse(events);
        CriticalPath b = CriticalPaths.of(CausalityIndex.of(events)).orElseThrow();
        assertThat(b).isEqualTo(a);
        assertThat(a.path()).extracting(Event::id).containsExactly(Ev.uuid(1), Ev.uuid(2));
    }
}
