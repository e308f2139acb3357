package dev.raceway.core.causality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts every racing pair inside one {@link CausalityIndex} exactly without enumerating pairs: O(n · T) for n
 * accesses and T chains, and only the first {@code maxDetails} pairs are materialised. The accesses are grouped by
 * variable ({@link AccessTable}) and each variable is counted on its own ({@link VariableScan}); the listed pairs
 * are the first ones in topological order of the later access ({@link FirstPairs}), whatever the grouping.
 */
final class RaceCounter {
    private final CausalityIndex index;
    private final int maxDetails;
    private AccessTable table;
    private long[] variablePairs;
    private long[] variableCritical;
    private final List<RacePair> details = new ArrayList<>();
    private long pairs;
    private long critical;
    /** Per variable with races: (siteA, siteB, pairs) triples in the table's site ids. */
    private final List<long[]> sitePairs = new ArrayList<>();

    RaceCounter(CausalityIndex index, int maxDetails) {
        if (maxDetails < 0) {
            throw new IllegalArgumentException("maxDetails must be non-negative, got " + maxDetails);
        }
        this.index = index;
        this.maxDetails = maxDetails;
    }

    RaceCounter run() {
        table = AccessTable.of(index);
        int variables = table.variableCount();
        variablePairs = new long[variables];
        variableCritical = new long[variables];
        FirstPairs first = new FirstPairs(maxDetails);
        VariableScan scan = new VariableScan(index, table, first);
        for (int v = 0; v < variables; v++) {
            scan.scan(v);
            variablePairs[v] = scan.pairs();
            variableCritical[v] = scan.critical();
            pairs += scan.pairs();
            critical += scan.critical();
            int variable = v;
            scan.forEachSitePair((a, b, n) -> sitePairs.add(new long[] {variable, a, b, n}));
        }
        first.forEach((v, a, b) -> details.add(RacePair.of(table.names[v], index.eventAt(a), index.eventAt(b))));
        details.sort(RacePair.ORDER);
        return this;
    }

    long pairs() {
        return pairs;
    }

    /** Adds this index's racing pairs, per pair of sites and variable, to {@code into} as {@code unit}. */
    void addDistinct(DistinctRaces into, int unit) {
        for (long[] t : sitePairs) {
            into.add(table.sites[(int) t[1]], table.sites[(int) t[2]], table.names[(int) t[0]], t[3], unit);
        }
    }

    long critical() {
        return critical;
    }

    List<RacePair> details() {
        return details;
    }

    /** Counts of the variables with at least one racing pair, in order of their first access. */
    Map<String, VariableRaceCount> byVariable() {
        Map<String, VariableRaceCount> out = new LinkedHashMap<>();
        for (int v = 0; v < table.variableCount(); v++) {
            long p = variablePairs[v];
            if (p > 0) {
                String name = table.names[v];
                out.put(name, new VariableRaceCount(name, p, variableCritical[v], p - variableCritical[v]));
            }
        }
        return out;
    }
}
