package dev.raceway.core.analysis;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Store-wide aggregates fed trace by trace (so both storage backends can stream into it): the services list
 * ({@code /api/services}), variable hotspots and the global race-candidate heuristic
 * ({@code /api/distributed/global-races}). Not thread-safe; memory is proportional to distinct (service, trace)
 * and (variable, trace, thread) combinations, not to events.
 */
public final class EventAggregates {
    /** One service across all traces. */
    public record ServiceSummary(String name, long eventCount, long traceCount) {
    }

    /** A variable touched by more than one trace or thread, with the reference's heuristic severity. */
    public record RaceCandidate(String variable, long traceCount, long accessCount, List<String> accessTypes,
                                long threadCount, String severity, List<String> traceIds) {
        public RaceCandidate {
            accessTypes = List.copyOf(accessTypes);
            traceIds = List.copyOf(traceIds);
        }
    }

    /** A frequently accessed variable. */
    public record VariableHotspot(String variable, long accessCount, long traceCount, List<String> services) {
        public VariableHotspot {
            services = List.copyOf(services);
        }
    }

    private static final class ServiceAgg {
        long events;
        final Set<UUID> traces = new HashSet<>();
    }

    private static final class VariableAgg {
        long accesses;
        final Set<UUID> traces = new HashSet<>();
        final Set<String> threads = new HashSet<>();
        final Set<String> services = new TreeSet<>();
        final Set<AccessType> types = new TreeSet<>(Comparator.comparing(AccessType::wireName));
    }

    private final Map<String, ServiceAgg> services = new TreeMap<>();
    private final Map<String, VariableAgg> variables = new TreeMap<>();

    /** Adds events (typically one trace); duplicates within one call are counted once. */
    public EventAggregates add(Collection<Event> events) {
        Set<UUID> seen = new HashSet<>();
        for (Event e : events) {
            if (!seen.add(e.id())) {
                continue;
            }
            ServiceAgg s = services.computeIfAbsent(e.metadata().serviceName(), k -> new ServiceAgg());
            s.events++;
            s.traces.add(e.traceId());
            if (e.kind() instanceof EventKind.StateChange sc) {
                VariableAgg v = variables.computeIfAbsent(sc.variable(), k -> new VariableAgg());
                v.accesses++;
                v.traces.add(e.traceId());
                v.threads.add(e.metadata().threadId());
                v.services.add(e.metadata().serviceName());
                v.types.add(sc.accessType());
            }
        }
        return this;
    }

    /** Services sorted by name. */
    public List<ServiceSummary> services() {
        List<ServiceSummary> out = new ArrayList<>();
        services.forEach((name, s) -> out.add(new ServiceSummary(name, s.events, s.traces.size())));
        return out;
    }

    /**
     * Variables touched by more than one trace or thread, by trace count then access count (descending), then name.
     * Severity: reads and writes → WARNING; only writes from several threads → CRITICAL; only writes from one
     * thread → WARNING; only reads → INFO.
     */
    public List<RaceCandidate> raceCandidates() {
        List<RaceCandidate> out = new ArrayList<>();
        variables.forEach((name, v) -> {
            if (v.traces.size() <= 1 && v.threads.size() <= 1) {
                return;
            }
            boolean write = v.types.stream().anyMatch(AccessType::isWrite);
            boolean read = v.types.stream().anyMatch(t -> !t.isWrite());
            String severity = write && read ? "WARNING" : write ? (v.threads.size() > 1 ? "CRITICAL" : "WARNING")
                    : "INFO";
            List<String> traceIds = v.traces.stream().map(UUID::toString).sorted().toList();
            out.add(new RaceCandidate(name, v.traces.size(), v.accesses,
                    v.types.stream().map(AccessType::wireName).toList(), v.threads.size(), severity, traceIds));
        });
        out.sort(Comparator.comparingLong(RaceCandidate::traceCount).reversed()
                .thenComparing(Comparator.comparingLong(RaceCandidate::accessCount).reversed())
                .thenComparing(RaceCandidate::variable));
        return out;
    }

    /** The {@code limit} most accessed variables (ties by name). */
    public List<VariableHotspot> topVariables(int limit) {
        List<VariableHotspot> out = new ArrayList<>();
        variables.forEach((name, v) -> out.add(new VariableHotspot(name, v.accesses, v.traces.size(),
                new ArrayList<>(v.services))));
        out.sort(Comparator.comparingLong(VariableHotspot::accessCount).reversed()
                .thenComparing(VariableHotspot::variable));
        return out.size() > limit ? out.subList(0, limit) : out;
    }
}
