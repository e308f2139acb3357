package dev.raceway.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.raceway.core.analysis.Anomalies;
import dev.raceway.core.analysis.Anomaly;
import dev.raceway.core.analysis.AuditTrail;
import dev.raceway.core.analysis.CriticalPath;
import dev.raceway.core.analysis.CriticalPaths;
import dev.raceway.core.analysis.TraceDependencies;
import dev.raceway.core.causality.CausalityIndex;
import dev.raceway.core.causality.CausalityOptions;
import dev.raceway.core.causality.Deadlock;
import dev.raceway.core.causality.GlobalRaceReport;
import dev.raceway.core.causality.GlobalRaces;
import dev.raceway.core.causality.LockOrder;
import dev.raceway.core.causality.RacePair;
import dev.raceway.core.causality.VariableRaceCount;
import dev.raceway.core.causality.VariableRaces;
import dev.raceway.core.causality.TraceRaceReport;
import dev.raceway.core.causality.TraceRaces;
import dev.raceway.core.event.DistributedEdge;
import dev.raceway.core.event.DistributedSpan;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.Timestamps;
import dev.raceway.core.json.AnalysisJson;
import dev.raceway.server.http.ApiException;
import dev.raceway.server.http.ApiRequest;
import dev.raceway.server.http.ApiResponse;
import dev.raceway.server.http.Json;
import dev.raceway.storage.StoreCounts;
import dev.raceway.storage.TracePage;
import dev.raceway.storage.TraceQuery;
import dev.raceway.storage.TraceSummary;
import dev.raceway.storage.VariableAccess;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Routes backed by the analyses of {@code dev.raceway.core}: each loads events from storage, runs the analysis and
 * writes the result with {@link AnalysisJson} inside the envelope. {@code [race_detection]},
 * {@code [anomaly_detection]} and {@code [distributed_tracing]} switch the corresponding parts off.
 */
final class AnalysisHandlers {
    /** Traces merged into one bundle through distributed span edges, at most. */
    static final int MAX_MERGED_TRACES = 50;
    /** Other traces loaded to find the cross-trace races of one trace, at most (newest accesses first). */
    static final int MAX_RELATED_TRACES = 200;
    /** Events loaded for the store-wide deadlock analysis, at most (newest traces first). */
    static final int MAX_DEADLOCK_EVENTS = 200_000;

    private final ServerContext ctx;

    AnalysisHandlers(ServerContext ctx) {
        this.ctx = ctx;
    }

    private boolean races() {
        return ctx.config().features().raceDetection();
    }

    /** Happens-before options of race detection, with the configured {@code [race_detection] clock_skew_ms}. */
    private CausalityOptions causality() {
        return ctx.config().features().causality();
    }

    private GlobalRaces.Builder globalRaces() {
        return GlobalRaces.builder(ctx.store().allEdges()).clockSkew(ctx.config().features().clockSkew());
    }

    /** The events of a trace, or 404 with {@code prefix: Trace not found: id}. */
    private List<Event> traceEvents(UUID id, String prefix) {
        List<Event> events = ctx.store().traceEvents(id);
        if (events.isEmpty()) {
            throw ApiException.notFound(prefix + "Trace not found: " + id);
        }
        return events;
    }

