package dev.raceway.core.causality;

import dev.raceway.core.event.AccessType;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntToLongFunction;

/**
 * Folds racing-pair counts into {@link DistinctRace}s: one per unordered pair of sites, a site being a code
 * location with an access kind. Counts arrive per (site pair, variable, unit), a unit being the group of traces
 * analysed together, so the traces of a distinct race are counted once each.
 */
final class DistinctRaces {
    static final int EXAMPLE_VARIABLES = 5;

    /** A code location and how it accessed the variable. */
    record Site(String location, AccessType access) {
        static final Comparator<Site> ORDER = Comparator.comparing(Site::location).thenComparing(Site::access);
    }

    private record Key(Site a, Site b) {
    }

    /** One distinct race being counted. */
    static final class Tally {
        private long occurrences;
        private final TreeSet<String> variables = new TreeSet<>();
        private final BitSet units = new BitSet();

        void add(String variable, long count) {
            if (count <= 0) {
                return;
            }
            occurrences += count;
            if (variables.size() < EXAMPLE_VARIABLES || variable.compareTo(variables.last()) < 0) {
                variables.add(variable);
                if (variables.size() > EXAMPLE_VARIABLES) {
                    variables.pollLast();
                }
            }
        }

        /** Marks {@code unit} as having an access in one of the pairs. */
        void mark(int unit) {
            units.set(unit);
        }
    }

    private final Map<Key, Tally> tallies = new HashMap<>();

    Tally tally(Site x, Site y) {
        Key k = Site.ORDER.compare(x, y) <= 0 ? new Key(x, y) : new Key(y, x);
        return tallies.computeIfAbsent(k, z -> new Tally());
    }

    void add(Site x, Site y, String variable, long count, int unit) {
        if (count > 0) {
            Tally t = tally(x, y);
            t.add(variable, count);
            t.mark(unit);
        }
    }

    /** Critical ones first, then by occurrences (most first), then by location. */
    static final Comparator<DistinctRace> ORDER = Comparator.comparing(DistinctRace::severity)
            .thenComparing(Comparator.comparingLong(DistinctRace::occurrences).reversed())
            .thenComparing(r -> r.locations().get(0))
            .thenComparing(r -> r.locations().get(1))
            .thenComparing(r -> r.accesses().get(0))
            .thenComparing(r -> r.accesses().get(1));

    List<DistinctRace> result(IntToLongFunction tracesOfUnit) {
        List<DistinctRace> out = new ArrayList<>(tallies.size());
        tallies.forEach((k, t) -> {
            if (t.occurrences == 0) {
                return;
            }
            long traces = 0;
            for (int u = t.units.nextSetBit(0); u >= 0; u = t.units.nextSetBit(u + 1)) {
                traces += tracesOfUnit.applyAsLong(u);
            }
            RaceSeverity s = k.a().access().isWrite() && k.b().access().isWrite()
                    ? RaceSeverity.CRITICAL : RaceSeverity.WARNING;
            out.add(new DistinctRace(s, List.of(k.a().location(), k.b().location()),
                    List.of(k.a().access(), k.b().access()), new ArrayList<>(t.variables), t.occurrences, traces));
        });
        out.sort(ORDER);
        return out;
    }
}
