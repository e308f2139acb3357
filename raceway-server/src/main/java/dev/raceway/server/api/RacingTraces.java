package dev.raceway.server.api;

import dev.raceway.core.causality.GlobalRaceReport;
import dev.raceway.core.causality.GlobalRaces;
import dev.raceway.core.causality.RacePair;
import dev.raceway.server.config.FeatureFlags;
import dev.raceway.storage.EventStore;
import dev.raceway.storage.RaceCandidates;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * The traces that take part in at least one race, inside the trace or with another trace, for the trace list's
 * {@code has_races} filter. The variable index first rules out every trace that cannot race
 * ({@link RaceCandidates}, no event loaded); the global race analysis then runs over the candidates only (they
 * include every partner a candidate can race with) and collects the traces of up to {@link #MAX_PAIRS} racing
 * pairs, the same answer as the analysis of every trace with state changes.
 */
final class RacingTraces {
    /** Racing pairs looked at; a trace whose only races lie beyond them is not counted as racing. */
    static final int MAX_PAIRS = 100_000;

    private RacingTraces() {
    }

    /** With {@code features}' race detection switch and its {@code clock_skew_ms}, as the global analysis uses. */
    static Set<UUID> of(EventStore store, FeatureFlags features) {
        return of(store, features.raceDetection(), features.clockSkew());
    }

    static Set<UUID> of(EventStore store, boolean raceDetection, Duration clockSkew) {
        Set<UUID> racing = new HashSet<>();
        if (!raceDetection) {
            return racing;
        }
        Set<UUID> candidates = RaceCandidates.of(store.accessFootprints(), store.traceLinks(), clockSkew);
        if (candidates.isEmpty()) {
            return racing;
        }
        GlobalRaces.Builder b = GlobalRaces.builder(store.allEdges()).clockSkew(clockSkew).maxDetails(MAX_PAIRS)
                .examplesPerVariable(1);
        store.forEachTrace(candidates, b::addTrace);
        GlobalRaceReport r = b.build();
        for (RacePair p : r.details()) {
            racing.add(p.first().traceId());
            racing.add(p.second().traceId());
        }
        return racing;
    }
}