    /** The trace plus, with distributed tracing on, the traces its span edges connect it to. */
    private Loaded load(UUID id, String prefix) {
        List<Event> own = traceEvents(id, prefix);
        Set<UUID> traces = new LinkedHashSet<>(List.of(id));
        Set<DistributedEdge> edges = new LinkedHashSet<>(ctx.store().edges(id));
        if (ctx.config().features().distributedTracing()) {
            Deque<UUID> queue = new ArrayDeque<>(List.of(id));
            while (!queue.isEmpty() && traces.size() < MAX_MERGED_TRACES) {
                UUID t = queue.poll();
                for (DistributedEdge e : t.equals(id) ? List.copyOf(edges) : ctx.store().edges(t)) {
                    edges.add(e);
                    for (String span : List.of(e.fromSpan(), e.toSpan())) {
                        Optional<UUID> other = ctx.store().span(span).map(DistributedSpan::traceId);
                        if (other.isPresent() && traces.size() < MAX_MERGED_TRACES && traces.add(other.get())) {
                            queue.add(other.get());
                        }
                    }
                }
            }
        }
        List<Event> all = new ArrayList<>(own);
        if (traces.size() > 1) {
            List<UUID> others = traces.stream().filter(t -> !t.equals(id)).toList();
            ctx.store().forEachTrace(others, all::addAll);
            all.sort(Comparator.comparing(Event::timestamp).thenComparing(Event::id));
        }
        return new Loaded(own, all, List.copyOf(edges), CausalityIndex.of(all, edges, causality()));
    }

    private record Loaded(List<Event> own, List<Event> all, List<DistributedEdge> edges, CausalityIndex index) {
    }

    private static TraceRaceReport noRaces() {
        return new TraceRaceReport(0, 0, 0, List.of(), List.of());
    }

    private static ApiResponse ok(AnalysisJson.Body data) {
        return ApiResponse.ok((Json.Writable) data::write);
    }

    /**
     * Events in one trace bundle at most ({@code event_limit}, the default too); a larger trace is paged with
     * {@code event_offset}, so that no answer grows with the trace (the analyses still cover all of it).
     */
    static final int MAX_BUNDLE_EVENTS = 100_000;

    /** {@code GET /api/traces/:id}: events, audit trails, races (and cross-trace races), critical path, anomalies, dependencies. */
    ApiResponse bundle(ApiRequest req) {
        UUID id = req.traceId();
        String asSent = req.pathParam("trace_id");
        Loaded t = load(id, "Failed to fetch trace: ");
        TraceRaceReport races = races() ? TraceRaces.analyze(t.index) : noRaces();
        Optional<CriticalPath> cp = CriticalPaths.of(t.index);
        List<Anomaly> anomalies = anomalies(t.own);
        TraceDependencies deps = TraceDependencies.of(t.index);
        List<RacePair> crossTrace = races() ? crossTraceRaces(id, t) : List.of();
        int offset = (int) req.longParam("event_offset", 0, Integer.MAX_VALUE).orElse(0);
        int limit = req.intParam("event_limit", MAX_BUNDLE_EVENTS, 1, MAX_BUNDLE_EVENTS);
        int from = Math.min(offset, t.all.size());
        int to = (int) Math.min(t.all.size(), (long) from + limit);
        return ok(g -> {
            g.writeStartObject();
            g.writeStringField("trace_id", asSent);
            g.writeArrayFieldStart("events");
            for (Event e : t.all.subList(from, to)) {
                Json.write(g, e);
            }
            g.writeEndArray();
            g.writeNumberField("events_total", t.all.size());
            g.writeNumberField("event_offset", from);
            g.writeBooleanField("events_truncated", to < t.all.size());
            g.writeFieldName("audit_trails");
            AnalysisJson.writeAuditTrails(g, AuditTrail.all(t.index));
            g.writeFieldName("analysis");
            AnalysisJson.writeRaces(g, races);
            g.writeFieldName("critical_path");
            if (cp.isPresent()) {
                AnalysisJson.writeCriticalPath(g, asSent, cp.get());
            } else {
                g.writeNull();
            }
            g.writeFieldName("anomalies");
            AnalysisJson.writeAnomalyList(g, anomalies);
            g.writeFieldName("dependencies");
            AnalysisJson.writeDependencies(g, id.toString(), deps);
            g.writeFieldName("cross_trace_races");
            AnalysisJson.writeRacePairs(g, crossTrace);
            g.writeEndObject();
        });
    }

