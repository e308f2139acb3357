package dev.raceway.core.causality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The clock phase of {@link CausalityIndex}, and the representation it produces: the happens-before DAG covered by
 * chains, with a vector clock over the chains stored only where it is needed. A chain is a thread's program order,
 * extended by a thread whose first event directly follows the last event of a finished thread (so thousands of short
 * sequential tasks share one chain). An event's clock is stored only at a join point (an event with a predecessor on
 * another chain); any other event shares the clock of its chain predecessor. Memory is O(n + joins × chains) and
 * {@link #happensBefore} is O(1).
 *
 * <p>This class is the only one that knows how clocks are stored. The analyses read them through
 * {@link CausalityIndex}'s accessors: an event's chain and position, and an opaque clock reference whose entries
 * {@link #entry} returns.
 */
final class ChainClocks {
    /** Per event: its chain. */
    private final int[] chain;
    /** Per event: its position on its chain (0 for the first). */
    private final int[] position;
    /** Per event: the index of its vector clock in {@link #joinClocks}, or -1 when it has seen no other chain. */
    private final int[] clockRef;
    /** Vector clocks over the chains: entry c counts the events of chain c that happen before or at the owner. */
    private final int[][] joinClocks;
    private final int chains;

    private ChainClocks(int chains, int[] chain, int[] position, int[] clockRef, int[][] joinClocks) {
        this.chains = chains;
        this.chain = chain;
        this.position = position;
        this.clockRef = clockRef;
        this.joinClocks = joinClocks;
    }

    /**
     * Covers the events with chains and computes the join clocks. Edges that lead backwards in {@code topo} (the
     * ones the topological order had to drop to break a cycle) are ignored.
     */
    static ChainClocks of(TopologicalOrder topo, ThreadChains threads, EdgeList.Adjacency predecessors) {
        int n = topo.order.length;
        int[] rank = topo.rank;
        int[] start = predecessors.start;
        int[] preds = predecessors.nodes;
        int[] chain = new int[n];
        int[] position = new int[n];
        IntList tails = new IntList();
        IntList lengths = new IntList();
        for (int v : topo.order) {
            int c = -1;
            int tp = threads.previous[v];
            if (tp >= 0) {
                if (rank[tp] < rank[v] && tails.get(chain[tp]) == tp) {
                    c = chain[tp];
                }
            } else {
                for (int p = start[v]; p < start[v + 1]; p++) {
                    int u = preds[p];
                    if (rank[u] < rank[v] && !threads.hasSuccessor(u) && tails.get(chain[u]) == u) {
                        c = chain[u];
                        break;
                    }
                }
            }
            if (c < 0) {
                c = tails.size();
                tails.add(v);
                lengths.add(0);
            }
            chain[v] = c;
            position[v] = lengths.get(c);
            lengths.data()[c]++;
            tails.data()[c] = v;
        }
        int chains = tails.size();
        int[] clockRef = new int[n];
        List<int[]> vecs = new ArrayList<>();
        int[] lastRef = new int[chains];
        Arrays.fill(lastRef, -1);
        for (int v : topo.order) {
            int c = chain[v];
            boolean join = false;
            for (int p = start[v]; p < start[v + 1] && !join; p++) {
                int u = preds[p];
                join = rank[u] < rank[v] && chain[u] != c;
            }
            if (!join) {
                clockRef[v] = lastRef[c];
                continue;
            }
            int[] vec = lastRef[c] >= 0 ? vecs.get(lastRef[c]).clone() : new int[chains];
            for (int p = start[v]; p < start[v + 1]; p++) {
                int u = preds[p];
                if (rank[u] >= rank[v] || chain[u] == c) {
                    continue;
                }
                int r = clockRef[u];
                if (r >= 0) {
                    int[] other = vecs.get(r);
                    for (int t = 0; t < chains; t++) {
                        if (other[t] > vec[t]) {
                            vec[t] = other[t];
                        }
                    }
                }
                int cu = chain[u];
                if (position[u] + 1 > vec[cu]) {
                    vec[cu] = position[u] + 1;
                }
            }
            clockRef[v] = vecs.size();
            lastRef[c] = vecs.size();
            vecs.add(vec);
        }
        return new ChainClocks(chains, chain, position, clockRef, vecs.toArray(new int[0][]));
    }

    /** Number of chains (the width of a vector clock). */
    int chainCount() {
        return chains;
    }

    int chainOf(int event) {
        return chain[event];
    }

    int positionOf(int event) {
        return position[event];
    }

    /** The event's clock reference for {@link #entry}; -1 when the event has seen no chain but its own. */
    int clockRefOf(int event) {
        return clockRef[event];
    }

    /**
     * Entry {@code c} of clock {@code ref} ({@link #clockRefOf}): how many events of chain {@code c} happen before
     * or at its owner; 0 for ref -1. Not meaningful for the owner's own chain, whose entry is its position + 1.
     */
    int entry(int ref, int c) {
        return ref < 0 ? 0 : joinClocks[ref][c];
    }

    /** How many events of chain {@code c} happen before or at event {@code i} (its vector clock entry). */
    int clock(int i, int c) {
        return chain[i] == c ? position[i] + 1 : entry(clockRef[i], c);
    }

    /** True when a happens-before path leads from event {@code a} to event {@code b} ({@code a ≠ b}). */
    boolean happensBefore(int a, int b) {
        if (a == b) {
            return false;
        }
        if (chain[a] == chain[b]) {
            return position[a] < position[b];
        }
        int r = clockRef[b];
        return r >= 0 && joinClocks[r][chain[a]] > position[a];
    }
}
