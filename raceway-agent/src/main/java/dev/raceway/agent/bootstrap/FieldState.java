package dev.raceway.agent.bootstrap;

/**
 * What the agent knows about who touched one field (or, for arrays, one access site): the owner thread while only
 * one thread has, and the keys of its fast path: the owner while its last read (write) is reported and it has not
 * synchronised since, else null. Updated without locks: a lost update only costs an extra report, and
 * {@link #shared} only ever goes from false to true.
 */
public final class FieldState {
    /** Volatile fields are synchronisation, not data: every access is handled (and never filtered here). */
    final boolean alwaysReport;
    Thread owner;
    Thread readKey;
    Thread writeKey;
    volatile boolean shared;

    public FieldState(boolean alwaysReport) {
        this.alwaysReport = alwaysReport;
    }

    public boolean isShared() {
        return shared;
    }
}
