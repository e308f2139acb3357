package dev.raceway.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.raceway.core.analysis.Anomaly;
import dev.raceway.core.analysis.CriticalPath;
import dev.raceway.core.analysis.EventAggregates;
import dev.raceway.core.analysis.EventLabels;
import dev.raceway.core.analysis.RustDebug;
import dev.raceway.core.analysis.ServiceDependency;
import dev.raceway.core.analysis.ServiceCount;
import dev.raceway.core.analysis.SpanGraph;
import dev.raceway.core.analysis.TraceDependencies;
import dev.raceway.core.analysis.WallClock;
import dev.raceway.core.analysis.AuditEntry;
import dev.raceway.core.causality.Deadlock;
import dev.raceway.core.causality.DistinctRace;
import dev.raceway.core.causality.GlobalRaceReport;
import dev.raceway.core.causality.LockOrderEdge;
import dev.raceway.core.causality.RacePair;
import dev.raceway.core.causality.RaceSeverity;
import dev.raceway.core.causality.TraceRaceReport;
import dev.raceway.core.causality.VariableRaces;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.Timestamps;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes analysis results in the reference's response shapes — the {@code data} part; the server adds the
 * {@code {"success","data","error"}} envelope. Each {@code write…} method writes exactly one JSON value at the
 * generator's current position, so they can be nested (e.g. the full trace bundle writes {@link #writeRaces} under
 * {@code "analysis"}). Timestamps are always RFC 3339 UTC with {@code Z}; non-finite numbers are written as
 * {@code null}. Fields beyond the reference (event ids, per-variable counts) are additions old clients ignore.
 */
