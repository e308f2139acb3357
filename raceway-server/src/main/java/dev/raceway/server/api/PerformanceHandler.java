package dev.raceway.server.api;

import dev.raceway.core.analysis.WallClock;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.server.http.ApiRequest;
import dev.raceway.server.http.ApiResponse;
import dev.raceway.server.http.Json;
import dev.raceway.storage.TracePage;
import dev.raceway.storage.TraceQuery;
import dev.raceway.storage.TraceSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /api/performance/metrics?limit=50}: latency of the newest {@code limit} traces (last − first event),
 * per-kind and per-service durations from the events of the newest five of them, and throughput. Computed per
 * request (the reference cached one answer for every {@code limit}).
 */
final class PerformanceHandler {
    private final ServerContext ctx;

    PerformanceHandler(ServerContext ctx) {
        this.ctx = ctx;
    }

    ApiResponse metrics(ApiRequest req) {
        int limit = req.intParam("limit", 50, 1, 1000);
        TracePage page = ctx.store().traceSummaries(TraceQuery.page(1, limit));
        List<TraceSummary> traces = page.traces();

        List<Double> durations = new ArrayList<>();
        List<Map<String, Object>> slowest = new ArrayList<>();
        traces.stream()
                .sorted(Comparator.comparingDouble(PerformanceHandler::durationMs).reversed())
                .forEach(t -> {
                    double d = durationMs(t);
                    if (d > 0) {
                        durations.add(d);
                    }
                    if (slowest.size() < 10) {
                        slowest.add(Json.obj("trace_id", t.traceId(), "duration_ms", d, "services", t.services()));
                    }
                });
        durations.sort(null);

        Map<String, double[]> byType = new TreeMap<>();
        Map<String, double[]> byService = new TreeMap<>();
        double totalMs = 0;
        long timed = 0;
        List<TraceSummary> sample = traces.subList(0, Math.min(5, traces.size()));
        List<Event> events = new ArrayList<>();
        ctx.store().forEachTrace(sample.stream().map(TraceSummary::traceId).toList(), events::addAll);
        for (Event e : events) {
            if (e.metadata().durationNs().isEmpty()) {
                continue;
            }
            double ms = e.metadata().durationMs();
            totalMs += ms;
            timed++;
            accumulate(byType, typeName(e.kind()), ms);
            accumulate(byService, e.metadata().serviceName(), ms);
        }
        List<Map<String, Object>> types = byType.entrySet().stream()
                .map(x -> Json.obj("type", x.getKey(), "count", (long) x.getValue()[0],
                        "avg_duration_ms", x.getValue()[1] / x.getValue()[0]))
                .toList();
        List<Map<String, Object>> slowOps = types.stream()
                .filter(t -> (double) t.get("avg_duration_ms") > 100).toList();
        List<Map<String, Object>> services = byService.entrySet().stream()
                .map(x -> Json.obj("service", x.getKey(), "event_count", (long) x.getValue()[0],
                        "avg_duration_ms", x.getValue()[1] / x.getValue()[0]))
                .toList();

        long totalEvents = traces.stream().mapToLong(TraceSummary::eventCount).sum();
        Instant first = traces.stream().map(TraceSummary::firstTimestamp).min(Instant::compareTo)
                .orElse(Instant.EPOCH);
        Instant last = traces.stream().map(TraceSummary::lastTimestamp).max(Instant::compareTo).orElse(Instant.EPOCH);
        double range = Math.max(1.0, WallClock.millisBetween(first, last) / 1e3);

        return ApiResponse.ok(Json.obj(
                "trace_latency", Json.obj(
                        "avg_ms", durations.stream().mapToDouble(Double::doubleValue).average().orElse(0),
                        "p50_ms", percentile(durations, 0.50),
                        "p95_ms", percentile(durations, 0.95),
                        "p99_ms", percentile(durations, 0.99),
                        "slowest_traces", slowest),
                "event_performance", Json.obj(
                        "avg_duration_ms", timed == 0 ? 0.0 : totalMs / timed,
                        "by_type", types,
                        "slow_operations", slowOps),
                "service_latency", services,
                "throughput", Json.obj(
                        "events_per_second", traces.isEmpty() ? 0.0 : totalEvents / range,
                        "traces_per_second", traces.isEmpty() ? 0.0 : traces.size() / range,
                        "time_range_seconds", traces.isEmpty() ? 0.0 : range)));
    }

    private static void accumulate(Map<String, double[]> m, String key, double ms) {
        double[] v = m.computeIfAbsent(key, k -> new double[2]);
        v[0]++;
        v[1] += ms;
    }

    static String typeName(EventKind kind) {
        return kind instanceof EventKind.Custom c ? "Custom(" + c.name() + ")" : kind.variant();
    }

    /** The wall-clock duration, as the trace list shows it. */
    private static double durationMs(TraceSummary t) {
        return t.durationMs();
    }

    /** Nearest-rank percentile of sorted values; 0 when empty. */
    static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
