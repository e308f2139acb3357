package dev.raceway.storage;

import java.util.List;

/**
 * The per-variable index of {@code StateChange} events, across all traces: global race candidates, hotspots and the
 * choice of which traces a global race analysis has to load, without reading every event.
 */
public interface VariableAccessReader {

    /** Every access to {@code variable}, ordered by timestamp then event id; empty when unknown. */
    List<VariableAccess> variableAccesses(String variable);

    /** One aggregate per variable that was ever accessed, ordered by variable name. */
    List<VariableSummary> variableSummaries();

    /** One footprint per (variable, trace) with accesses, ordered by variable, then trace id (unsigned). */
    List<AccessFootprint> accessFootprints();
}
