package dev.raceway.core.causality;

import dev.raceway.core.event.AccessType;
import java.util.List;
import java.util.Objects;

/**
 * Racing pairs grouped by their two code locations and access kinds, as ThreadSanitizer deduplicates reports by
 * stack pair: one entry a user can act on, however many times the two lines raced.
 *
 * @param locations   the two code locations ({@code StateChange.location}), in a fixed order
 * @param accesses    the access kind at each location, in the same order
 * @param variables   up to {@value DistinctRaces#EXAMPLE_VARIABLES} variables they raced on (names in order)
 * @param occurrences racing pairs of these two sites (exact)
 * @param traces      traces with at least one access in one of those pairs
 */
public record DistinctRace(RaceSeverity severity, List<String> locations, List<AccessType> accesses,
                           List<String> variables, long occurrences, long traces) {
    public DistinctRace {
        Objects.requireNonNull(severity, "severity");
        locations = List.copyOf(locations);
        accesses = List.copyOf(accesses);
        variables = List.copyOf(variables);
        if (locations.size() != 2 || accesses.size() != 2) {
            throw new IllegalArgumentException("a distinct race has two locations and two accesses");
        }
    }
}
