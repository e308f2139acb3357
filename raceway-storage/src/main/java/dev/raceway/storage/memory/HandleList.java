package dev.raceway.storage.memory;

import java.util.Arrays;

/**
 * A growable list of ints: event handles of a trace or a variable, without a boxed {@code Integer} per event. (Core
 * has a similar list for its analyses, package-private there: not worth making a public API of the core library.)
 */
final class HandleList {
    private int[] items;
    private int size;

    HandleList(int capacity) {
        items = new int[Math.max(1, capacity)];
    }

    void add(int v) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        items[size++] = v;
    }

    int get(int i) {
        return items[i]; // callers stay below size()
    }

    boolean isEmpty() {
        return size == 0;
    }

    int removeLast() {
        return items[--size];
    }

    void clear() {
        size = 0;
    }

    int size() {
        return size;
    }
}
