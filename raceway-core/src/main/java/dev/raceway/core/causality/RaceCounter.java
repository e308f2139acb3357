package dev.raceway.core.causality;

import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts every racing pair inside one {@link CausalityIndex} exactly without enumerating pairs. Accesses are
 * visited in topological order; for each variable the earlier accesses are kept per (access class, lock set,
 * chain) as ascending chain positions. An earlier access on chain c happens before the current access b iff its
 * position is below b's vector-clock entry for c, so the concurrent ones are a suffix found by binary search:
 * O(accesses × chains touching the variable × log n), and only the first {@code maxDetails} pairs are built.
 */
final class RaceCounter {
    private static final class ChainAccesses {
        final int chain;
        final IntList positions = new IntList();
        final IntList eventIndexes = new IntList();

        ChainAccesses(int chain) {
            this.chain = chain;
        }
    }

    private static final class ClassState {
        final int accessClass;
        final LockSet locks;
        final List<ChainAccesses> chains = new ArrayList<>();
        final Map<Integer, ChainAccesses> byChain = new HashMap<>();
        ChainAccesses lastUsed;

        ClassState(int accessClass, LockSet locks) {
            this.accessClass = accessClass;
            this.locks = locks;
        }

        void add(int chain, int position, int eventIndex) {
            ChainAccesses ca = lastUsed;
            if (ca == null || ca.chain != chain) {
                ca = byChain.get(chain);
                if (ca == null) {
                    ca = new ChainAccesses(chain);
                    byChain.put(chain, ca);
                    chains.add(ca);
                }
                lastUsed = ca;
            }
            ca.positions.add(position);
            ca.eventIndexes.add(eventIndex);
        }
    }

    private static final class VariableState {
        final List<ClassState> classes = new ArrayList<>(4);
        long pairs;
        long critical;

        ClassState classFor(int accessClass, LockSet locks) {
            for (ClassState c : classes) {
                if (c.accessClass == accessClass && c.locks == locks) {
                    return c;
                }
            }
            ClassState c = new ClassState(accessClass, locks);
            classes.add(c);
            return c;
        }
    }

    private final CausalityIndex index;
    private final int maxDetails;
    private final Map<String, VariableState> variables = new LinkedHashMap<>();
    private final List<RacePair> details = new ArrayList<>();
    private long pairs;
    private long critical;

    RaceCounter(CausalityIndex index, int maxDetails) {
        if (maxDetails < 0) {
            throw new IllegalArgumentException("maxDetails must be non-negative, got " + maxDetails);
        }
        this.index = index;
        this.maxDetails = maxDetails;
    }

    RaceCounter run() {
        Event[] events = index.events;
        for (int v : index.topo) {
            if (!(events[v].kind() instanceof EventKind.StateChange sc)) {
                continue;
            }
            VariableState vs = variables.computeIfAbsent(sc.variable(), k -> new VariableState());
            int cls = AccessClass.of(sc.accessType());
            LockSet locks = index.locks[v];
            for (ClassState cs : vs.classes) {
                if (!AccessClass.mayRace(cls, locks, cs.accessClass, cs.locks)) {
                    continue;
                }
                boolean bothWrite = AccessClass.isWrite(cls) && AccessClass.isWrite(cs.accessClass);
                for (ChainAccesses ca : cs.chains) {
                    int clock = index.clock(v, ca.chain);
                    if (ca.positions.last() < clock) {
                        continue; // every earlier access of that chain happens before this one
                    }
                    int ordered = ca.positions.countAtMost(clock - 1);
                    int concurrent = ca.positions.size() - ordered;
                    vs.pairs += concurrent;
                    if (bothWrite) {
                        vs.critical += concurrent;
                    }
                    for (int k = ordered; k < ca.positions.size() && details.size() < maxDetails; k++) {
                        details.add(RacePair.of(sc.variable(), events[ca.eventIndexes.get(k)], events[v]));
                    }
                }
            }
            vs.classFor(cls, locks).add(index.vchain[v], index.vpos[v], v);
        }
        for (VariableState vs : variables.values()) {
            pairs += vs.pairs;
            critical += vs.critical;
        }
        details.sort(RacePair.ORDER);
        return this;
    }

    long pairs() {
        return pairs;
    }

    long critical() {
        return critical;
    }

    List<RacePair> details() {
        return details;
    }

    /** Counts of the variables with at least one racing pair. */
    Map<String, VariableRaceCount> byVariable() {
        Map<String, VariableRaceCount> out = new LinkedHashMap<>();
        variables.forEach((name, vs) -> {
            if (vs.pairs > 0) {
                out.put(name, new VariableRaceCount(name, vs.pairs, vs.critical, vs.pairs - vs.critical));
            }
        });
        return out;
    }
}
