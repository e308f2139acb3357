package dev.raceway.core.causality;

import java.util.Objects;

/** Exact racing-pair counts of one variable. */
public record VariableRaceCount(String variable, long pairs, long critical, long warning) {
    public VariableRaceCount {
        Objects.requireNonNull(variable, "variable");
    }

    VariableRaceCount plus(long p, long c, long w) {
        return new VariableRaceCount(variable, pairs + p, critical + c, warning + w);
    }
}
