package dev.raceway.core.causality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.raceway.core.event.DistributedEdge;
import dev.raceway.core.event.EdgeLinkType;
import dev.raceway.core.event.Event;
import dev.raceway.core.testing.Ev;
import dev.raceway.core.testing.Fixtures;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CausalityIndexTest {

    @Test
    void parentLinksOrderChildrenAfterTheirParent() {
        CausalityIndex idx = CausalityIndex.of(Fixtures.f0());
        assertThat(idx.happensBefore(Fixtures.F0_ROOT, Fixtures.F0_FIRST_WRITE)).isTrue();
        assertThat(idx.happensBefore(Fixtures.F0_ROOT, Fixtures.F0_SECOND_WRITE)).isTrue();
        assertThat(idx.happensBefore(Fixtures.F0_FIRST_WRITE, Fixtures.F0_ROOT)).isFalse();
        assertThat(idx.concurrent(Fixtures.F0_FIRST_WRITE, Fixtures.F0_SECOND_WRITE)).isTrue();
    }

    @Test
    void programOrderOrdersEventsOfOneThread() {
        Event a = Ev.in(1).id(1).thread("t").at(0).call("a");
        Event b = Ev.in(1).id(2).thread("t").at(1).call("b");
        Event other = Ev.in(1).id(3).thread("u").at(2).call("c");
        CausalityIndex idx = CausalityIndex.of(List.of(b, other, a));
        assertThat(idx.happensBefore(a, b)).isTrue();
        assertThat(idx.concurrent(a, other)).isTrue();
        assertThat(idx.concurrent(b, other)).isTrue();
    }

    @Test
    void sameThreadIdInDifferentTracesIsNotOneThread() {
        Event a = Ev.in(1).id(1).thread("t").at(0).call("a");
        Event b = Ev.in(2).id(2).thread("t").at(1).call("b");
        assertThat(CausalityIndex.of(List.of(a, b)).concurrent(a, b)).isTrue();
    }

    @Test
    void childrenArrivingBeforeParentsGiveTheSameRelation() {
        List<Event> events = new ArrayList<>(Fixtures.f0());
        Collections.reverse(events);
        CausalityIndex idx = CausalityIndex.of(events);
        assertThat(idx.happensBefore(Fixtures.F0_ROOT, Fixtures.F0_SECOND_WRITE)).isTrue();
        assertThat(idx.events()).extracting(Event::id)
                .containsExactlyElementsOf(CausalityIndex.of(Fixtures.f0()).events().stream().map(Event::id).toList());
    }

    @Test
    void duplicateIdsCollapseToOneEvent() {
        List<Event> events = new ArrayList<>(Fixtures.f0());
        events.addAll(Fixtures.f0());
        assertThat(CausalityIndex.of(events).size()).isEqualTo(4);
    }

    @Test
    void orphansTakePartWithoutAParentEdge() {
        Event orphan = Ev.in(1).id(1).parent(99).thread("t").at(0).write("x", 0, 1);
        Event later = Ev.in(1).id(2).thread("t").at(1).read("x", 1);
        CausalityIndex idx = CausalityIndex.of(List.of(orphan, later));
        assertThat(idx.parentOf(orphan)).isEmpty();
        assertThat(idx.happensBefore(orphan, later)).isTrue();
    }

    @Test
    void parentCyclesAreBrokenDeterministically() {
        Event a = Ev.in(1).id(1).parent(2).thread("t1").at(0).call("a");
        Event b = Ev.in(1).id(2).parent(1).thread("t2").at(1).call("b");
        CausalityIndex idx = CausalityIndex.of(List.of(a, b));
        assertThat(idx.happensBefore(a, b) ^ idx.happensBefore(b, a)).isTrue();
        CausalityIndex reversed = CausalityIndex.of(List.of(b, a));
        assertThat(reversed.happensBefore(a, b)).isEqualTo(idx.happensBefore(a, b));
    }

    @Test
    void childWithEarlierTimestampThanParentStillFollowsIt() {
        Event parent = Ev.in(1).id(1).thread("t1").at(10).call("p");
        Event child = Ev.in(1).id(2).parent(1).thread("t2").at(5).call("c");
        CausalityIndex idx = CausalityIndex.of(List.of(child, parent));
        assertThat(idx.happensBefore(parent, child)).isTrue();
        assertThat(idx.topologicalOrder()).containsExactly(parent, child);
    }

    @Test
    void spanMetadataOrdersTheCallerBeforeTheCallee() {
        Event caller = Ev.in(1).id(1).service("gateway").span("s1").thread("g").at(0).httpRequest("GET", "/pay");
        Event callerAfter = Ev.in(1).id(2).service("gateway").span("s1").thread("g").at(50).call("done");
        Event callee = Ev.in(1).id(3).service("payments").span("s2").upstream("s1").thread("p").at(10).call("pay");
        CausalityIndex idx = CausalityIndex.of(List.of(callee, callerAfter, caller));
        assertThat(idx.happensBefore(caller, callee)).isTrue();
        assertThat(idx.concurrent(callerAfter, callee)).isTrue();
        assertThat(idx.spanLinks()).singleElement()
                .satisfies(l -> {
                    assertThat(l.upstream()).isEqualTo(caller);
                    assertThat(l.downstream()).isEqualTo(callee);
                });
    }

    @Test
    void explicitDistributedEdgesLinkTracesThatDoNotShareAnId() {
        Event caller = Ev.in(1).id(1).service("a").span("s1").thread("a").at(0).call("call");
        Event callee = Ev.in(2).id(2).service("b").span("s2").thread("b").at(10).call("serve");
        DistributedEdge edge = new DistributedEdge("s1", "s2", EdgeLinkType.HttpCall, callee.id(), callee.timestamp());
        assertThat(CausalityIndex.of(List.of(caller, callee)).concurrent(caller, callee)).isTrue();
        assertThat(CausalityIndex.of(List.of(caller, callee), List.of(edge)).happensBefore(caller, callee)).isTrue();
    }

    @Test
    void lockReleaseHappensBeforeTheNextAcquireInTheSameTrace() {
        Event rel = Ev.in(1).id(1).thread("t1").at(1).unlock("L");
        Event acq = Ev.in(1).id(2).thread("t2").at(2).lock("L");
        assertThat(CausalityIndex.of(List.of(rel, acq)).happensBefore(rel, acq)).isTrue();
        assertThat(CausalityIndex.of(List.of(rel, acq), List.of(), CausalityOptions.WITHOUT_LOCK_EDGES)
                .concurrent(rel, acq)).isTrue();
        Event otherTrace = Ev.in(2).id(3).thread("t2").at(2).lock("L");
        assertThat(CausalityIndex.of(List.of(rel, otherTrace)).concurrent(rel, otherTrace)).isTrue();
    }

    @Test
    void readLockReleasesDoNotOrderOtherReaders() {
        Event r1 = Ev.in(1).id(1).thread("t1").at(1).readUnlock("RW");
        Event r2 = Ev.in(1).id(2).thread("t2").at(2).readLock("RW");
        Event w = Ev.in(1).id(3).thread("t3").at(3).writeLock("RW");
        CausalityIndex idx = CausalityIndex.of(List.of(r1, r2, w));
        assertThat(idx.concurrent(r1, r2)).isTrue();
        assertThat(idx.happensBefore(r1, w)).isTrue();
    }

    @Test
    void perContextSdkClocksOrderEventsOfOneTraceOnly() {
        Event a = Ev.in(1).id(1).service("api").instance("i1").thread("t1").at(5).clock("api#i1/t1", 1).call("a");
        Event b = Ev.in(1).id(2).service("db").instance("d1").thread("t2").at(1)
                .clock("api#i1/t1", 1).clock("db#d1/t2", 1).call("b");
        CausalityIndex idx = CausalityIndex.of(List.of(a, b));
        assertThat(idx.happensBefore(a, b)).isTrue();
        Event c = Ev.in(2).id(3).service("db").instance("d1").thread("t2").at(1)
                .clock("api#i1/t1", 2).clock("db#d1/t2", 1).call("c");
        assertThat(CausalityIndex.of(List.of(a, c)).concurrent(a, c)).isTrue();
    }

    /** Issue 14 item 3: this used to be ordered; a counter shared by a process's concurrent contexts says nothing. */
    @Test
    void perProcessSdkClocksNeverCreateOrder() {
        Event a = Ev.in(1).id(1).service("api").instance("i1").thread("t1").at(5).clock("api#i1", 1).call("a");
        Event b = Ev.in(1).id(2).service("db").instance("d1").thread("t2").at(1)
                .clock("api#i1", 1).clock("db#d1", 1).call("b");
        assertThat(CausalityIndex.of(List.of(a, b)).concurrent(a, b)).isTrue();
        Event ts1 = Ev.in(1).id(3).service("web").thread("t3").at(1).clock(new java.util.UUID(0, 9).toString(), 1)
                .call("x");
        Event ts2 = Ev.in(1).id(4).service("web").thread("t4").at(2).clock(new java.util.UUID(0, 9).toString(), 2)
                .call("y");
        assertThat(CausalityIndex.of(List.of(ts1, ts2)).concurrent(ts1, ts2)).isTrue();
    }

    @Test
    void aForkedContextCountsOnItsOwnComponentNotTheInheritedProcessOne() {
        // Forks of one context (service#instance at 0) write; f2 merged f1's clock, f3 is unrelated and in between.
        Event w1 = Ev.in(1).id(1).service("app").instance("i").thread("f1").at(1)
                .clock("app#i", 0).clock("app#i/f1", 1).write("x", 0, 1);
        Event w2 = Ev.in(1).id(2).service("app").instance("i").thread("f2").at(3)
                .clock("app#i", 0).clock("app#i/f1", 1).clock("app#i/f2", 1).write("x", 1, 2);
        Event w3 = Ev.in(1).id(3).service("app").instance("i").thread("f3").at(2)
                .clock("app#i", 0).clock("app#i/f3", 1).write("x", 2, 3);
        CausalityIndex idx = CausalityIndex.of(List.of(w1, w2, w3));
        assertThat(idx.happensBefore(w1, w2)).isTrue();
        assertThat(idx.concurrent(w1, w3)).isTrue();
        assertThat(idx.concurrent(w2, w3)).isTrue();
    }

    @Test
    void lockSetsAreTrackedPerTraceAndThread() {
        Event acq = Ev.in(1).id(1).thread("t").at(0).lock("L");
        Event inside = Ev.in(1).id(2).thread("t").at(1).write("x", 0, 1);
        Event rel = Ev.in(1).id(3).thread("t").at(2).unlock("L");
        Event after = Ev.in(1).id(4).thread("t").at(3).write("x", 1, 2);
        Event otherTrace = Ev.in(2).id(5).thread("t").at(1).write("x", 0, 1);
        CausalityIndex idx = CausalityIndex.of(List.of(acq, inside, rel, after, otherTrace));
        assertThat(idx.locksHeldAt(acq).isEmpty()).isTrue();
        assertThat(idx.locksHeldAt(inside).lockIds()).containsExactly("L");
        assertThat(idx.locksHeldAt(rel).lockIds()).containsExactly("L");
        assertThat(idx.locksHeldAt(after).isEmpty()).isTrue();
        assertThat(idx.locksHeldAt(otherTrace).isEmpty()).isTrue();
    }

    @Test
    void unknownEventsAreRejectedWithTheirId() {
        CausalityIndex idx = CausalityIndex.of(Fixtures.f0());
        assertThatThrownBy(() -> idx.happensBefore(Ev.uuid(42), Fixtures.F0_ROOT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Ev.uuid(42).toString());
    }

    @Test
    void manySequentialThreadsShareChains() {
        List<Event> events = new ArrayList<>();
        Event prev = Ev.in(1).id(0).thread("main").at(0).call("start");
        events.add(prev);
        for (int i = 1; i <= 200; i++) {
            prev = Ev.in(1).id(i).parent(prev).thread("task-" + i).at(i).call("step");
            events.add(prev);
        }
        CausalityIndex idx = CausalityIndex.of(events);
        assertThat(idx.chainCount()).isEqualTo(1);
        assertThat(idx.happensBefore(events.get(0), events.get(200))).isTrue();
    }
}
