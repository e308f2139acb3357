package dev.raceway.core.analysis;

import dev.raceway.core.event.DistributedEdge;
import dev.raceway.core.event.DistributedSpan;
import dev.raceway.core.event.EdgeLinkType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Service-level views of the distributed span graph: per-service dependencies, the edge summary and the busiest
 * service calls. One edge is one call (storage keeps one edge per span pair). Edges whose spans are unknown, and
 * calls inside one service, are left out.
 */
public final class SpanGraph {
    /** Calls between two services, and the traces they happened in. */
    public record ServiceLink(String service, long totalCalls, long traceCount) {
    }

    /** {@code calledBy} entries name the calling service in {@link ServiceLink#service()}. */
    public record ServiceDependencies(String serviceName, List<ServiceLink> callsTo, List<ServiceLink> calledBy) {
        public ServiceDependencies {
            callsTo = List.copyOf(callsTo);
            calledBy = List.copyOf(calledBy);
        }
    }

    public record EdgeSummary(String fromService, String toService, EdgeLinkType linkType, long callCount) {
    }

    private record Call(String from, String to, EdgeLinkType type, UUID trace) {
    }

    private final List<Call> calls = new ArrayList<>();

    private SpanGraph() {
    }

    public static SpanGraph of(Collection<DistributedSpan> spans, Collection<DistributedEdge> edges) {
        Map<String, DistributedSpan> bySpan = new HashMap<>();
        for (DistributedSpan s : spans) {
            bySpan.putIfAbsent(s.spanId(), s);
        }
        SpanGraph g = new SpanGraph();
        Set<List<String>> seen = new HashSet<>();
        for (DistributedEdge e : edges) {
            DistributedSpan from = bySpan.get(e.fromSpan());
            DistributedSpan to = bySpan.get(e.toSpan());
            if (from == null || to == null || from.service().equals(to.service())
                    || !seen.add(List.of(e.fromSpan(), e.toSpan()))) {
                continue;
            }
            g.calls.add(new Call(from.service(), to.service(), e.linkType(), to.traceId()));
        }
        return g;
    }

    public ServiceDependencies dependenciesOf(String service) {
        return new ServiceDependencies(service, links(service, true), links(service, false));
    }

    private List<ServiceLink> links(String service, boolean outgoing) {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, Set<UUID>> traces = new HashMap<>();
        for (Call c : calls) {
            if ((outgoing ? c.from() : c.to()).equals(service)) {
                String other = outgoing ? c.to() : c.from();
                counts.computeIfAbsent(other, k -> new long[1])[0]++;
                traces.computeIfAbsent(other, k -> new HashSet<>()).add(c.trace());
            }
        }
        List<ServiceLink> out = new ArrayList<>();
        counts.forEach((other, n) -> out.add(new ServiceLink(other, n[0], traces.get(other).size())));
        out.sort(Comparator.comparingLong(ServiceLink::totalCalls).reversed().thenComparing(ServiceLink::service));
        return out;
    }

    /** Calls grouped by (from service, to service, link type), most calls first. */
    public List<EdgeSummary> edgeSummary() {
        Map<List<Object>, long[]> counts = new LinkedHashMap<>();
        for (Call c : calls) {
            counts.computeIfAbsent(List.of(c.from(), c.to(), c.type()), k -> new long[1])[0]++;
        }
        List<EdgeSummary> out = new ArrayList<>();
        counts.forEach((k, n) -> out.add(new EdgeSummary((String) k.get(0), (String) k.get(1),
                (EdgeLinkType) k.get(2), n[0])));
        out.sort(Comparator.comparingLong(EdgeSummary::callCount).reversed()
                .thenComparing(EdgeSummary::fromService).thenComparing(EdgeSummary::toService)
                .thenComparing(EdgeSummary::linkType));
        return out;
    }

    /** The {@code limit} busiest (from, to) service pairs. */
    public List<ServiceDependency> topServiceCalls(int limit) {
        Map<List<String>, long[]> counts = new LinkedHashMap<>();
        for (Call c : calls) {
            counts.computeIfAbsent(List.of(c.from(), c.to()), k -> new long[1])[0]++;
        }
        List<ServiceDependency> out = new ArrayList<>();
        counts.forEach((k, n) -> out.add(new ServiceDependency(k.get(0), k.get(1), n[0])));
        out.sort(Comparator.comparingLong(ServiceDependency::callCount).reversed()
                .thenComparing(ServiceDependency::from).thenComparing(ServiceDependency::to));
        return out.size() > limit ? out.subList(0, limit) : out;
    }
}
