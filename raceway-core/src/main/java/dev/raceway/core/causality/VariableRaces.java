package dev.raceway.core.causality;

import java.util.List;
import java.util.Objects;

/**
 * All racing pairs of one variable across the analysed traces.
 *
 * @param traceCount distinct traces that accessed the variable
 * @param examples   a few of the pairs (critical ones first); the counts are exact
 */
public record VariableRaces(String variable, long pairs, long critical, long warning, int traceCount,
                            List<RacePair> examples) {
    public VariableRaces {
        Objects.requireNonNull(variable, "variable");
        examples = List.copyOf(examples);
    }
}