    /**
     * Races between this trace and other traces touching its variables: the other traces are found through the
     * variable index (newest first, at most {@link #MAX_RELATED_TRACES}) and analysed together with this one.
     */
    private List<RacePair> crossTraceRaces(UUID id, Loaded t) {
        Set<String> variables = new LinkedHashSet<>();
        for (Event e : t.own) {
            if (e.kind() instanceof EventKind.StateChange sc) {
                variables.add(sc.variable());
            }
        }
        Set<UUID> loaded = new LinkedHashSet<>();
        t.all.forEach(e -> loaded.add(e.traceId()));
        Set<UUID> related = new LinkedHashSet<>();
        for (String v : variables) {
            List<VariableAccess> accesses = ctx.store().variableAccesses(v);
            for (int i = accesses.size() - 1; i >= 0 && related.size() < MAX_RELATED_TRACES; i--) {
                UUID other = accesses.get(i).traceId();
                if (!loaded.contains(other)) {
                    related.add(other);
                }
            }
        }
        if (related.isEmpty() && loaded.size() == 1) {
            return List.of();
        }
        GlobalRaces.Builder b = globalRaces().maxDetails(1000).examplesPerVariable(100)
                .listOnly(p -> p.crossTrace() && (p.first().traceId().equals(id) || p.second().traceId().equals(id)));
        Map<UUID, List<Event>> byTrace = new LinkedHashMap<>();
        t.all.forEach(e -> byTrace.computeIfAbsent(e.traceId(), k -> new ArrayList<>()).add(e));
        byTrace.values().forEach(b::addTrace);
        ctx.store().forEachTrace(related, b::addTrace);
        GlobalRaceReport r = b.build();
        return r.details().stream()
                .filter(p -> p.crossTrace() && (p.first().traceId().equals(id) || p.second().traceId().equals(id)))
                .toList();
    }

    /** The bundle's {@code cross_trace_races}: an array of pairs, each naming both traces and events. */
    private List<Anomaly> anomalies(List<Event> own) {
        if (!ctx.config().features().anomalyDetection()) {
            return List.of();
        }
        return Anomalies.detect(own, ctx.store().baselines(), true);
    }

    ApiResponse criticalPath(ApiRequest req) {
        UUID id = req.traceId();
        String asSent = req.pathParam("trace_id");
        Loaded t = load(id, "Critical path analysis failed: ");
        CriticalPath cp = CriticalPaths.of(t.index).orElseThrow(() ->
                ApiException.notFound("Critical path analysis failed: no events in trace " + id));
        return ok(g -> AnalysisJson.writeCriticalPath(g, asSent, cp));
    }

    /** Never 404: an unknown trace has no anomalies (reference behaviour). */
    ApiResponse anomalies(ApiRequest req) {
        UUID id = req.traceId();
        String asSent = req.pathParam("trace_id");
        List<Anomaly> found = anomalies(ctx.store().traceEvents(id));
        return ok(g -> AnalysisJson.writeAnomalies(g, asSent, found));
    }

    ApiResponse dependencies(ApiRequest req) {
        UUID id = req.traceId();
        Loaded t = load(id, "Dependency analysis failed: ");
        TraceDependencies deps = TraceDependencies.of(t.index);
        return ok(g -> AnalysisJson.writeDependencies(g, id.toString(), deps));
    }

    ApiResponse auditTrail(ApiRequest req) {
        UUID id = req.traceId();
        String variable = req.pathParam("variable");
        Loaded t = load(id, "Audit trail generation failed: ");
        var trail = AuditTrail.of(t.index, variable);
        return ok(g -> AnalysisJson.writeAuditTrail(g, id.toString(), variable, trail));
    }

    /** Lock-order inversions inside one trace (with the traces it is linked to). */
    ApiResponse traceDeadlocks(ApiRequest req) {
        UUID id = req.traceId();
        Loaded t = load(id, "Deadlock analysis failed: ");
        List<Deadlock> found = LockOrder.analyze(CausalityIndex.of(t.all, t.edges,
                CausalityOptions.WITHOUT_LOCK_EDGES.withClockSkew(ctx.config().features().clockSkew())));
        return ok(g -> AnalysisJson.writeDeadlocks(g, found));
    }

