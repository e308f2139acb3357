package dev.raceway.core.causality;

import java.util.Arrays;

/**
 * Counts the racing pairs of one variable at a time exactly, without enumerating pairs. Its work arrays are reused
 * from variable to variable, so a scan allocates nothing in the steady state and touches only memory that the
 * current variable needs.
 *
 * <p>The variable's accesses are visited in topological order. The earlier ones are kept in cells, one per
 * (class, chain slot), as ascending chain positions; a class is an (access class, lock set) pair and a slot numbers
 * the chains that touched the variable in order of first access. An earlier access on chain c happens before the
 * current access b iff its position is below b's vector-clock entry for c, so the concurrent ones in a cell are a
 * suffix. Per access the work is one comparison per slot (the chain's last access is usually already ordered) plus,
 * for slots with concurrent accesses, an amortised O(1) cursor step per racing class: a cursor per (cell,
 * observing slot) counts the cell's accesses known to happen before the observer's current access, which only grows
 * because an observer's vector clock only grows along its chain (see {@link #CURSOR_SLOT_LIMIT} for the exception).
 */
final class VariableScan {
    private final CausalityIndex index;
    private final AccessTable table;
    private final FirstPairs firstPairs;
    /** Chain → slot in the current variable, -1 elsewhere; reset after each variable. */
    private final int[] slotOfChain;

    // per access of the current variable (local index j)
    private int[] slot = new int[16];
    private int[] classOf = new int[16];

    // per slot
    private int[] chainOfSlot = new int[4];
    private int[] lastPosition = new int[4];

    // per class: access class, lock set and site (code location and access kind)
    private int[] classAccess = new int[4];
    private LockSet[] classLocks = new LockSet[4];
    private int[] classSite = new int[4];
    /** Racing pairs per (current class · classes + earlier class), for distinct races. */
    private long[] classPairs = new long[16];
    /** Class sets are bitsets of {@code words} longs; ascending bit order is class order. */
    private int words;
    /** Per class: the set of classes it may race with. */
    private long[] racingWith = new long[4];
    /** Per slot: the set of classes with an access on that slot so far. */
    private long[] present = new long[4];

    // per cell k·slots + s: where its accesses start in cellPosition/cellAccess, how many so far, its cursors
    private int[] cellStart = new int[16];
    private int[] cellSize = new int[16];
    private int[] cellCursors = new int[16];
    private int[] cellPosition = new int[16];
    private int[] cellAccess = new int[16];
    private int[] cursors = new int[64];
    private int cursorsUsed;
    /**
     * Cursors cost one int per (cell, observing slot), O(classes · slots²) for a variable; beyond this many slots
     * (a variable touched by very many threads) a binary search per cell replaces them to keep memory linear.
     */
    private static final int CURSOR_SLOT_LIMIT = 256;

    private int slots;
    private int classes;
    private long pairs;
    private long critical;

    // the access being counted
    private int current;
    private int currentClass;
    private int currentRank;
    private boolean currentWrites;
    private boolean listing;
    private int sequence;

    VariableScan(CausalityIndex index, AccessTable table, FirstPairs firstPairs) {
        this.index = index;
        this.table = table;
        this.firstPairs = firstPairs;
        this.slotOfChain = new int[index.chainCount()];
        Arrays.fill(slotOfChain, -1);
    }

    long pairs() {
        return pairs;
    }

    long critical() {
        return critical;
    }

    /** Counts the pairs of variable {@code v}; afterwards {@link #pairs()} and {@link #critical()} hold them. */
    void scan(int v) {
        int from = table.start[v];
        int n = table.start[v + 1] - from;
        pairs = 0;
        critical = 0;
        assignSlotsAndClasses(from, n);
        if (slots > 1 && decideRacingClasses()) {
            layOutCells(n);
            if (classPairs.length < classes * classes) {
                classPairs = new long[Math.max(classes * classes, 2 * classPairs.length)];
            }
            Arrays.fill(classPairs, 0, classes * classes, 0L);
            count(v, from, n);
        }
        for (int s = 0; s < slots; s++) {
            slotOfChain[chainOfSlot[s]] = -1;
        }
    }

