package dev.raceway.core.causality;

import dev.raceway.core.event.DistributedEdge;
import dev.raceway.core.event.Event;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The happens-before relation over a set of events, answering {@link #happensBefore} in O(1).
 *
 * <p>Edges: parent links, program order within one (trace, thread), distributed span calls (explicit
 * {@link DistributedEdge}s and {@code upstream_span_id} metadata) and their inferred responses (a callee that ended
 * before its caller went on, with {@link CausalityOptions#clockSkew()} across instances), lock release → next
 * acquire of the same lock in the same trace (see {@link CausalityOptions}), and SDK vector clocks compared within
 * one trace through per-context components only ({@link ClockComponents}). Events are first de-duplicated by id and
 * put in a canonical order (effective timestamp — the latest on the parent chain, so parent links win over
 * timestamps —, parent-chain depth, id), so the result does not depend on arrival order. Contradictory input
 * (parent cycles, clocks contradicting parents) cannot make the relation cyclic: the topological sort breaks each
 * cycle deterministically and the edges it drops are not part of the relation.
 *
 * <p>Representation: the DAG is covered by chains (a thread's program order, extended by threads that start after
 * a finished one); an event's vector clock over the chains is stored only at join points (events with a
 * predecessor on another chain), so memory is O(n + joins × chains) ({@link ChainClocks}). The analyses of this
 * package read it through the package-private accessors at the end of this class, by event position, and never
 * see the arrays behind them.
 */
public final class CausalityIndex {
    private final Event[] events;
    /** Per event: its {@link KindTag}. */
    private final byte[] kindTags;
    private final Map<UUID, Integer> positions;
    private final int[] parent;
    /** Per event: its thread ({@link ThreadChains}). */
    private final int[] thread;
    /** The events in topological order. */
    private final int[] topo;
    private final ChainClocks clocks;
    private final LockSet[] locks;
    private final List<SpanLink> spanLinks;

    private CausalityIndex(CanonicalOrder canonical, ThreadChains threads, TopologicalOrder topo, ChainClocks clocks,
                           LockSet[] locks, List<SpanLink> spanLinks) {
        this.events = canonical.events;
        this.kindTags = canonical.kindTags;
        this.positions = canonical.positions;
        this.parent = canonical.parent;
        this.thread = threads.thread;
        this.topo = topo.order;
        this.clocks = clocks;
        this.locks = locks;
        this.spanLinks = List.copyOf(spanLinks);
    }

    public static CausalityIndex of(Collection<Event> events) {
        return of(events, List.of(), CausalityOptions.DEFAULT);
    }

    public static CausalityIndex of(Collection<Event> events, Collection<DistributedEdge> edges) {
        return of(events, edges, CausalityOptions.DEFAULT);
    }

    /**
     * Builds the index in phases, each a class of its own: canonical order, program order, the happens-before edges
     * (parent and program order, distributed calls, locks, SDK clocks — in that order), a topological order, the
     * chain clocks and the lock sets.
     */
    public static CausalityIndex of(Collection<Event> events, Collection<DistributedEdge> edges,
                                    CausalityOptions options) {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(edges, "edges");
        Objects.requireNonNull(options, "options");
        CanonicalOrder canonical = CanonicalOrder.of(events);
        Event[] ordered = canonical.events;
        int n = ordered.length;
        ThreadChains threads = ThreadChains.of(ordered);
        EdgeList edgeList = EdgeList.parentAndProgramOrder(canonical.parent, threads);
        List<SpanLink> links = SpanEdges.add(ordered, threads, edges, options.clockSkewNanos(), edgeList);
        if (options.lockEdges()) {
            LockEdges.add(ordered, canonical.kindTags, edgeList);
        }
        if (options.clockEdges()) {
            ClockEdges.add(ordered, edgeList);
        }
        EdgeList.Adjacency predecessors = edgeList.predecessors(n);
        TopologicalOrder topo = TopologicalOrder.of(n, edgeList, predecessors);
        ChainClocks clocks = ChainClocks.of(topo, threads, predecessors);
        LockSet[] locks = LockSets.of(ordered, canonical.kindTags, threads.thread);
        return new CausalityIndex(canonical, threads, topo, clocks, locks, links);
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
        return clocks.chainCount();
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
        return clocks.happensBefore(position(a), position(b));
    }

    /** Distinct events with no happens-before path in either direction. */
    public boolean concurrent(Event a, Event b) {
        return concurrent(a.id(), b.id());
    }

    public boolean concurrent(UUID a, UUID b) {
        int ia = position(a);
        int ib = position(b);
        return ia != ib && !clocks.happensBefore(ia, ib) && !clocks.happensBefore(ib, ia);
    }

    /** The locks its thread held when the event happened (before a lock event's own effect). */
    public LockSet locksHeldAt(Event e) {
        return locksHeldAt(e.id());
    }

    public LockSet locksHeldAt(UUID id) {
        return locks[position(id)];
    }

    private int position(UUID id) {
        Integer p = positions.get(id);
        if (p == null) {
            throw new IllegalArgumentException("event " + id + " is not part of this causality index");
        }
        return p;
    }

    // The analyses' read-only view, by event position (0 … size() - 1, canonical order). Small enough to inline;
    // no analysis sees how events, clocks or lock sets are stored.

    /** The event at canonical position {@code i}. */
    Event eventAt(int i) {
        return events[i];
    }

    /** The {@link KindTag} of the event at {@code i}. */
    byte kindTagAt(int i) {
        return kindTags[i];
    }

    /** The position of the {@code k}-th event in topological order. */
    int topologicalAt(int k) {
        return topo[k];
    }

    /** The thread of the event at {@code i}: a (trace, process, thread id), numbered densely. */
    int threadAt(int i) {
        return thread[i];
    }

    /** The locks held at the event at {@code i}; interned, so identity is equality. */
    LockSet locksAt(int i) {
        return locks[i];
    }

    /** The chain (of {@link #chainCount()}) the event at {@code i} lies on. */
    int chainAt(int i) {
        return clocks.chainOf(i);
    }

    /** The position of the event at {@code i} on its chain; one chain's events happen in this order. */
    int chainPositionAt(int i) {
        return clocks.positionOf(i);
    }

    /** An opaque reference to the vector clock of the event at {@code i}, for {@link #clockEntry}. */
    int clockRefAt(int i) {
        return clocks.clockRefOf(i);
    }

    /**
     * Entry {@code chain} of a vector clock ({@link #clockRefAt}): how many events of that chain happen before or at
     * the clock's event, so an event at chain position p happens before it iff p is below the entry. Only for chains
     * other than the event's own.
     */
    int clockEntry(int ref, int chain) {
        return clocks.entry(ref, chain);
    }

    /** True when a happens-before path leads from the event at {@code a} to the event at {@code b}. */
    boolean happensBefore(int a, int b) {
        return clocks.happensBefore(a, b);
    }
}
