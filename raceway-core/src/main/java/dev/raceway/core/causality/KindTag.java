package dev.raceway.core.causality;

import dev.raceway.core.event.EventKind;

/**
 * The event kinds the causality passes branch on, kept as one byte per event by {@link CausalityIndex}. A pass
 * that only needs lock events can then skip the others without loading their kind objects, which on large traces
 * are scattered over the heap and cost a cache miss each.
 */
final class KindTag {
    static final byte OTHER = 0;
    static final byte LOCK_ACQUIRE = 1;
    static final byte LOCK_RELEASE = 2;
    static final byte STATE_CHANGE = 3;

    private KindTag() {
    }

    static byte of(EventKind kind) {
        if (kind instanceof EventKind.StateChange) {
            return STATE_CHANGE;
        }
        if (kind instanceof EventKind.LockAcquire) {
            return LOCK_ACQUIRE;
        }
        if (kind instanceof EventKind.LockRelease) {
            return LOCK_RELEASE;
        }
        return OTHER;
    }
}
