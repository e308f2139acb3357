package dev.raceway.server.api;

import dev.raceway.server.http.ApiException;
import dev.raceway.server.http.ApiRequest;
import dev.raceway.server.http.ApiResponse;
import dev.raceway.server.http.Json;
import dev.raceway.storage.TracePage;
import dev.raceway.storage.TraceQuery;
import dev.raceway.storage.TraceSummary;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** {@code /api/traces} and {@code /api/services/:name/traces}: pages of trace summaries. */
final class TraceListHandlers {
    static final int MAX_PAGE_SIZE = 1000;

    private final ServerContext ctx;

    TraceListHandlers(ServerContext ctx) {
        this.ctx = ctx;
    }

    /**
     * {@code page} ≥ 1 ({@code page=0} is read as 1, as the reference does, but echoed as 1); {@code page_size}
     * 1..1000 (default 20); {@code min_events} ≥ 0; {@code service} filters to traces with an event of that service;
     * {@code operation} (text the root operation contains, any case), {@code min_duration_ms} /
     * {@code max_duration_ms} (wall clock), {@code since} / {@code until} (RFC 3339; when the trace started),
     * {@code id_prefix} (the start of the trace id) and {@code has_races} ({@code true}: only traces taking part in a
     * race, inside the trace or with another; {@code false}: only the others) narrow the list, all server-side.
     */
    ApiResponse traces(ApiRequest req) {
        TracePage page = page(req, query(req, 20, req.queryParam("service")));
        return ApiResponse.ok(Json.obj(
                "total_traces", page.totalTraces(),
                "page", page.page(),
                "page_size", page.pageSize(),
                "total_pages", page.totalPages(),
                "traces", summaries(page.traces())));
    }

    ApiResponse serviceTraces(ApiRequest req) {
        String service = req.pathParam("name");
        TracePage page = page(req, query(req, 100, Optional.of(service)));
        return ApiResponse.ok(Json.obj(
                "service_name", service,
                "total_traces", page.totalTraces(),
                "page", page.page(),
                "page_size", page.pageSize(),
                "total_pages", page.totalPages(),
                "traces", summaries(page.traces())));
    }

    /** The page of {@code q}; with {@code has_races} the storage's matches are narrowed here and paged again. */
    private TracePage page(ApiRequest req, TraceQuery q) {
        Optional<Boolean> hasRaces = bool(req, "has_races");
        if (hasRaces.isEmpty()) {
            return ctx.store().traceSummaries(q);
        }
        Set<UUID> racing = RacingTraces.of(ctx.store(), ctx.config().features());
        List<TraceSummary> all = ctx.store().traceSummaries(q.withPage(1, Integer.MAX_VALUE)).traces().stream()
                .filter(t -> racing.contains(t.traceId()) == hasRaces.get()).toList();
        int from = (int) Math.min(all.size(), q.offset());
        return new TracePage(all.subList(from, Math.min(all.size(), from + q.pageSize())), all.size(), q.page(),
                q.pageSize());
    }

    static TraceQuery query(ApiRequest req, int defaultPageSize, Optional<String> service) {
        int page = Math.max(1, req.intParam("page", 1, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE));
        int pageSize = req.intParam("page_size", defaultPageSize, 1, MAX_PAGE_SIZE);
        long minEvents = req.longParam("min_events", 0, Long.MAX_VALUE).orElse(0);
        TraceQuery q = TraceQuery.page(page, pageSize).withMinEvents(minEvents);
        q = service.filter(s -> !s.isEmpty()).map(q::withService).orElse(q);
        Optional<String> operation = req.queryParam("operation").map(String::strip).filter(s -> !s.isEmpty());
        if (operation.isPresent()) {
            q = q.withOperation(operation.get());
        }
        OptionalLong min = req.longParam("min_duration_ms", 0, Long.MAX_VALUE / 1_000_000);
        OptionalLong max = req.longParam("max_duration_ms", 0, Long.MAX_VALUE / 1_000_000);
        if (min.isPresent() && max.isPresent() && min.getAsLong() > max.getAsLong()) {
            throw ApiException.badRequest("min_duration_ms (" + min.getAsLong() + ") is greater than max_duration_ms ("
                    + max.getAsLong() + ")");
        }
        q = q.withDurationMs(min, max);
        Optional<Instant> since = instant(req, "since");
        Optional<Instant> until = instant(req, "until");
        if (since.isPresent() && until.isPresent() && since.get().isAfter(until.get())) {
            throw ApiException.badRequest("since is after until");
        }
        q = q.withStartedBetween(since, until);
        Optional<String> prefix = req.queryParam("id_prefix").map(s -> s.strip().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty());
        if (prefix.isPresent()) {
            if (!ID_PREFIX.matcher(prefix.get()).matches()) {
                throw ApiException.badRequest("query parameter 'id_prefix' must be 1 to 36 hex digits and dashes, got '"
                        + abbreviate(prefix.get()) + "'");
            }
            q = q.withIdPrefix(prefix.get());
        }
        return q;
    }

    private static final Pattern ID_PREFIX = Pattern.compile("[0-9a-f-]{1,36}");

    private static Optional<Instant> instant(ApiRequest req, String name) {
        Optional<String> raw = req.queryParam(name).map(String::strip).filter(s -> !s.isEmpty());
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(raw.get()).toInstant());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("query parameter '" + name + "' must be an RFC 3339 time such as "
                    + "2026-01-31T12:00:00Z, got '" + abbreviate(raw.get()) + "'");
        }
    }

    private static Optional<Boolean> bool(ApiRequest req, String name) {
        Optional<String> raw = req.queryParam(name).map(String::strip).filter(s -> !s.isEmpty());
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        return switch (raw.get()) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> throw ApiException.badRequest("query parameter '" + name + "' must be true or false, got '"
                    + abbreviate(raw.get()) + "'");
        };
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
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
                "services", t.services(),
                "operation", t.operation().orElse(null),
                "start_timestamp", t.startTimestamp(),
                "duration_ms", t.durationMs());
    }
}
