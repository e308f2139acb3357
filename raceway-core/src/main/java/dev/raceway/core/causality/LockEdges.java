package dev.raceway.core.causality;

import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.LockTypes;
import java.util.HashMap;
import java.util.Map;

/**
 * The lock phase of {@link CausalityIndex} ({@link CausalityOptions#lockEdges()}): release of a lock → the next
 * acquire of the same lock in the same trace, in canonical order. A shared (read) acquire follows only the last
 * exclusive release; an exclusive acquire also follows every shared release since.
 */
final class LockEdges {
    private LockEdges() {
    }

    private static final class History {
        int lastExclusiveRelease = -1;
        final IntList sharedReleases = new IntList();
    }

    static void add(Event[] events, byte[] kindTags, EdgeList edges) {
        Map<TraceKey, History> byLock = new HashMap<>();
        for (int i = 0; i < events.length; i++) {
            if (kindTags[i] != KindTag.LOCK_ACQUIRE && kindTags[i] != KindTag.LOCK_RELEASE) {
                continue;
            }
            EventKind k = events[i].kind();
            if (k instanceof EventKind.LockAcquire a) {
                History h = byLock.computeIfAbsent(new TraceKey(events[i].traceId(), a.lockId()), x -> new History());
                if (h.lastExclusiveRelease >= 0) {
                    edges.add(h.lastExclusiveRelease, i);
                }
                if (!LockTypes.isShared(a.lockType())) {
                    for (int j = 0; j < h.sharedReleases.size(); j++) {
                        edges.add(h.sharedReleases.get(j), i);
                    }
                    h.sharedReleases.clear();
                }
            } else if (k instanceof EventKind.LockRelease r) {
                History h = byLock.computeIfAbsent(new TraceKey(events[i].traceId(), r.lockId()), x -> new History());
                if (LockTypes.isShared(r.lockType())) {
                    h.sharedReleases.add(i);
                } else {
                    h.lastExclusiveRelease = i;
                }
            }
        }
    }
}
