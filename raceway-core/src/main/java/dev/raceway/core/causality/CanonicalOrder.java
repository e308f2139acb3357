package dev.raceway.core.causality;

import dev.raceway.core.event.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The first phase of {@link CausalityIndex}: the distinct events (first copy of each id wins) in canonical order —
 * effective timestamp (the latest on the parent chain, its own included, so parent links win over timestamps),
 * parent-chain depth, id — with each event's kind tag and parent position. Everything later is defined on this
 * order, which is why no analysis depends on the order events arrived in.
 */
final class CanonicalOrder {
    /** The distinct events, in canonical order. */
    final Event[] events;
    /** Per event: its {@link KindTag}. */
    final byte[] kindTags;
    /** Event id → position in {@link #events}. */
    final Map<UUID, Integer> positions;
    /** Per event: the position of the event its {@code parent_id} names, or -1 (none, or not given). */
    final int[] parent;

    private CanonicalOrder(Event[] events, byte[] kindTags, Map<UUID, Integer> positions, int[] parent) {
        this.events = events;
        this.kindTags = kindTags;
        this.positions = positions;
        this.parent = parent;
    }

    static CanonicalOrder of(Collection<Event> input) {
        Map<UUID, Integer> tmpIndex = new HashMap<>(Math.max(16, input.size() * 2));
        List<Event> distinct = new ArrayList<>(input.size());
        for (Event e : input) {
            Objects.requireNonNull(e, "events must not contain null");
            if (tmpIndex.putIfAbsent(e.id(), distinct.size()) == null) {
                distinct.add(e);
            }
        }
        int n = distinct.size();
        int[] tmpParent = new int[n];
        for (int i = 0; i < n; i++) {
            Optional<UUID> p = distinct.get(i).parentId();
            Integer pi = p.isPresent() ? tmpIndex.get(p.get()) : null;
            tmpParent[i] = pi == null ? -1 : pi;
        }
        int[] depth = new int[n];
        long[] effSeconds = new long[n];
        int[] effNanos = new int[n];
        depths(distinct, tmpParent, depth, effSeconds, effNanos);
        byte[] tmpTags = new byte[n];
        for (int i = 0; i < n; i++) { // a loop of its own: short iterations let kind-object cache misses overlap
            tmpTags[i] = KindTag.of(distinct.get(i).kind());
        }
        int[] order = canonicalPermutation(distinct, depth, effSeconds, effNanos);
        if (order == null) { // already canonical, as traces read back from storage usually are
            return new CanonicalOrder(distinct.toArray(new Event[0]), tmpTags, tmpIndex, tmpParent);
        }
        Event[] events = new Event[n];
        byte[] kindTags = new byte[n];
        int[] tmpToFinal = new int[n];
        for (int i = 0; i < n; i++) {
            events[i] = distinct.get(order[i]);
            kindTags[i] = tmpTags[order[i]];
            tmpToFinal[order[i]] = i;
        }
        for (Map.Entry<UUID, Integer> e : tmpIndex.entrySet()) {
            e.setValue(tmpToFinal[e.getValue()]);
        }
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            int tp = tmpParent[order[i]];
            parent[i] = tp < 0 ? -1 : tmpToFinal[tp];
        }
        return new CanonicalOrder(events, kindTags, tmpIndex, parent);
    }

    /**
     * Canonical sort key: effective timestamp (the latest on the parent chain), parent-chain depth, id (compared
     * as signed halves, a fixed total order).
     */
    private record Keyed(long seconds, int nanos, int depth, long msb, long lsb, int tmp) implements Comparable<Keyed> {
        @Override
        public int compareTo(Keyed o) {
            int c = Long.compare(seconds, o.seconds);
            if (c == 0) {
                c = Integer.compare(nanos, o.nanos);
            }
            if (c == 0) {
                c = Integer.compare(depth, o.depth);
            }
            if (c == 0) {
                c = Long.compare(msb, o.msb);
            }
            return c != 0 ? c : Long.compare(lsb, o.lsb);
        }
    }

    /** Canonical position → index in {@code distinct}, or null when {@code distinct} is in canonical order. */
    private static int[] canonicalPermutation(List<Event> distinct, int[] depth, long[] effSeconds,
                                              int[] effNanos) {
        int n = distinct.size();
        Keyed[] keyed = new Keyed[n];
        for (int i = 0; i < n; i++) {
            Event e = distinct.get(i);
            keyed[i] = new Keyed(effSeconds[i], effNanos[i], depth[i],
                    e.id().getMostSignificantBits(), e.id().getLeastSignificantBits(), i);
        }
        boolean sorted = true;
        for (int i = 1; i < n && sorted; i++) {
            sorted = keyed[i - 1].compareTo(keyed[i]) < 0;
        }
        if (sorted) {
            return null;
        }
        Arrays.sort(keyed);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = keyed[i].tmp;
        }
        return order;
    }

    /**
     * Parent-chain depth and effective timestamp of each event, without recursion. The effective timestamp is
     * the latest timestamp on the event's parent chain (its own included): parent links win over timestamps, so
     * a child stamped before its parent (the TypeScript SDK stamps children up to a millisecond early) still
     * sorts after it. Depths are well defined except on parent cycles, where they depend on where the walk
     * enters the cycle; if there is a cycle the walk is redone in id order, so the cut does not depend on
     * arrival order.
     */
    private static void depths(List<Event> distinct, int[] parent, int[] depth, long[] effSeconds,
                               int[] effNanos) {
        int n = distinct.size();
        byte[] state = new byte[n]; // 0 new, 1 on the current path, 2 done
        IntList path = new IntList();
        boolean cycle = false;
        for (int k = 0; k < n; k++) {
            if (state[k] != 2) {
                cycle |= walk(k, distinct, parent, depth, effSeconds, effNanos, state, path);
            }
        }
        if (cycle) {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparing(i -> distinct.get(i).id()));
            Arrays.fill(state, (byte) 0);
            for (int k : order) {
                if (state[k] != 2) {
                    walk(k, distinct, parent, depth, effSeconds, effNanos, state, path);
                }
            }
        }
    }

    /** Resolves depths and effective timestamps along the parent chain from {@code start}; true on a cycle. */
    private static boolean walk(int start, List<Event> distinct, int[] parent, int[] depth, long[] effSeconds,
                                int[] effNanos, byte[] state, IntList path) {
        path.clear();
        int cur = start;
        int base;
        long baseSeconds = Long.MIN_VALUE;
        int baseNanos = 0;
        boolean cycle = false;
        while (true) {
            if (state[cur] == 2) {
                base = depth[cur];
                baseSeconds = effSeconds[cur];
                baseNanos = effNanos[cur];
                break;
            }
            if (state[cur] == 1) {
                base = -1; // parent cycle: depth restarts here
                cycle = true;
                break;
            }
            state[cur] = 1;
            path.add(cur);
            if (parent[cur] < 0) {
                base = -1;
                break;
            }
            cur = parent[cur];
        }
        for (int i = path.size() - 1; i >= 0; i--) {
            int v = path.get(i);
            base++;
            depth[v] = base;
            Instant t = distinct.get(v).timestamp();
            if (t.getEpochSecond() > baseSeconds
                    || (t.getEpochSecond() == baseSeconds && t.getNano() > baseNanos)) {
                baseSeconds = t.getEpochSecond();
                baseNanos = t.getNano();
            }
            effSeconds[v] = baseSeconds;
            effNanos[v] = baseNanos;
            state[v] = 2;
        }
        return cycle;
    }
}
