package dev.raceway.core.causality;

/**
 * Which optional edges the happens-before index includes.
 *
 * @param lockEdges order a lock release before the next acquire of the same lock id within a trace. On for race
 *                  detection (a release/acquire pair is real synchronisation in the observed run); off for
 *                  lock-order analysis, where the order two critical sections happened to run in is exactly what
 *                  a lock-order inversion makes schedule-dependent.
 * @param clockEdges use the SDK-sent {@code causality_vector}s (compared only within one trace).
 */
public record CausalityOptions(boolean lockEdges, boolean clockEdges) {
    public static final CausalityOptions DEFAULT = new CausalityOptions(true, true);
    public static final CausalityOptions WITHOUT_LOCK_EDGES = new CausalityOptions(false, true);
}
