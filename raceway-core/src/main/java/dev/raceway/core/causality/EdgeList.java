package dev.raceway.core.causality;

import java.util.Arrays;

/**
 * The happens-before edges between event positions, in the order the edge phases of {@link CausalityIndex} found
 * them (parent and program order, {@link SpanEdges}, {@link LockEdges}, {@link ClockEdges}). That order is part of
 * the result: {@link ChainClocks} lets an event continue the chain of its first eligible predecessor.
 */
final class EdgeList {
    private final IntList from = new IntList(64);
    private final IntList to = new IntList(64);

    /** A list that starts with the parent links and program order (previous event of the same thread → event). */
    static EdgeList parentAndProgramOrder(int[] parent, ThreadChains threads) {
        EdgeList edges = new EdgeList();
        for (int i = 0; i < parent.length; i++) {
            if (parent[i] >= 0) {
                edges.add(parent[i], i);
            }
            int previous = threads.previous[i];
            if (previous >= 0 && previous != parent[i]) {
                edges.add(previous, i);
            }
        }
        return edges;
    }

    /** Adds {@code from → to}; an edge from an event to itself is no edge. */
    void add(int from, int to) {
        if (from != to) {
            this.from.add(from);
            this.to.add(to);
        }
    }

    int size() {
        return from.size();
    }

    /** True when every edge leads to a later position, so canonical order is already a topological order. */
    boolean allForward() {
        for (int e = 0; e < from.size(); e++) {
            if (from.get(e) >= to.get(e)) {
                return false;
            }
        }
        return true;
    }

    /** The edges as {@code [from→to, …]}, in the order they were added. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int e = 0; e < from.size(); e++) {
            sb.append(e == 0 ? "" : ", ").append(from.get(e)).append('→').append(to.get(e));
        }
        return sb.append(']').toString();
    }

    /** Each event's predecessors, in edge order. */
    Adjacency predecessors(int events) {
        return Adjacency.of(events, to, from);
    }

    /** Each event's successors, in edge order. */
    Adjacency successors(int events) {
        return Adjacency.of(events, from, to);
    }

    /** Edges grouped by one end: the other ends of event {@code v}'s are {@code nodes[start[v] … start[v + 1])}. */
    static final class Adjacency {
        final int[] start;
        final int[] nodes;

        private Adjacency(int[] start, int[] nodes) {
            this.start = start;
            this.nodes = nodes;
        }

        /** How many edges event {@code v} has at this end. */
        int degree(int v) {
            return start[v + 1] - start[v];
        }

        private static Adjacency of(int events, IntList key, IntList value) {
            int[] start = new int[events + 1];
            int m = key.size();
            for (int e = 0; e < m; e++) {
                start[key.get(e) + 1]++;
            }
            for (int i = 0; i < events; i++) {
                start[i + 1] += start[i];
            }
            int[] nodes = new int[m];
            int[] fill = Arrays.copyOf(start, events);
            for (int e = 0; e < m; e++) {
                nodes[fill[key.get(e)]++] = value.get(e);
            }
            return new Adjacency(start, nodes);
        }
    }
}
