package dev.raceway.core.causality;

import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.DistributedEdge;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.LockTypes;
import dev.raceway.core.event.VectorClock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The happens-before relation over a set of events, answering {@link #happensBefore} in O(1).
 *
 * <p>Edges: parent links, program order within one (trace, thread), distributed span calls (explicit
 * {@link DistributedEdge}s and {@code upstream_span_id} metadata), lock release → next acquire of the same lock in
 * the same trace (see {@link CausalityOptions}), and SDK vector clocks compared within one trace. Events are first
 * de-duplicated by id and put in a canonical order (timestamp, parent-chain depth, id), so the result does not
 * depend on arrival order. Contradictory input (parent cycles, clocks contradicting parents) cannot make the
 * relation cyclic: the topological sort breaks each cycle deterministically and the edges it drops are not part of
 * the relation.
 *
 * <p>Representation: the DAG is covered by chains (a thread's program order, extended by threads that start after
 * a finished one); an event's vector clock over the chains is stored only at join points (events with a
 * predecessor on another chain), so memory is O(n + joins × chains).
 */
public final class CausalityIndex {
    final Event[] events;
    /** Per event: its {@link KindTag}. */
    final byte[] kindTags;
    private final Map<UUID, Integer> positions;
    final int[] parent;
    final int[] threadChain;
    final int[] vchain;
    final int[] vpos;
    final int chainCount;
    final int[] topo;
    final int[] joinRef;
    final int[][] joinVecs;
    final LockSet[] locks;
    private final List<SpanLink> spanLinks;

    private CausalityIndex(Builder b) {
        this.events = b.events;
        this.kindTags = b.kindTags;
        this.positions = b.positions;
        this.parent = b.parent;
        this.threadChain = b.threadChain;
        this.vchain = b.vchain;
        this.vpos = b.vpos;
        this.chainCount = b.chainCount;
        this.topo = b.topo;
        this.joinRef = b.joinRef;
        this.joinVecs = b.joinVecs;
        this.locks = b.locks;
        this.spanLinks = List.copyOf(b.spanLinks);
    }

    public static CausalityIndex of(Collection<Event> events) {
        return of(events, List.of(), CausalityOptions.DEFAULT);
    }

    public static CausalityIndex of(Collection<Event> events, Collection<DistributedEdge> edges) {
        return of(events, edges, CausalityOptions.DEFAULT);
    }

    public static CausalityIndex of(Collection<Event> events, Collection<DistributedEdge> edges,
                                    CausalityOptions options) {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(edges, "edges");
        Objects.requireNonNull(options, "options");
        return new CausalityIndex(new Builder(events, edges, options).build());
    }

    /** The distinct events in canonical order (timestamp, parent-chain depth, id). */
    public List<Event> events() {
        return Collections.unmodifiableList(Arrays.asList(events));
    }

    /** The distinct events in the (deterministic) topological order the analyses use. */
    public List<Event> topologicalOrder() {
        List<Event> out = new ArrayList<>(topo.length);
        for (int i : topo) {
            out.add(events[i]);
        }
        return out;
    }

    public int size() {
        return events.length;
    }

    /** Width of the stored vector clocks (number of chains covering the DAG). */
    public int chainCount() {
        return chainCount;
    }

    public boolean contains(UUID id) {
        return positions.containsKey(id);
    }

    public Optional<Event> event(UUID id) {
        Integer p = positions.get(id);
        return p == null ? Optional.empty() : Optional.of(events[p]);
    }

    /** The parent event, when {@code parent_id} names an event of this index. */
    public Optional<Event> parentOf(Event e) {
        int p = parent[position(e.id())];
        return p < 0 ? Optional.empty() : Optional.of(events[p]);
    }

    /** Distributed calls resolved to events, in canonical order of the downstream event. */
    public List<SpanLink> spanLinks() {
        return spanLinks;
    }

    /** True when a happens-before path leads from {@code a} to {@code b} ({@code a ≠ b}). */
    public boolean happensBefore(Event a, Event b) {
        return happensBefore(a.id(), b.id());
    }

    public boolean happensBefore(UUID a, UUID b) {
        return hb(position(a), position(b));
    }

