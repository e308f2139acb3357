package dev.raceway.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.raceway.core.analysis.Anomaly;
import dev.raceway.core.analysis.AuditEntry;
import dev.raceway.core.analysis.CriticalPath;
import dev.raceway.core.analysis.EventLabels;
import dev.raceway.core.analysis.RustDebug;
import dev.raceway.core.analysis.ServiceCount;
import dev.raceway.core.analysis.ServiceDependency;
import dev.raceway.core.analysis.TraceAnalysis;
import dev.raceway.core.analysis.TraceDependencies;
import dev.raceway.core.analysis.WallClock;
import dev.raceway.core.causality.Deadlock;
import dev.raceway.core.causality.DistinctRace;
import dev.raceway.core.causality.LockOrderEdge;
import dev.raceway.core.causality.RacePair;
import dev.raceway.core.causality.RaceSeverity;
import dev.raceway.core.causality.TraceRaceReport;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.Timestamps;
import dev.raceway.core.json.EventJson;
import dev.raceway.server.http.Json;
import dev.raceway.server.http.RawJsonValue;
import dev.raceway.server.query.CrossTraceRaceSummary;
import dev.raceway.server.query.TraceFindings;
import dev.raceway.server.query.VariableRaceSplit;
import dev.raceway.storage.StoreCounts;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The response shapes of the analysis routes — the {@code data} part, inside the {@code {"success","data","error"}}
 * envelope — in the reference's field names: one method per response, each returning the value that writes it.
 * Timestamps are always RFC 3339 UTC with {@code Z}; non-finite numbers are written as {@code null}. Fields beyond
 * the reference (event ids, distinct races, per-variable counts) are additions old clients ignore.
 */
final class AnalysisJson {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private AnalysisJson() {
    }

    // ---- responses -----------------------------------------------------------------------------------------------

    /**
     * {@code GET /api/traces/{id}}: the events {@code [from, to)} of the trace and the traces linked to it (all of
     * them analysed), with paging fields, audit trails, races, critical path, anomalies, dependencies and
     * cross-trace races.
     */
    static Json.Writable bundle(String traceIdAsSent, TraceFindings f, int from, int to) {
        return g -> {
            List<Event> all = f.trace().all();
            TraceAnalysis a = f.analysis();
            g.writeStartObject();
            g.writeStringField("trace_id", traceIdAsSent);
            g.writeFieldName("events");
            g.writeRawValue(new RawJsonValue(EventJson.encodeArray(all.subList(from, to))));
            g.writeNumberField("events_total", all.size());
            g.writeNumberField("event_offset", from);
            g.writeBooleanField("events_truncated", to < all.size());
            g.writeFieldName("audit_trails");
            writeAuditTrails(g, a.auditTrails());
            g.writeFieldName("analysis");
            writeRaces(g, a.races());
            g.writeFieldName("critical_path");
            if (a.criticalPath().isPresent()) {
                writeCriticalPath(g, traceIdAsSent, a.criticalPath().get());
            } else {
                g.writeNull();
            }
            g.writeFieldName("anomalies");
            writeAnomalyList(g, f.anomalies());
            g.writeFieldName("dependencies");
            writeDependencies(g, f.trace().id().toString(), a.dependencies());
            g.writeArrayFieldStart("cross_trace_races");
            for (RacePair p : f.crossTraceRaces()) {
                writeRacePair(g, p);
            }
            g.writeEndArray();
            g.writeEndObject();
        };
    }

    /** {@code {trace_id, path_events, total_duration_ms, trace_total_duration_ms, percentage_of_total, …, path}}. */
    static Json.Writable criticalPath(String traceIdAsSent, CriticalPath cp) {
        return g -> writeCriticalPath(g, traceIdAsSent, cp);
    }

    /** {@code {trace_id, anomaly_count, anomalies:[...]}} for {@code GET /api/traces/{id}/anomalies}. */
    static Json.Writable anomalies(String traceIdAsSent, List<Anomaly> anomalies) {
        return g -> {
            g.writeStartObject();
            g.writeStringField("trace_id", traceIdAsSent);
            g.writeNumberField("anomaly_count", anomalies.size());
            g.writeFieldName("anomalies");
            writeAnomalyList(g, anomalies);
            g.writeEndObject();
        };
    }

