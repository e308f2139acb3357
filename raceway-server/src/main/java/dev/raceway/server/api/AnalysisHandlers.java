package dev.raceway.server.api;

import dev.raceway.core.causality.Deadlock;
import dev.raceway.core.event.Timestamps;
import dev.raceway.server.http.ApiException;
import dev.raceway.server.http.ApiRequest;
import dev.raceway.server.http.ApiResponse;
import dev.raceway.server.http.Json;
import dev.raceway.server.query.DeadlockQuery;
import dev.raceway.server.query.GlobalRaceQuery;
import dev.raceway.server.query.StoreDeadlocks;
import dev.raceway.server.query.TimeWindow;
import dev.raceway.server.query.TraceAnalysisQuery;
import dev.raceway.server.query.TraceFindings;
import dev.raceway.server.query.UnknownTraceException;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Routes backed by the analyses: each parses its request, asks one query of {@code dev.raceway.server.query} and
 * writes the answer with {@link AnalysisJson} inside the envelope.
 */
final class AnalysisHandlers {
    /**
     * Events in one trace bundle at most ({@code event_limit}, the default too); a larger trace is paged with
     * {@code event_offset}, so that no answer grows with the trace (the analyses still cover all of it).
     */
    static final int MAX_BUNDLE_EVENTS = 100_000;

    private final ServerContext ctx;
    private final TraceAnalysisQuery traces;
    private final GlobalRaceQuery globalRaces;
    private final DeadlockQuery deadlocks;

    AnalysisHandlers(ServerContext ctx) {
        this.ctx = ctx;
        this.traces = new TraceAnalysisQuery(ctx.store(), ctx.config().features());
        this.globalRaces = new GlobalRaceQuery(ctx.store(), ctx.config().features());
        this.deadlocks = new DeadlockQuery(ctx.store(), ctx.config().features());
    }

    /** Runs a query of one trace; an unknown trace is 404 with {@code prefix: Trace not found: id}. */
    private static <T> T known(String prefix, Supplier<T> query) {
        try {
            return query.get();
        } catch (UnknownTraceException e) {
            throw ApiException.notFound(prefix + e.getMessage());
        }
    }

    /** {@code GET /api/traces/:id}: events (paged), audit trails, races, critical path, anomalies, dependencies. */
    ApiResponse bundle(ApiRequest req) {
        UUID id = req.traceId();
        TraceFindings f = known("Failed to fetch trace: ", () -> traces.findings(id));
        int offset = (int) req.longParam("event_offset", 0, Integer.MAX_VALUE).orElse(0);
        int limit = req.intParam("event_limit", MAX_BUNDLE_EVENTS, 1, MAX_BUNDLE_EVENTS);
        int total = f.trace().all().size();
        int from = Math.min(offset, total);
        int to = (int) Math.min(total, (long) from + limit);
        return ApiResponse.ok(AnalysisJson.bundle(req.pathParam("trace_id"), f, from, to));
    }

    ApiResponse criticalPath(ApiRequest req) {
        UUID id = req.traceId();
        var cp = known("Critical path analysis failed: ", () -> traces.criticalPath(id)).orElseThrow(() ->
                ApiException.notFound("Critical path analysis failed: no events in trace " + id));
        return ApiResponse.ok(AnalysisJson.criticalPath(req.pathParam("trace_id"), cp));
    }

    /** Never 404: an unknown trace has no anomalies (reference behaviour). */
    ApiResponse anomalies(ApiRequest req) {
        UUID id = req.traceId();
        return ApiResponse.ok(AnalysisJson.anomalies(req.pathParam("trace_id"), traces.anomalies(id)));
    }

    ApiResponse dependencies(ApiRequest req) {
        UUID id = req.traceId();
        return ApiResponse.ok(AnalysisJson.dependencies(id.toString(),
                known("Dependency analysis failed: ", () -> traces.dependencies(id))));
    }

    ApiResponse auditTrail(ApiRequest req) {
        UUID id = req.traceId();
        String variable = req.pathParam("variable");
        return ApiResponse.ok(AnalysisJson.auditTrail(id.toString(), variable,
                known("Audit trail generation failed: ", () -> traces.auditTrail(id, variable))));
    }

    /** Lock-order inversions inside one trace (with the traces it is linked to). */
    ApiResponse traceDeadlocks(ApiRequest req) {
        UUID id = req.traceId();
        List<Deadlock> found = known("Deadlock analysis failed: ", () -> deadlocks.inTrace(id));
        return ApiResponse.ok(AnalysisJson.deadlocks(found));
    }

    /**
     * Races over every stored trace (in {@code [since, until]}), headline counts between different traces. With race
     * detection disabled the answer says so and lists nothing.
     */
    ApiResponse globalAnalysis(ApiRequest req) {
        TimeWindow window;
        try {
            window = new TimeWindow(instantParam(req, "since"), instantParam(req, "until"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (!ctx.config().features().raceDetection()) {
            return ApiResponse.ok(AnalysisJson.raceDetectionOff(ctx.store().counts()));
        }
        return ApiResponse.ok(AnalysisJson.crossTraceRaces(globalRaces.analyze(window)));
    }

    /** An optional RFC 3339 query parameter; 400 with the reason when it does not parse. */
    private static Optional<Instant> instantParam(ApiRequest req, String name) {
        Optional<String> raw = req.queryParam(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Timestamps.parse(raw.get()));
        } catch (RuntimeException e) {
            throw ApiException.badRequest("Invalid " + name + ": expected an RFC 3339 timestamp such as "
                    + "2024-01-01T12:00:00Z, got '" + (raw.get().length() > 64 ? raw.get().substring(0, 64) + "…" : raw.get()) + "'");
        }
    }

    /** Lock-order inversions across traces; how much was analysed goes next to the data in the envelope. */
    ApiResponse globalDeadlocks(ApiRequest req) {
        StoreDeadlocks found = deadlocks.acrossTraces();
        return ApiResponse.json(HttpResponseStatus.OK, Json.ok(AnalysisJson.deadlocks(found.deadlocks()),
                "events_analyzed", found.eventsAnalyzed(), "truncated", found.truncated()));
    }
}
