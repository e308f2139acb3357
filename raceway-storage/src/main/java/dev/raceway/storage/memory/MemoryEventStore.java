package dev.raceway.storage.memory;

import dev.raceway.core.analysis.DurationStats;
import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.DistributedEdge;
import dev.raceway.core.event.DistributedSpan;
import dev.raceway.core.event.EdgeLinkType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.storage.AccessFootprint;
import dev.raceway.storage.EventStore;
import dev.raceway.storage.MemoryStoreConfig;
import dev.raceway.storage.RetentionResult;
import dev.raceway.storage.ServiceCall;
import dev.raceway.storage.ServiceSummary;
import dev.raceway.storage.StoreCounts;
import dev.raceway.storage.StoreHealth;
import dev.raceway.storage.TracePage;
import dev.raceway.storage.TraceQuery;
import dev.raceway.storage.TraceLink;
import dev.raceway.storage.TraceOperation;
import dev.raceway.storage.TraceSummary;
import dev.raceway.storage.VariableAccess;
import dev.raceway.storage.VariableSummary;
import dev.raceway.storage.WriteResult;
import dev.raceway.storage.internal.EventOrder;
import dev.raceway.storage.internal.ReadModelDelta;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * The default backend: everything in the heap, bounded by {@link MemoryStoreConfig#maxEvents()} and
 * {@link MemoryStoreConfig#maxBytes()}.
 *
 * <p>Events are kept compactly encoded ({@link CompactEventCodec}), packed into slabs ({@link EventSlabs}), and
 * decoded on read; every index refers to an event by its int handle. One read-write lock guards
 * all state: a write (a whole batch, with all its read models) is atomic, so concurrent writers never lose updates
 * and readers never see half a batch. The ingest pipeline writes from one thread in batches, so the lock is not
 * contended in practice.
 */
public final class MemoryEventStore implements EventStore {
    /** Strings kept once for all events; beyond this many, new strings are stored inline. */
    private static final int DICTIONARY_CAPACITY = 1 << 18;

    private static final Comparator<TraceData> OLDEST_FIRST = Comparator.comparing((TraceData t) -> t.last)
            .thenComparing(t -> t.traceId, EventOrder.UUID_ORDER.reversed());

    /** What an event costs besides its encoding: its id index slot, its handle in trace and variable lists. */
    static final int INDEX_BYTES_PER_EVENT = 48;

    private final long maxEvents;
    private final long maxBytes;
    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    private final StringDictionary dictionary;
    private final CompactEventCodec codec;

    // All guarded by rw.
    private final EventSlabs slabs = new EventSlabs();
    /** Event id → handle in {@link #slabs}. */
    private final UuidIndex byId = new UuidIndex();
    private final Map<UUID, TraceData> traces = new HashMap<>();
    /** Traces from oldest to newest last event (eviction order; reversed, the listing order). */
    private final TreeSet<TraceData> byAge = new TreeSet<>(OLDEST_FIRST);
    /** variable → trace → handles of the StateChange events of that trace on that variable. */
    private final Map<String, Map<UUID, HandleList>> variables = new HashMap<>();
    private final Map<String, SpanRecord> spans = new HashMap<>();
    private final Map<String, Map<String, DistributedEdge>> edgesByFrom = new HashMap<>();
    private final Map<String, Map<String, DistributedEdge>> edgesByTo = new HashMap<>();
    private final Map<String, DurationStats> baselines = new HashMap<>();
    private long eventCount;
    /** The stored events' cost in bytes ({@link #cost}). */
    private long storedBytes;
    private volatile boolean closed;

    public MemoryEventStore(MemoryStoreConfig config) {
        this.maxEvents = config.maxEvents();
        this.maxBytes = config.maxBytes();
        // The dictionary is never evicted: it may hold at most a sixteenth of the budget (two bytes a character).
        this.dictionary = new StringDictionary(DICTIONARY_CAPACITY, maxBytes / 32);
        this.codec = new CompactEventCodec(dictionary);
    }

    @Override
    public String backendName() {
        return "memory";
    }

    // ------------------------------------------------------------------ writes

    @Override
    public WriteResult write(List<Event> events) {
        Objects.requireNonNull(events, "events");
        for (Event e : events) {
            Objects.requireNonNull(e, "event");
        }
        Set<UUID> conflicting = new HashSet<>(0);
        List<Event> fresh = new ArrayList<>(events.size());
        rw.writeLock().lock();
        try {
            prefetch(events);
            int[] handles = new int[events.size()];
            long[] costs = new long[events.size()];
            try {
                for (Event e : events) {
                    int stored = byId.get(e.id());
                    if (stored >= 0) { // a duplicate (rare: an SDK retry)
                        if (!decode(stored).equals(e)) {
                            conflicting.add(e.id());
                        }
                        continue;
                    }
                    int length = codec.encode(e); // first: it may grow the buffer
                    long cost = cost(e, length);
                    if (cost > maxBytes / 4) {
                        throw new IllegalArgumentException("event " + e.id() + " takes " + cost + " bytes, more than "
                                + "a quarter of [storage.memory] max_bytes (" + maxBytes + ")");
                    }
                    int handle = slabs.add(codec.buffer(), length);
                    byId.putIfAbsent(e.id(), handle);
                    storedBytes += cost;
                    handles[fresh.size()] = handle;
                    costs[fresh.size()] = cost;
                    fresh.add(e);
                }
            } finally {
                // the events stored so far get their read models even when a later one is refused
                apply(ReadModelDelta.of(fresh), handles, costs);
            }
            evictBeyond(maxEvents, maxBytes);
            slabs.compact();
        } finally {
            rw.writeLock().unlock();
        }
        return new WriteResult(events.size(), fresh.size(), conflicting);
    }

    /**
     * Touches what inserting the batch will read: each id's slot in {@link #byId} (in a table of millions of
     * entries, a cache miss each) and the event objects (decoded on another core). The insert loop would take those
     * misses one after the other; this loop's iterations are independent, so the processor overlaps them, and the
     * inserts find the lines cached.
     */
    private void prefetch(List<Event> events) {
        long sum = 0;
        for (Event e : events) {
            sum += byId.touch(e.id()) + e.timestamp().getNano() + e.metadata().processId()
                    + (e.kind() instanceof EventKind.StateChange ? 1 : 0);
        }
        prefetched = sum;
    }

    /** Keeps the JIT from removing {@link #prefetch}'s reads as unused. */
    @SuppressWarnings("unused")
    private long prefetched;

    /**
     * Adds a batch's delta to the read models; {@code handles[i]} and {@code costs[i]} belong to the delta's event
     * at position {@code i}.
     */
    private void apply(ReadModelDelta delta, int[] handles, long[] costs) {
        for (ReadModelDelta.TraceDelta d : delta.traces()) {
            TraceData t = traces.get(d.traceId());
            if (t == null) {
                t = new TraceData(d.traceId(), d.first());
                traces.put(d.traceId(), t);
                t.apply(d, handles, costs);
                byAge.add(t);
            } else if (d.last().isAfter(t.last)) {
                // its newest event changes, and with it its place in eviction order: out under the old key
                byAge.remove(t);
                t.apply(d, handles, costs);
                byAge.add(t);
            } else {
                t.apply(d, handles, costs);
            }
            eventCount += d.eventCount();
            for (Map.Entry<String, ReadModelDelta.Positions> v : d.variables().entrySet()) {
                t.variables.add(v.getKey());
                HandleList list = variables.computeIfAbsent(v.getKey(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(d.traceId(), k -> new HandleList(2));
                ReadModelDelta.Positions positions = v.getValue();
                for (int i = 0; i < positions.size(); i++) {
                    list.add(handles[positions.get(i)]);
                }
            }
        }
        for (ReadModelDelta.SpanDelta d : delta.spans()) {
            SpanRecord s = spans.get(d.spanId());
            if (s == null) {
                spans.put(d.spanId(), new SpanRecord(d.traceId(), d.spanId(), d.service(), d.instance(), d.first(),
                        d.last()));
                traces.get(d.traceId()).spanIds.add(d.spanId());
            } else {
                s.include(d.first());
                s.include(d.last());
            }
        }
        for (ReadModelDelta.EdgeDelta d : delta.edges()) {
            Map<String, DistributedEdge> out = edgesByFrom.computeIfAbsent(d.from(), k -> new HashMap<>(2));
            if (!out.containsKey(d.to())) { // one edge per span pair; the first event that revealed it names it
                DistributedEdge edge = new DistributedEdge(d.from(), d.to(), d.linkType(), d.eventId(), d.timestamp());
                out.put(d.to(), edge);
                edgesByTo.computeIfAbsent(d.to(), k -> new HashMap<>(2)).put(d.from(), edge);
            }
        }
        delta.baselines().forEach((key, stats) -> baselines.merge(key, stats, DurationStats::merge));
    }

    /** A span's time range, widened in place as its events arrive (an immutable copy per event was garbage). */
    private static final class SpanRecord {
        final UUID traceId;
        final String spanId;
        final String service;
        final String instance;
        Instant first;
        Instant last;

        SpanRecord(UUID traceId, String spanId, String service, String instance, Instant first, Instant last) {
            this.traceId = traceId;
            this.spanId = spanId;
            this.service = service;
            this.instance = instance;
            this.first = first;
            this.last = last;
        }

        void include(Instant at) {
            if (at.isBefore(first)) {
                first = at;
            }
            if (at.isAfter(last)) {
                last = at;
            }
        }

        DistributedSpan view() {
            return new DistributedSpan(traceId, spanId, service, instance, first, Optional.of(last));
        }
    }

    // ------------------------------------------------------------------ deletion

    /** An event's share of the byte budget: its encoding, its index entries and the strings that key indexes. */
    private static long cost(Event e, int encodedLength) {
        long c = encodedLength + INDEX_BYTES_PER_EVENT;
        if (e.kind() instanceof EventKind.StateChange sc) {
            c += 2L * sc.variable().length();
        }
        return c;
    }

    private long evictBeyond(long cap, long byteCap) {
        long deleted = 0;
        while ((eventCount > cap || storedBytes > byteCap) && !byAge.isEmpty()) {
            deleteTrace(byAge.first());
            deleted++;
        }
        return deleted;
    }

    private void deleteTrace(TraceData t) {
        byAge.remove(t);
        traces.remove(t.traceId);
        for (int i = 0; i < t.events.size(); i++) {
            int h = t.events.get(i);
            byId.remove(CompactEventCodec.idOf(slabs.slab(h), slabs.offset(h)));
            slabs.remove(h);
        }
        eventCount -= t.events.size();
        storedBytes -= t.bytes;
        for (String v : t.variables) {
            Map<UUID, HandleList> perTrace = variables.get(v);
            if (perTrace != null) {
                perTrace.remove(t.traceId);
                if (perTrace.isEmpty()) {
                    variables.remove(v);
                }
            }
        }
        for (String spanId : t.spanIds) {
            spans.remove(spanId);
            Map<String, DistributedEdge> in = edgesByTo.remove(spanId);
            if (in != null) {
                for (String from : in.keySet()) {
                    Map<String, DistributedEdge> out = edgesByFrom.get(from);
                    if (out != null) {
                        out.remove(spanId);
                        if (out.isEmpty()) {
                            edgesByFrom.remove(from);
                        }
                    }
                }
            }
        }
    }

    @Override
    public RetentionResult deleteTracesOlderThan(Instant cutoff) {
        rw.writeLock().lock();
        try {
            long traceCount = 0;
            long before = eventCount;
            while (!byAge.isEmpty() && byAge.first().last.isBefore(cutoff)) {
                deleteTrace(byAge.first());
                traceCount++;
            }
            slabs.compact();
            return new RetentionResult(traceCount, before - eventCount);
        } finally {
            rw.writeLock().unlock();
        }
    }

    @Override
    public RetentionResult deleteOldestTracesBeyond(long max) {
        if (max < 0) {
            throw new IllegalArgumentException("maxEvents must be >= 0, got " + max);
        }
        rw.writeLock().lock();
        try {
            long before = eventCount;
            long traceCount = evictBeyond(max, Long.MAX_VALUE);
            slabs.compact();
            return new RetentionResult(traceCount, before - eventCount);
        } finally {
            rw.writeLock().unlock();
        }
    }

    @Override
    public void clear() {
        rw.writeLock().lock();
        try {
            byId.clear();
            slabs.clear();
            traces.clear();
            byAge.clear();
            variables.clear();
            spans.clear();
            edgesByFrom.clear();
            edgesByTo.clear();
            baselines.clear();
            dictionary.clear();
            eventCount = 0;
            storedBytes = 0;
        } finally {
            rw.writeLock().unlock();
        }
    }

    @Override
    public StoreHealth health() {
        return closed ? new StoreHealth(false, "memory", "store is closed")
                : new StoreHealth(true, "memory", "in-memory store, " + counts().events() + " of at most "
                + maxEvents + " events, " + storedBytes() + " of at most " + maxBytes + " bytes");
    }

    /** The stored events' share of {@link MemoryStoreConfig#maxBytes()}. */
    public long storedBytes() {
        rw.readLock().lock();
        try {
            return storedBytes;
        } finally {
            rw.readLock().unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    // ------------------------------------------------------------------ trace reads

    @Override
    public Optional<Event> event(UUID eventId) {
        rw.readLock().lock();
        try {
            int h = byId.get(eventId);
            return h < 0 ? Optional.empty() : Optional.of(decode(h));
        } finally {
            rw.readLock().unlock();
        }
    }

    @Override
    public List<Event> traceEvents(UUID traceId) {
        rw.readLock().lock();
        try {
            TraceData t = traces.get(traceId);
            return t == null ? List.of() : decodeSorted(t.events);
        } finally {
            rw.readLock().unlock();
        }
    }

    private List<Event> decodeSorted(HandleList handles) {
        List<Event> out = new ArrayList<>(handles.size());
        for (int i = 0; i < handles.size(); i++) {
            out.add(decode(handles.get(i)));
        }
        out.sort(EventOrder.EVENTS);
        return out;
    }

    /** The event of a handle; under the lock (handles are reused and moved by writes, the dictionary grows). */
    private Event decode(int handle) {
        return codec.decode(slabs.slab(handle), slabs.offset(handle));
    }

    @Override
    public TracePage traceSummaries(TraceQuery query) {
        rw.readLock().lock();
        try {
            List<TraceSummary> page = new ArrayList<>(Math.min(query.pageSize(), 1024));
            long matched = 0;
            long offset = query.offset();
            for (Iterator<TraceData> it = byAge.descendingIterator(); it.hasNext(); ) {
                TraceData t = it.next();
                if (t.events.size() < query.minEvents()
                        || (query.service().isPresent() && !t.services.containsKey(query.service().get()))
                        || !query.matches(t.summary())) {
                    continue;
                }
                if (matched >= offset && page.size() < query.pageSize()) {
                    page.add(t.summary());
                }
                matched++;
            }
            return new TracePage(page, matched, query.page(), query.pageSize());
        } finally {
            rw.readLock().unlock();
        }
    }

    @Override
    public Optional<TraceSummary> traceSummary(UUID traceId) {
        rw.readLock().lock();
        try {
            return Optional.ofNullable(traces.get(traceId)).map(TraceData::summary);
        } finally {
            rw.readLock().unlock();
        }
    }

    @Override
    public void forEachTraceWithStateChanges(Consumer<List<Event>> action) {
        List<UUID> ids = new ArrayList<>();
        rw.readLock().lock();
        try {
            for (TraceData t : traces.values()) {
                if (!t.variables.isEmpty()) {
                    ids.add(t.traceId);
                }
            }
        } finally {
            rw.readLock().unlock();
        }
        forEachTrace(ids, action);
    }

    @Override
    public void forEachTrace(Collection<UUID> traceIds, Consumer<List<Event>> action) {
        // One trace at a time, and never call out while holding the lock: analyses must not block ingestion.
        for (UUID id : new ArrayList<>(traceIds)) {
            List<Event> events;
            rw.readLock().lock();
            try {
                TraceData t = traces.get(id);
                if (t == null) {
                    continue;
                }
                events = decodeSorted(t.events);
            } finally {
                rw.readLock().unlock();
            }
            action.accept(events);
        }
    }

    @Override
    public StoreCounts counts() {
        rw.readLock().lock();
        try {
            return new StoreCounts(eventCount, traces.size());
        } finally {
            rw.readLock().unlock();
        }
    }

    // ------------------------------------------------------------------ variables

    @Override
    public List<VariableAccess> variableAccesses(String variable) {
        rw.readLock().lock();
        try {
            Map<UUID, HandleList> perTrace = variables.get(variable);
            if (perTrace == null) {
                return List.of();
            }
            List<VariableAccess> out = new ArrayList<>();
            for (HandleList handles : perTrace.values()) {
                for (int i = 0; i < handles.size(); i++) {
                    out.add(VariableAccess.of(decode(handles.get(i))));
                }
            }
            out.sort(Comparator.comparing(VariableAccess::timestamp)
                    .thenComparing(VariableAccess::eventId, EventOrder.UUID_ORDER));
            return out;
        } finally {
            rw.readLock().unlock();
        }
    }

    @Override
    public List<VariableSummary> variableSummaries() {
        rw.readLock().lock();
        try {
            List<VariableSummary> out = new ArrayList<>(variables.size());
            for (Map.Entry<String, Map<UUID, HandleList>> v : new TreeMap<>(variables).entrySet()) {
                long accesses = 0;
                Set<String> threads = new HashSet<>();
                Set<String> services = new TreeSet<>();
                EnumSet<AccessType> types = EnumSet.noneOf(AccessType.class);
                List<UUID> traceIds = new ArrayList<>(v.getValue().keySet());
                traceIds.sort(EventOrder.UUID_ORDER);
                for (HandleList handles : v.getValue().values()) {
                    for (int i = 0; i < handles.size(); i++) {
                        Event e = decode(handles.get(i));
                        accesses++;
                        threads.add(e.metadata().threadId());
                        services.add(e.metadata().serviceName());
                        types.add(((EventKind.StateChange) e.kind()).accessType());
                    }
                }
                out.add(new VariableSummary(v.getKey(), accesses, threads.size(), new ArrayList<>(types), traceIds,
                        new ArrayList<>(services)));
            }
            return out;
        } finally {
            rw.readLock().unlock();
        }
    }

    @Override
    public List<AccessFootprint> accessFootprints() {
        rw.readLock().lock();
        try {
            List<AccessFootprint> out = new ArrayList<>();
            for (Map.Entry<String, Map<UUID, HandleList>> v : new TreeMap<>(variables).entrySet()) {
                List<UUID> traceIds = new ArrayList<>(v.getValue().keySet());
                traceIds.sort(EventOrder.UUID_ORDER);
                for (UUID traceId : traceIds) {
                    HandleList handles = v.getValue().get(traceId);
                    EnumSet<AccessType> types = EnumSet.noneOf(AccessType.class);
                    Set<List<String>> threads = new HashSet<>();
                    for (int i = 0; i < handles.size(); i++) {
                        Event e = decode(handles.get(i));
                        types.add(((EventKind.StateChange) e.kind()).accessType());
                        threads.add(List.of(e.metadata().serviceName(), e.metadata().instanceId().orElse(""),
                                e.metadata().threadId()));
                    }
                    TraceData t = traces.get(traceId);
                    out.add(new AccessFootprint(v.getKey(), traceId, types, threads.size(), t.wallStart(), t.last));
                }
            }
            return out;
        } finally {
            rw.readLock().unlock();
        }
    }

    // ------------------------------------------------------------------ distributed

    @Override
    public Optional<DistributedSpan> span(String spanId) {
        rw.readLock().lock();
        try {
            return Optional.ofNullable(spans.get(spanId)).map(SpanRecord::view);
        } finally {
            rw.readLock().unlock();
        }
    }

    @Override
    public List<DistributedSpan> spans(UUID traceId) {
        rw.readLock().lock();
        try {
            TraceData t = traces.get(traceId);
            if (t == null) {
                return List.of();
            }
            List<DistributedSpan> out = new ArrayList<>();
            for (String id : t.spanIds) {
                out.add(spans.get(id).view());
            }
            out.sort(EventOrder.SPANS);
            return out;
        } finally {
            rw.readLock().unlock();
        }
    }

    @Override
    public List<DistributedEdge> edges(UUID traceId) {
        rw.readLock().lock();
        try {
            TraceData t = traces.get(traceId);
            if (t == null) {
                return List.of();
            }
            Set<DistributedEdge> out = new HashSet<>();
            for (String id : t.spanIds) {
                out.addAll(edgesByTo.getOrDefault(id, Map.of()).values());
                out.addAll(edgesByFrom.getOrDefault(id, Map.of()).values());
            }
            List<DistributedEdge> list = new ArrayList<>(out);
            list.sort(EventOrder.EDGES);
            return list;
        } finally {
            rw.readLock().unlock();
        }
    }

    @Override
    public List<DistributedEdge> allEdges() {
        rw.readLock().lock();
        try {
            List<DistributedEdge> list = new ArrayList<>();
            for (Map<String, DistributedEdge> m : edgesByFrom.values()) {
                list.addAll(m.values());
            }
            list.sort(EventOrder.EDGES);
            return list;
        } finally {
            rw.readLock().unlock();
        }
    }

    @Override
    public List<ServiceCall> serviceCalls() {
        record Key(String from, String to, EdgeLinkType type) {
        }
        rw.readLock().lock();
        try {
            Map<Key, long[]> counts = new HashMap<>();
            Map<Key, Set<UUID>> traceSets = new HashMap<>();
            forEachEdgeBetweenKnownSpans((e, from, to) -> {
                Key k = new Key(from.service, to.service, e.linkType());
                counts.computeIfAbsent(k, x -> new long[1])[0]++;
                traceSets.computeIfAbsent(k, x -> new HashSet<>()).add(to.traceId);
            });
            List<ServiceCall> out = new ArrayList<>();
            counts.forEach((k, c) -> out.add(new ServiceCall(k.from, k.to, k.type, c[0], traceSets.get(k).size())));
            out.sort(EventOrder.SERVICE_CALLS);
            return out;
        } finally {
            rw.readLock().unlock();
        }
    }

    @Override
    public List<TraceLink> traceLinks() {
        rw.readLock().lock();
        try {
            Set<TraceLink> links = new HashSet<>();
            forEachEdgeBetweenKnownSpans((e, from, to) -> {
                if (!from.traceId.equals(to.traceId)) {
                    links.add(new TraceLink(from.traceId, to.traceId));
                }
            });
            List<TraceLink> out = new ArrayList<>(links);
            out.sort(TRACE_LINK_ORDER);
            return out;
        } finally {
            rw.readLock().unlock();
        }
    }

    private interface EdgeVisitor {
        void visit(DistributedEdge edge, SpanRecord from, SpanRecord to);
    }

    /** The edges whose two spans are both stored; under the read lock. */
    private void forEachEdgeBetweenKnownSpans(EdgeVisitor visitor) {
        for (Map<String, DistributedEdge> m : edgesByFrom.values()) {
            for (DistributedEdge e : m.values()) {
                SpanRecord from = spans.get(e.fromSpan());
                SpanRecord to = spans.get(e.toSpan());
                if (from != null && to != null) {
                    visitor.visit(e, from, to);
                }
            }
        }
    }

    static final Comparator<TraceLink> TRACE_LINK_ORDER = Comparator.comparing(TraceLink::upstream,
            EventOrder.UUID_ORDER).thenComparing(TraceLink::downstream, EventOrder.UUID_ORDER);

    // ------------------------------------------------------------------ services, baselines

    @Override
    public List<ServiceSummary> services() {
        rw.readLock().lock();
        try {
            Map<String, long[]> counts = new TreeMap<>(); // events, traces
            Map<String, Instant> last = new HashMap<>();
            for (TraceData t : traces.values()) {
                for (Map.Entry<String, ServiceStat> s : t.services.entrySet()) {
                    long[] c = counts.computeIfAbsent(s.getKey(), k -> new long[2]);
                    c[0] += s.getValue().events;
                    c[1]++;
                    last.merge(s.getKey(), s.getValue().last, (a, b) -> a.isAfter(b) ? a : b);
                }
            }
            List<ServiceSummary> out = new ArrayList<>(counts.size());
            counts.forEach((name, c) -> out.add(new ServiceSummary(name, c[0], c[1], last.get(name))));
            return out;
        } finally {
            rw.readLock().unlock();
        }
    }

    @Override
    public Map<String, DurationStats> baselines() {
        rw.readLock().lock();
        try {
            return Map.copyOf(baselines);
        } finally {
            rw.readLock().unlock();
        }
    }

    @Override
    public Optional<DurationStats> baseline(String key) {
        rw.readLock().lock();
        try {
            return Optional.ofNullable(baselines.get(key));
        } finally {
            rw.readLock().unlock();
        }
    }

    // ------------------------------------------------------------------ per-trace state

    private static final class ServiceStat {
        long events;
        Instant last;

        ServiceStat(Instant last) {
            this.last = last;
        }
    }

    private static final class TraceData {
        final UUID traceId;
        final HandleList events = new HandleList(4);
        final Map<String, ServiceStat> services = new TreeMap<>();
        final Set<String> variables = new HashSet<>(2);
        final List<String> spanIds = new ArrayList<>(1);
        Instant first;
        Instant last;
        /** The wall-clock start: the earliest timestamp − duration. */
        Instant start;
        /** The root (earliest parentless event) so far, and the operation it names; null until one arrives. */
        Instant rootAt;
        UUID rootId;
        String operation;
        /** The cost of its events in the byte budget. */
        long bytes;

        TraceData(UUID traceId, Instant ts) {
            this.traceId = traceId;
            this.first = ts;
            this.last = ts;
            this.start = ts;
        }

        void apply(ReadModelDelta.TraceDelta d, int[] handles, long[] costs) {
            ReadModelDelta.Positions positions = d.events();
            for (int i = 0; i < positions.size(); i++) {
                int position = positions.get(i);
                events.add(handles[position]);
                bytes += costs[position];
            }
            if (d.start().isBefore(start)) {
                start = d.start();
            }
            Optional<Event> root = d.root();
            if (root.isPresent()
                    && (rootAt == null || TraceOperation.precedes(root.get().timestamp(), root.get().id(), rootAt,
                    rootId))) {
                rootAt = root.get().timestamp();
                rootId = root.get().id();
                operation = d.operation().orElse(null);
            }
            if (d.first().isBefore(first)) {
                first = d.first();
            }
            if (d.last().isAfter(last)) {
                last = d.last();
            }
            for (ReadModelDelta.ServiceDelta sd : d.services()) {
                ServiceStat s = services.computeIfAbsent(sd.name(), k -> new ServiceStat(sd.last()));
                s.events += sd.eventCount();
                if (sd.last().isAfter(s.last)) {
                    s.last = sd.last();
                }
            }
        }

        /** The wall-clock start, never after the first event. */
        Instant wallStart() {
            return start.isAfter(first) ? first : start;
        }

        TraceSummary summary() {
            return new TraceSummary(traceId, events.size(), first, last, new ArrayList<>(services.keySet()),
                    wallStart(), Optional.ofNullable(operation));
        }
    }
}
