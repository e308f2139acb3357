package dev.raceway.storage;

import dev.raceway.core.analysis.DurationStats;
import java.util.Map;
import java.util.Optional;

/**
 * Duration baselines: per {@code BaselineKey.of(kind)}, the statistics (in ms) of every newly inserted event that
 * has a {@code durationNs}. Duplicates never count twice. A trace's own contribution can be recomputed from its
 * events and subtracted ({@link DurationStats#subtract}) before testing the trace against the baseline.
 */
public interface BaselineReader {

    /** All baselines, by key. */
    Map<String, DurationStats> baselines();

    Optional<DurationStats> baseline(String key);
}
