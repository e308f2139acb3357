package dev.raceway.core.analysis;

import dev.raceway.core.causality.CausalityIndex;
import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The accesses of one variable in timestamp order, each compared with the access before it. {@code is_race} uses
 * the race rule of the race detector (atomic writes count as writes; two atomics or two reads never race), so the
 * audit trail never contradicts the race report. The first access has a causal link (there is nothing to race
 * with).
 */
public final class AuditTrail {
    private AuditTrail() {
    }

    public static List<AuditEntry> of(CausalityIndex index, String variable) {
        List<Event> accesses = new ArrayList<>();
        for (Event e : index.events()) {
            if (e.kind() instanceof EventKind.StateChange sc && sc.variable().equals(variable)) {
                accesses.add(e);
            }
        }
        return trail(index, accesses);
    }

    /** Trails of every variable of the index, keyed by variable name (sorted). */
    public static Map<String, List<AuditEntry>> all(CausalityIndex index) {
        Map<String, List<Event>> byVariable = new TreeMap<>();
        for (Event e : index.events()) {
            if (e.kind() instanceof EventKind.StateChange sc) {
                byVariable.computeIfAbsent(sc.variable(), k -> new ArrayList<>()).add(e);
            }
        }
        Map<String, List<AuditEntry>> out = new TreeMap<>();
        byVariable.forEach((v, list) -> out.put(v, trail(index, list)));
        return out;
    }

    private static List<AuditEntry> trail(CausalityIndex index, List<Event> accesses) {
        List<AuditEntry> out = new ArrayList<>(accesses.size());
        Event prev = null;
        for (Event cur : accesses) {
            if (prev == null) {
                out.add(new AuditEntry(cur, true, false));
            } else {
                boolean link = index.happensBefore(prev, cur);
                boolean race = !link && !index.happensBefore(cur, prev) && conflict(prev, cur)
                        && !index.locksHeldAt(prev).excludes(index.locksHeldAt(cur));
                out.add(new AuditEntry(cur, link, race));
            }
            prev = cur;
        }
        return out;
    }

    private static boolean conflict(Event a, Event b) {
        AccessType x = ((EventKind.StateChange) a.kind()).accessType();
        AccessType y = ((EventKind.StateChange) b.kind()).accessType();
        return (x.isWrite() || y.isWrite()) && !(x.isAtomic() && y.isAtomic());
    }
}
