package dev.raceway.core.causality;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Per-trace race detection: two StateChange accesses to the same variable race when at least one writes, they are
 * not both atomic, neither happens before the other, and no lock they both hold excludes one from the other.
 */
public final class TraceRaces {
    /** Pairs listed in a report by default; counts are always exact. */
    public static final int DEFAULT_MAX_DETAILS = 1000;

    private TraceRaces() {
    }

    public static TraceRaceReport analyze(CausalityIndex index) {
        return analyze(index, DEFAULT_MAX_DETAILS);
    }

    public static TraceRaceReport analyze(CausalityIndex index, int maxDetails) {
        RaceCounter c = new RaceCounter(index, maxDetails).run();
        List<VariableRaceCount> byVariable = new ArrayList<>(c.byVariable().values());
        byVariable.sort(Comparator.comparing(VariableRaceCount::variable));
        DistinctRaces distinct = new DistinctRaces();
        c.addDistinct(distinct, 0);
        return new TraceRaceReport(c.pairs(), c.critical(), c.pairs() - c.critical(), c.details(), byVariable,
                distinct.result(unit -> 1));
    }
}
