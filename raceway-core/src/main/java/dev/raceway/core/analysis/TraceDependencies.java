package dev.raceway.core.analysis;

import dev.raceway.core.causality.CausalityIndex;
import dev.raceway.core.causality.SpanLink;
import dev.raceway.core.event.Event;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which services of a trace called which. A call is a distributed span edge between two services, or a parent link
 * whose parent belongs to another service; a parent link that repeats a span edge (same upstream and downstream
 * span) is the same call, so each call is counted once however many events the callee emitted.
 */
public record TraceDependencies(List<ServiceCount> services, List<ServiceDependency> dependencies) {
    public TraceDependencies {
        services = List.copyOf(services);
        dependencies = List.copyOf(dependencies);
    }

    public static TraceDependencies of(CausalityIndex index) {
        Map<String, Long> counts = new TreeMap<>();
        for (Event e : index.events()) {
            counts.merge(e.metadata().serviceName(), 1L, Long::sum);
        }
        Set<String> calls = new HashSet<>();
        Map<String, Map<String, Long>> deps = new TreeMap<>();
        for (SpanLink l : index.spanLinks()) {
            String from = l.upstream().metadata().serviceName();
            String to = l.downstream().metadata().serviceName();
            if (!from.equals(to) && calls.add("span " + l.fromSpan() + " " + l.toSpan())) {
                deps.computeIfAbsent(from, k -> new TreeMap<>()).merge(to, 1L, Long::sum);
            }
        }
        for (Event e : index.events()) {
            index.parentOf(e).ifPresent(p -> {
                String from = p.metadata().serviceName();
                String to = e.metadata().serviceName();
                if (from.equals(to)) {
                    return;
                }
                var up = p.metadata().distributedSpanId();
                var down = e.metadata().distributedSpanId();
                String call = up.isPresent() && down.isPresent() && !up.equals(down)
                        ? "span " + up.get() + " " + down.get()
                        : "event " + e.id();
                if (calls.add(call)) {
                    deps.computeIfAbsent(from, k -> new TreeMap<>()).merge(to, 1L, Long::sum);
                }
            });
        }
        List<ServiceCount> services = new ArrayList<>();
        counts.forEach((name, n) -> services.add(new ServiceCount(name, n)));
        List<ServiceDependency> dependencies = new ArrayList<>();
        deps.forEach((from, tos) -> tos.forEach((to, n) -> dependencies.add(new ServiceDependency(from, to, n))));
        return new TraceDependencies(services, dependencies);
    }
}
