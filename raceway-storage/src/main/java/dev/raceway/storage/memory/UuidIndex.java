package dev.raceway.storage.memory;

import java.util.UUID;

/**
 * Event id → stored record, for millions of entries: open addressing with linear probing over primitive key arrays.
 *
 * <p>A {@code HashMap<UUID, byte[]>} keeps a node and a UUID object per event (64 bytes the collector copies and
 * traces) and costs three dependent cache misses per lookup (table, node, key); here a lookup reads the two key
 * words and the value slot, and an entry is no object at all. Deletion shifts later entries of the probe run back
 * (no tombstones), so the table never degrades under the eviction churn of a capped store. Not thread-safe: the
 * store guards it with its lock.
 */
final class UuidIndex<V> {
    private static final int MIN_CAPACITY = 16;

    /** Key words at 2i (most significant) and 2i + 1; a slot is free when its value is null. */
    private long[] keys;
    private Object[] values;
    private int size;

    UuidIndex() {
        allocate(MIN_CAPACITY);
    }

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    V get(UUID id) {
        long hi = id.getMostSignificantBits();
        long lo = id.getLeastSignificantBits();
        int mask = values.length - 1;
        for (int i = slot(hi, lo, mask); ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[2 * i] == hi && keys[2 * i + 1] == lo) {
                return (V) v;
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
        return keys[2 * i] + (values[i] == null ? 0 : 1);
    }

    /** Adds the entry unless the id is present; returns the value already there, or null when added. */
    @SuppressWarnings("unchecked")
    V putIfAbsent(UUID id, V value) {
        if (value == null) {
            throw new IllegalArgumentException("null value");
        }
        if (size + 1 > values.length / 2) { // load factor 1/2: short probe runs
            allocateAndRehash(values.length * 2);
        }
        long hi = id.getMostSignificantBits();
        long lo = id.getLeastSignificantBits();
        int mask = values.length - 1;
        int i = slot(hi, lo, mask);
        for (Object v; (v = values[i]) != null; i = (i + 1) & mask) {
            if (keys[2 * i] == hi && keys[2 * i + 1] == lo) {
                return (V) v;
            }
        }
        keys[2 * i] = hi;
        keys[2 * i + 1] = lo;
        values[i] = value;
        size++;
        return null;
    }

    /** Removes the entry of {@code id}; true if there was one. */
    boolean remove(UUID id) {
        long hi = id.getMostSignificantBits();
        long lo = id.getLeastSignificantBits();
        int mask = values.length - 1;
        int i = slot(hi, lo, mask);
        while (true) {
            if (values[i] == null) {
                return false;
            }
            if (keys[2 * i] == hi && keys[2 * i + 1] == lo) {
                break;
            }
            i = (i + 1) & mask;
        }
        // Backward-shift deletion: move each later entry of the run into the hole if its home slot allows it.
        int hole = i;
        for (int j = (hole + 1) & mask; values[j] != null; j = (j + 1) & mask) {
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
        values[hole] = null;
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
        values = new Object[capacity];
        size = 0;
    }

    private void allocateAndRehash(int capacity) {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        allocate(capacity);
        int mask = capacity - 1;
        for (int i = 0; i < oldValues.length; i++) {
            if (oldValues[i] != null) {
                int j = slot(oldKeys[2 * i], oldKeys[2 * i + 1], mask);
                while (values[j] != null) {
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
