package dev.raceway.core.causality;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopologicalOrderTest {

    private static TopologicalOrder order(int n, int... fromTo) {
        EdgeList edges = new EdgeList();
        for (int i = 0; i < fromTo.length; i += 2) {
            edges.add(fromTo[i], fromTo[i + 1]);
        }
        return TopologicalOrder.of(n, edges, edges.predecessors(n));
    }

    @Test
    void forwardEdgesKeepTheCanonicalOrder() {
        TopologicalOrder t = order(4, 0, 2, 1, 3, 2, 3);
        assertThat(t.order).containsExactly(0, 1, 2, 3);
        assertThat(t.rank).containsExactly(0, 1, 2, 3);
    }

    @Test
    void aBackwardEdgeMovesItsTargetAfterItsSource() {
        TopologicalOrder t = order(4, 2, 0);
        assertThat(t.order).containsExactly(1, 2, 0, 3);
        assertThat(t.rank).containsExactly(2, 0, 1, 3);
    }

    @Test
    void whenNoEventIsReadyTheEarliestUnplacedOneIsReleased() {
        TopologicalOrder cycle = order(4, 0, 2, 2, 3, 3, 2, 1, 0);
        assertThat(cycle.order).containsExactly(1, 0, 2, 3);
        TopologicalOrder blocked = order(3, 2, 1, 1, 2, 2, 0);
        assertThat(blocked.order).containsExactly(0, 1, 2); // 0 waits on the cycle, goes first: 2 → 0 is dropped
    }

    @Test
    void selfEdgesAreNoEdges() {
        EdgeList edges = new EdgeList();
        edges.add(1, 1);
        edges.add(0, 1);
        assertThat(edges.size()).isEqualTo(1);
        EdgeList.Adjacency preds = edges.predecessors(2);
        assertThat(preds.degree(0)).isZero();
        assertThat(preds.degree(1)).isEqualTo(1);
        assertThat(preds.nodes).containsExactly(0);
    }
}