public final class AnalysisJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private AnalysisJson() {
    }

    /** Something that writes one JSON value. */
    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /** Runs {@code body} against a fresh generator and returns the compact JSON text (tests, small responses). */
    public static String toJson(Body body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    // ---- per-trace races: data.analysis of GET /api/traces/{id} ------------------------------------------------

    /**
     * {@code {concurrent_events, potential_races, distinct_race_count, distinct_races:[...], shown, total,
     * anomalies:[lines], race_details:[...]}}; both pair counts and {@code total} are the exact number of racing
     * pairs, {@code race_details} holds the report's (capped) pairs and {@code shown} says how many.
     */
    public static void writeRaces(JsonGenerator g, TraceRaceReport r) throws IOException {
        g.writeStartObject();
        g.writeNumberField("concurrent_events", r.pairCount());
        g.writeNumberField("potential_races", r.pairCount());
        g.writeNumberField("critical_races", r.criticalCount());
        g.writeNumberField("warning_races", r.warningCount());
        writeDistinctRaces(g, r.distinctRaces());
        g.writeNumberField("shown", r.details().size());
        g.writeNumberField("total", r.pairCount());
        g.writeArrayFieldStart("anomalies");
        for (String line : raceLines(r)) {
            g.writeString(line);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("race_details");
        for (RacePair p : r.details()) {
            g.writeStartObject();
            writeRaceFields(g, p);
            g.writeStringField("description", traceDescription(p));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** The human-readable block per pair (8 lines each), as the reference and its TUI expect. */
    public static List<String> raceLines(TraceRaceReport r) {
        if (r.pairCount() == 0) {
            return List.of("No potential races detected for this trace");
        }
        List<String> lines = new ArrayList<>();
        for (RacePair p : r.details()) {
            lines.add("🚨 " + p.severity() + " RACE on " + p.variable());
            eventLines(lines, 1, p.first());
            eventLines(lines, 2, p.second());
            lines.add("");
        }
        if (r.truncated()) {
            lines.add("   Showing first " + r.details().size() + " race pairs (" + r.pairCount() + " total)");
        }
        return lines;
    }

    private static void eventLines(List<String> lines, int n, Event e) {
        EventKind.StateChange sc = (EventKind.StateChange) e.kind();
        lines.add("   Event " + n + ": " + e.id().toString().substring(0, 8) + " @ " + sc.location() + " ["
                + e.metadata().threadId() + "]");
        lines.add("           @ " + CLOCK.format(e.timestamp()));
        lines.add(sc.accessType().isWrite()
                ? "           WRITE: " + RustDebug.option(sc.oldValue()) + " → " + RustDebug.value(sc.newValue())
                : "           READ: " + RustDebug.value(sc.newValue()));
    }

    /**
     * {@code distinct_race_count} and {@code distinct_races: [{severity, locations:[a, b], accesses:[a, b],
     * variables:[...], occurrences, traces}]}, most severe and most frequent first.
     */
    public static void writeDistinctRaces(JsonGenerator g, List<DistinctRace> races) throws IOException {
        g.writeNumberField("distinct_race_count", races.size());
        g.writeArrayFieldStart("distinct_races");
        for (DistinctRace d : races) {
            g.writeStartObject();
            g.writeStringField("severity", d.severity().name());
            g.writeArrayFieldStart("locations");
            for (String l : d.locations()) {
                g.writeString(l);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("accesses");
            for (var a : d.accesses()) {
                g.writeString(a.wireName());
            }
            g.writeEndArray();
            g.writeArrayFieldStart("variables");
            for (String v : d.variables()) {
                g.writeString(v);
            }
            g.writeEndArray();
            g.writeNumberField("occurrences", d.occurrences());
            g.writeNumberField("traces", d.traces());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeRaceFields(JsonGenerator g, RacePair p) throws IOException {
        g.writeStringField("severity", p.severity().name());
        g.writeStringField("variable", p.variable());
        g.writeStringField("event1_thread", p.first().metadata().threadId());
        g.writeStringField("event2_thread", p.second().metadata().threadId());
        g.writeStringField("event1_location", p.firstAccess().location());
        g.writeStringField("event2_location", p.secondAccess().location());
        g.writeStringField("event1_id", p.first().id().toString());
        g.writeStringField("event2_id", p.second().id().toString());
    }

    private static String traceDescription(RacePair p) {
        return p.severity() == RaceSeverity.CRITICAL
                ? "Write-Write race on " + p.variable()
                        + ". Both threads modified the same variable without synchronization."
                : "Read-Write race on " + p.variable() + ". One thread read while another wrote.";
    }

    // ---- global races: GET /api/analyze/global ------------------------------------------------------------------

    /** Uses the report's own trace and event counts for {@code total_traces} / {@code total_events}. */
    public static void writeGlobalRaces(JsonGenerator g, GlobalRaceReport r) throws IOException {
        writeGlobalRaces(g, r, r.traceCount(), r.eventCount());
    }

    /**
     * {@code {total_traces, total_events, concurrent_events, potential_races, critical_races, warning_races,
     * anomalies, race_details:[...], by_variable:[{variable, potential_races, critical, warning, trace_count,
     * examples:[...]}]}}.
     */
    public static void writeGlobalRaces(JsonGenerator g, GlobalRaceReport r, long totalTraces, long totalEvents)
            throws IOException {
        g.writeStartObject();
        g.writeNumberField("total_traces", totalTraces);
        g.writeNumberField("total_events", totalEvents);
        g.writeNumberField("concurrent_events", r.pairCount());
        g.writeNumberField("potential_races", r.pairCount());
        g.writeNumberField("critical_races", r.criticalCount());
        g.writeNumberField("warning_races", r.warningCount());
        writeDistinctRaces(g, r.distinctRaces());
        g.writeNumberField("shown", r.details().size());
        g.writeNumberField("total", r.pairCount());
        g.writeArrayFieldStart("anomalies");
        if (r.pairCount() > 0) {
            g.writeString("🌐 GLOBAL: Found " + r.pairCount() + " pairs of concurrent events across all traces");
            if (r.truncated()) {
                g.writeString("   Showing first " + r.details().size() + " race pairs (" + r.pairCount() + " total)");
            }
        }
        g.writeEndArray();
        g.writeArrayFieldStart("race_details");
        for (RacePair p : r.details()) {
            writeRacePair(g, p);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("by_variable");
        for (VariableRaces v : r.byVariable()) {
            g.writeStartObject();
            g.writeStringField("variable", v.variable());
            g.writeNumberField("potential_races", v.pairs());
            g.writeNumberField("critical", v.critical());
            g.writeNumberField("warning", v.warning());
            g.writeNumberField("trace_count", v.traceCount());
            g.writeArrayFieldStart("examples");
            for (RacePair p : v.examples()) {
                writeRacePair(g, p);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** One race pair in the global-race shape (see {@link #writeRacePairs}). */
    public static void writeRacePair(JsonGenerator g, RacePair p) throws IOException {
        g.writeStartObject();
        g.writeStringField("severity", p.severity().name());
        g.writeStringField("variable", p.variable());
        g.writeStringField("trace1_id", p.first().traceId().toString());
        g.writeStringField("trace2_id", p.second().traceId().toString());
        g.writeStringField("event1_thread", p.first().metadata().threadId());
        g.writeStringField("event2_thread", p.second().metadata().threadId());
        g.writeStringField("event1_location", p.firstAccess().location());
        g.writeStringField("event2_location", p.secondAccess().location());
        g.writeStringField("event1_timestamp", Timestamps.format(p.first().timestamp()));
        g.writeStringField("event2_timestamp", Timestamps.format(p.second().timestamp()));
        g.writeStringField("event1_id", p.first().id().toString());
        g.writeStringField("event2_id", p.second().id().toString());
        g.writeStringField("description", globalDescription(p));
        g.writeEndObject();
    }

    /**
     * Race pairs in the global-race shape ({@code severity, variable, trace1_id, trace2_id, event ids, threads,
     * locations, timestamps, description}), e.g. the {@code cross_trace_races} of a trace bundle.
     */
    public static void writeRacePairs(JsonGenerator g, List<RacePair> pairs) throws IOException {
        g.writeStartArray();
        for (RacePair p : pairs) {
            writeRacePair(g, p);
        }
        g.writeEndArray();
    }

    private static String globalDescription(RacePair p) {
        if (!p.crossTrace()) {
            return (p.severity() == RaceSeverity.CRITICAL ? "Write-Write" : "Read-Write") + " race on " + p.variable()
                    + " inside trace " + p.first().traceId().toString().substring(0, 8) + " (threads "
                    + p.first().metadata().threadId() + " and " + p.second().metadata().threadId() + ").";
        }
        if (p.severity() == RaceSeverity.CRITICAL) {
            return "Cross-trace write-write race on " + p.variable() + ". Trace "
                    + p.first().traceId().toString().substring(0, 8) + " (thread " + p.first().metadata().threadId()
                    + ") wrote " + RustDebug.value(p.firstAccess().newValue()) + ", Trace "
                    + p.second().traceId().toString().substring(0, 8) + " (thread "
                    + p.second().metadata().threadId() + ") wrote " + RustDebug.value(p.secondAccess().newValue());
        }
        return "Cross-trace read-write race on " + p.variable()
                + ". One thread read while another wrote across different traces.";
    }

    // ---- audit trails -------------------------------------------------------------------------------------------

    /** {@code {trace_id, variable, accesses:[...]}} for {@code GET /api/traces/{id}/audit-trail/{variable}}. */
    public static void writeAuditTrail(JsonGenerator g, String traceId, String variable, List<AuditEntry> trail)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("trace_id", traceId);
        g.writeStringField("variable", variable);
        g.writeFieldName("accesses");
        writeAccesses(g, trail);
        g.writeEndObject();
    }

    /** {@code {variable: [access, ...], ...}} — the {@code audit_trails} object of the full trace bundle. */
    public static void writeAuditTrails(JsonGenerator g, Map<String, List<AuditEntry>> trails) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, List<AuditEntry>> e : trails.entrySet()) {
            g.writeFieldName(e.getKey());
            writeAccesses(g, e.getValue());
        }
        g.writeEndObject();
    }

    private static void writeAccesses(JsonGenerator g, List<AuditEntry> trail) throws IOException {
        g.writeStartArray();
        for (AuditEntry a : trail) {
            Event e = a.event();
            EventKind.StateChange sc = a.access();
            g.writeStartObject();
            g.writeStringField("event_id", e.id().toString());
            g.writeStringField("timestamp", Timestamps.format(e.timestamp()));
            g.writeStringField("thread_id", e.metadata().threadId());
            g.writeStringField("service_name", e.metadata().serviceName());
            g.writeStringField("access_type", sc.accessType().wireName());
            g.writeFieldName("old_value");
            writeValue(g, sc.oldValue().orElse(JsonValue.NULL));
            g.writeFieldName("new_value");
            writeValue(g, sc.newValue());
            g.writeStringField("location", sc.location());
            g.writeBooleanField("has_causal_link_to_previous", a.hasCausalLinkToPrevious());
            g.writeBooleanField("is_race", a.isRace());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    // ---- critical path -------------------------------------------------------------------------------------------

    /** {@code {trace_id, path_events, total_duration_ms, trace_total_duration_ms, percentage_of_total, path}}. */
    public static void writeCriticalPath(JsonGenerator g, String traceId, CriticalPath cp) throws IOException {
        g.writeStartObject();
        g.writeStringField("trace_id", traceId);
        g.writeNumberField("path_events", cp.path().size());
        number(g, "total_duration_ms", cp.totalDurationMs());
        number(g, "trace_total_duration_ms", cp.traceTotalDurationMs());
        number(g, "percentage_of_total", cp.percentageOfTotal());
        number(g, "wall_duration_ms", cp.wallDurationMs());
        number(g, "trace_wall_duration_ms", cp.traceWallDurationMs());
        number(g, "percentage_of_wall", cp.percentageOfWall());
        g.writeArrayFieldStart("path");
        for (Event e : cp.path()) {
            g.writeStartObject();
            g.writeStringField("id", e.id().toString());
            g.writeStringField("kind", EventLabels.pathKind(e.kind()));
            g.writeStringField("location", EventLabels.pathLocation(e.kind()));
            g.writeStringField("timestamp", Timestamps.format(e.timestamp()));
            number(g, "duration_ms", e.metadata().durationMs());
            g.writeStringField("start_timestamp", Timestamps.format(WallClock.start(e)));
            g.writeStringField("service_name", e.metadata().serviceName());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    // ---- anomalies -----------------------------------------------------------------------------------------------

    /** {@code {trace_id, anomaly_count, anomalies:[...]}} for {@code GET /api/traces/{id}/anomalies}. */
    public static void writeAnomalies(JsonGenerator g, String traceId, List<Anomaly> anomalies) throws IOException {
        g.writeStartObject();
        g.writeStringField("trace_id", traceId);
        g.writeNumberField("anomaly_count", anomalies.size());
        g.writeFieldName("anomalies");
        writeAnomalyList(g, anomalies);
        g.writeEndObject();
    }

    /** The bare array (the {@code anomalies} field of the full trace bundle). */
    public static void writeAnomalyList(JsonGenerator g, List<Anomaly> anomalies) throws IOException {
        g.writeStartArray();
        for (Anomaly a : anomalies) {
            g.writeStartObject();
            g.writeStringField("event_id", a.event().id().toString());
            g.writeStringField("event_kind", a.eventKind());
            g.writeStringField("severity", a.severity().name());
            number(g, "actual_duration_ms", a.actualDurationMs());
            number(g, "expected_duration_ms", a.expectedDurationMs());
            number(g, "std_dev_from_mean", a.stdDevFromMean());
            g.writeStringField("description", a.description());
            g.writeStringField("location", a.location());
            g.writeStringField("timestamp", Timestamps.format(a.event().timestamp()));
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    // ---- dependencies, services, distributed views ----------------------------------------------------------------

    /** {@code {trace_id, services:[{name, event_count}], dependencies:[{from, to, call_count}]}}. */
    public static void writeDependencies(JsonGenerator g, String traceId, TraceDependencies d) throws IOException {
        g.writeStartObject();
        g.writeStringField("trace_id", traceId);
        g.writeArrayFieldStart("services");
        for (ServiceCount s : d.services()) {
            g.writeStartObject();
            g.writeStringField("name", s.name());
            g.writeNumberField("event_count", s.eventCount());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("dependencies");
        for (ServiceDependency c : d.dependencies()) {
            g.writeStartObject();
            g.writeStringField("from", c.from());
            g.writeStringField("to", c.to());
            g.writeNumberField("call_count", c.callCount());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** {@code {total_services, services:[{name, event_count, trace_count}]}} for {@code GET /api/services}. */
    public static void writeServices(JsonGenerator g, List<EventAggregates.ServiceSummary> services)
            throws IOException {
        g.writeStartObject();
        g.writeNumberField("total_services", services.size());
        g.writeArrayFieldStart("services");
        for (EventAggregates.ServiceSummary s : services) {
            g.writeStartObject();
            g.writeStringField("name", s.name());
            g.writeNumberField("event_count", s.eventCount());
            g.writeNumberField("trace_count", s.traceCount());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * {@code {service_name, calls_to:[{to, total_calls, trace_count}], called_by:[{to, total_calls, trace_count}]}};
     * as in the reference, {@code called_by} entries name the caller under {@code to}.
     */
    public static void writeServiceDependencies(JsonGenerator g, SpanGraph.ServiceDependencies d) throws IOException {
        g.writeStartObject();
        g.writeStringField("service_name", d.serviceName());
        g.writeFieldName("calls_to");
        writeLinks(g, d.callsTo());
        g.writeFieldName("called_by");
        writeLinks(g, d.calledBy());
        g.writeEndObject();
    }

    private static void writeLinks(JsonGenerator g, List<SpanGraph.ServiceLink> links) throws IOException {
        g.writeStartArray();
        for (SpanGraph.ServiceLink l : links) {
            g.writeStartObject();
            g.writeStringField("to", l.service());
            g.writeNumberField("total_calls", l.totalCalls());
            g.writeNumberField("trace_count", l.traceCount());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** {@code {total_edges, edges:[{from_service, to_service, link_type, call_count}]}}. */
    public static void writeDistributedEdges(JsonGenerator g, List<SpanGraph.EdgeSummary> edges) throws IOException {
        g.writeStartObject();
        g.writeNumberField("total_edges", edges.size());
        g.writeArrayFieldStart("edges");
        for (SpanGraph.EdgeSummary e : edges) {
            g.writeStartObject();
            g.writeStringField("from_service", e.fromService());
            g.writeStringField("to_service", e.toService());
            g.writeStringField("link_type", e.linkType().name());
            g.writeNumberField("call_count", e.callCount());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** {@code {top_variables:[{variable, access_count, trace_count, services}], top_service_calls:[...]}}. */
    public static void writeHotspots(JsonGenerator g, List<EventAggregates.VariableHotspot> variables,
                                     List<ServiceDependency> calls) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("top_variables");
        for (EventAggregates.VariableHotspot v : variables) {
            g.writeStartObject();
            g.writeStringField("variable", v.variable());
            g.writeNumberField("access_count", v.accessCount());
            g.writeNumberField("trace_count", v.traceCount());
            stringArray(g, "services", v.services());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("top_service_calls");
        for (ServiceDependency c : calls) {
            g.writeStartObject();
            g.writeStringField("from_service", c.from());
            g.writeStringField("to_service", c.to());
            g.writeNumberField("call_count", c.callCount());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** {@code {total_races, races:[{variable, trace_count, access_count, access_types, thread_count, severity,
     * trace_ids}]}} for {@code GET /api/distributed/global-races}. */
    public static void writeRaceCandidates(JsonGenerator g, List<EventAggregates.RaceCandidate> races)
            throws IOException {
        g.writeStartObject();
        g.writeNumberField("total_races", races.size());
        g.writeArrayFieldStart("races");
        for (EventAggregates.RaceCandidate r : races) {
            g.writeStartObject();
            g.writeStringField("variable", r.variable());
            g.writeNumberField("trace_count", r.traceCount());
            g.writeNumberField("access_count", r.accessCount());
            stringArray(g, "access_types", r.accessTypes());
            g.writeNumberField("thread_count", r.threadCount());
            g.writeStringField("severity", r.severity());
            stringArray(g, "trace_ids", r.traceIds());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    // ---- deadlocks (new) -------------------------------------------------------------------------------------------

    /**
     * {@code {deadlock_count, deadlocks:[{locks:[..], severity, description, edges:[{held_lock, acquired_lock,
     * trace_id, thread_id, event_id, location, timestamp}]}]}}.
     */
    public static void writeDeadlocks(JsonGenerator g, List<Deadlock> deadlocks) throws IOException {
        g.writeStartObject();
        g.writeNumberField("deadlock_count", deadlocks.size());
        g.writeArrayFieldStart("deadlocks");
        for (Deadlock d : deadlocks) {
            g.writeStartObject();
            stringArray(g, "locks", d.locks());
            g.writeStringField("severity", d.severity());
            g.writeStringField("description", d.description());
            g.writeArrayFieldStart("edges");
            for (LockOrderEdge e : d.edges()) {
                g.writeStartObject();
                g.writeStringField("held_lock", e.heldLock());
                g.writeStringField("acquired_lock", e.acquiredLock());
                g.writeStringField("trace_id", e.acquire().traceId().toString());
                g.writeStringField("thread_id", e.acquire().metadata().threadId());
                g.writeStringField("event_id", e.acquire().id().toString());
                g.writeStringField("location", e.location());
                g.writeStringField("timestamp", Timestamps.format(e.acquire().timestamp()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static void writeValue(JsonGenerator g, JsonValue v) throws IOException {
        g.writeRawValue(v.json());
    }

    private static void number(JsonGenerator g, String field, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumberField(field, v);
        } else {
            g.writeNullField(field);
        }
    }

    private static void stringArray(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String s : values) {
            g.writeString(s);
        }
        g.writeEndArray();
    }
}
