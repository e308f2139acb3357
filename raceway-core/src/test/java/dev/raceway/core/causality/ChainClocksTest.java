package dev.raceway.core.causality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.Event;
import dev.raceway.core.testing.Ev;
import org.junit.jupiter.api.Test;

class ChainClocksTest {

    /** Clocks of {@code events} (already in canonical order) under program order and the given extra edges. */
    private static ChainClocks clocks(Event[] events, int... fromTo) {
        ThreadChains threads = ThreadChains.of(events);
        EdgeList edges = EdgeList.parentAndProgramOrder(new int[events.length], threads);
        for (int i = 0; i < fromTo.length; i += 2) {
            edges.add(fromTo[i], fromTo[i + 1]);
        }
        EdgeList.Adjacency preds = edges.predecessors(events.length);
        return ChainClocks.of(TopologicalOrder.of(events.length, edges, preds), threads, preds);
    }

    private static Event[] noParents(Event... events) {
        return events;
    }

    @Test
    void aForkIsAJoinPointWithAClockOverTheOtherChain() {
        Event[] events = noParents(
                Ev.in(1).id(1).thread("t").at(0).call("a0"),
                Ev.in(1).id(2).thread("t").at(1).call("a1"),
                Ev.in(1).id(3).thread("u").at(2).call("b0"),
                Ev.in(1).id(4).thread("u").at(3).call("b1"));
        ChainClocks c = clocks(events, 0, 2); // a0 → b0; a0 goes on, so b0 starts a chain of its own
        assertThat(c.chainCount()).isEqualTo(2);
        assertThat(new int[] {c.chainOf(0), c.chainOf(1), c.chainOf(2), c.chainOf(3)}).containsExactly(0, 0, 1, 1);
        assertThat(new int[] {c.positionOf(0), c.positionOf(1), c.positionOf(2), c.positionOf(3)})
                .containsExactly(0, 1, 0, 1);
        assertThat(c.clockRefOf(0)).isEqualTo(-1);
        assertThat(c.clock(2, 0)).isEqualTo(1); // b0 has seen a0 only
        assertThat(c.clock(3, 0)).isEqualTo(1); // b1 shares b0's clock
        assertThat(c.clock(3, 1)).isEqualTo(2);
        assertThat(c.entry(c.clockRefOf(3), 0)).isEqualTo(1);
        assertThat(c.happensBefore(0, 3)).isTrue();
        assertThat(c.happensBefore(1, 2)).isFalse();
        assertThat(c.happensBefore(2, 1)).isFalse();
        assertThat(c.happensBefore(2, 3)).isTrue();
        assertThat(c.happensBefore(3, 3)).isFalse();
    }

    @Test
    void aThreadThatStartsAfterAFinishedOneContinuesItsChain() {
        Event[] events = noParents(
                Ev.in(1).id(1).thread("task-1").at(0).call("a"),
                Ev.in(1).id(2).thread("task-2").at(1).call("b"),
                Ev.in(1).id(3).thread("task-3").at(2).call("c"));
        ChainClocks c = clocks(events, 0, 1, 1, 2);
        assertThat(c.chainCount()).isEqualTo(1);
        assertThat(new int[] {c.positionOf(0), c.positionOf(1), c.positionOf(2)}).containsExactly(0, 1, 2);
        assertThat(c.clockRefOf(2)).isEqualTo(-1);
        assertThat(c.happensBefore(0, 2)).isTrue();
    }

    @Test
    void aJoinTakesTheClocksOfBothPredecessors() {
        Event[] events = noParents(
                Ev.in(1).id(1).thread("t").at(0).call("a0"),
                Ev.in(1).id(2).thread("u").at(1).call("b0"),
                Ev.in(1).id(3).thread("u").at(2).call("b1"),
                Ev.in(1).id(4).thread("v").at(3).call("c0"),
                Ev.in(1).id(5).thread("v").at(4).call("c1"));
        ChainClocks c = clocks(events, 0, 1, 2, 4); // a0 → b0 (b0 continues a0's chain), b1 → c1
        assertThat(c.chainCount()).isEqualTo(2);
        assertThat(c.chainOf(1)).isEqualTo(c.chainOf(0));
        assertThat(c.clock(4, c.chainOf(0))).isEqualTo(3);
        assertThat(c.happensBefore(0, 4)).isTrue();
        assertThat(c.happensBefore(3, 4)).isTrue();
        assertThat(c.happensBefore(3, 2)).isFalse();
        assertThat(c.happensBefore(2, 3)).isFalse();
    }
}