    /** Distinct events with no happens-before path in either direction. */
    public boolean concurrent(Event a, Event b) {
        return concurrent(a.id(), b.id());
    }

    public boolean concurrent(UUID a, UUID b) {
        int ia = position(a);
        int ib = position(b);
        return ia != ib && !hb(ia, ib) && !hb(ib, ia);
    }

    /** The locks its thread held when the event happened (before a lock event's own effect). */
    public LockSet locksHeldAt(Event e) {
        return locksHeldAt(e.id());
    }

    public LockSet locksHeldAt(UUID id) {
        return locks[position(id)];
    }

    int position(UUID id) {
        Integer p = positions.get(id);
        if (p == null) {
            throw new IllegalArgumentException("event " + id + " is not part of this causality index");
        }
        return p;
    }

    boolean hb(int ia, int ib) {
        if (ia == ib) {
            return false;
        }
        if (vchain[ia] == vchain[ib]) {
            return vpos[ia] < vpos[ib];
        }
        int r = joinRef[ib];
        return r >= 0 && joinVecs[r][vchain[ia]] > vpos[ia];
    }

    /** How many events of chain {@code c} happen before or at event {@code i} (its vector clock entry). */
    int clock(int i, int c) {
        if (vchain[i] == c) {
            return vpos[i] + 1;
        }
        int r = joinRef[i];
        return r < 0 ? 0 : joinVecs[r][c];
    }

    private record ChainKey(UUID trace, String name) {
    }

    /** Canonical sort key: timestamp, parent-chain depth, id (as {@link UUID#compareTo}). */
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

    private record SpanPair(String from, String to) {
    }

    private static final class Builder {
        private final Collection<Event> input;
        private final Collection<DistributedEdge> edgeInput;
        private final CausalityOptions options;

        Event[] events;
        byte[] kindTags;
        Map<UUID, Integer> positions;
        int[] parent;
        int[] threadChain;
        int[] prevInThread;
        boolean[] hasThreadSuccessor;
        int[] vchain;
        int[] vpos;
        int chainCount;
        int[] topo;
        int[] rank;
        int[] joinRef;
        int[][] joinVecs;
        LockSet[] locks;
        final List<SpanLink> spanLinks = new ArrayList<>();
        private final IntList edgeFrom = new IntList(64);
        private final IntList edgeTo = new IntList(64);
        private int[] predStart;
        private int[] preds;

        Builder(Collection<Event> input, Collection<DistributedEdge> edges, CausalityOptions options) {
            this.input = input;
            this.edgeInput = edges;
            this.options = options;
        }

        Builder build() {
            canonicalOrder();
            threadChains();
            parentAndProgramEdges();
            spanEdges();
            if (options.lockEdges()) {
                lockEdges();
            }
            if (options.clockEdges()) {
                clockEdges();
            }
            predecessorLists();
            topologicalOrder();
            chainsAndClocks();
            lockSets();
            return this;
        }

        private void canonicalOrder() {
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
            int[] depth = depths(distinct, tmpParent);
            byte[] tmpTags = new byte[n];
            for (int i = 0; i < n; i++) { // a loop of its own: short iterations let kind-object cache misses overlap
                tmpTags[i] = KindTag.of(distinct.get(i).kind());
            }
            int[] order = canonicalPermutation(distinct, depth);
            if (order == null) { // already canonical, as traces read back from storage usually are
                events = distinct.toArray(new Event[0]);
                kindTags = tmpTags;
                positions = tmpIndex;
                parent = tmpParent;
                return;
            }
            events = new Event[n];
            kindTags = new byte[n];
            int[] tmpToFinal = new int[n];
            for (int i = 0; i < n; i++) {
                events[i] = distinct.get(order[i]);
                kindTags[i] = tmpTags[order[i]];
                tmpToFinal[order[i]] = i;
            }
            for (Map.Entry<UUID, Integer> e : tmpIndex.entrySet()) {
                e.setValue(tmpToFinal[e.getValue()]);
            }
            positions = tmpIndex;
            parent = new int[n];
            for (int i = 0; i < n; i++) {
                int tp = tmpParent[order[i]];
                parent[i] = tp < 0 ? -1 : tmpToFinal[tp];
            }
        }