    /**
     * Races over every stored trace (streamed trace by trace from storage), headline counts between different traces
     * (see {@link #writeCrossTraceReport}). With race detection disabled the answer says so and lists nothing.
     */
    ApiResponse globalAnalysis(ApiRequest req) {
        Optional<Instant> since = instantParam(req, "since");
        Optional<Instant> until = instantParam(req, "until");
        if (since.isPresent() && until.isPresent() && since.get().isAfter(until.get())) {
            throw ApiException.badRequest("since must not be after until");
        }
        StoreCounts counts = ctx.store().counts();
        if (!races()) {
            return ApiResponse.ok(Json.obj("enabled", false, "total_traces", counts.traces(),
                    "total_events", counts.events(), "concurrent_events", 0, "potential_races", 0,
                    "distinct_race_count", 0, "distinct_races", List.of(), "shown", 0, "total", 0,
                    "anomalies", List.of("Race detection is disabled ([race_detection] enabled = false)"),
                    "race_details", List.of()));
        }
        List<DistributedEdge> allEdges = ctx.store().allEdges();
        Map<String, List<DistributedEdge>> edgesBySpan = new HashMap<>();
        for (DistributedEdge e : allEdges) {
            edgesBySpan.computeIfAbsent(e.fromSpan(), k -> new ArrayList<>()).add(e);
            edgesBySpan.computeIfAbsent(e.toSpan(), k -> new ArrayList<>()).add(e);
        }
        GlobalRaces.Builder b = globalRaces().listOnly(RacePair::crossTrace);
        Map<String, long[]> withinTraces = new HashMap<>();
        CausalityOptions options = causality();
        ctx.store().forEachTraceWithStateChanges(trace -> {
            if (!inRange(trace, since, until)) {
                return;
            }
            b.addTrace(trace);
            Set<DistributedEdge> own = new LinkedHashSet<>();
            for (Event e : trace) {
                e.metadata().distributedSpanId().ifPresent(span -> own.addAll(edgesBySpan.getOrDefault(span, List.of())));
            }
            for (VariableRaceCount v : TraceRaces.analyze(CausalityIndex.of(trace, own, options), 1).byVariable()) {
                long[] c = withinTraces.computeIfAbsent(v.variable(), k -> new long[3]);
                c[0] += v.pairs();
                c[1] += v.critical();
                c[2] += v.warning();
            }
        });
        GlobalRaceReport r = b.build();
        return ok(g -> writeCrossTraceReport(g, r, withinTraces, counts));
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

    /** True when some event of the trace is stamped within [since, until] (whole traces are analysed). */
    private static boolean inRange(List<Event> trace, Optional<Instant> since, Optional<Instant> until) {
        if (since.isEmpty() && until.isEmpty()) {
            return true;
        }
        for (Event e : trace) {
            Instant t = e.timestamp();
            if ((since.isEmpty() || !t.isBefore(since.get())) && (until.isEmpty() || !t.isAfter(until.get()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The global report. The headline counts ({@code potential_races}, {@code concurrent_events},
     * {@code critical_races}, {@code warning_races}) and {@code race_details} are races between different traces —
     * per variable, the pairs found inside single traces are subtracted from the global counts.
     * {@code within_trace_races} counts the rest. {@code by_variable} lists every variable with racing pairs, with
     * both parts ({@code between_traces}, {@code within_trace}; {@code potential_races} is their sum) and example
     * pairs of either kind, so a client can show races inside one trace marked as such.
     */
    private static void writeCrossTraceReport(JsonGenerator g, GlobalRaceReport r, Map<String, long[]> withinTraces,
                                              StoreCounts counts) throws java.io.IOException {
        long pairs = 0;
        long critical = 0;
        long warning = 0;
        long within = 0;
        List<long[]> split = new ArrayList<>();
        for (VariableRaces v : r.byVariable()) {
            long[] inside = withinTraces.getOrDefault(v.variable(), new long[3]);
            long in = Math.min(v.pairs(), inside[0]);
            long p = v.pairs() - in;
            long c = Math.max(0, v.critical() - inside[1]);
            long w = Math.max(0, v.warning() - inside[2]);
            pairs += p;
            critical += c;
            warning += w;
            within += in;
            split.add(new long[] {p, in, c, w});
        }
        List<RacePair> details = r.details(); // listed with listOnly(crossTrace): filtered before the cap
        g.writeStartObject();
        g.writeNumberField("total_traces", counts.traces());
        g.writeNumberField("total_events", counts.events());
        g.writeNumberField("analyzed_traces", r.traceCount());
        g.writeNumberField("concurrent_events", pairs);
        g.writeNumberField("potential_races", pairs);
        g.writeNumberField("critical_races", critical);
        g.writeNumberField("warning_races", warning);
        g.writeNumberField("within_trace_races", within);
        AnalysisJson.writeDistinctRaces(g, r.distinctRaces());
        g.writeNumberField("shown", details.size());
        g.writeNumberField("total", pairs);
        g.writeArrayFieldStart("anomalies");
        if (pairs > 0) {
            g.writeString("🌐 GLOBAL: Found " + r.distinctRaces().size() + " distinct races (" + pairs
                    + " pairs of concurrent events across traces)");
            if (details.size() < pairs) {
                g.writeString("   Showing " + details.size() + " of " + pairs + " race pairs");
            }
        }
        g.writeEndArray();
        g.writeArrayFieldStart("race_details");
        for (RacePair p : details) {
            AnalysisJson.writeRacePair(g, p);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("by_variable");
        for (int i = 0; i < r.byVariable().size(); i++) {
            VariableRaces v = r.byVariable().get(i);
            long[] c = split.get(i);
            g.writeStartObject();
            g.writeStringField("variable", v.variable());
            g.writeNumberField("potential_races", v.pairs());
            g.writeNumberField("between_traces", c[0]);
            g.writeNumberField("within_trace", c[1]);
            g.writeNumberField("critical", v.critical());
            g.writeNumberField("warning", v.warning());
            g.writeNumberField("trace_count", v.traceCount());
            g.writeArrayFieldStart("examples");
            for (RacePair p : v.examples()) {
                AnalysisJson.writeRacePair(g, p);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * Lock-order inversions across traces (two requests taking two locks in opposite orders), over the newest traces
     * that acquire locks, up to {@link #MAX_DEADLOCK_EVENTS} events.
     */
    ApiResponse globalDeadlocks(ApiRequest req) {
        List<Event> events = new ArrayList<>();
        int page = 1;
        boolean truncated = false;
        outer:
        while (true) {
            TracePage p = ctx.store().traceSummaries(TraceQuery.page(page, 1000));
            if (p.traces().isEmpty()) {
                break;
            }
            List<UUID> ids = p.traces().stream().map(TraceSummary::traceId).toList();
            List<List<Event>> withLocks = new ArrayList<>();
            ctx.store().forEachTrace(ids, trace -> {
                if (trace.stream().anyMatch(e -> e.kind() instanceof EventKind.LockAcquire)) {
                    withLocks.add(trace);
                }
            });
            for (List<Event> trace : withLocks) {
                if (events.size() + trace.size() > MAX_DEADLOCK_EVENTS) {
                    truncated = true;
                    break outer;
                }
                events.addAll(trace);
            }
            if (page >= p.totalPages()) {
                break;
            }
            page++;
        }
        List<Deadlock> found = LockOrder.analyze(events, ctx.store().allEdges());
        // Same data shape as the per-trace route; how much was analysed goes next to it in the envelope.
        return ApiResponse.json(HttpResponseStatus.OK, Json.ok((Json.Writable) g -> AnalysisJson.writeDeadlocks(g,
                found), "events_analyzed", events.size(), "truncated", truncated));
    }

}
