package dev.raceway.server.api;

import dev.raceway.core.event.AccessType;
import dev.raceway.server.http.ApiRequest;
import dev.raceway.server.http.ApiResponse;
import dev.raceway.server.http.Json;
import dev.raceway.storage.ServiceCall;
import dev.raceway.storage.VariableSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/distributed/edges}, {@code /global-races}, {@code /hotspots}: aggregates kept by storage. */
final class DistributedHandlers {
    private final ServerContext ctx;

    DistributedHandlers(ServerContext ctx) {
        this.ctx = ctx;
    }

    /** Cross-service calls by (from, to, link type), most calls first. */
    ApiResponse edges(ApiRequest req) {
        List<Map<String, Object>> edges = ctx.store().serviceCalls().stream()
                .filter(c -> !c.fromService().equals(c.toService()))
                .sorted(Comparator.comparingLong(ServiceCall::callCount).reversed()
                        .thenComparing(ServiceCall::fromService).thenComparing(ServiceCall::toService))
                .map(c -> Json.obj("from_service", c.fromService(), "to_service", c.toService(),
                        "link_type", c.linkType().name(), "call_count", c.callCount()))
                .toList();
        return ApiResponse.ok(Json.obj("total_edges", edges.size(), "edges", edges));
    }

    /**
     * Race candidates without ordering checks (the reference's cheap overview): every variable accessed by more than
     * one trace or thread with at least one write. Severity: written by several threads and never read → CRITICAL;
     * other written variables → WARNING. Read-only variables cannot race and are left out. Empty when race detection
     * is disabled.
     */
    ApiResponse globalRaces(ApiRequest req) {
        List<Map<String, Object>> races = new ArrayList<>();
        if (ctx.config().features().raceDetection()) {
            List<VariableSummary> candidates = new ArrayList<>();
            for (VariableSummary v : ctx.store().variableSummaries()) {
                boolean written = v.accessTypes().stream().anyMatch(AccessType::isWrite);
                if (written && (v.traceCount() > 1 || v.threadCount() > 1)) {
                    candidates.add(v);
                }
            }
            candidates.sort(Comparator.comparingInt(VariableSummary::traceCount).reversed()
                    .thenComparing(Comparator.comparingLong(VariableSummary::accessCount).reversed())
                    .thenComparing(VariableSummary::variable));
            for (VariableSummary v : candidates) {
                boolean read = v.accessTypes().stream().anyMatch(a -> !a.isWrite());
                String severity = !read && v.threadCount() > 1 ? "CRITICAL" : "WARNING";
                races.add(Json.obj("variable", v.variable(), "trace_count", v.traceCount(),
                        "access_count", v.accessCount(),
                        "access_types", v.accessTypes().stream().map(AccessType::wireName).sorted().toList(),
                        "thread_count", v.threadCount(), "severity", severity, "trace_ids", v.traceIds()));
            }
        }
        return ApiResponse.ok(Json.obj("total_races", races.size(), "races", races));
    }

    /** The 10 most accessed variables and the 10 busiest cross-service call pairs. */
    ApiResponse hotspots(ApiRequest req) {
        List<Map<String, Object>> variables = ctx.store().variableSummaries().stream()
                .sorted(Comparator.comparingLong(VariableSummary::accessCount).reversed()
                        .thenComparing(VariableSummary::variable))
                .limit(10)
                .map(v -> Json.obj("variable", v.variable(), "access_count", v.accessCount(),
                        "trace_count", v.traceCount(), "services", v.services()))
                .toList();
        Map<String, long[]> pairs = new LinkedHashMap<>();
        for (ServiceCall c : ctx.store().serviceCalls()) {
            if (!c.fromService().equals(c.toService())) {
                pairs.computeIfAbsent(c.fromService() + "\u0000" + c.toService(), k -> new long[1])[0]
                        += c.callCount();
            }
        }
        List<Map<String, Object>> calls = pairs.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[0])
                        .thenComparing(Map.Entry::getKey))
                .limit(10)
                .map(e -> {
                    String[] p = e.getKey().split("\u0000", 2);
                    return Json.obj("from_service", p[0], "to_service", p[1], "call_count", e.getValue()[0]);
                })
                .toList();
        return ApiResponse.ok(Json.obj("top_variables", variables, "top_service_calls", calls));
    }
}
