package dev.raceway.core.analysis;

import dev.raceway.core.causality.CausalityIndex;
import dev.raceway.core.causality.SpanLink;
import dev.raceway.core.event.Event;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Critical path: the maximum-weight chain through parent links and distributed span links (so it crosses service
 * boundaries even where SDKs start each service's events with {@code parent_id = null}), weight = the event's
 * {@code duration_ns} in ms. Computed in the index's topological order, O(n). Ties are broken towards the
 * canonically earlier event (timestamp, depth, id), both for the end of the path and for each predecessor.
 */
public final class CriticalPaths {
    private CriticalPaths() {
    }

    /** Empty when the index has no events. */
    public static Optional<CriticalPath> of(CausalityIndex index) {
        List<Event> order = index.topologicalOrder();
        if (order.isEmpty()) {
            return Optional.empty();
        }
        Map<UUID, Integer> canonical = new HashMap<>(order.size() * 2);
        List<Event> events = index.events();
        for (int i = 0; i < events.size(); i++) {
            canonical.put(events.get(i).id(), i);
        }
        Map<UUID, List<Event>> spanPreds = new HashMap<>();
        for (SpanLink l : index.spanLinks()) {
            spanPreds.computeIfAbsent(l.downstream().id(), k -> new ArrayList<>()).add(l.upstream());
        }
        Map<UUID, Double> cum = new HashMap<>(order.size() * 2);
        Map<UUID, Event> pred = new HashMap<>();
        double traceTotal = 0;
        Event best = null;
        double bestCum = Double.NEGATIVE_INFINITY;
        for (Event e : order) {
            double d = e.metadata().durationMs();
            traceTotal += d;
            Event from = null;
            double fromCum = 0;
            List<Event> candidates = new ArrayList<>(2);
            index.parentOf(e).ifPresent(candidates::add);
            candidates.addAll(spanPreds.getOrDefault(e.id(), List.of()));
            for (Event p : candidates) {
                Double c = cum.get(p.id()); // null: edge dropped while breaking a cycle
                if (c == null) {
                    continue;
                }
                if (from == null || c > fromCum
                        || (c == fromCum && canonical.get(p.id()) < canonical.get(from.id()))) {
                    from = p;
                    fromCum = c;
                }
            }
            double total = fromCum + d;
            cum.put(e.id(), total);
            if (from != null) {
                pred.put(e.id(), from);
            }
            if (best == null || total > bestCum
                    || (total == bestCum && canonical.get(e.id()) < canonical.get(best.id()))) {
                best = e;
                bestCum = total;
            }
        }
        List<Event> path = new ArrayList<>();
        for (Event e = best; e != null; e = pred.get(e.id())) {
            path.add(e);
        }
        Collections.reverse(path);
        double pct = traceTotal > 0 ? bestCum / traceTotal * 100.0 : 0.0;
        double pathWall = WallClock.coveredMs(path);
        double traceWall = WallClock.extentMs(events);
        double wallPct = traceWall > 0 ? Math.min(100.0, pathWall / traceWall * 100.0) : 0.0;
        return Optional.of(new CriticalPath(path, bestCum, traceTotal, pct, pathWall, traceWall, wallPct));
    }
}