        /** Canonical position → index in {@code distinct}, or null when {@code distinct} is in canonical order. */
        private static int[] canonicalPermutation(List<Event> distinct, int[] depth) {
            int n = distinct.size();
            boolean sorted = true;
            for (int i = 1; i < n && sorted; i++) {
                sorted = compareCanonical(distinct.get(i - 1), depth[i - 1], distinct.get(i), depth[i]) < 0;
            }
            if (sorted) {
                return null;
            }
            Keyed[] keyed = new Keyed[n];
            for (int i = 0; i < n; i++) {
                Event e = distinct.get(i);
                keyed[i] = new Keyed(e.timestamp().getEpochSecond(), e.timestamp().getNano(), depth[i],
                        e.id().getMostSignificantBits(), e.id().getLeastSignificantBits(), i);
            }
            Arrays.sort(keyed);
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = keyed[i].tmp;
            }
            return order;
        }

        /** The order of {@link Keyed}, on the events themselves. */
        private static int compareCanonical(Event a, int depthA, Event b, int depthB) {
            int c = a.timestamp().compareTo(b.timestamp());
            if (c == 0) {
                c = Integer.compare(depthA, depthB);
            }
            if (c == 0) {
                c = Long.compare(a.id().getMostSignificantBits(), b.id().getMostSignificantBits());
            }
            return c != 0 ? c : Long.compare(a.id().getLeastSignificantBits(), b.id().getLeastSignificantBits());
        }

