package dev.raceway.core.causality;

import dev.raceway.core.event.DistributedEdge;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.VectorClock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The distributed-call phase of {@link CausalityIndex}: for every span pair {@code U → S} (from
 * {@code upstream_span_id} metadata or a given {@link DistributedEdge}), an edge from the last event of {@code U} at
 * or before the first event of {@code S} — never one the SDK vectors place after it; the first event of {@code U}
 * when none is earlier — to that first event, reported as a {@link SpanLink}. Then the inferred responses: the
 * callee's last event off the calling thread → the caller's next event, when the call certainly returned before the
 * caller went on ({@link RealTime}, with the clock skew across instances), and likewise between calls made from one
 * caller event (at most {@value #MAX_ORDERED_SIBLING_CALLS} of them).
 */
final class SpanEdges {
    /** Calls from one caller event compared pairwise for the sibling rule of the response edges, at most. */
    static final int MAX_ORDERED_SIBLING_CALLS = 64;

    private final Event[] events;
    private final ThreadChains threads;
    private final long skewNanos;
    private final EdgeList edges;

    private SpanEdges(Event[] events, ThreadChains threads, long skewNanos, EdgeList edges) {
        this.events = events;
        this.threads = threads;
        this.skewNanos = skewNanos;
        this.edges = edges;
    }

    private record SpanPair(String from, String to) {
    }

    private record Found(int upstream, int downstream, SpanLink link) {
    }

    /** Adds the span and response edges to {@code edges}; returns the links, in order of the downstream event. */
    static List<SpanLink> add(Event[] events, ThreadChains threads, Collection<DistributedEdge> given, long skewNanos,
                              EdgeList edges) {
        return new SpanEdges(events, threads, skewNanos, edges).add(given);
    }

    private List<SpanLink> add(Collection<DistributedEdge> given) {
        Map<String, IntList> spanEvents = new HashMap<>();
        TreeSet<SpanPair> pairs = new TreeSet<>(Comparator.comparing(SpanPair::from).thenComparing(SpanPair::to));
        for (int i = 0; i < events.length; i++) {
            var md = events[i].metadata();
            if (md.distributedSpanId().isPresent()) {
                String span = md.distributedSpanId().get();
                spanEvents.computeIfAbsent(span, k -> new IntList()).add(i);
                md.upstreamSpanId().filter(u -> !u.equals(span)).ifPresent(u -> pairs.add(new SpanPair(u, span)));
            }
        }
        if (spanEvents.isEmpty()) {
            return List.of();
        }
        for (DistributedEdge e : given) {
            Objects.requireNonNull(e, "edges must not contain null");
            if (!e.fromSpan().equals(e.toSpan())) {
                pairs.add(new SpanPair(e.fromSpan(), e.toSpan()));
            }
        }
        List<Found> found = new ArrayList<>();
        Map<Integer, List<int[]>> callsFrom = new TreeMap<>();
        for (SpanPair pair : pairs) {
            IntList up = spanEvents.get(pair.from());
            IntList down = spanEvents.get(pair.to());
            if (up == null || down == null) {
                continue;
            }
            int d = down.get(0);
            int k = up.countAtMost(d - 1);
            int at = k > 0 ? k - 1 : 0; // clocks disagree (no upstream event before it): the first one
            // span edges respect the SDK vectors: never from an upstream event the vectors place after d
            while (at >= 0 && vectorBefore(d, up.get(at))) {
                at--;
            }
            if (at < 0) {
                continue;
            }
            int u = up.get(at);
            if (u == d) {
                continue;
            }
            edges.add(u, d);
            found.add(new Found(u, d, new SpanLink(pair.from(), pair.to(), events[u], events[d])));
            int last = lastCalleeEvent(down, u);
            if (last >= 0) {
                callsFrom.computeIfAbsent(u, x -> new ArrayList<>()).add(new int[] {d, last});
                int next = threads.next[u];
                if (next >= 0 && endsBefore(last, next)) {
                    edges.add(last, next); // the call returned before the caller went on
                }
            }
        }
        for (List<int[]> calls : callsFrom.values()) {
            // calls made from one caller event: one that returned before another started came first (all
            // pairs, so only for a bounded fan-out; wider ones keep just the edges above)
            if (calls.size() > MAX_ORDERED_SIBLING_CALLS) {
                continue;
            }
            for (int[] earlier : calls) {
                for (int[] later : calls) {
                    if (earlier != later && endsBefore(earlier[1], later[0])) {
                        edges.add(earlier[1], later[0]);
                    }
                }
            }
        }
        found.sort(Comparator.comparingInt(Found::downstream).thenComparingInt(Found::upstream));
        List<SpanLink> links = new ArrayList<>(found.size());
        for (Found f : found) {
            links.add(f.link());
        }
        return links;
    }

    /** True when both events carry SDK vectors and {@code a}'s happened before {@code b}'s. */
    private boolean vectorBefore(int a, int b) {
        VectorClock va = events[a].causalityVector();
        VectorClock vb = events[b].causalityVector();
        return !va.isEmpty() && !vb.isEmpty() && va.happenedBefore(vb);
    }

    /** The callee span's last event not on the calling thread ({@code down} ascends), or -1. */
    private int lastCalleeEvent(IntList down, int caller) {
        for (int i = down.size() - 1; i >= 0; i--) {
            int e = down.get(i);
            if (threads.thread[e] != threads.thread[caller]) {
                return e;
            }
        }
        return -1;
    }

    /** Event {@code a} ended before event {@code b} started, beyond doubt (skew across instances). */
    private boolean endsBefore(int a, int b) {
        return RealTime.before(RealTime.end(events[a]), RealTime.instance(events[a]),
                RealTime.start(events[b]), RealTime.instance(events[b]), skewNanos);
    }
}
