package dev.raceway.core.causality;

import dev.raceway.core.event.EventKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test oracle: the single-pass race counter that {@link RaceCounter} replaced, kept verbatim so that properties can
 * check that the faster, variable-by-variable counter reports exactly the same counts and listed pairs.
 *
 * <p>Counts every racing pair inside one {@link CausalityIndex} exactly without enumerating pairs. Accesses are
 * visited in topological order. For each variable the earlier accesses are kept per chain and, within a chain,
 * per (access class, lock set) as ascending chain positions. An earlier access on chain c happens before the
 * current access b iff its position is below b's vector-clock entry for c, so the concurrent ones are a suffix.
 * Per access the work is one comparison per chain that touched the variable (the chain's last access is usually
 * already ordered) plus, for chains with concurrent accesses, an amortised O(1) cursor step per class: O(n · T)
 * overall, and only the first {@code maxDetails} pairs are materialised.
 */
final class ReferenceRaceCounter {
    /** Accesses of one class on one chain. */
    private static final class ChainAccesses {
        final IntList positions = new IntList(2);
        final IntList eventIndexes = new IntList(2);
        /**
         * Per observing chain: how many of these accesses are known to happen before that chain's current access.
         * An observer's vector clock only grows along its chain, so the count only grows.
         */
        int[] orderedFor;

        int orderedBefore(int observer, int clock, int chainCount) {
            if (orderedFor == null) {
                orderedFor = new int[chainCount];
            }
            int k = orderedFor[observer];
            int size = positions.size();
            while (k < size && positions.get(k) < clock) {
                k++;
            }
            orderedFor[observer] = k;
            return k;
        }
    }

    /** One (access class, lock set) of a variable; its accesses per chain slot of the variable. */
    private static final class ClassState {
        final int accessClass;
        final LockSet locks;
        final String site;
        ChainAccesses[] bySlot = new ChainAccesses[4];

        ClassState(int accessClass, LockSet locks, String site) {
            this.accessClass = accessClass;
            this.locks = locks;
            this.site = site;
        }
    }

    /** Up to this many chains a variable maps chains to slots with a plain array. */
    private static final int SLOT_ARRAY_LIMIT = 64;

    private static final class VariableState {
        final List<ClassState> classes = new ArrayList<>(4);
        /** Chain → slot + 1 (0: none); an array while chains are few, a map otherwise. */
        int[] slotArray;
        Map<Integer, Integer> slotMap;
        final IntList chainIds = new IntList(4);
        /** Per slot: position of the chain's latest access to the variable, whatever its class. */
        final IntList lastPositions = new IntList(4);
        int lastChain = -1;
        int lastSlot = -1;
        long pairs;
        long critical;

        /** Classes are also split by site (location and access kind), as the counter does for distinct races. */
        ClassState classFor(int accessClass, LockSet locks, String site) {
            for (ClassState c : classes) {
                if (c.accessClass == accessClass && c.locks == locks && c.site.equals(site)) {
                    return c;
                }
            }
            ClassState c = new ClassState(accessClass, locks, site);
            classes.add(c);
            return c;
        }

        private int slotOf(int chain, int chainCount) {
            if (chainCount <= SLOT_ARRAY_LIMIT) {
                if (slotArray == null) {
                    slotArray = new int[chainCount];
                }
                return slotArray[chain] - 1;
            }
            if (slotMap == null) {
                slotMap = new HashMap<>();
            }
            Integer s = slotMap.get(chain);
            return s == null ? -1 : s;
        }

