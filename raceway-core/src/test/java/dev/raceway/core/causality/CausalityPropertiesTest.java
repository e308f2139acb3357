package dev.raceway.core.causality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.analysis.AuditTrail;
import dev.raceway.core.analysis.CriticalPath;
import dev.raceway.core.analysis.CriticalPaths;
import dev.raceway.core.analysis.AuditEntry;
import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.testing.Ev;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class CausalityPropertiesTest {

    /**
     * A random trace: events at distinct times on a few threads, parents pointing at earlier events (sometimes at
     * ids that do not exist), state changes on two variables and properly nested lock sections.
     */
    static List<Event> randomTrace(long seed, int n, boolean locks) {
        Random rnd = new Random(seed);
        int threads = 1 + rnd.nextInt(4);
        List<Event> events = new ArrayList<>();
        Map<String, Integer> depth = new HashMap<>();
        AccessType[] types = AccessType.values();
        for (int i = 0; i < n; i++) {
            String thread = "t" + rnd.nextInt(threads);
            Ev b = Ev.in(1).id(i + 1).thread(thread).at(i * 2L).durationMs(rnd.nextInt(5));
            int p = rnd.nextInt(4);
            if (i > 0 && p == 0) {
                b.parent(events.get(rnd.nextInt(i)).id());
            } else if (p == 1) {
                b.parent(10_000 + i); // orphan
            }
            int kind = rnd.nextInt(10);
            int held = depth.getOrDefault(thread, 0);
            Event e;
            if (locks && kind == 0 && held < 2) {
                e = b.lock(held == 0 ? "L" : "M");
                depth.put(thread, held + 1);
            } else if (locks && kind == 1 && held > 0) {
                e = b.unlock(held == 1 ? "L" : "M");
                depth.put(thread, held - 1);
            } else if (kind < 8) {
                e = b.access(rnd.nextBoolean() ? "x" : "y", types[rnd.nextInt(types.length)]);
            } else {
                e = b.call("f" + i);
            }
            events.add(e);
        }
        return events;
    }

    /** Reachability by depth-first search over parent links and per-thread program order. */
    static boolean[][] bruteForceReachability(List<Event> events) {
        int n = events.size();
        Map<UUID, Integer> pos = new HashMap<>();
        for (int i = 0; i < n; i++) {
            pos.put(events.get(i).id(), i);
        }
        List<List<Integer>> succ = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            succ.add(new ArrayList<>());
        }
        Map<String, Integer> lastOnThread = new HashMap<>();
        List<Integer> byTime = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byTime.add(i);
        }
        byTime.sort((a, b) -> events.get(a).timestamp().compareTo(events.get(b).timestamp()));
        for (int i : byTime) {
            Event e = events.get(i);
            e.parentId().map(pos::get).ifPresent(p -> succ.get(p).add(i));
            Integer prev = lastOnThread.put(e.metadata().threadId(), i);
            if (prev != null) {
                succ.get(prev).add(i);
            }
        }
        boolean[][] reach = new boolean[n][n];
        for (int s = 0; s < n; s++) {
            ArrayDeque<Integer> stack = new ArrayDeque<>(succ.get(s));
            while (!stack.isEmpty()) {
                int v = stack.pop();
                if (!reach[s][v]) {
                    reach[s][v] = true;
                    stack.addAll(succ.get(v));
                }
            }
        }
        return reach;
    }

    @Property(tries = 200)
    void happensBeforeAgreesWithBruteForceReachability(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int n) {
        List<Event> events = randomTrace(seed, n, false);
        List<Event> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(seed ^ 0x5DEECE66DL));
        CausalityIndex idx = CausalityIndex.of(shuffled);
        boolean[][] reach = bruteForceReachability(events);
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                assertThat(idx.happensBefore(events.get(a), events.get(b)))
                        .as("hb(%d,%d)", a, b).isEqualTo(reach[a][b]);
            }
        }
    }

    @Property(tries = 200)
    void raceCountsMatchTheRuleAppliedToEveryPair(@ForAll long seed, @ForAll @IntRange(min = 1, max = 150) int n) {
        List<Event> events = randomTrace(seed, n, true);
        CausalityIndex idx = CausalityIndex.of(events);
        long pairs = 0;
        long critical = 0;
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                Event x = events.get(a);
                Event y = events.get(b);
                if (!(x.kind() instanceof EventKind.StateChange sx) || !(y.kind() instanceof EventKind.StateChange sy)
                        || !sx.variable().equals(sy.variable())) {
                    continue;
                }
                boolean conflict = (sx.accessType().isWrite() || sy.accessType().isWrite())
                        && !(sx.accessType().isAtomic() && sy.accessType().isAtomic());
                if (conflict && idx.concurrent(x, y) && !idx.locksHeldAt(x).excludes(idx.locksHeldAt(y))) {
                    pairs++;
                    if (sx.accessType().isWrite() && sy.accessType().isWrite()) {
                        critical++;
                    }
                }
            }
        }
        TraceRaceReport r = TraceRaces.analyze(idx);
        assertThat(r.pairCount()).isEqualTo(pairs);
        assertThat(r.criticalCount()).isEqualTo(critical);
        assertThat(r.details()).hasSize((int) Math.min(pairs, TraceRaces.DEFAULT_MAX_DETAILS));
        for (RacePair p : r.details()) {
            assertThat(idx.concurrent(p.first(), p.second())).isTrue();
        }
    }

    @Property(tries = 200)
    void analysesDoNotDependOnArrivalOrderOrDuplicates(@ForAll long seed,
                                                       @ForAll @IntRange(min = 1, max = 40) int n) {
        List<Event> events = randomTrace(seed, n, true);
        List<Event> shuffled = new ArrayList<>(events);
        Random rnd = new Random(~seed);
        for (int i = 0; i < n / 4; i++) {
            shuffled.add(events.get(rnd.nextInt(n)));
        }
        Collections.shuffle(shuffled, rnd);
        CausalityIndex a = CausalityIndex.of(events);
        CausalityIndex b = CausalityIndex.of(shuffled);
        TraceRaceReport ra = TraceRaces.analyze(a);
        TraceRaceReport rb = TraceRaces.analyze(b);
        assertThat(rb.pairCount()).isEqualTo(ra.pairCount());
        assertThat(ids(rb.details())).isEqualTo(ids(ra.details()));
        CriticalPath ca = CriticalPaths.of(a).orElseThrow();
        CriticalPath cb = CriticalPaths.of(b).orElseThrow();
        assertThat(cb.path()).isEqualTo(ca.path());
        assertThat(cb.totalDurationMs()).isEqualTo(ca.totalDurationMs());
        Map<String, List<AuditEntry>> ta = AuditTrail.all(a);
        Map<String, List<AuditEntry>> tb = AuditTrail.all(b);
        assertThat(tb).isEqualTo(ta);
    }

    private static List<String> ids(List<RacePair> pairs) {
        return pairs.stream().map(p -> p.first().id() + "/" + p.second().id()).toList();
    }
}
