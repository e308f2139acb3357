package dev.raceway.core.causality;

import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.LockTypes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The lock-set phase of {@link CausalityIndex}: per thread, walking program order, the locks held at each event —
 * before the event's own effect (an acquire does not hold its own lock yet; a release still does). Re-entrant
 * acquires are counted; a lock is held shared while every hold of it is a shared (read) acquire. A release of a
 * lock the thread does not hold changes nothing. Equal sets are one interned object, so identity is equality.
 */
final class LockSets {
    private LockSets() {
    }

    /** Per event: the locks its thread held. */
    static LockSet[] of(Event[] events, byte[] kindTags, int[] thread) {
        int n = events.length;
        LockSet[] locks = new LockSet[n];
        Map<LockSet, LockSet> interned = new HashMap<>();
        interned.put(LockSet.EMPTY, LockSet.EMPTY);
        List<TreeMap<String, int[]>> held = new ArrayList<>();
        List<LockSet> current = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int c = thread[i];
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
        return locks;
    }

    /** counts per lock id: [holds, exclusive holds]. */
    private static LockSet snapshot(TreeMap<String, int[]> held, Map<LockSet, LockSet> interned) {
        Map<String, Boolean> m = new TreeMap<>();
        held.forEach((id, counts) -> m.put(id, counts[1] == 0));
        LockSet s = LockSet.of(m);
        return interned.computeIfAbsent(s, x -> x);
    }
}
