package dev.raceway.core.causality;

import dev.raceway.core.event.DistributedEdge;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Race detection across traces, fed one trace at a time so that storage can stream them.
 *
 * <p>Two events of different traces are ordered only by a happens-before path, which can only cross traces through
 * a distributed span edge. Traces that no span edge connects to another trace are analysed on their own as they
 * arrive and only their StateChange accesses are kept; every pair of accesses from two such unconnected groups is
 * concurrent, so those pairs are counted per variable from (access class, lock set) counts without enumerating
 * them. Traces connected by span edges are kept whole until {@link Builder#build()} and analysed together with one
 * {@link CausalityIndex}. Cross-trace connections are recognised from the edges given to {@link #builder} and from
 * {@code upstream_span_id} metadata; pass every known distributed edge (storage keeps them) so that a connection
 * revealed only by a later trace is not missed.
 */
public final class GlobalRaces {
    public static final int DEFAULT_MAX_DETAILS = 100;
    public static final int DEFAULT_EXAMPLES_PER_VARIABLE = 5;
    /** Bound on pairs inspected per variable while picking cross-trace examples (counts are unaffected). */
    private static final int EXAMPLE_SCAN_BUDGET = 100_000;

    private GlobalRaces() {
    }

    public static Builder builder() {
        return new Builder(List.of());
    }

    public static Builder builder(Collection<DistributedEdge> edges) {
        return new Builder(edges);
    }

    /** Convenience: analyse traces given as an iterable (each element the events of one trace). */
    public static GlobalRaceReport analyze(Iterable<? extends Collection<Event>> traces,
                                           Collection<DistributedEdge> edges) {
        Builder b = builder(edges);
        for (Collection<Event> t : traces) {
            b.addTrace(t);
        }
        return b.build();
    }

    private static final Comparator<RacePair> EXAMPLE_ORDER =
            Comparator.comparing(RacePair::severity).thenComparing(RacePair.ORDER);
    private static final Comparator<Access> ACCESS_ORDER = (a, b) -> {
        int c = a.event().timestamp().compareTo(b.event().timestamp());
        return c != 0 ? c : a.event().id().compareTo(b.event().id());
    };
    /** Accesses per class considered when picking examples (the earliest ones); all of them if that finds too few. */
    private static final int EXAMPLE_CANDIDATES = 64;
    private static final Comparator<ClassKey> CLASS_ORDER = Comparator.comparingInt(ClassKey::accessClass)
            .thenComparing(k -> k.locks().toString());

    private record Access(Event event, int classId, int component) {
    }

    private record ClassKey(int accessClass, LockSet locks) {
    }

    private static final class VariableAggregate {
        final String name;
        final Map<ClassKey, Integer> classIds = new HashMap<>();
        final List<ClassKey> classes = new ArrayList<>();
        long[] totals = new long[4];
        final Map<Long, Long> sameComponentProducts = new HashMap<>();
        final List<Access> accesses = new ArrayList<>();
        long intraPairs;
        long intraCritical;
        final List<RacePair> intraExamples = new ArrayList<>();
        int traceCount;

        VariableAggregate(String name) {
            this.name = name;
        }

        int classId(int accessClass, LockSet locks) {
            ClassKey key = new ClassKey(accessClass, locks);
            Integer id = classIds.get(key);
            if (id == null) {
                id = classes.size();
                classIds.put(key, id);
                classes.add(key);
                if (totals.length <= id) {
                    totals = java.util.Arrays.copyOf(totals, totals.length * 2);
                }
            }
            return id;
        }

        long sameProduct(int a, int b) {
            return sameComponentProducts.getOrDefault(pairKey(a, b), 0L);
        }

        static long pairKey(int a, int b) {
            int lo = Math.min(a, b);
            int hi = Math.max(a, b);
            return ((long) lo << 32) | hi;
        }
    }

    public static final class Builder {
        private final Map<String, List<String>> edgePartners = new HashMap<>();
        private final Map<String, List<DistributedEdge>> edgesBySpan = new HashMap<>();
        private int maxDetails = DEFAULT_MAX_DETAILS;
        private int examplesPerVariable = DEFAULT_EXAMPLES_PER_VARIABLE;
        private final Set<UUID> seenTraces = new HashSet<>();
        private final Map<UUID, List<Event>> connected = new LinkedHashMap<>();
        private final Set<String> awaitedSpans = new HashSet<>();
        private final Map<String, VariableAggregate> variables = new HashMap<>();
        private final Map<LockSet, LockSet> lockSets = new HashMap<>();
        private int components;
        private long eventCount;
        private long accessCount;
        private boolean built;

        private Builder(Collection<DistributedEdge> edges) {
            Objects.requireNonNull(edges, "edges");
            for (DistributedEdge e : edges) {
                Objects.requireNonNull(e, "edges must not contain null");
                edgePartners.computeIfAbsent(e.fromSpan(), k -> new ArrayList<>()).add(e.toSpan());
                edgePartners.computeIfAbsent(e.toSpan(), k -> new ArrayList<>()).add(e.fromSpan());
                edgesBySpan.computeIfAbsent(e.fromSpan(), k -> new ArrayList<>()).add(e);
                edgesBySpan.computeIfAbsent(e.toSpan(), k -> new ArrayList<>()).add(e);
            }
        }

        /** Race pairs listed in {@link GlobalRaceReport#details()} (default 100). */
        public Builder maxDetails(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxDetails must be non-negative, got " + n);
            }
            this.maxDetails = n;
            return this;
        }

        /** Example pairs kept per variable (default 5). */
        public Builder examplesPerVariable(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("examplesPerVariable must be non-negative, got " + n);
            }
            this.examplesPerVariable = n;
            return this;
        }

        /**
         * Adds the events of one or more whole traces. A trace must be given in one call: its events arriving in
         * a later call would be treated as another trace, so that is rejected.
         *
         * @throws IllegalArgumentException when a trace id was already added
         */
        public Builder addTrace(Collection<Event> events) {
            Objects.requireNonNull(events, "events");
            if (built) {
                throw new IllegalStateException("build() was already called");
            }
            Map<UUID, List<Event>> byTrace = new LinkedHashMap<>();
            for (Event e : events) {
                Objects.requireNonNull(e, "events must not contain null");
                byTrace.computeIfAbsent(e.traceId(), k -> new ArrayList<>()).add(e);
            }
            for (UUID t : byTrace.keySet()) {
                if (seenTraces.contains(t)) {
                    throw new IllegalArgumentException("trace " + t + " was already added");
                }
            }
            byTrace.forEach((trace, list) -> {
                seenTraces.add(trace);
                if (connectsElsewhere(list)) {
                    connected.put(trace, list);
                    for (Event e : list) {
                        e.metadata().upstreamSpanId().ifPresent(awaitedSpans::add);
                    }
                } else {
                    analyzeComponent(List.of(trace), list, edgesWithin(list));
                }
            });
            return this;
        }

        private boolean connectsElsewhere(List<Event> events) {
            Set<String> spans = new HashSet<>();
            for (Event e : events) {
                e.metadata().distributedSpanId().ifPresent(spans::add);
            }
            for (Event e : events) {
                var up = e.metadata().upstreamSpanId();
                if (up.isPresent() && e.metadata().distributedSpanId().isPresent() && !spans.contains(up.get())) {
                    return true;
                }
            }
            for (String s : spans) {
                if (awaitedSpans.contains(s)) {
                    return true; // a trace kept earlier names this span as its upstream
                }
                for (String partner : edgePartners.getOrDefault(s, List.of())) {
                    if (!spans.contains(partner)) {
                        return true;
                    }
                }
            }
            return false;
        }

        private List<DistributedEdge> edgesWithin(List<Event> events) {
            if (edgesBySpan.isEmpty()) {
                return List.of();
            }
            Set<DistributedEdge> out = new HashSet<>();
            for (Event e : events) {
                e.metadata().distributedSpanId().ifPresent(s -> out.addAll(edgesBySpan.getOrDefault(s, List.of())));
            }
            return new ArrayList<>(out);
        }

        private void analyzeComponent(List<UUID> traces, List<Event> events, List<DistributedEdge> edges) {
            CausalityIndex index = CausalityIndex.of(events, edges);
            int component = components++;
            eventCount += index.size();
            RaceCounter counter = new RaceCounter(index, maxDetails).run();
            counter.byVariable().forEach((name, c) -> {
                VariableAggregate va = variable(name);
                va.intraPairs += c.pairs();
                va.intraCritical += c.critical();
            });
            for (RacePair p : counter.details()) {
                VariableAggregate va = variable(p.variable());
                va.intraExamples.add(p);
                if (va.intraExamples.size() > 2 * Math.max(1, maxDetails)) {
                    // keep the first pairs in a fixed order, so the kept examples do not depend on arrival order
                    va.intraExamples.sort(EXAMPLE_ORDER);
                    va.intraExamples.subList(maxDetails, va.intraExamples.size()).clear();
                }
            }
            Map<VariableAggregate, IntList> local = new LinkedHashMap<>();
            Map<VariableAggregate, Set<UUID>> tracesOf = new HashMap<>();
            for (int i = 0; i < index.events.length; i++) {
                Event e = index.events[i];
                if (!(e.kind() instanceof EventKind.StateChange sc)) {
                    continue;
                }
                accessCount++;
                VariableAggregate va = variable(sc.variable());
                LockSet locks = lockSets.computeIfAbsent(index.locks[i], x -> x);
                int cid = va.classId(AccessClass.of(sc.accessType()), locks);
                va.accesses.add(new Access(e, cid, component));
                local.computeIfAbsent(va, k -> new IntList(4)).add(cid);
                if (traces.size() > 1) {
                    tracesOf.computeIfAbsent(va, k -> new HashSet<>()).add(e.traceId());
                }
            }
            for (Map.Entry<VariableAggregate, IntList> entry : local.entrySet()) {
                VariableAggregate va = entry.getKey();
                va.traceCount += traces.size() > 1 ? tracesOf.get(va).size() : 1;
                int[] ids = entry.getValue().toArray();
                java.util.Arrays.sort(ids);
                // distinct class ids with their counts in this component
                int distinct = 0;
                long[] counts = new long[ids.length];
                for (int i = 0; i < ids.length; i++) {
                    if (i == 0 || ids[i] != ids[i - 1]) {
                        ids[distinct++] = ids[i];
                    }
                    counts[distinct - 1]++;
                }
                for (int x = 0; x < distinct; x++) {
                    va.totals[ids[x]] += counts[x];
                    for (int y = x; y < distinct; y++) {
                        va.sameComponentProducts.merge(VariableAggregate.pairKey(ids[x], ids[y]),
                                counts[x] * counts[y], Long::sum);
                    }
                }
            }
        }

        private VariableAggregate variable(String name) {
            return variables.computeIfAbsent(name, VariableAggregate::new);
        }

        public GlobalRaceReport build() {
            if (built) {
                throw new IllegalStateException("build() was already called");
            }
            built = true;
            analyzeConnected();
            List<VariableRaces> byVariable = new ArrayList<>();
            long pairs = 0;
            long critical = 0;
            List<VariableAggregate> racing = new ArrayList<>();
            Map<VariableAggregate, long[]> crossCounts = new HashMap<>();
            for (VariableAggregate va : variables.values()) {
                long[] cross = crossPairs(va);
                long p = va.intraPairs + cross[0];
                if (p > 0) {
                    racing.add(va);
                    crossCounts.put(va, cross);
                }
                pairs += p;
                critical += va.intraCritical + cross[1];
            }
            racing.sort(Comparator.<VariableAggregate>comparingLong(va -> -(va.intraCritical + crossCounts.get(va)[1]))
                    .thenComparingLong(va -> -(va.intraPairs + crossCounts.get(va)[0]))
                    .thenComparing(va -> va.name));
            List<RacePair> details = new ArrayList<>();
            for (VariableAggregate va : racing) {
                long[] cross = crossCounts.get(va);
                int want = Math.max(examplesPerVariable, maxDetails - details.size());
                List<RacePair> examples = examples(va, cross, want);
                for (RacePair p : examples) {
                    if (details.size() >= maxDetails) {
                        break;
                    }
                    details.add(p);
                }
                long p = va.intraPairs + cross[0];
                long c = va.intraCritical + cross[1];
                byVariable.add(new VariableRaces(va.name, p, c, p - c, va.traceCount,
                        examples.subList(0, Math.min(examplesPerVariable, examples.size()))));
            }
            return new GlobalRaceReport(seenTraces.size(), eventCount, accessCount, pairs, critical,
                    pairs - critical, byVariable, details);
        }

        private void analyzeConnected() {
            if (connected.isEmpty()) {
                return;
            }
            Map<String, UUID> spanTrace = new HashMap<>();
            connected.forEach((t, events) -> {
                for (Event e : events) {
                    e.metadata().distributedSpanId().ifPresent(s -> spanTrace.putIfAbsent(s, t));
                }
            });
            Map<UUID, UUID> parent = new HashMap<>();
            for (UUID t : connected.keySet()) {
                parent.put(t, t);
            }
            connected.forEach((t, events) -> {
                for (Event e : events) {
                    e.metadata().upstreamSpanId().map(spanTrace::get).ifPresent(u -> union(parent, u, t));
                    e.metadata().distributedSpanId().ifPresent(s -> {
                        for (String partner : edgePartners.getOrDefault(s, List.of())) {
                            UUID other = spanTrace.get(partner);
                            if (other != null) {
                                union(parent, other, t);
                            }
                        }
                    });
                }
            });
            Map<UUID, List<UUID>> groups = new TreeMap<>();
            for (UUID t : connected.keySet()) {
                groups.computeIfAbsent(find(parent, t), k -> new ArrayList<>()).add(t);
            }
            for (List<UUID> group : groups.values()) {
                List<Event> all = new ArrayList<>();
                for (UUID t : group) {
                    all.addAll(connected.get(t));
                }
                analyzeComponent(group, all, edgesWithin(all));
            }
            connected.clear();
        }

        private static UUID find(Map<UUID, UUID> parent, UUID x) {
            UUID root = x;
            while (!parent.get(root).equals(root)) {
                root = parent.get(root);
            }
            while (!parent.get(x).equals(root)) {
                UUID next = parent.get(x);
                parent.put(x, root);
                x = next;
            }
            return root;
        }

        private static void union(Map<UUID, UUID> parent, UUID a, UUID b) {
            UUID ra = find(parent, a);
            UUID rb = find(parent, b);
            if (!ra.equals(rb)) {
                // the smaller id becomes the root so grouping does not depend on arrival order
                if (ra.compareTo(rb) < 0) {
                    parent.put(rb, ra);
                } else {
                    parent.put(ra, rb);
                }
            }
        }

        /** {pairs, critical} between accesses of different components (all concurrent). */
        private static long[] crossPairs(VariableAggregate va) {
            long pairs = 0;
            long critical = 0;
            int k = va.classes.size();
            for (int a = 0; a < k; a++) {
                ClassKey ca = va.classes.get(a);
                for (int b = a; b < k; b++) {
                    ClassKey cb = va.classes.get(b);
                    if (!AccessClass.mayRace(ca.accessClass(), ca.locks(), cb.accessClass(), cb.locks())) {
                        continue;
                    }
                    long n = a == b
                            ? (va.totals[a] * va.totals[a] - va.sameProduct(a, a)) / 2
                            : va.totals[a] * va.totals[b] - va.sameProduct(a, b);
                    pairs += n;
                    if (AccessClass.isWrite(ca.accessClass()) && AccessClass.isWrite(cb.accessClass())) {
                        critical += n;
                    }
                }
            }
            return new long[] {pairs, critical};
        }

        private List<RacePair> examples(VariableAggregate va, long[] cross, int want) {
            List<RacePair> out = new ArrayList<>(va.intraExamples);
            if (cross[0] > 0) {
                out.addAll(crossExamples(va, want));
            }
            out.sort(EXAMPLE_ORDER);
            return out.size() > want ? new ArrayList<>(out.subList(0, want)) : out;
        }

        private static List<Access> earliest(List<Access> list, int limit) {
            if (list.size() <= limit) {
                list.sort(ACCESS_ORDER);
                return list;
            }
            java.util.PriorityQueue<Access> heap = new java.util.PriorityQueue<>(limit + 1, ACCESS_ORDER.reversed());
            for (Access a : list) {
                if (heap.size() < limit) {
                    heap.add(a);
                } else if (ACCESS_ORDER.compare(a, heap.peek()) < 0) {
                    heap.poll();
                    heap.add(a);
                }
            }
            List<Access> out = new ArrayList<>(heap);
            out.sort(ACCESS_ORDER);
            return out;
        }

        private static List<RacePair> crossExamples(VariableAggregate va, int want) {
            List<RacePair> out = crossExamples(va, want, EXAMPLE_CANDIDATES);
            return out.size() >= want ? out : crossExamples(va, want, Integer.MAX_VALUE);
        }

        /** Examples among the {@code candidates} earliest accesses of each class (a fixed, arrival-independent set). */
        private static List<RacePair> crossExamples(VariableAggregate va, int want, int candidates) {
            int k = va.classes.size();
            List<List<Access>> byClass = new ArrayList<>(k);
            for (int i = 0; i < k; i++) {
                byClass.add(new ArrayList<>());
            }
            for (Access a : va.accesses) {
                byClass.get(a.classId()).add(a);
            }
            for (int i = 0; i < k; i++) {
                byClass.set(i, earliest(byClass.get(i), candidates));
            }
            List<int[]> classPairs = new ArrayList<>();
            for (int a = 0; a < k; a++) {
                for (int b = a; b < k; b++) {
                    ClassKey ca = va.classes.get(a);
                    ClassKey cb = va.classes.get(b);
                    if (AccessClass.mayRace(ca.accessClass(), ca.locks(), cb.accessClass(), cb.locks())) {
                        classPairs.add(new int[] {a, b});
                    }
                }
            }
            // critical class pairs first, then a fixed order (class ids depend on arrival order)
            classPairs.sort(Comparator.<int[]>comparingInt(p -> AccessClass.isWrite(va.classes.get(p[0]).accessClass())
                            && AccessClass.isWrite(va.classes.get(p[1]).accessClass()) ? 0 : 1)
                    .thenComparing(p -> va.classes.get(p[0]), CLASS_ORDER)
                    .thenComparing(p -> va.classes.get(p[1]), CLASS_ORDER));
            List<RacePair> out = new ArrayList<>();
            int budget = EXAMPLE_SCAN_BUDGET;
            for (int[] cp : classPairs) {
                List<Access> la = byClass.get(cp[0]);
                List<Access> lb = byClass.get(cp[1]);
                for (int i = 0; i < la.size() && out.size() < want && budget > 0; i++) {
                    for (int j = cp[0] == cp[1] ? i + 1 : 0; j < lb.size() && out.size() < want && budget > 0; j++) {
                        budget--;
                        Access x = la.get(i);
                        Access y = lb.get(j);
                        if (x.component() != y.component()) {
                            out.add(RacePair.of(va.name, x.event(), y.event()));
                        }
                    }
                }
            }
            return out;
        }
    }
}
