package dev.raceway.core.causality;

/**
 * The ordering phase of {@link CausalityIndex}: a topological order of the events under the happens-before edges
 * — Kahn's algorithm always taking the canonically earliest ready event, so the order is deterministic and is the
 * canonical order itself whenever every edge leads forward. Contradictory input (a parent cycle, clocks
 * contradicting parents) cannot stop it: when no event is ready it releases the earliest unplaced one, and that
 * event's unprocessed incoming edges are not part of the relation ({@link ChainClocks} ignores edges that lead
 * backwards in this order).
 */
final class TopologicalOrder {
    /** The k-th event of the order. */
    final int[] order;
    /** Per event: its place in {@link #order}. */
    final int[] rank;

    private TopologicalOrder(int[] order, int[] rank) {
        this.order = order;
        this.rank = rank;
    }

    static TopologicalOrder of(int n, EdgeList edges, EdgeList.Adjacency predecessors) {
        int[] order = new int[n];
        int[] rank = new int[n];
        if (edges.allForward()) {
            for (int i = 0; i < n; i++) {
                order[i] = i;
                rank[i] = i;
            }
            return new TopologicalOrder(order, rank);
        }
        EdgeList.Adjacency successors = edges.successors(n);
        int[] indegree = new int[n];
        for (int i = 0; i < n; i++) {
            indegree[i] = predecessors.degree(i);
        }
        IntHeap heap = new IntHeap(n);
        for (int i = 0; i < n; i++) {
            if (indegree[i] == 0) {
                heap.push(i);
            }
        }
        boolean[] done = new boolean[n];
        int k = 0;
        int scan = 0;
        while (k < n) {
            int v;
            if (heap.isEmpty()) {
                while (done[scan]) {
                    scan++;
                }
                v = scan; // a cycle: release its earliest member; its unprocessed in-edges are dropped
            } else {
                v = heap.pop();
                if (done[v]) {
                    continue;
                }
            }
            done[v] = true;
            rank[v] = k;
            order[k++] = v;
            for (int s = successors.start[v]; s < successors.start[v + 1]; s++) {
                int w = successors.nodes[s];
                if (--indegree[w] == 0 && !done[w]) {
                    heap.push(w);
                }
            }
        }
        return new TopologicalOrder(order, rank);
    }

    /** A binary min-heap of ints (Kahn's algorithm picks the earliest ready event, keeping the order canonical). */
    private static final class IntHeap {
        private final int[] a;
        private int size;

        IntHeap(int capacity) {
            a = new int[Math.max(1, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(int v) {
            int i = size++;
            a[i] = v;
            while (i > 0) {
                int p = (i - 1) >>> 1;
                if (a[p] <= a[i]) {
                    break;
                }
                int t = a[p];
                a[p] = a[i];
                a[i] = t;
                i = p;
            }
        }

        int pop() {
            int top = a[0];
            a[0] = a[--size];
            int i = 0;
            while (true) {
                int l = 2 * i + 1;
                if (l >= size) {
                    break;
                }
                int m = l + 1 < size && a[l + 1] < a[l] ? l + 1 : l;
                if (a[i] <= a[m]) {
                    break;
                }
                int t = a[m];
                a[m] = a[i];
                a[i] = t;
                i = m;
            }
            return top;
        }
    }
}