        /**
         * Parent-chain depth of each event, without recursion. Depths are well defined except on parent cycles,
         * where they depend on where the walk enters the cycle; if there is a cycle the walk is redone in id
         * order, so the cut does not depend on arrival order.
         */
        private static int[] depths(List<Event> distinct, int[] parent) {
            int n = distinct.size();
            int[] depth = new int[n];
            byte[] state = new byte[n]; // 0 new, 1 on the current path, 2 done
            IntList path = new IntList();
            boolean cycle = false;
            for (int k = 0; k < n; k++) {
                if (state[k] != 2) {
                    cycle |= walk(k, parent, depth, state, path);
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
                        walk(k, parent, depth, state, path);
                    }
                }
            }
            return depth;
        }

        /** Resolves the depths along the parent chain from {@code start}; true when it ran into a cycle. */
        private static boolean walk(int start, int[] parent, int[] depth, byte[] state, IntList path) {
            path.clear();
            int cur = start;
            int base;
            boolean cycle = false;
            while (true) {
                if (state[cur] == 2) {
                    base = depth[cur];
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
                base++;
                depth[path.get(i)] = base;
                state[path.get(i)] = 2;
            }
            return cycle;
        }

        private void threadChains() {
            int n = events.length;
            threadChain = new int[n];
            prevInThread = new int[n];
            hasThreadSuccessor = new boolean[n];
            Map<UUID, Map<String, Integer>> ids = new HashMap<>();
            UUID lastTrace = null;
            Map<String, Integer> lastMap = null;
            int count = 0;
            IntList last = new IntList();
            for (int i = 0; i < n; i++) {
                UUID trace = events[i].traceId();
                if (!trace.equals(lastTrace)) {
                    lastTrace = trace;
                    lastMap = ids.computeIfAbsent(trace, k -> new HashMap<>());
                }
                Integer c = lastMap.get(events[i].metadata().threadId());
                if (c == null) {
                    c = count++;
                    lastMap.put(events[i].metadata().threadId(), c);
                    last.add(-1);
                }
                threadChain[i] = c;
                int prev = last.get(c);
                prevInThread[i] = prev;
                if (prev >= 0) {
                    hasThreadSuccessor[prev] = true;
                }
                last.data()[c] = i;
            }
        }

        private void edge(int from, int to) {
            if (from != to) {
                edgeFrom.add(from);
                edgeTo.add(to);
            }
        }

        private void parentAndProgramEdges() {
            for (int i = 0; i < events.length; i++) {
                if (parent[i] >= 0) {
                    edge(parent[i], i);
                }
                if (prevInThread[i] >= 0 && prevInThread[i] != parent[i]) {
                    edge(prevInThread[i], i);
                }
            }
        }

        private void spanEdges() {
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
                return;
            }
            for (DistributedEdge e : edgeInput) {
                Objects.requireNonNull(e, "edges must not contain null");
                if (!e.fromSpan().equals(e.toSpan())) {
                    pairs.add(new SpanPair(e.fromSpan(), e.toSpan()));
                }
            }
            List<SpanLink> links = new ArrayList<>();
            for (SpanPair pair : pairs) {
                IntList up = spanEvents.get(pair.from());
                IntList down = spanEvents.get(pair.to());
                if (up == null || down == null) {
                    continue;
                }
                int d = down.get(0);
                int k = up.countAtMost(d - 1);
                int u = k > 0 ? up.get(k - 1) : up.get(0);
                if (u == d) {
                    continue;
                }
                edge(u, d);
                links.add(new SpanLink(pair.from(), pair.to(), events[u], events[d]));
            }
            links.sort(Comparator.comparingInt((SpanLink l) -> positions.get(l.downstream().id()))
                    .thenComparingInt(l -> positions.get(l.upstream().id())));
            spanLinks.addAll(links);
        }

        private static final class LockHistory {
            int lastExclusiveRelease = -1;
            final IntList sharedReleases = new IntList();
        }

        private void lockEdges() {
            Map<ChainKey, LockHistory> byLock = new HashMap<>();
            for (int i = 0; i < events.length; i++) {
                if (kindTags[i] != KindTag.LOCK_ACQUIRE && kindTags[i] != KindTag.LOCK_RELEASE) {
                    continue;
                }
                EventKind k = events[i].kind();
                if (k instanceof EventKind.LockAcquire a) {
                    LockHistory h = byLock.computeIfAbsent(new ChainKey(events[i].traceId(), a.lockId()),
                            x -> new LockHistory());
                    if (h.lastExclusiveRelease >= 0) {
                        edge(h.lastExclusiveRelease, i);
                    }
                    if (!LockTypes.isShared(a.lockType())) {
                        for (int j = 0; j < h.sharedReleases.size(); j++) {
                            edge(h.sharedReleases.get(j), i);
                        }
                        h.sharedReleases.clear();
                    }
                } else if (k instanceof EventKind.LockRelease r) {
                    LockHistory h = byLock.computeIfAbsent(new ChainKey(events[i].traceId(), r.lockId()),
                            x -> new LockHistory());
                    if (LockTypes.isShared(r.lockType())) {
                        h.sharedReleases.add(i);
                    } else {
                        h.lastExclusiveRelease = i;
                    }
                }
            }
        }

        private static String ownComponent(Event e) {
            VectorClock vc = e.causalityVector();
            if (vc.isEmpty()) {
                return null;
            }
            var md = e.metadata();
            if (md.instanceId().isPresent()) {
                // A forked context (the SDK's fork(), the agent's threads and tasks) counts on its own component,
                // service#instance/<thread id>, next to the components it inherited from its parent.
                String forked = md.serviceName() + "#" + md.instanceId().get() + "/" + md.threadId();
                if (vc.get(forked).isPresent()) {
                    return forked;
                }
                String c = md.serviceName() + "#" + md.instanceId().get();
                if (vc.get(c).isPresent()) {
                    return c;
                }
            }
            if (vc.size() == 1) {
                return vc.entries().get(0).component();
            }
            String prefix = md.serviceName() + "#";
            String found = null;
            for (ClockEntry ce : vc.entries()) {
                if (ce.component().startsWith(prefix)) {
                    if (found != null) {
                        return null;
                    }
                    found = ce.component();
                }
            }
            return found;
        }

        private final class ClockChain {
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

        private void clockEdges() {
            Map<ChainKey, ClockChain> chains = new HashMap<>();
            String[] own = new String[events.length];
            boolean any = false;
            for (int i = 0; i < events.length; i++) {
                own[i] = ownComponent(events[i]);
                if (own[i] != null) {
                    any = true;
                    chains.computeIfAbsent(new ChainKey(events[i].traceId(), own[i]), k -> new ClockChain())
                            .members.add(i);
                }
            }
            if (!any) {
                return;
            }
            chains.forEach((k, c) -> c.seal(k.name()));
            // Sound: every edge is confirmed by a full vector comparison. Complete for SDK clocks, where each event
            // increments its own component, because then the latest event of each component an event has seen
            // is exactly what dominates it.
            for (ClockChain c : chains.values()) {
                for (int j = 1; j < c.sorted.length; j++) {
                    int a = c.sorted[j - 1];
                    int b = c.sorted[j];
                    if (events[a].causalityVector().happenedBefore(events[b].causalityVector())) {
                        edge(a, b);
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
                    ClockChain c = chains.get(new ChainKey(events[b].traceId(), ce.component()));
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
                            edge(a, b);
                        }
                    }
                }
            }
        }

        private void predecessorLists() {
            int n = events.length;
            predStart = new int[n + 1];
            int m = edgeFrom.size();
            for (int e = 0; e < m; e++) {
                predStart[edgeTo.get(e) + 1]++;
            }
            for (int i = 0; i < n; i++) {
                predStart[i + 1] += predStart[i];
            }
            preds = new int[m];
            int[] fill = Arrays.copyOf(predStart, n);
            for (int e = 0; e < m; e++) {
                preds[fill[edgeTo.get(e)]++] = edgeFrom.get(e);
            }
        }

        private void topologicalOrder() {
            int n = events.length;
            topo = new int[n];
            rank = new int[n];
            boolean forward = true;
            for (int e = 0; e < edgeFrom.size() && forward; e++) {
                forward = edgeFrom.get(e) < edgeTo.get(e);
            }
            if (forward) {
                for (int i = 0; i < n; i++) {
                    topo[i] = i;
                    rank[i] = i;
                }
                return;
            }
            int m = edgeFrom.size();
            int[] succStart = new int[n + 1];
            for (int e = 0; e < m; e++) {
                succStart[edgeFrom.get(e) + 1]++;
            }
            for (int i = 0; i < n; i++) {
                succStart[i + 1] += succStart[i];
            }
            int[] succ = new int[m];
            int[] fill = Arrays.copyOf(succStart, n);
            int[] indeg = new int[n];
            for (int e = 0; e < m; e++) {
                succ[fill[edgeFrom.get(e)]++] = edgeTo.get(e);
                indeg[edgeTo.get(e)]++;
            }
            IntHeap heap = new IntHeap(n);
            for (int i = 0; i < n; i++) {
                if (indeg[i] == 0) {
                    heap.push(i);
                }
            }
            boolean[] done = new boolean[n];
            int k = 0;
            int scan = 0;
            while (k < n) {
                int v;
                if (heap.isEmpty()) {
                    while (done[scan]) {
                        scan++;
                    }
                    v = scan; // a cycle: release its earliest member; its unprocessed in-edges are dropped
                } else {
                    v = heap.pop();
                    if (done[v]) {
                        continue;
                    }
                }
                done[v] = true;
                rank[v] = k;
                topo[k++] = v;
                for (int s = succStart[v]; s < succStart[v + 1]; s++) {
                    int w = succ[s];
                    if (--indeg[w] == 0 && !done[w]) {
                        heap.push(w);
                    }
                }
            }
        }

        private void chainsAndClocks() {
            int n = events.length;
            vchain = new int[n];
            vpos = new int[n];
            IntList tails = new IntList();
            IntList lens = new IntList();
            for (int v : topo) {
                int c = -1;
                int tp = prevInThread[v];
                if (tp >= 0) {
                    if (rank[tp] < rank[v] && tails.get(vchain[tp]) == tp) {
                        c = vchain[tp];
                    }
                } else {
                    for (int p = predStart[v]; p < predStart[v + 1]; p++) {
                        int u = preds[p];
                        if (rank[u] < rank[v] && !hasThreadSuccessor[u] && tails.get(vchain[u]) == u) {
                            c = vchain[u];
                            break;
                        }
                    }
                }
                if (c < 0) {
                    c = tails.size();
                    tails.add(v);
                    lens.add(0);
                }
                vchain[v] = c;
                vpos[v] = lens.get(c);
                lens.data()[c]++;
                tails.data()[c] = v;
            }
            chainCount = tails.size();
            joinRef = new int[n];
            List<int[]> vecs = new ArrayList<>();
            int[] lastRef = new int[chainCount];
            Arrays.fill(lastRef, -1);
            for (int v : topo) {
                int c = vchain[v];
                boolean join = false;
                for (int p = predStart[v]; p < predStart[v + 1] && !join; p++) {
                    int u = preds[p];
                    join = rank[u] < rank[v] && vchain[u] != c;
                }
                if (!join) {
                    joinRef[v] = lastRef[c];
                    continue;
                }
                int[] vec = lastRef[c] >= 0 ? vecs.get(lastRef[c]).clone() : new int[chainCount];
                for (int p = predStart[v]; p < predStart[v + 1]; p++) {
                    int u = preds[p];
                    if (rank[u] >= rank[v] || vchain[u] == c) {
                        continue;
                    }
                    int r = joinRef[u];
                    if (r >= 0) {
                        int[] other = vecs.get(r);
                        for (int t = 0; t < chainCount; t++) {
                            if (other[t] > vec[t]) {
                                vec[t] = other[t];
                            }
                        }
                    }
                    int cu = vchain[u];
                    if (vpos[u] + 1 > vec[cu]) {
                        vec[cu] = vpos[u] + 1;
                    }
                }
                joinRef[v] = vecs.size();
                lastRef[c] = vecs.size();
                vecs.add(vec);
            }
            joinVecs = vecs.toArray(new int[0][]);
        }

        private void lockSets() {
            int n = events.length;
            locks = new LockSet[n];
            Map<LockSet, LockSet> interned = new HashMap<>();
            interned.put(LockSet.EMPTY, LockSet.EMPTY);
            List<TreeMap<String, int[]>> held = new ArrayList<>();
            List<LockSet> current = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int c = threadChain[i];
                while (held.size() <= c) {
                    held.add(null);
                    current.add(LockSet.EMPTY);
                }
                locks[i] = current.get(c);
                if (kindTags[i] != KindTag.LOCK_ACQUIRE && kindTags[i] != KindTag.LOCK_RELEASE) {
                    continue;
                }
                EventKind k = events[i].kind();
                if (k instanceof EventKind.LockAcquire a) {
                    TreeMap<String, int[]> h = held.get(c);
                    if (h == null) {
                        h = new TreeMap<>();
                        held.set(c, h);
                    }
                    int[] counts = h.computeIfAbsent(a.lockId(), x -> new int[2]);
                    counts[0]++;
                    if (!LockTypes.isShared(a.lockType())) {
                        counts[1]++;
                    }
                    current.set(c, snapshot(h, interned));
                } else if (k instanceof EventKind.LockRelease r) {
                    TreeMap<String, int[]> h = held.get(c);
                    int[] counts = h == null ? null : h.get(r.lockId());
                    if (counts != null) {
                        counts[0]--;
                        if (!LockTypes.isShared(r.lockType()) && counts[1] > 0) {
                            counts[1]--;
                        }
                        if (counts[0] <= 0) {
                            h.remove(r.lockId());
                        }
                        current.set(c, snapshot(h, interned));
                    }
                }
            }
        }

        private static LockSet snapshot(TreeMap<String, int[]> held, Map<LockSet, LockSet> interned) {
            Map<String, Boolean> m = new TreeMap<>();
            held.forEach((id, counts) -> m.put(id, counts[1] == 0));
            LockSet s = LockSet.of(m);
            return interned.computeIfAbsent(s, x -> x);
        }
    }

    /** A binary min-heap of ints (Kahn's algorithm picks the earliest ready event, keeping the order canonical). */
    private static final class IntHeap {
        private final int[] a;
        private int size;

        IntHeap(int capacity) {
            a = new int[Math.max(1, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(int v) {
            int i = size++;
            a[i] = v;
            while (i > 0) {
                int p = (i - 1) >>> 1;
                if (a[p] <= a[i]) {
                    break;
                }
                int t = a[p];
                a[p] = a[i];
                a[i] = t;
                i = p;
            }
        }

        int pop() {
            int top = a[0];
            a[0] = a[--size];
            int i = 0;
            while (true) {
                int l = 2 * i + 1;
                if (l >= size) {
                    break;
                }
                int m = l + 1 < size && a[l + 1] < a[l] ? l + 1 : l;
                if (a[i] <= a[m]) {
                    break;
                }
                int t = a[m];
                a[m] = a[i];
                a[i] = t;
                i = m;
            }
            return top;
        }
    }
}
