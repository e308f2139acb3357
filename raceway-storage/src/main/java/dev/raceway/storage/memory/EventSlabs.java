package dev.raceway.storage.memory;

import java.util.Arrays;

/**
 * The encoded events of the memory store, packed into large byte arrays (slabs) and addressed by int handles.
 *
 * <p>Why: kept as one {@code byte[]} each, a million stored events are a million objects that every young
 * collection copies (until they are promoted) and that the references to them keep dirtying the old generation's
 * card table at random; under sustained ingest that was most of the collector's work. In slabs, a million events
 * are about a hundred objects, and everything that refers to an event (the id index, trace and variable lists)
 * holds a handle, a plain int.
 *
 * <p>A handle's slab, offset and length live in parallel int arrays; handles of removed events are reused. Space is
 * reclaimed by slab: a slab with no live event is dropped, and one that falls below a quarter live has its events
 * moved to the slab being filled ({@link #compact}), which only rewrites their handles' locations. So memory stays
 * proportional to the live events whatever order they are removed in, and each byte is moved at most a bounded
 * number of times per byte freed.
 *
 * <p>Not thread-safe: the store guards it with its lock.
 */
final class EventSlabs {
    /**
     * Well under half of G1's smallest region (1 MiB): a larger array is "humongous" there and takes whole regions,
     * so a 1 MiB slab cost 2 MiB of heap.
     */
    static final int SLAB_BYTES = 1 << 18;

    private byte[][] slabs = new byte[8][];
    /** Live bytes per slab. */
    private int[] liveBytes = new int[8];
    /** The handles placed in each slab, in order; entries of handles since removed or moved are stale. */
    private HandleList[] placed = new HandleList[8];
    /** Slabs that fell below a quarter live and await {@link #compact}. */
    private final HandleList sparse = new HandleList(8);
    /** The slab being filled, or -1. */
    private int current = -1;
    private int tail;

    private int[] slabOf = new int[1024];
    private int[] offsetOf = new int[1024];
    /** Length in bytes; 0 for a free handle (no encoded event is empty). */
    private int[] lengthOf = new int[1024];
    /** Handles of removed events, reused last-in first-out. */
    private final HandleList freeHandles = new HandleList(64);
    private int usedHandles;
    private int live;

    /** Stores {@code buf[0, length)} and returns its handle. */
    int add(byte[] buf, int length) {
        if (length <= 0) {
            throw new IllegalArgumentException("empty event");
        }
        int h = freeHandles.isEmpty() ? newHandle() : freeHandles.removeLast();
        place(h, buf, 0, length);
        live++;
        return h;
    }

    /** Removes the event of {@code h}; the handle may be returned again by {@link #add}. */
    void remove(int h) {
        int length = lengthOf[h];
        if (length == 0) {
            throw new IllegalArgumentException("handle " + h + " is not in use");
        }
        int s = slabOf[h];
        lengthOf[h] = 0;
        liveBytes[s] -= length;
        freeHandles.add(h);
        live--;
        if (s != current) {
            if (liveBytes[s] == 0) {
                drop(s);
            } else if (liveBytes[s] < slabs[s].length / 4 && liveBytes[s] + length >= slabs[s].length / 4) {
                sparse.add(s); // just crossed below a quarter
            }
        }
    }

    /** Moves the live events of slabs that fell below a quarter live, then drops those slabs. */
    void compact() {
        for (int i = 0; i < sparse.size(); i++) {
            int s = sparse.get(i);
            if (slabs[s] == null || s == current || liveBytes[s] >= slabs[s].length / 4) {
                continue; // already dropped or being filled (a dropped index may since hold a new slab)
            }
            byte[] from = slabs[s];
            HandleList handles = placed[s];
            for (int k = 0; k < handles.size(); k++) {
                int h = handles.get(k);
                if (lengthOf[h] != 0 && slabOf[h] == s) {
                    place(h, from, offsetOf[h], lengthOf[h]);
                }
            }
            liveBytes[s] = 0;
            drop(s);
        }
        sparse.clear();
    }

    byte[] slab(int h) {
        return slabs[slabOf[h]];
    }

    int offset(int h) {
        return offsetOf[h];
    }

    int length(int h) {
        return lengthOf[h];
    }

    int size() {
        return live;
    }

    /** Bytes held in slabs, live or not (for tests and memory accounting). */
    long allocatedBytes() {
        long n = 0;
        for (byte[] slab : slabs) {
            n += slab == null ? 0 : slab.length;
        }
        return n;
    }

    void clear() {
        slabs = new byte[8][];
        liveBytes = new int[8];
        placed = new HandleList[8];
        sparse.clear();
        current = -1;
        tail = 0;
        slabOf = new int[1024];
        offsetOf = new int[1024];
        lengthOf = new int[1024];
        freeHandles.clear();
        usedHandles = 0;
        live = 0;
    }

    /** Copies the event into the slab being filled (a new one when it does not fit) and points {@code h} at it. */
    private void place(int h, byte[] src, int from, int length) {
        if (current < 0 || tail + length > slabs[current].length) {
            startSlab(length);
        }
        System.arraycopy(src, from, slabs[current], tail, length);
        slabOf[h] = current;
        offsetOf[h] = tail;
        lengthOf[h] = length;
        tail += length;
        liveBytes[current] += length;
        placed[current].add(h);
    }

    private void startSlab(int atLeast) {
        int previous = current;
        int s = 0;
        while (s < slabs.length && slabs[s] != null) {
            s++;
        }
        if (s == slabs.length) {
            slabs = Arrays.copyOf(slabs, s * 2);
            liveBytes = Arrays.copyOf(liveBytes, s * 2);
            placed = Arrays.copyOf(placed, s * 2);
        }
        slabs[s] = new byte[Math.max(SLAB_BYTES, atLeast)];
        placed[s] = new HandleList(1024);
        liveBytes[s] = 0;
        current = s;
        tail = 0;
        if (previous >= 0) {
            // The slab just filled may already be sparse or empty: it was exempt while being filled.
            if (liveBytes[previous] == 0) {
                drop(previous);
            } else if (liveBytes[previous] < slabs[previous].length / 4) {
                sparse.add(previous);
            }
        }
    }

    private void drop(int s) {
        slabs[s] = null;
        placed[s] = null;
    }

    private int newHandle() {
        if (usedHandles == lengthOf.length) {
            int n = usedHandles * 2;
            slabOf = Arrays.copyOf(slabOf, n);
            offsetOf = Arrays.copyOf(offsetOf, n);
            lengthOf = Arrays.copyOf(lengthOf, n);
        }
        return usedHandles++;
    }
}
