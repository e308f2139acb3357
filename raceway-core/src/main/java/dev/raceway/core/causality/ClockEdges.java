package dev.raceway.core.causality;

import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.VectorClock;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * The SDK-clock phase of {@link CausalityIndex} ({@link CausalityOptions#clockEdges()}): {@code a → b} when both are
 * in one trace, {@code a}'s own component is per-context ({@link ClockComponents}) and {@code a}'s
 * {@code causality_vector} happened before {@code b}'s. Only per-context components make candidates — an event that
 * has seen value n of one sequential context's component comes after that context's event with value n — and each
 * candidate edge is confirmed by a full vector comparison. Complete for SDK clocks, where each event increments its
 * own component, because then the latest event of each context an event has seen is exactly what dominates it.
 */
final class ClockEdges {
    private final Event[] events;

    private ClockEdges(Event[] events) {
        this.events = events;
    }

    static void add(Event[] events, EdgeList edges) {
        new ClockEdges(events).add(edges);
    }

    /** The events of one per-context component of one trace, sorted by their value of it. */
    private final class ContextChain {
        final IntList members = new IntList();
        long[] values;
        int[] sorted;

        void seal(String component) {
            Integer[] boxed = new Integer[members.size()];
            for (int i = 0; i < boxed.length; i++) {
                boxed[i] = members.get(i);
            }
            Arrays.sort(boxed, Comparator.<Integer>comparingLong(p -> events[p].causalityVector().valueOf(component))
                    .thenComparingInt(p -> p));
            sorted = new int[boxed.length];
            values = new long[boxed.length];
            for (int i = 0; i < boxed.length; i++) {
                sorted[i] = boxed[i];
                values[i] = events[boxed[i]].causalityVector().valueOf(component);
            }
        }

        /** Index in {@code sorted} of the last member whose own value is ≤ v, or -1. */
        int lastAtMost(long v) {
            int lo = 0;
            int hi = values.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (values[mid] <= v) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo - 1;
        }
    }

    private void add(EdgeList edges) {
        Map<TraceKey, ContextChain> chains = new HashMap<>();
        String[] own = new String[events.length];
        boolean any = false;
        for (int i = 0; i < events.length; i++) {
            own[i] = ClockComponents.ownPerContext(events[i]);
            if (own[i] != null) {
                any = true;
                chains.computeIfAbsent(new TraceKey(events[i].traceId(), own[i]), k -> new ContextChain())
                        .members.add(i);
            }
        }
        if (!any) {
            return;
        }
        chains.forEach((k, c) -> c.seal(k.name()));
        for (ContextChain c : chains.values()) {
            for (int j = 1; j < c.sorted.length; j++) {
                int a = c.sorted[j - 1];
                int b = c.sorted[j];
                if (events[a].causalityVector().happenedBefore(events[b].causalityVector())) {
                    edges.add(a, b);
                }
            }
        }
        for (int b = 0; b < events.length; b++) {
            VectorClock vb = events[b].causalityVector();
            if (vb.isEmpty()) {
                continue;
            }
            for (ClockEntry ce : vb.entries()) {
                if (ce.component().equals(own[b])) {
                    continue;
                }
                ContextChain c = chains.get(new TraceKey(events[b].traceId(), ce.component()));
                if (c == null) {
                    continue;
                }
                int j = c.lastAtMost(ce.value());
                if (j >= 0 && c.sorted[j] == b) {
                    j--;
                }
                if (j >= 0) {
                    int a = c.sorted[j];
                    if (events[a].causalityVector().happenedBefore(vb)) {
                        edges.add(a, b);
                    }
                }
            }
        }
    }
}
