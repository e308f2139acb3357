package dev.raceway.server.api;

import dev.raceway.server.http.ApiRequest;
import dev.raceway.server.http.ApiResponse;
import dev.raceway.server.http.Json;
import dev.raceway.storage.ServiceCall;
import dev.raceway.storage.ServiceSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/services}, {@code /api/services/health}, {@code /api/services/:name/dependencies}. Services come from
 * the {@code service_name} of stored events (not from distributed spans, which made the reference's list empty
 * unless distributed tracing was on); calls come from distributed span edges.
 */
final class ServiceHandlers {
    private final ServerContext ctx;

    ServiceHandlers(ServerContext ctx) {
        this.ctx = ctx;
    }

    ApiResponse services(ApiRequest req) {
        List<ServiceSummary> services = ctx.store().services();
        return ApiResponse.ok(Json.obj(
                "total_services", services.size(),
                "services", services.stream().map(s -> Json.obj("name", s.name(), "event_count", s.eventCount(),
                        "trace_count", s.traceCount())).toList()));
    }

    /**
     * Services active within {@code time_window_minutes} (default 60), as a bare array (reference shape). Status by
     * time since the last event: under 5 minutes healthy, under 30 warning, else critical. Counts cover all stored
     * traces of the service.
     */
    ApiResponse health(ApiRequest req) {
        long window = req.longParam("time_window_minutes", 1, 525_600).orElse(60);
        Instant now = Instant.now();
        List<Map<String, Object>> out = new ArrayList<>();
        for (ServiceSummary s : ctx.store().services()) {
            long minutes = Math.max(0, Duration.between(s.lastActivity(), now).toMinutes());
            if (minutes > window) {
                continue;
            }
            String status = minutes < 5 ? "healthy" : minutes < 30 ? "warning" : "critical";
            out.add(Json.obj("name", s.name(), "status", status, "trace_count", s.traceCount(),
                    "last_activity", s.lastActivity(),
                    "avg_events_per_trace", s.traceCount() == 0 ? 0.0 : (double) s.eventCount() / s.traceCount(),
                    "minutes_since_last_activity", minutes));
        }
        return ApiResponse.ok(out);
    }

    /**
     * Calls from and to one service, aggregated over link types and sorted by calls. As in the reference,
     * {@code called_by} entries name the calling service under {@code to}; they also carry it as {@code from}.
     */
    ApiResponse dependencies(ApiRequest req) {
        String name = req.pathParam("name");
        Map<String, long[]> to = new LinkedHashMap<>();
        Map<String, long[]> from = new LinkedHashMap<>();
        for (ServiceCall c : ctx.store().serviceCalls()) {
            if (c.fromService().equals(c.toService())) {
                continue;
            }
            if (c.fromService().equals(name)) {
                add(to, c.toService(), c);
            } else if (c.toService().equals(name)) {
                add(from, c.fromService(), c);
            }
        }
        return ApiResponse.ok(Json.obj(
                "service_name", name,
                "calls_to", rows(to, false),
                "called_by", rows(from, true)));
    }

    private static void add(Map<String, long[]> m, String key, ServiceCall c) {
        long[] v = m.computeIfAbsent(key, k -> new long[2]);
        v[0] += c.callCount();
        v[1] += c.traceCount();
    }

    private static List<Map<String, Object>> rows(Map<String, long[]> m, boolean callers) {
        List<Map.Entry<String, long[]>> entries = new ArrayList<>(m.entrySet());
        entries.sort(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[0])
                .thenComparing(Map.Entry::getKey));
        return entries.stream().map(e -> {
            Map<String, Object> row = Json.obj("to", e.getKey(), "total_calls", e.getValue()[0],
                    "trace_count", e.getValue()[1]);
            if (callers) {
                row.put("from", e.getKey());
            }
            return row;
        }).toList();
    }
}