    /** {@code {trace_id, services:[{name, event_count}], dependencies:[{from, to, call_count}]}}. */
    static Json.Writable dependencies(String traceId, TraceDependencies d) {
        return g -> writeDependencies(g, traceId, d);
    }

    /** {@code {trace_id, variable, accesses:[...]}} for {@code GET /api/traces/{id}/audit-trail/{variable}}. */
    static Json.Writable auditTrail(String traceId, String variable, List<AuditEntry> trail) {
        return g -> {
            g.writeStartObject();
            g.writeStringField("trace_id", traceId);
            g.writeStringField("variable", variable);
            g.writeFieldName("accesses");
            writeAccesses(g, trail);
            g.writeEndObject();
        };
    }

    /**
     * {@code {deadlock_count, deadlocks:[{locks:[..], severity, description, edges:[{held_lock, acquired_lock,
     * trace_id, thread_id, event_id, location, timestamp}]}]}}.
     */
    static Json.Writable deadlocks(List<Deadlock> deadlocks) {
        return g -> {
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
        };
    }

    /**
     * {@code GET /api/analyze/global}. The headline counts ({@code potential_races}, {@code concurrent_events},
     * {@code critical_races}, {@code warning_races}) and {@code race_details} are races between different traces;
     * {@code within_trace_races} counts the rest. {@code by_variable} lists every variable with racing pairs, with
     * both parts ({@code between_traces}, {@code within_trace}; {@code potential_races} is their sum) and example
     * pairs of either kind, so a client can show races inside one trace marked as such.
     */
    static Json.Writable crossTraceRaces(CrossTraceRaceSummary s) {
        return g -> {
            List<RacePair> details = s.report().details(); // cross-trace pairs only, filtered before the cap
            long pairs = s.betweenTraces();
            g.writeStartObject();
            g.writeNumberField("total_traces", s.counts().traces());
            g.writeNumberField("total_events", s.counts().events());
            g.writeNumberField("analyzed_traces", s.report().traceCount());
            g.writeNumberField("concurrent_events", pairs);
            g.writeNumberField("potential_races", pairs);
            g.writeNumberField("critical_races", s.critical());
            g.writeNumberField("warning_races", s.warning());
            g.writeNumberField("within_trace_races", s.withinTrace());
            writeDistinctRaces(g, s.report().distinctRaces());
            g.writeNumberField("shown", details.size());
            g.writeNumberField("total", pairs);
            g.writeArrayFieldStart("anomalies");
            if (pairs > 0) {
                g.writeString("🌐 GLOBAL: Found " + s.report().distinctRaces().size() + " distinct races (" + pairs
                        + " pairs of concurrent events across traces)");
                if (details.size() < pairs) {
                    g.writeString("   Showing " + details.size() + " of " + pairs + " race pairs");
                }
            }
            g.writeEndArray();
            g.writeArrayFieldStart("race_details");
            for (RacePair p : details) {
                writeRacePair(g, p);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("by_variable");
            for (VariableRaceSplit v : s.byVariable()) {
                g.writeStartObject();
                g.writeStringField("variable", v.races().variable());
                g.writeNumberField("potential_races", v.races().pairs());
                g.writeNumberField("between_traces", v.betweenTraces());
                g.writeNumberField("within_trace", v.withinTrace());
                g.writeNumberField("critical", v.races().critical());
                g.writeNumberField("warning", v.races().warning());
                g.writeNumberField("trace_count", v.races().traceCount());
                g.writeArrayFieldStart("examples");
                for (RacePair p : v.races().examples()) {
                    writeRacePair(g, p);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        };
    }

    /** {@code GET /api/analyze/global} with race detection switched off: says so, with the store's counts. */
    static Json.Writable raceDetectionOff(StoreCounts counts) {
        return g -> {
            g.writeStartObject();
            g.writeBooleanField("enabled", false);
            g.writeNumberField("total_traces", counts.traces());
            g.writeNumberField("total_events", counts.events());
            g.writeNumberField("concurrent_events", 0);
            g.writeNumberField("potential_races", 0);
            g.writeNumberField("distinct_race_count", 0);
            g.writeArrayFieldStart("distinct_races");
            g.writeEndArray();
            g.writeNumberField("shown", 0);
            g.writeNumberField("total", 0);
            g.writeArrayFieldStart("anomalies");
            g.writeString("Race detection is disabled ([race_detection] enabled = false)");
            g.writeEndArray();
            g.writeArrayFieldStart("race_details");
            g.writeEndArray();
            g.writeEndObject();
        };
    }

    // ---- parts ---------------------------------------------------------------------------------------------------

    /**
     * Per-trace races: {@code {concurrent_events, potential_races, critical_races, warning_races,
     * distinct_race_count, distinct_races:[...], shown, total, anomalies:[lines], race_details:[...]}}; both pair
     * counts and {@code total} are the exact number of racing pairs, {@code race_details} holds the report's (capped)
     * pairs and {@code shown} says how many.
     */
    private static void writeRaces(JsonGenerator g, TraceRaceReport r) throws IOException {
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
            g.writeStringField("severity", p.severity().name());
            g.writeStringField("variable", p.variable());
            g.writeStringField("event1_thread", p.first().metadata().threadId());
            g.writeStringField("event2_thread", p.second().metadata().threadId());
            g.writeStringField("event1_location", p.firstAccess().location());
            g.writeStringField("event2_location", p.secondAccess().location());
            g.writeStringField("event1_id", p.first().id().toString());
            g.writeStringField("event2_id", p.second().id().toString());
            g.writeStringField("description", p.severity() == RaceSeverity.CRITICAL
                    ? "Write-Write race on " + p.variable()
                            + ". Both threads modified the same variable without synchronization."
                    : "Read-Write race on " + p.variable() + ". One thread read while another wrote.");
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** The human-readable block per pair (8 lines each), as the reference and its TUI expect. */
    private static List<String> raceLines(TraceRaceReport r) {
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
    private static void writeDistinctRaces(JsonGenerator g, List<DistinctRace> races) throws IOException {
        g.writeNumberField("distinct_race_count", races.size());
        g.writeArrayFieldStart("distinct_races");
        for (DistinctRace d : races) {
            g.writeStartObject();
            g.writeStringField("severity", d.severity().name());
            stringArray(g, "locations", d.locations());
            g.writeArrayFieldStart("accesses");
            for (var a : d.accesses()) {
                g.writeString(a.wireName());
            }
            g.writeEndArray();
            stringArray(g, "variables", d.variables());
            g.writeNumberField("occurrences", d.occurrences());
            g.writeNumberField("traces", d.traces());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /**
     * One race pair in the store-wide shape: {@code severity, variable, trace1_id, trace2_id, event threads,
     * locations, timestamps and ids, description}.
     */
    private static void writeRacePair(JsonGenerator g, RacePair p) throws IOException {
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
        g.writeStringField("description", pairDescription(p));
        g.writeEndObject();
    }

    private static String pairDescription(RacePair p) {
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

    /** {@code {variable: [access, ...], ...}} — the {@code audit_trails} object of the trace bundle. */
    private static void writeAuditTrails(JsonGenerator g, Map<String, List<AuditEntry>> trails) throws IOException {
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
            g.writeRawValue(sc.oldValue().orElse(JsonValue.NULL).json());
            g.writeFieldName("new_value");
            g.writeRawValue(sc.newValue().json());
            g.writeStringField("location", sc.location());
            g.writeBooleanField("has_causal_link_to_previous", a.hasCausalLinkToPrevious());
            g.writeBooleanField("is_race", a.isRace());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeCriticalPath(JsonGenerator g, String traceId, CriticalPath cp) throws IOException {
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

    /** The bare array (the {@code anomalies} field of the trace bundle). */
    private static void writeAnomalyList(JsonGenerator g, List<Anomaly> anomalies) throws IOException {
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

    private static void writeDependencies(JsonGenerator g, String traceId, TraceDependencies d) throws IOException {
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
