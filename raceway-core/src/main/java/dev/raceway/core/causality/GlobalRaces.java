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
 * <p>Traces that no span edge connects to another trace are analysed on their own as they arrive and only their
 * StateChange accesses are kept. Accesses of two such units (a trace, or traces connected by span edges) can race
 * only if the units' activity windows overlap in real time: a window runs from the earliest start (timestamp minus
 * duration) to the latest timestamp of the unit's events. Two windows on one instance's clock are compared exactly;
 * otherwise one must end more than the clock skew before the other starts to order them. Those pairs are counted
 * per variable from (site, access class, lock set) counts by a sweep over the windows sorted by start and end
 * (binary searches over prefix sums), without enumerating pairs. Traces connected by span edges are kept whole until {@link Builder#build()} and analysed together with one
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

    private record Access(Event event, int classId, int component) {
    }

    private record ClassKey(int site, int accessClass, LockSet locks) {
    }

    private static final class VariableAggregate {
        final String name;
        final Map<ClassKey, Integer> classIds = new HashMap<>();
        final List<ClassKey> classes = new ArrayList<>();
        /** Per (unit, class) with accesses: the unit, the class and how many accesses. */
        final IntList entryUnit = new IntList(8);
        final IntList entryClass = new IntList(8);
        final IntList entryCount = new IntList(8);
        final List<Access> accesses = new ArrayList<>();
        long intraPairs;
        long intraCritical;
        final List<RacePair> intraExamples = new ArrayList<>();
        int traceCount;
        /** After the sweep: racing pairs between units per class pair, {@code [b * classes + a]} (either order). */
        long[] crossByClassPair;

        VariableAggregate(String name) {
            this.name = name;
        }

        int classId(int site, int accessClass, LockSet locks) {
            ClassKey key = new ClassKey(site, accessClass, locks);
            Integer id = classIds.get(key);
            if (id == null) {
                id = classes.size();
                classIds.put(key, id);
                classes.add(key);
            }
            return id;
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
        private final Map<DistinctRaces.Site, Integer> siteIds = new HashMap<>();
        private final List<DistinctRaces.Site> sites = new ArrayList<>();
        private final Map<String, Integer> instanceIds = new HashMap<>();
        private final DistinctRaces distinct = new DistinctRaces();
        private CausalityOptions options = CausalityOptions.DEFAULT;
        private java.util.function.Predicate<RacePair> listed;
        private long skew = CausalityOptions.DEFAULT.clockSkewNanos();
        /** Per unit: its window, its instance (-1: several or unknown) and how many traces it has. */
        private long[] unitStart = new long[64];
        private long[] unitEnd = new long[64];
        private int[] unitInstance = new int[64];
        private int[] unitTraces = new int[64];
        /** Units ranked by window end and by window start (set at build). */
        private int[] rankByEnd;
        private int[] unitByEnd;
        private int[] rankByStart;
        private int[] unitByStart;
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

        /**
         * How far two instances' clocks may disagree (default 50 ms): windows of different instances overlap unless
         * one ends more than this before the other starts. Also used for the response-side edges inside each unit.
         */
        public Builder clockSkew(java.time.Duration clockSkew) {
            if (!connected.isEmpty() || components > 0) {
                throw new IllegalStateException("set the clock skew before adding traces");
            }
            this.options = CausalityOptions.DEFAULT.withClockSkew(clockSkew);
            this.skew = options.clockSkewNanos();
            return this;
        }

        /**
         * Lists in {@link GlobalRaceReport#details()} only the pairs {@code filter} accepts (e.g. only pairs
         * between traces); the filter applies before the cap, counts and per-variable examples are unaffected.
         */
        public Builder listOnly(java.util.function.Predicate<RacePair> filter) {
            this.listed = Objects.requireNonNull(filter, "filter");
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
            CausalityIndex index = CausalityIndex.of(events, edges, options);
            int component = components++;
            window(component, index, traces.size());
            eventCount += index.size();
            RaceCounter counter = new RaceCounter(index, maxDetails).run();
            counter.addDistinct(distinct, component);
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
            EventKind.StateChange lastKind = null;
            int lastSite = -1;
            for (int i = 0; i < index.size(); i++) {
                Event e = index.eventAt(i);
                if (!(e.kind() instanceof EventKind.StateChange sc)) {
                    continue;
                }
                accessCount++;
                VariableAggregate va = variable(sc.variable());
                LockSet locks = lockSets.computeIfAbsent(index.locksAt(i), x -> x);
                if (sc != lastKind) {
                    lastKind = sc;
                    lastSite = site(sc);
                }
                int cid = va.classId(lastSite, AccessClass.of(sc.accessType()), locks);
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
                for (int i = 0; i < ids.length; ) {
                    int j = i;
                    while (j < ids.length && ids[j] == ids[i]) {
                        j++;
                    }
                    va.entryUnit.add(component);
                    va.entryClass.add(ids[i]);
                    va.entryCount.add(j - i);
                    i = j;
                }
            }
        }

        private int site(EventKind.StateChange sc) {
            DistinctRaces.Site key = new DistinctRaces.Site(sc.location(), sc.accessType());
            Integer id = siteIds.putIfAbsent(key, sites.size());
            if (id == null) {
                id = sites.size();
                sites.add(key);
            }
            return id;
        }

        /** Records the unit's activity window and clock. */
        private void window(int unit, CausalityIndex index, int traces) {
            if (unit == unitStart.length) {
                int n = 2 * unit;
                unitStart = java.util.Arrays.copyOf(unitStart, n);
                unitEnd = java.util.Arrays.copyOf(unitEnd, n);
                unitInstance = java.util.Arrays.copyOf(unitInstance, n);
                unitTraces = java.util.Arrays.copyOf(unitTraces, n);
            }
            long start = Long.MAX_VALUE;
            long end = Long.MIN_VALUE;
            String instance = null;
            boolean single = index.size() > 0;
            for (int i = 0; i < index.size(); i++) {
                Event e = index.eventAt(i);
                start = Math.min(start, RealTime.start(e));
                end = Math.max(end, RealTime.end(e));
                if (single) {
                    String in = RealTime.instance(e);
                    if (in == null || (instance != null && !instance.equals(in))) {
                        single = false;
                    }
                    instance = in;
                }
            }
            unitStart[unit] = start;
            unitEnd[unit] = end;
            unitInstance[unit] = single ? instanceIds.computeIfAbsent(instance, k -> instanceIds.size()) : -1;
            unitTraces[unit] = traces;
        }

        private void rankUnits() {
            unitByEnd = byKey(unitEnd, components);
            unitByStart = byKey(unitStart, components);
            rankByEnd = new int[components];
            rankByStart = new int[components];
            for (int r = 0; r < components; r++) {
                rankByEnd[unitByEnd[r]] = r;
                rankByStart[unitByStart[r]] = r;
            }
        }

        /** Unit ids 0..n-1 sorted by {@code key}. */
        private static int[] byKey(long[] key, int n) {
            Integer[] boxed = new Integer[n];
            for (int i = 0; i < n; i++) {
                boxed[i] = i;
            }
            java.util.Arrays.sort(boxed, Comparator.comparingLong(i -> key[i]));
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = boxed[i];
            }
            return out;
        }

        /** True when unit {@code c}'s window ends before unit {@code d}'s starts, beyond doubt. */
        private boolean before(int c, int d) {
            boolean sameClock = unitInstance[c] >= 0 && unitInstance[c] == unitInstance[d];
            return sameClock ? unitEnd[c] < unitStart[d] : unitEnd[c] < unitStart[d] - skew;
        }

        private boolean overlap(int c, int d) {
            return !before(c, d) && !before(d, c);
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
            rankUnits();
            List<VariableAggregate> all = new ArrayList<>(variables.values());
            all.sort(Comparator.comparing(va -> va.name));
            for (VariableAggregate va : all) {
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
                List<RacePair> unfiltered = examples(va, cross, want, x -> true);
                List<RacePair> examples = unfiltered;
                if (listed != null) {
                    // filtered before the cap, so pairs that are not wanted never take a listed place
                    examples = examples(va, cross, want, listed);
                }
                for (RacePair p : examples) {
                    if (details.size() >= maxDetails) {
                        break;
                    }
                    details.add(p);
                }
                examples = unfiltered;
                long p = va.intraPairs + cross[0];
                long c = va.intraCritical + cross[1];
                byVariable.add(new VariableRaces(va.name, p, c, p - c, va.traceCount,
                        examples.subList(0, Math.min(examplesPerVariable, examples.size()))));
            }
            int[] traces = java.util.Arrays.copyOf(unitTraces, components);
            return new GlobalRaceReport(seenTraces.size(), eventCount, accessCount, pairs, critical,
                    pairs - critical, byVariable, details, distinct.result(u -> traces[u]));
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
            TraceGroups linked = new TraceGroups();
            connected.keySet().forEach(linked::add);
            connected.forEach((t, events) -> {
                for (Event e : events) {
                    e.metadata().upstreamSpanId().map(spanTrace::get).ifPresent(u -> linked.join(u, t));
                    e.metadata().distributedSpanId().ifPresent(s -> {
                        for (String partner : edgePartners.getOrDefault(s, List.of())) {
                            UUID other = spanTrace.get(partner);
                            if (other != null) {
                                linked.join(other, t);
                            }
                        }
                    });
                }
            });
            Map<UUID, List<UUID>> groups = new TreeMap<>();
            for (UUID t : connected.keySet()) {
                groups.computeIfAbsent(linked.representative(t), k -> new ArrayList<>()).add(t);
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

        /**
         * {pairs, critical} between accesses of different units whose windows overlap, added to the distinct races
         * too. For each unit d and class a, the a-accesses of units overlapping d are the a-accesses of other units
         * minus those of units before d and after d, found by binary search in a's units sorted by window end and
         * start (with prefix sums of their counts); units on d's own clock get the exact comparison instead of the
         * skewed one. Each cross pair is seen from both of its units, so the sum is halved.
         */
        private long[] crossPairs(VariableAggregate va) {
            int k = va.classes.size();
            int entries = va.entryUnit.size();
            if (entries < 2) {
                return new long[] {0, 0};
            }
            boolean[] racing = new boolean[k * k];
            boolean any = false;
            for (int a = 0; a < k; a++) {
                ClassKey ca = va.classes.get(a);
                for (int b = 0; b < k; b++) {
                    ClassKey cb = va.classes.get(b);
                    racing[a * k + b] = AccessClass.mayRace(ca.accessClass(), ca.locks(), cb.accessClass(), cb.locks());
                    any |= racing[a * k + b];
                }
            }
            if (!any) {
                return new long[] {0, 0};
            }
            Windows[] byClass = new Windows[k];
            long[] total = new long[k];
            for (int a = 0; a < k; a++) {
                byClass[a] = new Windows();
            }
            for (int x = 0; x < entries; x++) {
                int a = va.entryClass.get(x);
                byClass[a].add(va.entryUnit.get(x), va.entryCount.get(x));
                total[a] += va.entryCount.get(x);
            }
            for (Windows w : byClass) {
                w.seal(this);
            }
            // entries are grouped by unit (each unit's entries were added together)
            long[] ordered = new long[k * k]; // [b * k + a]: pairs of d's b-accesses with concurrent a-accesses
            DistinctRaces.Tally[] tallies = new DistinctRaces.Tally[k * k];
            long[] own = new long[k];
            long[] conc = new long[k];
            for (int x = 0; x < entries; ) {
                int d = va.entryUnit.get(x);
                int y = x;
                while (y < entries && va.entryUnit.get(y) == d) {
                    own[va.entryClass.get(y)] = va.entryCount.get(y);
                    y++;
                }
                java.util.Arrays.fill(conc, -1);
                for (int z = x; z < y; z++) {
                    int b = va.entryClass.get(z);
                    long nb = va.entryCount.get(z);
                    for (int a = 0; a < k; a++) {
                        if (!racing[a * k + b] || total[a] - own[a] == 0) {
                            continue;
                        }
                        if (conc[a] < 0) {
                            conc[a] = total[a] - own[a] - byClass[a].notOverlapping(this, d);
                        }
                        if (conc[a] > 0) {
                            ordered[b * k + a] += nb * conc[a];
                            DistinctRaces.Tally t = tallies[b * k + a];
                            if (t == null) {
                                t = distinct.tally(sites.get(va.classes.get(a).site()),
                                        sites.get(va.classes.get(b).site()));
                                tallies[b * k + a] = t;
                            }
                            t.mark(d);
                        }
                    }
                }
                for (int z = x; z < y; z++) {
                    own[va.entryClass.get(z)] = 0;
                }
                x = y;
            }
            va.crossByClassPair = ordered;
            long pairs = 0;
            long critical = 0;
            for (int a = 0; a < k; a++) {
                for (int b = a; b < k; b++) {
                    long n = a == b ? ordered[a * k + a] / 2 : ordered[b * k + a];
                    if (n == 0) {
                        continue;
                    }
                    pairs += n;
                    ClassKey ca = va.classes.get(a);
                    ClassKey cb = va.classes.get(b);
                    if (AccessClass.isWrite(ca.accessClass()) && AccessClass.isWrite(cb.accessClass())) {
                        critical += n;
                    }
                    distinct.tally(sites.get(ca.site()), sites.get(cb.site())).add(va.name, n);
                }
            }
            return new long[] {pairs, critical};
        }

        /**
         * The units holding one class's accesses of one variable, sorted by window end and by window start with
         * prefix sums of their access counts, overall and per instance clock.
         */
        private static final class Windows {
            final IntList units = new IntList(4);
            final IntList counts = new IntList(4);
            Sorted all;
            Map<Integer, Sorted> byInstance;

            void add(int unit, int count) {
                units.add(unit);
                counts.add(count);
            }

            void seal(Builder b) {
                all = new Sorted(b, units.toArray(), counts.toArray());
                Map<Integer, IntList[]> groups = null;
                for (int i = 0; i < units.size(); i++) {
                    int in = b.unitInstance[units.get(i)];
                    if (in >= 0) {
                        if (groups == null) {
                            groups = new HashMap<>();
                        }
                        IntList[] g = groups.computeIfAbsent(in, x -> new IntList[] {new IntList(), new IntList()});
                        g[0].add(units.get(i));
                        g[1].add(counts.get(i));
                    }
                }
                if (groups != null) {
                    byInstance = new HashMap<>();
                    groups.forEach((in, g) -> byInstance.put(in, new Sorted(b, g[0].toArray(), g[1].toArray())));
                }
            }

            /** Accesses in units that are before or after unit {@code d} (never d itself). */
            long notOverlapping(Builder b, int d) {
                long s = b.unitStart[d];
                long e = b.unitEnd[d];
                long n = all.endingBefore(s - b.skew) + all.startingAfter(e + b.skew);
                int in = b.unitInstance[d];
                if (in >= 0 && byInstance != null) {
                    Sorted same = byInstance.get(in);
                    if (same != null) { // one clock: exact, in place of the skewed comparison
                        n += same.endingBefore(s) - same.endingBefore(s - b.skew)
                                + same.startingAfter(e) - same.startingAfter(e + b.skew);
                    }
                }
                return n;
            }
        }

        private static final class Sorted {
            final long[] ends;
            final long[] endPrefix;
            final long[] starts;
            final long[] startPrefix;

            Sorted(Builder b, int[] units, int[] counts) {
                int n = units.length;
                long[] byEnd = new long[n];
                long[] byStart = new long[n];
                for (int i = 0; i < n; i++) { // (rank << 32 | count): a primitive sort instead of boxed pairs
                    byEnd[i] = ((long) b.rankByEnd[units[i]] << 32) | counts[i];
                    byStart[i] = ((long) b.rankByStart[units[i]] << 32) | counts[i];
                }
                java.util.Arrays.sort(byEnd);
                java.util.Arrays.sort(byStart);
                ends = new long[n];
                starts = new long[n];
                endPrefix = new long[n + 1];
                startPrefix = new long[n + 1];
                for (int i = 0; i < n; i++) {
                    ends[i] = b.unitEnd[b.unitByEnd[(int) (byEnd[i] >>> 32)]];
                    endPrefix[i + 1] = endPrefix[i] + (byEnd[i] & 0xFFFF_FFFFL);
                    starts[i] = b.unitStart[b.unitByStart[(int) (byStart[i] >>> 32)]];
                    startPrefix[i + 1] = startPrefix[i] + (byStart[i] & 0xFFFF_FFFFL);
                }
            }

            /** Accesses of units whose window ends strictly before {@code t}. */
            long endingBefore(long t) {
                return endPrefix[firstAtLeast(ends, t)];
            }

            /** Accesses of units whose window starts strictly after {@code t}. */
            long startingAfter(long t) {
                return startPrefix[starts.length] - startPrefix[firstAbove(starts, t)];
            }

            private static int firstAtLeast(long[] a, long t) {
                int lo = 0;
                int hi = a.length;
                while (lo < hi) {
                    int mid = (lo + hi) >>> 1;
                    if (a[mid] < t) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                return lo;
            }

            private static int firstAbove(long[] a, long t) {
                int lo = 0;
                int hi = a.length;
                while (lo < hi) {
                    int mid = (lo + hi) >>> 1;
                    if (a[mid] <= t) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                return lo;
            }
        }

        private List<RacePair> examples(VariableAggregate va, long[] cross, int want,
                                        java.util.function.Predicate<RacePair> keep) {
            List<RacePair> out = new ArrayList<>(va.intraExamples);
            out.removeIf(keep.negate());
            if (cross[0] > 0) {
                for (RacePair p : crossExamples(va, want, keep)) {
                    out.add(p);
                }
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

        private List<RacePair> crossExamples(VariableAggregate va, int want,
                                             java.util.function.Predicate<RacePair> keep) {
            List<RacePair> out = crossExamples(va, want, EXAMPLE_CANDIDATES, keep);
            return out.size() >= want ? out : crossExamples(va, want, Integer.MAX_VALUE, keep);
        }

        /** A fixed order of classes (their ids depend on arrival order). */
        private Comparator<ClassKey> classOrder() {
            return Comparator.comparingInt(ClassKey::accessClass).thenComparing(k -> k.locks().toString())
                    .thenComparing(k -> sites.get(k.site()), DistinctRaces.Site.ORDER);
        }

        /** Examples among the {@code candidates} earliest accesses of each class (a fixed, arrival-independent set). */
        private List<RacePair> crossExamples(VariableAggregate va, int want, int candidates,
                                             java.util.function.Predicate<RacePair> keep) {
            Comparator<ClassKey> classOrder = classOrder();
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
                    boolean anyBetweenUnits = va.crossByClassPair == null
                            || va.crossByClassPair[b * k + a] + va.crossByClassPair[a * k + b] > 0;
                    if (anyBetweenUnits
                            && AccessClass.mayRace(ca.accessClass(), ca.locks(), cb.accessClass(), cb.locks())) {
                        // the pair in a fixed orientation, so the scan below visits pairs in a fixed order
                        classPairs.add(classOrder.compare(ca, cb) <= 0 ? new int[] {a, b} : new int[] {b, a});
                    }
                }
            }
            // critical class pairs first, then a fixed order (class ids depend on arrival order)
            classPairs.sort(Comparator.<int[]>comparingInt(p -> AccessClass.isWrite(va.classes.get(p[0]).accessClass())
                            && AccessClass.isWrite(va.classes.get(p[1]).accessClass()) ? 0 : 1)
                    .thenComparing(p -> va.classes.get(p[0]), classOrder)
                    .thenComparing(p -> va.classes.get(p[1]), classOrder));
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
                        if (x.component() != y.component() && overlap(x.component(), y.component())) {
                            RacePair p = RacePair.of(va.name, x.event(), y.event());
                            if (keep.test(p)) {
                                out.add(p);
                            }
                        }
                    }
                }
            }
            return out;
        }
    }
}