        void add(ClassState cs, int chain, int position, int eventIndex, int chainCount) {
            int slot;
            if (chain == lastChain) {
                slot = lastSlot;
            } else {
                slot = slotOf(chain, chainCount);
                if (slot < 0) {
                    slot = chainIds.size();
                    if (slotArray != null) {
                        slotArray[chain] = slot + 1;
                    } else {
                        slotMap.put(chain, slot);
                    }
                    chainIds.add(chain);
                    lastPositions.add(position);
                }
                lastChain = chain;
                lastSlot = slot;
            }
            lastPositions.data()[slot] = position;
            if (cs.bySlot.length <= slot) {
                cs.bySlot = Arrays.copyOf(cs.bySlot, Math.max(slot + 1, cs.bySlot.length * 2));
            }
            ChainAccesses ca = cs.bySlot[slot];
            if (ca == null) {
                ca = new ChainAccesses();
                cs.bySlot[slot] = ca;
            }
            ca.positions.add(position);
            ca.eventIndexes.add(eventIndex);
        }
    }

    private final CausalityIndex index;
    private final int maxDetails;
    private final Map<String, VariableState> variables = new LinkedHashMap<>();
    private final List<RacePair> details = new ArrayList<>();
    private long pairs;
    private long critical;
    private boolean[] compatible = new boolean[8];

    ReferenceRaceCounter(CausalityIndex index, int maxDetails) {
        if (maxDetails < 0) {
            throw new IllegalArgumentException("maxDetails must be non-negative, got " + maxDetails);
        }
        this.index = index;
        this.maxDetails = maxDetails;
    }

    ReferenceRaceCounter run() {
        for (int t = 0; t < index.size(); t++) {
            int v = index.topologicalAt(t);
            if (!(index.eventAt(v).kind() instanceof EventKind.StateChange sc)) {
                continue;
            }
            VariableState vs = variables.computeIfAbsent(sc.variable(), k -> new VariableState());
            int cls = AccessClass.of(sc.accessType());
            LockSet locks = index.locksAt(v);
            int classCount = vs.classes.size();
            if (compatible.length < classCount) {
                compatible = new boolean[classCount * 2];
            }
            boolean any = false;
            for (int k = 0; k < classCount; k++) {
                ClassState cs = vs.classes.get(k);
                compatible[k] = AccessClass.mayRace(cls, locks, cs.accessClass, cs.locks);
                any |= compatible[k];
            }
            if (any) {
                count(vs, sc.variable(), v, cls);
            }
            vs.add(vs.classFor(cls, locks, sc.location() + "|" + sc.accessType()), index.chainAt(v),
                    index.chainPositionAt(v), v, index.chainCount());
        }
        for (VariableState vs : variables.values()) {
            pairs += vs.pairs;
            critical += vs.critical;
        }
        details.sort(RacePair.ORDER);
        return this;
    }

    private void count(VariableState vs, String variable, int v, int cls) {
        int myChain = index.chainAt(v);
        int myPos = index.chainPositionAt(v);
        int ref = index.clockRefAt(v);
        int[] ids = vs.chainIds.data();
        int[] lasts = vs.lastPositions.data();
        for (int slot = 0, m = vs.chainIds.size(); slot < m; slot++) {
            int c = ids[slot];
            int clock = c == myChain ? myPos + 1 : index.clockEntry(ref, c);
            if (lasts[slot] < clock) {
                continue; // every earlier access of that chain happens before this one
            }
            for (int k = 0, n = vs.classes.size(); k < n; k++) {
                if (!compatible[k]) {
                    continue;
                }
                ClassState cs = vs.classes.get(k);
                ChainAccesses ca = slot < cs.bySlot.length ? cs.bySlot[slot] : null;
                if (ca == null || ca.positions.last() < clock) {
                    continue;
                }
                int ordered = ca.orderedBefore(myChain, clock, index.chainCount());
                int concurrent = ca.positions.size() - ordered;
                vs.pairs += concurrent;
                if (AccessClass.isWrite(cls) && AccessClass.isWrite(cs.accessClass)) {
                    vs.critical += concurrent;
                }
                for (int j = ordered; j < ca.positions.size() && details.size() < maxDetails; j++) {
                    details.add(RacePair.of(variable, index.eventAt(ca.eventIndexes.get(j)), index.eventAt(v)));
                }
            }
        }
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
