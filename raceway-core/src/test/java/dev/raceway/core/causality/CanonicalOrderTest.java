package dev.raceway.core.causality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.Event;
import dev.raceway.core.testing.Ev;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanonicalOrderTest {

    private static List<Event> order(List<Event> input) {
        return Arrays.asList(CanonicalOrder.of(input).events);
    }

    @Test
    void aChildStampedBeforeItsParentSortsAfterIt() {
        Event parent = Ev.in(1).id(1).at(5).call("parent");
        Event child = Ev.in(1).id(2).parent(1).at(4).call("child");
        Event between = Ev.in(1).id(3).thread("u").at(4).call("other");
        CanonicalOrder o = CanonicalOrder.of(List.of(child, between, parent));
        assertThat(Arrays.asList(o.events)).containsExactly(between, parent, child);
        assertThat(o.parent).containsExactly(-1, -1, 1);
        assertThat(o.positions).containsEntry(child.id(), 2).containsEntry(parent.id(), 1);
    }

    @Test
    void equalTimestampsSortByParentChainDepthThenId() {
        Event root3 = Ev.in(1).id(3).at(0).call("a");
        Event childOf3 = Ev.in(1).id(1).parent(3).at(0).call("b");
        Event root2 = Ev.in(1).id(2).at(0).call("c");
        assertThat(order(List.of(childOf3, root3, root2))).containsExactly(root2, root3, childOf3);
    }

    @Test
    void theFirstCopyOfAnIdWins() {
        Event first = Ev.in(1).id(1).thread("first").at(0).call("a");
        Event copy = Ev.in(1).id(1).thread("copy").at(0).call("a");
        Event other = Ev.in(1).id(2).at(1).lock("L");
        CanonicalOrder o = CanonicalOrder.of(List.of(first, other, copy));
        assertThat(Arrays.asList(o.events)).containsExactly(first, other);
        assertThat(o.kindTags).containsExactly(KindTag.OTHER, KindTag.LOCK_ACQUIRE);
        assertThat(o.positions).hasSize(2);
    }

    @Test
    void aParentCycleIsCutTheSameWayWhateverTheArrivalOrder() {
        Event a = Ev.in(1).id(1).parent(2).at(0).call("a");
        Event b = Ev.in(1).id(2).parent(1).at(0).call("b");
        Event c = Ev.in(1).id(3).parent(1).at(0).call("c");
        List<Event> expected = order(List.of(a, b, c));
        assertThat(order(List.of(c, b, a))).isEqualTo(expected);
        assertThat(order(List.of(b, c, a))).isEqualTo(expected);
        assertThat(expected).hasSize(3);
    }
}
