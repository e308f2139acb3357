package dev.raceway.server.api;

import dev.raceway.server.http.ApiRequest;
import dev.raceway.server.http.ApiResponse;
import dev.raceway.server.http.Json;
import dev.raceway.storage.TracePage;
import dev.raceway.storage.TraceQuery;
import dev.raceway.storage.TraceSummary;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /api/traces} and {@code /api/services/:name/traces}: pages of trace summaries. */
final class TraceListHandlers {
    static final int MAX_PAGE_SIZE = 1000;

    private final ServerContext ctx;

    TraceListHandlers(ServerContext ctx) {
        this.ctx = ctx;
    }

    /**
     * {@code page} ≥ 1 ({@code page=0} is read as 1, as the reference does, but echoed as 1); {@code page_size}
     * 1..1000 (default 20); {@code min_events} ≥ 0; {@code service} filters to traces with an event of that service.
     */
    ApiResponse traces(ApiRequest req) {
        TracePage page = ctx.store().traceSummaries(query(req, 20, req.queryParam("service")));
        return ApiResponse.ok(Json.obj(
                "total_traces", page.totalTraces(),
                "page", page.page(),
                "page_size", page.pageSize(),
                "total_pages", page.totalPages(),
                "traces", summaries(page.traces())));
    }

    ApiResponse serviceTraces(ApiRequest req) {
        String service = req.pathParam("name");
        TracePage page = ctx.store().traceSummaries(query(req, 100, Optional.of(service)));
        return ApiResponse.ok(Json.obj(
                "service_name", service,
                "total_traces", page.totalTraces(),
                "page", page.page(),
                "page_size", page.pageSize(),
                "total_pages", page.totalPages(),
                "traces", summaries(page.traces())));
    }

    static TraceQuery query(ApiRequest req, int defaultPageSize, Optional<String> service) {
        int page = Math.max(1, req.intParam("page", 1, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE));
        int pageSize = req.intParam("page_size", defaultPageSize, 1, MAX_PAGE_SIZE);
        long minEvents = req.longParam("min_events", 0, Long.MAX_VALUE).orElse(0);
        TraceQuery q = TraceQuery.page(page, pageSize).withMinEvents(minEvents);
        return service.filter(s -> !s.isEmpty()).map(q::withService).orElse(q);
    }

    static List<Map<String, Object>> summaries(List<TraceSummary> traces) {
        return traces.stream().map(TraceListHandlers::summary).toList();
    }

    static Map<String, Object> summary(TraceSummary t) {
        return Json.obj(
                "trace_id", t.traceId(),
                "event_count", t.eventCount(),
                "first_timestamp", t.firstTimestamp(),
                "last_timestamp", t.lastTimestamp(),
                "service_count", t.serviceCount(),
                "services", t.services());
    }
}
