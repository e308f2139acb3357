package dev.raceway.core.causality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.Event;
import dev.raceway.core.testing.Ev;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LockOrderTest {

    /** A thread that takes {@code first} then {@code second}, optionally inside {@code gate}. */
    static List<Event> nested(int trace, int firstId, String thread, long at, String first, String second,
                              String gate, Integer parent) {
        List<Event> out = new ArrayList<>();
        int id = firstId;
        Ev start = Ev.in(trace).id(id++).thread(thread).at(at);
        if (parent != null) {
            start.parent(parent);
        }
        out.add(start.call("work"));
        if (gate != null) {
            out.add(Ev.in(trace).id(id++).thread(thread).at(at + 1).lock(gate));
        }
        out.add(Ev.in(trace).id(id++).thread(thread).at(at + 2).lock(first));
        out.add(Ev.in(trace).id(id++).thread(thread).at(at + 3).lock(second));
        out.add(Ev.in(trace).id(id++).thread(thread).at(at + 4).unlock(second));
        out.add(Ev.in(trace).id(id++).thread(thread).at(at + 5).unlock(first));
        if (gate != null) {
            out.add(Ev.in(trace).id(id).thread(thread).at(at + 6).unlock(gate));
        }
        return out;
    }

    @Test
    void oppositeOrdersInConcurrentThreadsAreAPotentialDeadlock() {
        List<Event> events = new ArrayList<>(nested(1, 10, "t1", 0, "A", "B", null, null));
        events.addAll(nested(1, 20, "t2", 10, "B", "A", null, null));
        List<Deadlock> d = LockOrder.analyze(events, List.of());
        assertThat(d).singleElement().satisfies(x -> {
            assertThat(x.locks()).containsExactly("A", "B");
            assertThat(x.edges()).extracting(LockOrderEdge::heldLock).containsExactly("A", "B");
            assertThat(x.edges()).extracting(e -> e.acquire().metadata().threadId()).containsExactly("t1", "t2");
            assertThat(x.description()).contains("A, B");
        });
    }

    @Test
    void theSameOrderEverywhereIsFine() {
        List<Event> events = new ArrayList<>(nested(1, 10, "t1", 0, "A", "B", null, null));
        events.addAll(nested(1, 20, "t2", 10, "A", "B", null, null));
        assertThat(LockOrder.analyze(events, List.of())).isEmpty();
    }

    @Test
    void oppositeOrdersThatHappenBeforeEachOtherCannotDeadlock() {
        List<Event> events = new ArrayList<>(nested(1, 10, "t1", 0, "A", "B", null, null));
        // t2 starts as a child of t1's last event: everything it does happens after t1 released both locks
        events.addAll(nested(1, 20, "t2", 10, "B", "A", null, 14));
        assertThat(LockOrder.analyze(events, List.of())).isEmpty();
    }

    @Test
    void aCommonGateLockPreventsTheDeadlock() {
        List<Event> events = new ArrayList<>(nested(1, 10, "t1", 0, "A", "B", "G", null));
        events.addAll(nested(1, 20, "t2", 10, "B", "A", "G", null));
        assertThat(LockOrder.analyze(events, List.of())).isEmpty();
    }

    @Test
    void aThreeLockCycleAcrossTracesIsFound() {
        List<Event> events = new ArrayList<>(nested(1, 10, "t1", 0, "A", "B", null, null));
        events.addAll(nested(2, 20, "t2", 10, "B", "C", null, null));
        events.addAll(nested(3, 30, "t3", 20, "C", "A", null, null));
        List<Deadlock> d = LockOrder.analyze(events, List.of());
        assertThat(d).singleElement().satisfies(x -> assertThat(x.locks()).containsExactly("A", "B", "C"));
    }
}
