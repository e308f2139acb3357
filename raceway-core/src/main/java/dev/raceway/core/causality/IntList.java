package dev.raceway.core.causality;

import java.util.Arrays;

/** A growable list of primitive ints; the analyses keep millions of positions and boxing would dominate. */
final class IntList {
    private int[] data;
    private int size;

    IntList() {
        this(4);
    }

    IntList(int capacity) {
        data = new int[Math.max(1, capacity)];
    }

    void add(int v) {
        if (size == data.length) {
            data = Arrays.copyOf(data, size * 2);
        }
        data[size++] = v;
    }

    int get(int i) {
        return data[i];
    }

    int size() {
        return size;
    }

    int last() {
        return data[size - 1];
    }

    void clear() {
        size = 0;
    }

    /** Number of elements ≤ {@code v}; the list must be sorted ascending. */
    int countAtMost(int v) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (data[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The backing array, for in-place updates of existing elements. */
    int[] data() {
        return data;
    }

    int[] toArray() {
        return Arrays.copyOf(data, size);
    }
}
