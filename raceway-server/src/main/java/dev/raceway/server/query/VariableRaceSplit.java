package dev.raceway.server.query;

import dev.raceway.core.causality.VariableRaces;
import java.util.Objects;

/**
 * One variable's racing pairs across the store, split into pairs between different traces and pairs inside one
 * trace ({@code races.pairs() == betweenTraces + withinTrace}).
 */
public record VariableRaceSplit(VariableRaces races, long betweenTraces, long withinTrace) {
    public VariableRaceSplit {
        Objects.requireNonNull(races, "races");
        if (betweenTraces < 0 || withinTrace < 0 || betweenTraces + withinTrace != races.pairs()) {
            throw new IllegalArgumentException("between " + betweenTraces + " + within " + withinTrace
                    + " must be the variable's " + races.pairs() + " pairs");
        }
    }
}
