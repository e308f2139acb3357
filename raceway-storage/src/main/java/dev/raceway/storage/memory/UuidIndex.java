package dev.raceway.storage.memory;

import java.util.UUID;

/**
 * Event id → a non-negative int (the event's handle in {@link EventSlabs}), for millions of entries: open addressing
 * with linear probing over primitive arrays.
 *
 * <p>A {@code HashMap<UUID, …>} keeps a node and a UUID object per event (64 bytes the collector copies and traces)
 * and costs three dependent cache misses per lookup (table, node, key); here a lookup reads the two key words and
 * the value slot, and an entry is no object at all, so the collector has nothing in it to trace. Deletion shifts
 * later entries of the probe run back (no tombstones), so the table never degrades under the eviction churn of a
 * capped store. Not thread-safe: the store guards it with its lock.
 */
final class UuidIndex {
    private static final int MIN_CAPACITY = 16;

    /** Key words at 2i (most significant) and 2i + 1. */
    private long[] keys;
    /** The value plus one; 0 marks a free slot. */
    private int[] values;
    private int size;

    UuidIndex() {
        allocate(MIN_CAPACITY);
    }

    int size() {
        return size;
    }

    /** The value of {@code id}, or -1. */
    int get(UUID id) {
        long hi = id.getMostSignificantBits();
        long lo = id.getLeastSignificantBits();
        int mask = values.length - 1;
        for (int i = slot(hi, lo, mask); ; i = (i + 1) & mask) {
            int v = values[i];
            if (v == 0) {
                return -1;
            }
            if (keys[2 * i] == hi && keys[2 * i + 1] == lo) {
                return v - 1;
            }
        }
    }

    /**
     * Reads the slot where {@code id} would be, and returns something derived from it (for the caller to keep, so
     * that the read is not optimised away): a way to bring the slot into the cache ahead of an insert.
     */
    long touch(UUID id) {
        long hi = id.getMostSignificantBits();
        long lo = id.getLeastSignificantBits();
        int i = slot(hi, lo, values.length - 1);
        return keys[2 * i] + values[i];
    }

    /** Adds the entry unless the id is present; returns the value already there, or -1 when added. */
    int putIfAbsent(UUID id, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative value " + value);
        }
        if (size + 1 > values.length / 2) { // load factor 1/2: short probe runs
            allocateAndRehash(values.length * 2);
        }
        long hi = id.getMostSignificantBits();
        long lo = id.getLeastSignificantBits();
        int mask = values.length - 1;
        int i = slot(hi, lo, mask);
        for (int v; (v = values[i]) != 0; i = (i + 1) & mask) {
            if (keys[2 * i] == hi && keys[2 * i + 1] == lo) {
                return v - 1;
            }
        }
        keys[2 * i] = hi;
        keys[2 * i + 1] = lo;
        values[i] = value + 1;
        size++;
        return -1;
    }

    /** Removes the entry of {@code id}; true if there was one. */
    boolean remove(UUID id) {
        long hi = id.getMostSignificantBits();
        long lo = id.getLeastSignificantBits();
        int mask = values.length - 1;
        int i = slot(hi, lo, mask);
        while (true) {
            if (values[i] == 0) {
                return false;
            }
            if (keys[2 * i] == hi && keys[2 * i + 1] == lo) {
                break;
            }
            i = (i + 1) & mask;
        }
        // Backward-shift deletion: move each later entry of the run into the hole if its home slot allows it.
        int hole = i;
        for (int j = (hole + 1) & mask; values[j] != 0; j = (j + 1) & mask) {
            int home = slot(keys[2 * j], keys[2 * j + 1], mask);
            // The entry at j may move to the hole when its home is not in the cyclic range (hole, j].
            boolean homeInRange = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!homeInRange) {
                keys[2 * hole] = keys[2 * j];
                keys[2 * hole + 1] = keys[2 * j + 1];
                values[hole] = values[j];
                hole = j;
            }
        }
        values[hole] = 0;
        size--;
        if (values.length > MIN_CAPACITY && size < values.length / 8) {
            allocateAndRehash(values.length / 2); // give memory back after a large eviction or clear
        }
        return true;
    }

    void clear() {
        allocate(MIN_CAPACITY);
    }

    private void allocate(int capacity) {
        keys = new long[2 * capacity];
        values = new int[capacity];
        size = 0;
    }

    private void allocateAndRehash(int capacity) {
        long[] oldKeys = keys;
        int[] oldValues = values;
        allocate(capacity);
        int mask = capacity - 1;
        for (int i = 0; i < oldValues.length; i++) {
            if (oldValues[i] != 0) {
                int j = slot(oldKeys[2 * i], oldKeys[2 * i + 1], mask);
                while (values[j] != 0) {
                    j = (j + 1) & mask;
                }
                keys[2 * j] = oldKeys[2 * i];
                keys[2 * j + 1] = oldKeys[2 * i + 1];
                values[j] = oldValues[i];
                size++;
            }
        }
    }

    private static int slot(long hi, long lo, int mask) {
        // Random (v4) ids are already uniform, but ids from other generators may not be: mix all 128 bits.
        long h = (hi ^ Long.rotateLeft(lo, 32)) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29)) & mask;
    }
}
