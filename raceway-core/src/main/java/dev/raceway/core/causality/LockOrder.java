package dev.raceway.core.causality;

import dev.raceway.core.event.DistributedEdge;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Lock-order (potential deadlock) detection. Every acquire of lock B while holding lock A is an edge A → B of a lock
 * graph; a cycle whose edges were taken by different, mutually concurrent threads that share no gate lock is a
 * potential deadlock even if this run did not hang. The index must be built without lock release→acquire edges
 * ({@link CausalityOptions#WITHOUT_LOCK_EDGES}): the order two critical sections happened to run in is exactly what
 * an inversion makes schedule-dependent. Cycles of up to {@value #MAX_CYCLE} locks are reported, each once.
 */
public final class LockOrder {
    static final int MAX_CYCLE = 4;
    /** Distinct witnesses kept per lock-graph edge (one per thread chain). */
    private static final int WITNESSES_PER_EDGE = 8;

    private LockOrder() {
    }

    /** Per trace (or any event set): builds the index itself, without lock edges. */
    public static List<Deadlock> analyze(Collection<Event> events, Collection<DistributedEdge> edges) {
        return analyze(CausalityIndex.of(events, edges, CausalityOptions.WITHOUT_LOCK_EDGES));
    }

    public static List<Deadlock> analyze(CausalityIndex index) {
        // held → acquired → witnesses (event positions), in canonical order
        Map<String, Map<String, List<Integer>>> graph = new TreeMap<>();
        for (int pos = 0; pos < index.size(); pos++) {
            final int i = pos;
            if (!(index.eventAt(i).kind() instanceof EventKind.LockAcquire a)) {
                continue;
            }
            LockSet held = index.locksAt(i);
            for (String h : held.lockIds()) {
                if (h.equals(a.lockId())) {
                    continue; // re-entrant acquire
                }
                List<Integer> w = graph.computeIfAbsent(h, k -> new TreeMap<>())
                        .computeIfAbsent(a.lockId(), k -> new ArrayList<>());
                if (w.size() < WITNESSES_PER_EDGE && w.stream().noneMatch(x -> index.chainAt(x) == index.chainAt(i))) {
                    w.add(i);
                }
            }
        }
        List<Deadlock> out = new ArrayList<>();
        Set<List<String>> seen = new HashSet<>();
        for (String start : graph.keySet()) {
            List<String> path = new ArrayList<>();
            path.add(start);
            cycles(index, graph, start, path, seen, out);
        }
        return out;
    }

    private static void cycles(CausalityIndex index, Map<String, Map<String, List<Integer>>> graph, String start,
                               List<String> path, Set<List<String>> seen, List<Deadlock> out) {
        String last = path.get(path.size() - 1);
        for (String next : graph.getOrDefault(last, Map.of()).keySet()) {
            if (next.equals(start) && path.size() >= 2) {
                if (seen.add(List.copyOf(path))) {
                    List<Integer> witnesses = new ArrayList<>();
                    if (pickWitnesses(index, graph, path, 0, witnesses)) {
                        List<LockOrderEdge> edges = new ArrayList<>();
                        for (int k = 0; k < path.size(); k++) {
                            edges.add(new LockOrderEdge(path.get(k), path.get((k + 1) % path.size()),
                                    index.eventAt(witnesses.get(k))));
                        }
                        out.add(new Deadlock(path, edges));
                    }
                }
            } else if (next.compareTo(start) > 0 && !path.contains(next) && path.size() < MAX_CYCLE) {
                path.add(next);
                cycles(index, graph, start, path, seen, out);
                path.remove(path.size() - 1);
            }
        }
    }

    /** Backtracking choice of one witness per cycle edge: distinct threads, pairwise concurrent, no gate lock. */
    private static boolean pickWitnesses(CausalityIndex index, Map<String, Map<String, List<Integer>>> graph,
                                         List<String> cycle, int k, List<Integer> chosen) {
        if (k == cycle.size()) {
            return true;
        }
        Set<String> cycleLocks = new TreeSet<>(cycle);
        List<Integer> candidates = graph.get(cycle.get(k)).get(cycle.get((k + 1) % cycle.size()));
        for (int w : candidates) {
            boolean ok = true;
            for (int c : chosen) {
                if (index.chainAt(c) == index.chainAt(w) || index.threadAt(c) == index.threadAt(w)
                        || index.happensBefore(c, w) || index.happensBefore(w, c)
                        || gated(index.locksAt(c), index.locksAt(w), cycleLocks)) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                chosen.add(w);
                if (pickWitnesses(index, graph, cycle, k + 1, chosen)) {
                    return true;
                }
                chosen.remove(chosen.size() - 1);
            }
        }
        return false;
    }

    /** A lock outside the cycle that both hold (and that excludes one from the other) serialises the two. */
    private static boolean gated(LockSet a, LockSet b, Set<String> cycleLocks) {
        for (String id : a.lockIds()) {
            if (!cycleLocks.contains(id) && b.holds(id) && !(a.holdsShared(id) && b.holdsShared(id))) {
                return true;
            }
        }
        return false;
    }
}
