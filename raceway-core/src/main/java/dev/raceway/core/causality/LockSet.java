package dev.raceway.core.causality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The locks one thread held at one event, each in exclusive or shared (read) mode. Two accesses are protected
 * against each other when they hold a lock in common and at least one of them holds it exclusively: two holders
 * of the same RwLock in read mode exclude nobody.
 */
public final class LockSet {
    public static final LockSet EMPTY = new LockSet(new String[0], new boolean[0]);

    private final String[] ids; // sorted, unique
    private final boolean[] shared;
    private final int hash;

    private LockSet(String[] ids, boolean[] shared) {
        this.ids = ids;
        this.shared = shared;
        this.hash = 31 * Arrays.hashCode(ids) + Arrays.hashCode(shared);
    }

    /** A lock set from lock id → shared mode ({@code true} = held only in read mode). */
    public static LockSet of(Map<String, Boolean> held) {
        if (held.isEmpty()) {
            return EMPTY;
        }
        TreeMap<String, Boolean> sorted = new TreeMap<>(held);
        String[] ids = new String[sorted.size()];
        boolean[] shared = new boolean[sorted.size()];
        int i = 0;
        for (Map.Entry<String, Boolean> e : sorted.entrySet()) {
            ids[i] = e.getKey();
            shared[i] = e.getValue();
            i++;
        }
        return new LockSet(ids, shared);
    }

    /** Exclusive locks only (e.g. plain mutexes). */
    public static LockSet exclusive(String... lockIds) {
        TreeMap<String, Boolean> m = new TreeMap<>();
        for (String id : lockIds) {
            m.put(id, false);
        }
        return of(m);
    }

    public boolean isEmpty() {
        return ids.length == 0;
    }

    public int size() {
        return ids.length;
    }

    /** The lock ids, sorted. */
    public List<String> lockIds() {
        return Collections.unmodifiableList(Arrays.asList(ids.clone()));
    }

    public boolean holds(String lockId) {
        return Arrays.binarySearch(ids, lockId) >= 0;
    }

    /** True when {@code lockId} is held only in shared (read) mode. */
    public boolean holdsShared(String lockId) {
        int i = Arrays.binarySearch(ids, lockId);
        return i >= 0 && shared[i];
    }

    /** True when a lock held by both excludes one from the other (not both in read mode). */
    public boolean excludes(LockSet other) {
        if (ids.length == 0 || other.ids.length == 0) {
            return false;
        }
        int i = 0;
        int j = 0;
        while (i < ids.length && j < other.ids.length) {
            int c = ids[i].compareTo(other.ids[j]);
            if (c == 0) {
                if (!(shared[i] && other.shared[j])) {
                    return true;
                }
                i++;
                j++;
            } else if (c < 0) {
                i++;
            } else {
                j++;
            }
        }
        return false;
    }

    /** Lock ids with their mode, e.g. {@code ["a", "rw(read)"]}; for display. */
    public List<String> describe() {
        List<String> out = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            out.add(shared[i] ? ids[i] + "(read)" : ids[i]);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LockSet l && l.hash == hash && Arrays.equals(l.ids, ids) && Arrays.equals(l.shared, shared);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return describe().toString();
    }
}
