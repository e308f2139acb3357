package dev.raceway.server.api;

import dev.raceway.core.causality.GlobalRaceReport;
import dev.raceway.core.causality.GlobalRaces;
import dev.raceway.core.causality.RacePair;
import dev.raceway.storage.EventStore;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * The traces that take part in at least one race, inside the trace or with another trace, for the trace list's
 * {@code has_races} filter. It runs the global race analysis over every trace with state changes (the cost of
 * {@code GET /api/analyze/global}) and collects the traces of up to {@link #MAX_PAIRS} racing pairs.
 */
final class RacingTraces {
    /** Racing pairs looked at; a trace whose only races lie beyond them is not counted as racing. */
    static final int MAX_PAIRS = 100_000;

    private RacingTraces() {
    }

    static Set<UUID> of(EventStore store, boolean raceDetection) {
        Set<UUID> racing = new HashSet<>();
        if (!raceDetection) {
            return racing;
        }
        GlobalRaces.Builder b = GlobalRaces.builder(store.allEdges()).maxDetails(MAX_PAIRS).examplesPerVariable(1);
        store.forEachTraceWithStateChanges(b::addTrace);
        GlobalRaceReport r = b.build();
        for (RacePair p : r.details()) {
            racing.add(p.first().traceId());
            racing.add(p.second().traceId());
        }
        return racing;
    }
}
