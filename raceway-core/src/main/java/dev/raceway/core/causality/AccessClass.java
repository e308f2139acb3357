package dev.raceway.core.causality;

import dev.raceway.core.event.AccessType;

/** The race rule on access types: at least one write, and not both atomic. Two reads never race. */
final class AccessClass {
    static final int READ = 0;
    static final int ATOMIC_READ = 1;
    static final int WRITE = 2;
    static final int ATOMIC_WRITE = 3;
    static final int COUNT = 4;

    private AccessClass() {
    }

    static int of(AccessType t) {
        return switch (t) {
            case Read -> READ;
            case AtomicRead -> ATOMIC_READ;
            case Write -> WRITE;
            case AtomicWrite, AtomicRMW -> ATOMIC_WRITE;
        };
    }

    static boolean isWrite(int c) {
        return c >= WRITE;
    }

    static boolean conflict(int a, int b) {
        boolean atomicA = a == ATOMIC_READ || a == ATOMIC_WRITE;
        boolean atomicB = b == ATOMIC_READ || b == ATOMIC_WRITE;
        return (isWrite(a) || isWrite(b)) && !(atomicA && atomicB);
    }

    /** Can accesses of these classes holding these locks race? */
    static boolean mayRace(int a, LockSet la, int b, LockSet lb) {
        return conflict(a, b) && !la.excludes(lb);
    }
}
