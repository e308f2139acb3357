package dev.raceway.core.causality;

import java.util.Arrays;

/**
 * The first {@code limit} racing pairs by discovery key, kept as event positions until the end. Pairs are found
 * variable by variable, but the listed ones must be those a single pass over all accesses in topological order
 * finds first (reports must not depend on how the counter walks the trace), so each pair carries the key
 * (topological rank of its later access, order found for that access) and the smallest keys win. Memory stays
 * O(limit) however many pairs race.
 */
final class FirstPairs {
    private final int limit;
    private long[] keys = new long[16];
    private int[] variables = new int[16];
    private int[] firsts = new int[16];
    private int[] seconds = new int[16];
    private int size;
    /** No key at or above this can be among the first {@code limit}. */
    private long bound = Long.MAX_VALUE;

    FirstPairs(int limit) {
        this.limit = limit;
        if (limit == 0) {
            bound = Long.MIN_VALUE;
        }
    }

    /** A discovery key; both parts are below 2^31, so keys order by rank, then by sequence. */
    static long key(int rank, int sequence) {
        return ((long) rank << 31) | sequence;
    }

    boolean wants(long key) {
        return key < bound;
    }

    void add(long key, int variable, int first, int second) {
        if (size == keys.length) {
            if (size >= 2L * limit) {
                keepFirst(limit);
            } else {
                int capacity = (int) Math.min(2L * limit, Math.max(16, 2L * size));
                keys = Arrays.copyOf(keys, capacity);
                variables = Arrays.copyOf(variables, capacity);
                firsts = Arrays.copyOf(firsts, capacity);
                seconds = Arrays.copyOf(seconds, capacity);
            }
            if (!wants(key)) {
                return;
            }
        }
        keys[size] = key;
        variables[size] = variable;
        firsts[size] = first;
        seconds[size] = second;
        size++;
    }

    /** Sorts the kept pairs by key and drops all but the first {@code n}; then only smaller keys are wanted. */
    private void keepFirst(int n) {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(keys[a], keys[b]));
        int kept = Math.min(n, size);
        long[] k = new long[keys.length];
        int[] v = new int[keys.length];
        int[] f = new int[keys.length];
        int[] s = new int[keys.length];
        for (int i = 0; i < kept; i++) {
            k[i] = keys[order[i]];
            v[i] = variables[order[i]];
            f[i] = firsts[order[i]];
            s[i] = seconds[order[i]];
        }
        keys = k;
        variables = v;
        firsts = f;
        seconds = s;
        size = kept;
        if (kept == limit && kept > 0) {
            bound = keys[kept - 1];
        }
    }

    /** Visits the selected pairs in key order. */
    void forEach(PairSink sink) {
        keepFirst(limit);
        for (int i = 0; i < size; i++) {
            sink.accept(variables[i], firsts[i], seconds[i]);
        }
    }

    interface PairSink {
        void accept(int variable, int first, int second);
    }
}
