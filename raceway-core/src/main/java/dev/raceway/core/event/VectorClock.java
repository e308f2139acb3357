package dev.raceway.core.event;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.RandomAccess;

/**
 * An immutable vector clock: an ordered list of {@code (component, counter)} pairs, as on the wire
 * ({@code [["svc#inst", 3], ...]}). Order is kept for faithful round trips; comparisons treat it as a map in
 * which a missing component counts as 0. Vectors are small (one entry per service instance a request crossed),
 * so lookups are linear scans.
 */
public final class VectorClock {
    private static final VectorClock EMPTY = new VectorClock(List.of());

    private final List<ClockEntry> entries;

    private VectorClock(List<ClockEntry> entries) {
        this.entries = entries;
    }

    public static VectorClock empty() {
        return EMPTY;
    }

    /**
     * A clock of the given entries in order. A component that appears more than once keeps its maximum at the
     * position of its first appearance.
     */
    public static VectorClock of(List<ClockEntry> entries) {
        if (entries.isEmpty()) {
            return EMPTY;
        }
        if (entries.size() == 1) {
            return new VectorClock(List.of(entries.get(0)));
        }
        List<ClockEntry> copy = new ArrayList<>(entries.size());
        for (ClockEntry e : entries) {
            Objects.requireNonNull(e, "entry");
            int at = indexOf(copy, e.component());
            if (at < 0) {
                copy.add(e);
            } else if (copy.get(at).value() < e.value()) {
                copy.set(at, e);
            }
        }
        return new VectorClock(Collections.unmodifiableList(copy));
    }

    public static VectorClock of(String component, long value) {
        return new VectorClock(List.of(new ClockEntry(component, value)));
    }

    public List<ClockEntry> entries() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    /** The counter of {@code component}, empty when the component is absent. */
    public OptionalLong get(String component) {
        int at = indexOf(entries, component);
        return at < 0 ? OptionalLong.empty() : OptionalLong.of(entries.get(at).value());
    }

    /** The counter of {@code component}, 0 when absent. */
    public long valueOf(String component) {
        int at = indexOf(entries, component);
        return at < 0 ? 0 : entries.get(at).value();
    }

    /** A copy with {@code component} set to {@code value} (appended when absent). */
    public VectorClock with(String component, long value) {
        return withAt(indexOf(entries, component), component, value);
    }

    /** A copy with {@code component} incremented by one (appended with 1 when absent). */
    public VectorClock increment(String component) {
        int at = indexOf(entries, component);
        return withAt(at, component, at < 0 ? 1 : entries.get(at).value() + 1);
    }

    /**
     * A copy with the entry at {@code at} (or a new last one when {@code at < 0}) replaced: one array copy and
     * one scan — an SDK takes a step like this for every event it records.
     */
    private VectorClock withAt(int at, String component, long value) {
        int n = entries.size();
        int length = at < 0 ? n + 1 : n;
        ClockEntry[] copy = entries instanceof Entries mine ? Arrays.copyOf(mine.items, length)
                : entries.toArray(new ClockEntry[length]);
        copy[at < 0 ? n : at] = new ClockEntry(component, value);
        return new VectorClock(new Entries(copy));
    }

    /** An unmodifiable list over an array this class made and never changes: one object per step. */
    private static final class Entries extends AbstractList<ClockEntry> implements RandomAccess {
        private final ClockEntry[] items;

        Entries(ClockEntry[] items) {
            this.items = items;
        }

        @Override
        public ClockEntry get(int index) {
            return items[index];
        }

        @Override
        public int size() {
            return items.length;
        }
    }

    /** Component-wise maximum; components only in {@code other} are appended in its order. */
    public VectorClock merge(VectorClock other) {
        if (other.entries.isEmpty()) {
            return this;
        }
        if (entries.isEmpty()) {
            return other;
        }
        List<ClockEntry> copy = new ArrayList<>(entries);
        boolean changed = false;
        for (ClockEntry e : other.entries) {
            int at = indexOf(copy, e.component());
            if (at < 0) {
                copy.add(e);
                changed = true;
            } else if (copy.get(at).value() < e.value()) {
                copy.set(at, e);
                changed = true;
            }
        }
        return changed ? new VectorClock(Collections.unmodifiableList(copy)) : this;
    }

    /**
     * True when this clock is strictly before {@code other}: every component ≤ and at least one &lt;, missing
     * components counting as 0. Empty clocks carry no information, so they are never ordered.
     */
    public boolean happenedBefore(VectorClock other) {
        if (entries.isEmpty() || other.entries.isEmpty()) {
            return false;
        }
        boolean strictlyLess = false;
        for (ClockEntry e : entries) {
            long theirs = other.valueOf(e.component());
            if (e.value() > theirs) {
                return false;
            }
            if (e.value() < theirs) {
                strictlyLess = true;
            }
        }
        if (!strictlyLess) {
            // Equal on all of our components: strictly less only if the other has a positive extra component.
            for (ClockEntry e : other.entries) {
                if (e.value() > 0 && indexOf(entries, e.component()) < 0) {
                    return true;
                }
            }
        }
        return strictlyLess;
    }

    /** Neither clock happened before the other. */
    public boolean isConcurrentWith(VectorClock other) {
        return !happenedBefore(other) && !other.happenedBefore(this);
    }

    private static int indexOf(List<ClockEntry> list, String component) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).component().equals(component)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VectorClock v && v.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
