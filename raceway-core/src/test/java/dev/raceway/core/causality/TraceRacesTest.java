package dev.raceway.core.causality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.testing.Ev;
import dev.raceway.core.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceRacesTest {

    private static TraceRaceReport races(List<Event> events) {
        return TraceRaces.analyze(CausalityIndex.of(events));
    }

    @Test
    void conformanceFixtureHasOneCriticalRace() {
        TraceRaceReport r = races(Fixtures.f0());
        assertThat(r.pairCount()).isEqualTo(1);
        assertThat(r.criticalCount()).isEqualTo(1);
        RacePair p = r.details().get(0);
        assertThat(p.severity()).isEqualTo(RaceSeverity.CRITICAL);
        assertThat(p.first().id()).isEqualTo(Fixtures.F0_FIRST_WRITE);
        assertThat(p.second().id()).isEqualTo(Fixtures.F0_SECOND_WRITE);
        assertThat(r.byVariable()).containsExactly(new VariableRaceCount("balance", 1, 1, 0));
    }

    @Test
    void twoReadsNeverRace() {
        Event a = Ev.in(1).id(1).thread("t1").at(1).read("x", 1);
        Event b = Ev.in(1).id(2).thread("t2").at(2).access("x", AccessType.AtomicRead);
        Event c = Ev.in(1).id(3).thread("t3").at(3).read("x", 1);
        assertThat(races(List.of(a, b, c)).pairCount()).isZero();
    }

    @Test
    void readAgainstWriteIsAWarning() {
        Event a = Ev.in(1).id(1).thread("t1").at(1).read("x", 1);
        Event b = Ev.in(1).id(2).thread("t2").at(2).write("x", 1, 2);
        TraceRaceReport r = races(List.of(a, b));
        assertThat(r.pairCount()).isEqualTo(1);
        assertThat(r.warningCount()).isEqualTo(1);
        assertThat(r.details().get(0).severity()).isEqualTo(RaceSeverity.WARNING);
    }

    @Test
    void twoAtomicAccessesNeverRaceButAtomicAgainstPlainWriteDoes() {
        Event a = Ev.in(1).id(1).thread("t1").at(1).access("hits", AccessType.AtomicRMW);
        Event b = Ev.in(1).id(2).thread("t2").at(2).access("hits", AccessType.AtomicWrite);
        assertThat(races(List.of(a, b)).pairCount()).isZero();
        Event c = Ev.in(1).id(3).thread("t3").at(3).write("hits", 1, 2);
        TraceRaceReport r = races(List.of(a, b, c));
        assertThat(r.pairCount()).isEqualTo(2);
        assertThat(r.criticalCount()).isEqualTo(2);
        Event d = Ev.in(1).id(4).thread("t4").at(4).access("hits", AccessType.AtomicRead);
        assertThat(races(List.of(a, c, d)).pairCount()).isEqualTo(2); // a×c critical, c×d warning
    }

    @Test
    void accessesHoldingACommonLockDoNotRace() {
        List<Event> events = List.of(
                Ev.in(1).id(1).thread("t1").at(1).lock("L"),
                Ev.in(1).id(2).thread("t1").at(2).write("x", 0, 1),
                Ev.in(1).id(3).thread("t1").at(3).unlock("L"),
                Ev.in(1).id(4).thread("t2").at(1).lock("L"),
                Ev.in(1).id(5).thread("t2").at(5).write("x", 1, 2),
                Ev.in(1).id(6).thread("t2").at(6).unlock("L"));
        assertThat(races(events).pairCount()).isZero();
    }

    @Test
    void anAccessAfterTheLockWasReleasedRaces() {
        List<Event> events = List.of(
                Ev.in(1).id(1).thread("t1").at(1).lock("L"),
                Ev.in(1).id(2).thread("t1").at(2).write("x", 0, 1),
                Ev.in(1).id(3).thread("t1").at(3).unlock("L"),
                Ev.in(1).id(4).thread("t2").at(4).write("x", 1, 2));
        assertThat(races(events).pairCount()).isEqualTo(1);
    }

    @Test
    void readLocksProtectReadersFromWritersButNotWritersFromEachOther() {
        List<Event> events = List.of(
                Ev.in(1).id(1).thread("t1").at(1).readLock("RW"),
                Ev.in(1).id(2).thread("t1").at(2).write("x", 0, 1),
                Ev.in(1).id(3).thread("t2").at(1).readLock("RW"),
                Ev.in(1).id(4).thread("t2").at(3).write("x", 1, 2),
                Ev.in(1).id(5).thread("t3").at(1).writeLock("RW"),
                Ev.in(1).id(6).thread("t3").at(4).read("x", 2));
        TraceRaceReport r = races(events);
        // writes under read locks race with each other; the writer-locked read is protected from both
        assertThat(r.pairCount()).isEqualTo(1);
        assertThat(r.details().get(0).first().id()).isEqualTo(Ev.uuid(2));
    }

    @Test
    void sameThreadAccessesNeverRace() {
        Event a = Ev.in(1).id(1).thread("t").at(1).write("x", 0, 1);
        Event b = Ev.in(1).id(2).thread("t").at(2).write("x", 1, 2);
        assertThat(races(List.of(a, b)).pairCount()).isZero();
    }

    @Test
    void countsStayExactWhenDetailsAreCapped() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            events.add(Ev.in(1).id(i).thread("t" + (i % 4)).at(i).write("x", i, i + 1));
        }
        // 4 threads × 10 writes, all concurrent across threads: C(40,2) − 4·C(10,2) pairs
        TraceRaceReport r = TraceRaces.analyze(CausalityIndex.of(events), 7);
        assertThat(r.pairCount()).isEqualTo(40 * 39 / 2 - 4 * 45);
        assertThat(r.details()).hasSize(7);
        assertThat(r.truncated()).isTrue();
    }

    @Test
    void orderedAccessesAcrossThreadsDoNotRace() {
        Event w = Ev.in(1).id(1).thread("t1").at(1).write("x", 0, 1);
        Event r = Ev.in(1).id(2).parent(1).thread("t2").at(2).read("x", 1);
        assertThat(races(List.of(w, r)).pairCount()).isZero();
    }
}