    private void assignSlotsAndClasses(int from, int n) {
        if (slot.length < n) {
            int capacity = Math.max(n, 2 * slot.length);
            slot = new int[capacity];
            classOf = new int[capacity];
        }
        slots = 0;
        classes = 0;
        for (int j = 0; j < n; j++) {
            int chain = table.chain[from + j];
            int s = slotOfChain[chain];
            if (s < 0) {
                s = newSlot(chain);
            }
            slot[j] = s;
            classOf[j] = classFor(table.accessClass[from + j], table.locks[from + j], table.site[from + j]);
        }
    }

    private int newSlot(int chain) {
        if (slots == chainOfSlot.length) {
            chainOfSlot = Arrays.copyOf(chainOfSlot, 2 * slots);
            lastPosition = new int[2 * slots]; // not yet in use: it is filled while counting
        }
        chainOfSlot[slots] = chain;
        slotOfChain[chain] = slots;
        return slots++;
    }

    /** Lock sets are interned by the index, so identity is equality. */
    private int classFor(int accessClass, LockSet locks, int site) {
        for (int k = 0; k < classes; k++) {
            if (classSite[k] == site && classLocks[k] == locks && classAccess[k] == accessClass) {
                return k;
            }
        }
        if (classes == classAccess.length) {
            classAccess = Arrays.copyOf(classAccess, 2 * classes);
            classLocks = Arrays.copyOf(classLocks, 2 * classes);
            classSite = Arrays.copyOf(classSite, 2 * classes);
        }
        classAccess[classes] = accessClass;
        classLocks[classes] = locks;
        classSite[classes] = site;
        return classes++;
    }

    /** Receives the racing pairs of the scanned variable per pair of sites. */
    interface SitePairs {
        void accept(int siteA, int siteB, long pairs);
    }

    /** After {@link #scan}: the variable's racing pairs per (ordered) pair of classes' sites. */
    void forEachSitePair(SitePairs sink) {
        if (pairs == 0) {
            return;
        }
        for (int a = 0; a < classes; a++) {
            for (int b = 0; b < classes; b++) {
                long n = classPairs[a * classes + b];
                if (n > 0) {
                    sink.accept(classSite[a], classSite[b], n);
                }
            }
        }
    }

    /** Fills {@link #racingWith}; false when no two of the variable's classes may race (e.g. only reads). */
    private boolean decideRacingClasses() {
        words = (classes + 63) >>> 6;
        if (racingWith.length < classes * words) {
            racingWith = new long[classes * words];
        }
        Arrays.fill(racingWith, 0, classes * words, 0L);
        boolean any = false;
        for (int a = 0; a < classes; a++) {
            for (int b = 0; b < classes; b++) {
                if (AccessClass.mayRace(classAccess[a], classLocks[a], classAccess[b], classLocks[b])) {
                    racingWith[a * words + (b >>> 6)] |= 1L << b;
                    any = true;
                }
            }
        }
        return any;
    }

    private boolean racesAny(int k) {
        for (int w = 0; w < words; w++) {
            if (racingWith[k * words + w] != 0) {
                return true;
            }
        }
        return false;
    }

    /** Sizes the cells so that each cell's accesses are contiguous, in the order they are visited. */
    private void layOutCells(int n) {
        int cells = classes * slots;
        if (cellStart.length < cells) {
            int capacity = Math.max(cells, 2 * cellStart.length);
            cellStart = new int[capacity];
            cellSize = new int[capacity];
            cellCursors = new int[capacity];
        }
        if (cellPosition.length < n) {
            int capacity = Math.max(n, 2 * cellPosition.length);
            cellPosition = new int[capacity];
            cellAccess = new int[capacity];
        }
        Arrays.fill(cellSize, 0, cells, 0);
        for (int j = 0; j < n; j++) {
            cellSize[classOf[j] * slots + slot[j]]++;
        }
        int offset = 0;
        for (int c = 0; c < cells; c++) {
            cellStart[c] = offset;
            offset += cellSize[c];
            cellSize[c] = 0;
        }
        Arrays.fill(cellCursors, 0, cells, -1);
        cursorsUsed = 0;
        if (present.length < slots * words) {
            present = new long[Math.max(slots * words, 2 * present.length)];
        }
        Arrays.fill(present, 0, slots * words, 0L);
    }

