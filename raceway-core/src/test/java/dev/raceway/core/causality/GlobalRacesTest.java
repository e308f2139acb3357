package dev.raceway.core.causality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.raceway.core.event.DistributedEdge;
import dev.raceway.core.event.EdgeLinkType;
import dev.raceway.core.event.Event;
import dev.raceway.core.testing.Ev;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class GlobalRacesTest {

    /** One request: handler call, read of the balance, write of the balance, optionally under a lock. */
    static List<Event> transfer(int trace, int firstId, long at, boolean locked) {
        List<Event> events = new ArrayList<>();
        String thread = "req-" + trace;
        events.add(Ev.in(trace).id(firstId).thread(thread).at(at).call("transfer"));
        int id = firstId + 1;
        if (locked) {
            events.add(Ev.in(trace).id(id++).parent(firstId).thread(thread).at(at + 1).lock("alice-lock"));
        }
        events.add(Ev.in(trace).id(id++).parent(firstId).thread(thread).at(at + 2).read("alice.balance", 100));
        events.add(Ev.in(trace).id(id++).parent(firstId).thread(thread).at(at + 3).write("alice.balance", 100, 50));
        if (locked) {
            events.add(Ev.in(trace).id(id).parent(firstId).thread(thread).at(at + 4).unlock("alice-lock"));
        }
        return events;
    }

    @Test
    void findsTheClassicLostUpdateAcrossTwoRequests() {
        GlobalRaceReport r = GlobalRaces.analyze(List.of(transfer(1, 10, 0, false), transfer(2, 20, 1, false)),
                List.of());
        assertThat(r.pairCount()).isEqualTo(3);
        assertThat(r.criticalCount()).isEqualTo(1);
        assertThat(r.warningCount()).isEqualTo(2);
        assertThat(r.traceCount()).isEqualTo(2);
        assertThat(r.details()).hasSize(3);
        RacePair first = r.details().get(0);
        assertThat(first.severity()).isEqualTo(RaceSeverity.CRITICAL);
        assertThat(first.crossTrace()).isTrue();
        assertThat(r.byVariable()).singleElement().satisfies(v -> {
            assertThat(v.variable()).isEqualTo("alice.balance");
            assertThat(v.pairs()).isEqualTo(3);
            assertThat(v.critical()).isEqualTo(1);
            assertThat(v.traceCount()).isEqualTo(2);
        });
    }

    @Test
    void requestsHoldingTheSameLockDoNotRace() {
        GlobalRaceReport r = GlobalRaces.analyze(List.of(transfer(1, 10, 0, true), transfer(2, 20, 1, true)),
                List.of());
        assertThat(r.pairCount()).isZero();
        assertThat(r.byVariable()).isEmpty();
    }

    @Test
    void onlyTheUnlockedRequestRacesWithTheLockedOnes() {
        GlobalRaceReport r = GlobalRaces.analyze(List.of(transfer(1, 10, 0, true), transfer(2, 20, 1, true),
                transfer(3, 30, 2, false)), List.of());
        // trace 3's read and write against the write and read of each locked trace: 2 × (W×W, R×W, W×R)
        assertThat(r.pairCount()).isEqualTo(6);
        assertThat(r.criticalCount()).isEqualTo(2);
    }

    @Test
    void countsMatchABruteForcePairCountForManyTraces() {
        List<List<Event>> traces = new ArrayList<>();
        for (int t = 1; t <= 30; t++) {
            traces.add(transfer(t, t * 100, t, t % 3 == 0));
        }
        GlobalRaceReport r = GlobalRaces.analyze(traces, List.of());
        // unlocked traces: 20, locked: 10. Pairs among unlocked: C(20,2)·3; unlocked × locked: 20·10·3.
        assertThat(r.pairCount()).isEqualTo(190L * 3 + 200L * 3);
        assertThat(r.criticalCount()).isEqualTo(190L + 200L);
        assertThat(r.details()).hasSize(GlobalRaces.DEFAULT_MAX_DETAILS);
        assertThat(r.byVariable().get(0).examples()).hasSize(GlobalRaces.DEFAULT_EXAMPLES_PER_VARIABLE);
    }

    @Test
    void traceLinkedBySpanEdgeIsOrderedAfterTheCaller() {
        Event write = Ev.in(1).id(1).service("a").span("s1").thread("a").at(0).write("x", 0, 1);
        Event call = Ev.in(1).id(2).service("a").span("s1").thread("a").at(1).httpRequest("POST", "/b");
        Event read = Ev.in(2).id(3).service("b").span("s2").thread("b").at(5).read("x", 1);
        Event lateWrite = Ev.in(1).id(4).service("a").span("s1").thread("a").at(9).write("x", 1, 2);
        DistributedEdge edge = new DistributedEdge("s1", "s2", EdgeLinkType.HttpCall, read.id(), read.timestamp());
        GlobalRaceReport r = GlobalRaces.analyze(List.of(List.of(write, call, lateWrite), List.of(read)),
                List.of(edge));
        // write → call → read is ordered; the write after the call is concurrent with the callee's read
        assertThat(r.pairCount()).isEqualTo(1);
        assertThat(r.details().get(0).first().id()).isEqualTo(read.id());
        assertThat(r.details().get(0).second().id()).isEqualTo(lateWrite.id());
        GlobalRaceReport reversed = GlobalRaces.analyze(List.of(List.of(read), List.of(lateWrite, call, write)),
                List.of(edge));
        assertThat(reversed.pairCount()).isEqualTo(1);
    }

    @Test
    void upstreamMetadataLinksTracesWhenTheDownstreamTraceArrivesFirst() {
        Event write = Ev.in(1).id(1).service("a").span("s1").thread("a").at(0).write("x", 0, 1);
        Event read = Ev.in(2).id(3).service("b").span("s2").upstream("s1").thread("b").at(5).read("x", 1);
        assertThat(GlobalRaces.analyze(List.of(List.of(read), List.of(write)), List.of()).pairCount()).isZero();
    }

    @Test
    void resultDoesNotDependOnTraceOrder() {
        List<List<Event>> traces = new ArrayList<>();
        for (int t = 1; t <= 12; t++) {
            traces.add(transfer(t, t * 100, 12 - t, t % 4 == 0));
        }
        GlobalRaceReport a = GlobalRaces.analyze(traces, List.of());
        Collections.reverse(traces);
        GlobalRaceReport b = GlobalRaces.analyze(traces, List.of());
        assertThat(b.pairCount()).isEqualTo(a.pairCount());
        assertThat(b.criticalCount()).isEqualTo(a.criticalCount());
        assertThat(b.details().stream().map(p -> p.first().id() + "/" + p.second().id()).toList())
                .isEqualTo(a.details().stream().map(p -> p.first().id() + "/" + p.second().id()).toList());
        assertThat(b.byVariable().get(0).examples()).isEqualTo(a.byVariable().get(0).examples());
    }

    @Test
    void aTraceCannotBeAddedTwice() {
        GlobalRaces.Builder b = GlobalRaces.builder().addTrace(transfer(1, 10, 0, false));
        assertThatThrownBy(() -> b.addTrace(transfer(1, 50, 0, false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already added");
    }
}