    private void count(int v, int from, int n) {
        int seen = 0;
        for (int j = 0; j < n; j++) {
            int s0 = slot[j];
            int k0 = classOf[j];
            int myPosition = table.position[from + j];
            if (racesAny(k0)) {
                int ref = table.clockRef[from + j];
                current = from + j;
                currentClass = k0;
                currentRank = table.rank[current];
                currentWrites = AccessClass.isWrite(classAccess[k0]);
                listing = firstPairs.wants(FirstPairs.key(currentRank, 0));
                sequence = 0;
                for (int s = 0; s < seen; s++) {
                    int clock = s == s0 ? myPosition + 1 : index.clockEntry(ref, chainOfSlot[s]);
                    if (lastPosition[s] < clock) {
                        continue; // every earlier access of that chain happens before this one
                    }
                    for (int w = 0; w < words; w++) {
                        long candidates = present[s * words + w] & racingWith[k0 * words + w];
                        while (candidates != 0) {
                            int k = (w << 6) + Long.numberOfTrailingZeros(candidates);
                            candidates &= candidates - 1;
                            countCell(v, from, k, s, s0, clock);
                        }
                    }
                }
            }
            int cell = k0 * slots + s0;
            int at = cellStart[cell] + cellSize[cell]++;
            cellPosition[at] = myPosition;
            cellAccess[at] = j;
            lastPosition[s0] = myPosition;
            present[s0 * words + (k0 >>> 6)] |= 1L << k0;
            if (s0 == seen) {
                seen++;
            }
        }
    }

    /** Counts (and lists, while wanted) the current access's pairs with the concurrent accesses of a cell. */
    private void countCell(int v, int from, int k, int s, int observer, int clock) {
        int cell = k * slots + s;
        int size = cellSize[cell];
        int base = cellStart[cell];
        if (cellPosition[base + size - 1] < clock) {
            return;
        }
        int ordered = orderedBefore(cell, observer, clock, base, size);
        int concurrent = size - ordered;
        pairs += concurrent;
        classPairs[currentClass * classes + k] += concurrent;
        if (currentWrites && AccessClass.isWrite(classAccess[k])) {
            critical += concurrent;
        }
        for (int i = ordered; listing && i < size; i++) {
            long key = FirstPairs.key(currentRank, sequence++);
            listing = firstPairs.wants(key);
            if (listing) {
                firstPairs.add(key, v, table.event(from + cellAccess[base + i]), table.event(current));
            }
        }
    }

    /** How many of the cell's accesses happen before the current access of {@code observer}'s chain. */
    private int orderedBefore(int cell, int observer, int clock, int base, int size) {
        if (slots > CURSOR_SLOT_LIMIT) {
            return countBelow(base, size, clock);
        }
        int c = cellCursors[cell];
        if (c < 0) {
            c = cursorsUsed;
            cursorsUsed += slots;
            if (cursors.length < cursorsUsed) {
                cursors = Arrays.copyOf(cursors, Math.max(cursorsUsed, 2 * cursors.length));
            }
            Arrays.fill(cursors, c, cursorsUsed, 0);
            cellCursors[cell] = c;
        }
        int k = cursors[c + observer];
        while (k < size && cellPosition[base + k] < clock) {
            k++;
        }
        cursors[c + observer] = k;
        return k;
    }

    /** Number of the cell's positions below {@code clock} (they ascend), by binary search. */
    private int countBelow(int base, int size, int clock) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cellPosition[base + mid] < clock) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
