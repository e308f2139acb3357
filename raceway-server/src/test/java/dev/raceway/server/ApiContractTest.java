package dev.raceway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.VectorClock;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every route over real HTTP; run against each storage backend by a subclass. */
abstract class ApiContractTest extends ServerPerClass {
    String service() {
        return "svc-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Posts events, expects 200 and waits until the trace has {@code expected} events. */
    void ingest(List<Event> events) {
        HttpResponse<String> r = http.postJson("/events", Events.body(events));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        for (UUID trace : events.stream().map(Event::traceId).distinct().toList()) {
            long n = events.stream().filter(e -> e.traceId().equals(trace)).count();
            Http.await("trace " + trace + " stored", () -> server.store().traceEvents(trace).size() >= n);
        }
    }

    /** An HTTP request answered {@code ms} later; the response's duration reaches back to the request. */
    static List<Event> request(UUID trace, String service, String method, String url, java.time.Instant at, long ms) {
        Event req = new Event(UUID.randomUUID(), trace, Optional.empty(), at,
                new EventKind.HttpRequest(method, url, Map.of(), Optional.empty()),
                EventMetadata.of("http-1", 42, service, "test"), VectorClock.empty(), List.of());
        Event resp = new Event(UUID.randomUUID(), trace, Optional.of(req.id()), at.plusMillis(ms),
                new EventKind.HttpResponse(200, Map.of(), Optional.empty(), ms),
                EventMetadata.of("http-1", 42, service, "test").withDurationNs(ms * 1_000_000), VectorClock.empty(),
                List.of());
        return List.of(req, resp);
    }

    static Event unorderedWrite(UUID trace, String service, String thread, String variable, java.time.Instant at) {
        return new Event(UUID.randomUUID(), trace, Optional.empty(), at,
                new EventKind.StateChange(variable, Optional.of(JsonValue.parse("1")), JsonValue.parse("2"),
                        "Bank.java:9", AccessType.Write),
                EventMetadata.of(thread, 42, service, "test"), VectorClock.empty(), List.of());
    }

    @SuppressWarnings("unchecked")
    private List<String> listed(String query) {
        HttpResponse<String> r = http.get("/api/traces?" + query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ((List<Map<String, Object>>) JsonTree.data(r.body()).get("traces")).stream()
                .map(t -> (String) t.get("trace_id")).toList();
    }

    @Test
    @SuppressWarnings("unchecked")
    void traceListShowsOperationAndWallDurationAndFiltersServerSide() {
        String svc = service();
        java.time.Instant t0 = java.time.Instant.parse("2025-03-01T10:00:00Z");
        UUID slow = UUID.fromString("5105" + UUID.randomUUID().toString().substring(4));
        UUID fast = UUID.randomUUID();
        UUID racyA = UUID.randomUUID();
        UUID racyB = UUID.randomUUID();
        List<Event> all = new ArrayList<>();
        all.addAll(request(slow, svc, "POST", "http://127.0.0.1:3000/api/transfer?x=1", t0, 400));
        all.addAll(request(fast, svc, "GET", "/api/balance/alice", t0.plusSeconds(60), 20));
        String variable = svc + ".balance";
        all.add(unorderedWrite(racyA, svc, "w1", variable, t0.plusSeconds(120)));
        all.add(unorderedWrite(racyB, svc, "w2", variable, t0.plusSeconds(120))); // concurrent: same instant
        UUID calmA = UUID.randomUUID();
        UUID calmB = UUID.randomUUID();
        all.add(unorderedWrite(calmA, svc, "w3", variable, t0.plusSeconds(300))); // the same variable, one after
        all.add(unorderedWrite(calmB, svc, "w4", variable, t0.plusSeconds(400))); // the other: no race
        ingest(all);

        Map<String, Object> page = JsonTree.data(http.get("/api/traces?service=" + svc + "&operation=transfer").body());
        Map<String, Object> t = ((List<Map<String, Object>>) page.get("traces")).get(0);
        assertThat(t).containsEntry("trace_id", slow.toString()).containsEntry("operation", "POST /api/transfer")
                .containsEntry("duration_ms", 400.0).containsEntry("start_timestamp", "2025-03-01T10:00:00Z");
        assertThat(page).containsEntry("total_traces", 1L);

        String s = "service=" + svc;
        assertThat(listed(s + "&operation=BALANCE")).containsExactly(fast.toString());
        assertThat(listed(s + "&min_duration_ms=100")).containsExactly(slow.toString());
        assertThat(listed(s + "&max_duration_ms=20&operation=get")).containsExactly(fast.toString());
        assertThat(listed(s + "&since=2025-03-01T10:00:30Z&until=2025-03-01T11:01:30%2B01:00"))
                .containsExactly(fast.toString());
        assertThat(listed(s + "&id_prefix=" + slow.toString().substring(0, 6).toUpperCase()))
                .containsExactly(slow.toString());
        assertThat(listed(s + "&has_races=true")).containsExactlyInAnyOrder(racyA.toString(), racyB.toString());
        assertThat(listed(s + "&has_races=false")).containsExactlyInAnyOrder(slow.toString(), fast.toString(),
                calmA.toString(), calmB.toString());
        assertThat(listed(s + "&has_races=true&page=2&page_size=1")).hasSize(1);
    }

    @Test
    void malformedTraceListFiltersAre400WithAReason() {
        for (String[] bad : new String[][] {
                {"min_duration_ms=-1", "min_duration_ms"},
                {"max_duration_ms=soon", "max_duration_ms"},
                {"min_duration_ms=10&max_duration_ms=5", "greater than max_duration_ms"},
                {"since=yesterday", "RFC 3339"},
                {"until=2025-01-01", "RFC 3339"},
                {"since=2025-01-02T00:00:00Z&until=2025-01-01T00:00:00Z", "since is after until"},
                {"has_races=yes", "true or false"},
                {"id_prefix=xyz", "id_prefix"}}) {
            HttpResponse<String> r = http.get("/api/traces?" + bad[0]);
            assertThat(r.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(JsonTree.obj(r.body()).get("error").toString()).as(bad[0]).contains(bad[1]);
        }
    }

    @Test
    void anIdStoredWithOtherContentIsReportedAsADuplicate() {
        UUID trace = UUID.randomUUID();
        Event first = Events.call(trace, 0, service());
        ingest(List.of(first));
        Event other = Events.call(trace, 5, "another-service");
        Event changed = new Event(first.id(), other.traceId(), other.parentId(), other.timestamp(), other.kind(),
                other.metadata(), other.causalityVector(), other.lockSet());
        long before = HostileClientsTest.metric(http.get("/metrics").body(), "raceway_events_conflicting_total");
        HttpResponse<String> r = http.postJson("/events", Events.body(List.of(changed)));
        assertThat(r.statusCode()).isEqualTo(200);
        if (server.config().effectiveDurableAck()) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> dups = (List<Map<String, Object>>) JsonTree.obj(r.body()).get("duplicates");
            assertThat(dups).hasSize(1);
            assertThat(dups.get(0)).containsEntry("id", first.id().toString());
        }
        Http.await("conflict counted", () -> HostileClientsTest.metric(http.get("/metrics").body(),
                "raceway_events_conflicting_total") == before + 1);
        assertThat(server.store().event(first.id())).contains(first);
        // The exact same event again is an ordinary retry, not reported.
        HttpResponse<String> retry = http.postJson("/events", Events.body(List.of(first)));
        assertThat(JsonTree.obj(retry.body())).containsEntry("duplicates", List.of());
    }

    @Test
    void postedBatchIsAcknowledgedAndListedWithZTimestamps() {
        String svc = service();
        UUID trace = UUID.randomUUID();
        HttpResponse<String> r = http.postJson("/events", Events.body(Events.trace(trace, 3, svc)));
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Object> body = JsonTree.obj(r.body());
        assertThat(body).containsEntry("success", true).containsEntry("data", "Ingested 3 events")
                .containsEntry("error", null).containsEntry("accepted", 3L).containsEntry("rejected", List.of());

        Http.await("trace listed", () -> traceCount(svc) == 1);
        Map<String, Object> page = JsonTree.data(http.get("/api/traces?service=" + svc).body());
        assertThat(page).containsEntry("total_traces", 1L).containsEntry("page", 1L).containsEntry("page_size", 20L)
                .containsEntry("total_pages", 1L);
        @SuppressWarnings("unchecked")
        Map<String, Object> t = ((List<Map<String, Object>>) page.get("traces")).get(0);
        assertThat(t).containsEntry("trace_id", trace.toString()).containsEntry("event_count", 3L)
                .containsEntry("service_count", 1L).containsEntry("services", List.of(svc))
                .containsEntry("first_timestamp", "2024-01-01T12:00:00Z")
                .containsEntry("last_timestamp", "2024-01-01T12:00:00.002Z");
    }

    long traceCount(String svc) {
        return (Long) JsonTree.data(http.get("/api/traces?service=" + svc).body()).get("total_traces");
    }

    @Test
    void gzipCompressedBodyIsAccepted() {
        String svc = service();
        UUID trace = UUID.randomUUID();
        HttpResponse<String> r = http.post("/events", Http.gzip(Events.body(Events.trace(trace, 4, svc))),
                "Content-Type", "application/json; charset=utf-8", "Content-Encoding", "gzip");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Http.await("gzip trace stored", () -> server.store().traceEvents(trace).size() == 4);
    }

    /**
     * Bodies are copied out of Netty's buffers into an array kept per worker thread up to 1 MiB; a larger one gets
     * an array of its own. Large, small and large again, so that threads meet both kinds and reuse their arrays.
     */
    @Test
    void bodiesLargerAndSmallerThanTheKeptDecodeBufferAreAllStored() {
        for (int events : List.of(3_000, 5, 1_200, 3_000)) {
            UUID trace = UUID.randomUUID();
            byte[] body = Events.body(Events.trace(trace, events, service()));
            HttpResponse<String> r = http.post("/events", body, "Content-Type", "application/json");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(JsonTree.obj(r.body())).containsEntry("accepted", (long) events);
            Http.await(events + " events stored", () -> server.store().traceEvents(trace).size() == events);
        }
    }

    @Test
    void mixedBatchKeepsValidEventsAndNamesTheRejectedOne() {
        UUID trace = UUID.randomUUID();
        List<Event> events = Events.trace(trace, 3, service());
        String bad = Events.one(events.get(1)).replaceFirst("\"line\":\\d+", "\"line\":\"eleven\"");
        String body = "{\"events\":[" + Events.one(events.get(0)) + "," + bad + "," + Events.one(events.get(2))
                + "]}";
        HttpResponse<String> r = http.postJson("/events", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, Object> json = JsonTree.obj(r.body());
        assertThat(json).containsEntry("data", "Ingested 2 events, 1 rejected").containsEntry("accepted", 2L);
        @SuppressWarnings("unchecked")
        Map<String, Object> rejected = ((List<Map<String, Object>>) json.get("rejected")).get(0);
        assertThat(rejected).containsEntry("index", 1L).containsEntry("id", events.get(1).id().toString());
        assertThat((String) rejected.get("path")).contains("events[1]").contains("line");
        assertThat((String) rejected.get("reason")).isNotBlank();
        Http.await("valid events stored", () -> server.store().traceEvents(trace).size() == 2);
        assertThat(server.store().event(events.get(1).id())).isEmpty();
    }

    @Test
    void batchWithOnlyInvalidEventsIs422WithReasons() {
        String body = "{\"events\":[{\"id\":\"not-a-uuid\"},{\"id\":\"" + UUID.randomUUID() + "\"}]}";
        HttpResponse<String> r = http.postJson("/events", body);
        assertThat(r.statusCode()).isEqualTo(422);
        Map<String, Object> json = JsonTree.obj(r.body());
        assertThat(json).containsEntry("success", false).containsEntry("accepted", 0L);
        assertThat((String) json.get("error")).startsWith("all 2 events rejected");
        assertThat(JsonTree.list(json.get("rejected"))).hasSize(2);
    }

    @Test
    void emptyBatchIsFine() {
        HttpResponse<String> r = http.postJson("/events", "{\"events\":[]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JsonTree.obj(r.body())).containsEntry("data", "Ingested 0 events");
    }

    @Test
    void pagingValidatesPageSizeAndReadsPageZeroAsOne() {
        String svc = service();
        for (int i = 0; i < 3; i++) {
            ingest(Events.trace(UUID.randomUUID(), 1, svc));
        }
        assertThat(http.get("/api/traces?page_size=0").statusCode()).isEqualTo(400);
        assertThat(JsonTree.obj(http.get("/api/traces?page_size=0").body()).get("error").toString())
                .contains("page_size");
        assertThat(http.get("/api/traces?page_size=1001").statusCode()).isEqualTo(400);
        assertThat(http.get("/api/traces?page_size=99999999999999999999").statusCode()).isEqualTo(400);
        assertThat(http.get("/api/traces?page_size=abc").statusCode()).isEqualTo(400);
        assertThat(http.get("/api/traces?page=-1").statusCode()).isEqualTo(400);
        assertThat(http.get("/api/traces?min_events=-1").statusCode()).isEqualTo(400);

        Map<String, Object> p = JsonTree.data(http.get("/api/traces?service=" + svc + "&page=0&page_size=2&x=y")
                .body());
        assertThat(p).containsEntry("page", 1L).containsEntry("page_size", 2L).containsEntry("total_traces", 3L)
                .containsEntry("total_pages", 2L);
        assertThat(JsonTree.list(p.get("traces"))).hasSize(2);
        Map<String, Object> p2 = JsonTree.data(http.get("/api/traces?service=" + svc + "&page=2&page_size=2")
                .body());
        assertThat(JsonTree.list(p2.get("traces"))).hasSize(1);
        Map<String, Object> past = JsonTree.data(http.get("/api/traces?service=" + svc + "&page=9&page_size=2")
                .body());
        assertThat(JsonTree.list(past.get("traces"))).isEmpty();
        assertThat(past).containsEntry("total_traces", 3L);
        Map<String, Object> min = JsonTree.data(http.get("/api/traces?service=" + svc + "&min_events=2").body());
        assertThat(min).containsEntry("total_traces", 0L);
    }

    @Test
    void servicesListTheirTracesAndHealth() {
        String svc = service();
        UUID trace = UUID.randomUUID();
        ingest(Events.trace(trace, 2, svc));
        Map<String, Object> services = JsonTree.data(http.get("/api/services").body());
        assertThat(JsonTree.list(services.get("services"))).contains(Map.of("name", svc, "event_count", 2L,
                "trace_count", 1L));
        Map<String, Object> traces = JsonTree.data(http.get("/api/services/" + svc + "/traces").body());
        assertThat(traces).containsEntry("service_name", svc).containsEntry("total_traces", 1L)
                .containsEntry("page_size", 100L);
        assertThat(http.get("/api/services/" + svc + "/traces?page_size=0").statusCode()).isEqualTo(400);
        // Events from 2024 are outside the default one-hour window; a service active just now is inside.
        Object recent = JsonTree.obj(http.get("/api/services/health").body()).get("data");
        assertThat(JsonTree.list(recent)).noneMatch(s -> svc.equals(JsonTree.map(s).get("name")));
        String live = service();
        ingest(List.of(Events.callAt(UUID.randomUUID(), 0, live, java.time.Instant.now())));
        Object now = JsonTree.obj(http.get("/api/services/health?time_window_minutes=60").body()).get("data");
        assertThat(JsonTree.list(now)).anySatisfy(s -> assertThat(JsonTree.map(s)).containsEntry("name", live)
                .containsEntry("status", "healthy").containsEntry("trace_count", 1L)
                .containsEntry("minutes_since_last_activity", 0L));
        assertThat(http.get("/api/services/health?time_window_minutes=0").statusCode()).isEqualTo(400);
    }

    @Test
    void distributedCallsShowAsEdgesAndServiceDependencies() {
        String caller = service();
        String callee = service();
        UUID t1 = UUID.randomUUID();
        String spanA = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String spanB = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        Event call = new Event(UUID.randomUUID(), t1, Optional.empty(), Events.T0,
                new EventKind.HttpRequest("GET", "http://x/y", Map.of(), Optional.empty()),
                EventMetadata.of("t", 1, caller, "test").withDistributed(Optional.of("i1"), Optional.of(spanA),
                        Optional.empty()), VectorClock.empty(), List.of());
        Event served = new Event(UUID.randomUUID(), t1, Optional.empty(), Events.T0.plusMillis(1),
                new EventKind.HttpRequest("GET", "/y", Map.of(), Optional.empty()),
                EventMetadata.of("t", 2, callee, "test").withDistributed(Optional.of("i2"), Optional.of(spanB),
                        Optional.of(spanA)), VectorClock.empty(), List.of());
        ingest(List.of(call, served));
        Map<String, Object> edges = JsonTree.data(http.get("/api/distributed/edges").body());
        assertThat(JsonTree.list(edges.get("edges"))).contains(Map.of("from_service", caller, "to_service", callee,
                "link_type", "HttpCall", "call_count", 1L));
        Map<String, Object> out = JsonTree.data(http.get("/api/services/" + caller + "/dependencies").body());
        assertThat(JsonTree.list(out.get("calls_to"))).containsExactly(Map.of("to", callee, "total_calls", 1L,
                "trace_count", 1L));
        Map<String, Object> in = JsonTree.data(http.get("/api/services/" + callee + "/dependencies").body());
        assertThat(JsonTree.list(in.get("called_by"))).containsExactly(Map.of("to", caller, "from", caller,
                "total_calls", 1L, "trace_count", 1L));
        Map<String, Object> hot = JsonTree.data(http.get("/api/distributed/hotspots").body());
        assertThat(JsonTree.list(hot.get("top_service_calls"))).isNotEmpty();
    }

    @Test
    void variableWrittenByTwoTracesIsAGlobalRaceCandidate() {
        String variable = "acct-" + UUID.randomUUID() + ".balance";
        UUID t1 = UUID.randomUUID();
        UUID t2 = UUID.randomUUID();
        ingest(List.of(Events.write(t1, 1, "a", variable, "90"), Events.write(t2, 2, "b", variable, "80")));
        Map<String, Object> races = JsonTree.data(http.get("/api/distributed/global-races").body());
        List<String> ids = new ArrayList<>(List.of(t1.toString(), t2.toString()));
        ids.sort(null);
        assertThat(JsonTree.list(races.get("races"))).contains(Map.of("variable", variable, "trace_count", 2L,
                "access_count", 2L, "access_types", List.of("Write"), "thread_count", 2L, "severity", "CRITICAL",
                "trace_ids", ids));
        Map<String, Object> hot = JsonTree.data(http.get("/api/distributed/hotspots").body());
        assertThat(JsonTree.list(hot.get("top_variables"))).isNotEmpty();
    }

    @Test
    void performanceMetricsDescribeTheNewestTraces() {
        ingest(Events.trace(UUID.randomUUID(), 5, service()));
        HttpResponse<String> r = http.get("/api/performance/metrics?limit=10");
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Object> d = JsonTree.data(r.body());
        assertThat(d).containsKeys("trace_latency", "event_performance", "service_latency", "throughput");
        assertThat(JsonTree.map(d.get("trace_latency"))).containsKeys("avg_ms", "p50_ms", "p95_ms", "p99_ms",
                "slowest_traces");
        assertThat(http.get("/api/performance/metrics?limit=0").statusCode()).isEqualTo(400);
    }

    @Test
    void statusReportsRealUptimeCountsAndPipelineCounters() {
        ingest(Events.trace(UUID.randomUUID(), 2, service()));
        Map<String, Object> d = JsonTree.data(http.get("/status").body());
        assertThat(d).containsKeys("version", "uptime_seconds", "events_captured", "traces_active", "pipeline");
        assertThat((Long) d.get("events_captured")).isGreaterThanOrEqualTo(2);
        assertThat((String) d.get("started_at")).endsWith("Z");
        Map<String, Object> p = JsonTree.map(d.get("pipeline"));
        assertThat((Long) p.get("accepted")).isGreaterThanOrEqualTo(2);
        assertThat(p).containsKeys("refused", "written", "failed", "retried", "queue_depth", "mean_batch_ms");
    }

    @Test
    void healthIsOkAndMetricsAreInPrometheusFormat() {
        HttpResponse<String> h = http.get("/health");
        assertThat(h.statusCode()).isEqualTo(200);
        assertThat(JsonTree.data(h.body())).containsEntry("status", "ok");
        ingest(Events.trace(UUID.randomUUID(), 1, service()));
        HttpResponse<String> m = http.get("/metrics");
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        assertThat(m.body()).contains("# TYPE raceway_http_requests_total counter")
                .contains("raceway_http_requests_total{route=\"/events\",method=\"POST\",status=\"200\"}")
                .contains("raceway_http_request_duration_seconds_bucket{route=\"/health\",le=\"+Inf\"}")
                .contains("raceway_events_accepted_total").contains("raceway_events_refused_total")
                .contains("raceway_events_written_total").contains("raceway_ingest_queue_depth")
                .contains("raceway_storage_errors_total");
    }

    @Test
    void traceBundleHasEventsRacesAuditTrailsCriticalPathAnomaliesAndDependencies() {
        UUID trace = UUID.randomUUID();
        String variable = "acct/" + UUID.randomUUID() + ".balance";
        List<Event> events = new ArrayList<>(List.of(
                Events.access(trace, 1, "thread-a", variable, AccessType.Write, "90"),
                Events.access(trace, 2, "thread-b", variable, AccessType.Write, "80")));
        events.add(Events.call(trace, 3, "bank"));
        ingest(events);
        HttpResponse<String> r = http.get("/api/traces/" + trace.toString().toUpperCase());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, Object> d = JsonTree.data(r.body());
        assertThat(d).containsEntry("trace_id", trace.toString().toUpperCase());
        assertThat(JsonTree.list(d.get("events"))).hasSize(3)
                .allSatisfy(e -> assertThat((String) JsonTree.map(e).get("timestamp")).endsWith("Z"));
        Map<String, Object> analysis = JsonTree.map(d.get("analysis"));
        assertThat(analysis).containsEntry("potential_races", 1L).containsEntry("concurrent_events", 1L);
        assertThat(JsonTree.map(JsonTree.list(analysis.get("race_details")).get(0)))
                .containsEntry("severity", "CRITICAL").containsEntry("variable", variable);
        assertThat(JsonTree.map(d.get("audit_trails"))).containsKey(variable);
        assertThat(JsonTree.map(d.get("critical_path"))).containsKey("path");
        assertThat(d.get("anomalies")).isInstanceOf(List.class);
        assertThat(JsonTree.map(d.get("dependencies"))).containsKeys("services", "dependencies");
        assertThat(JsonTree.list(d.get("cross_trace_races"))).isEmpty();
        // A race inside one trace is not a race between traces; the per-variable breakdown says which it is.
        Map<String, Object> global = JsonTree.data(http.get("/api/analyze/global").body());
        assertThat(JsonTree.list(global.get("race_details")))
                .noneMatch(v -> variable.equals(JsonTree.map(v).get("variable")));
        assertThat(JsonTree.list(global.get("by_variable"))).anySatisfy(v -> assertThat(JsonTree.map(v))
                .containsEntry("variable", variable).containsEntry("between_traces", 0L)
                .containsEntry("within_trace", 1L).containsEntry("trace_count", 1L));
        assertThat((Long) global.get("within_trace_races")).isPositive();

        String encoded = java.net.URLEncoder.encode(variable, java.nio.charset.StandardCharsets.UTF_8);
        Map<String, Object> trail = JsonTree.data(http.get("/api/traces/" + trace + "/audit-trail/" + encoded)
                .body());
        assertThat(trail).containsEntry("variable", variable);
        List<Object> accesses = JsonTree.list(trail.get("accesses"));
        assertThat(accesses).hasSize(2);
        assertThat(JsonTree.map(accesses.get(1))).containsEntry("is_race", true);
        assertThat(JsonTree.list(JsonTree.data(http.get("/api/traces/" + trace + "/audit-trail/nothing").body())
                .get("accesses"))).isEmpty();

        assertThat(http.get("/api/traces/" + trace + "/critical-path").statusCode()).isEqualTo(200);
        assertThat(JsonTree.data(http.get("/api/traces/" + trace + "/anomalies").body()))
                .containsEntry("anomaly_count", 0L);
        assertThat(JsonTree.data(http.get("/api/traces/" + trace + "/dependencies").body()))
                .containsEntry("trace_id", trace.toString());
    }

    @Test
    void unknownTracesAre404ExceptAnomalies() {
        UUID unknown = UUID.randomUUID();
        for (String sub : List.of("", "/critical-path", "/dependencies", "/audit-trail/x", "/deadlocks")) {
            HttpResponse<String> r = http.get("/api/traces/" + unknown + sub);
            assertThat(r.statusCode()).as(sub).isEqualTo(404);
            assertThat((String) JsonTree.obj(r.body()).get("error")).contains("Trace not found: " + unknown);
        }
        HttpResponse<String> a = http.get("/api/traces/" + unknown + "/anomalies");
        assertThat(a.statusCode()).isEqualTo(200);
        assertThat(JsonTree.data(a.body())).containsEntry("anomaly_count", 0L);
    }

    @Test
    void concurrentRequestsWritingOneBalanceRaceAcrossTraces() {
        String variable = "shared-" + UUID.randomUUID();
        UUID t1 = UUID.randomUUID();
        UUID t2 = UUID.randomUUID();
        ingest(List.of(Events.access(t1, 1, "req-1", variable, AccessType.Read, "100"),
                Events.access(t1, 2, "req-1", variable, AccessType.Write, "90"),
                Events.access(t2, 1, "req-2", variable, AccessType.Read, "100"),
                Events.access(t2, 3, "req-2", variable, AccessType.Write, "80")));
        Map<String, Object> bundle = JsonTree.data(http.get("/api/traces/" + t1).body());
        List<Object> cross = JsonTree.list(bundle.get("cross_trace_races"));
        assertThat(cross).hasSize(3).allSatisfy(p -> {
            assertThat(JsonTree.map(p)).containsEntry("variable", variable);
            assertThat(List.of(JsonTree.map(p).get("trace1_id"), JsonTree.map(p).get("trace2_id")))
                    .containsExactlyInAnyOrder(t1.toString(), t2.toString());
        });

        Map<String, Object> global = JsonTree.data(http.get("/api/analyze/global").body());
        assertThat((Long) global.get("potential_races")).isPositive();
        assertThat(JsonTree.list(global.get("race_details")))
                .anySatisfy(p -> assertThat(JsonTree.map(p)).containsEntry("variable", variable));
        // Read/write pairs of two traces: 2 reads x 2 writes across + write/write across = 3 cross-trace pairs.
        assertThat(JsonTree.list(global.get("by_variable"))).anySatisfy(v -> assertThat(JsonTree.map(v))
                .containsEntry("variable", variable).containsEntry("between_traces", 3L)
                .containsEntry("within_trace", 0L).containsEntry("trace_count", 2L));
    }

    @Test
    void oppositeLockOrdersAreReportedAsPotentialDeadlocks() {
        UUID trace = UUID.randomUUID();
        String a = "lock-a-" + UUID.randomUUID();
        String b = "lock-b-" + UUID.randomUUID();
        List<Event> events = new ArrayList<>(Events.nestedLocks(trace, 1, "t1", a, b));
        events.addAll(Events.nestedLocks(trace, 10, "t2", b, a));
        ingest(events);
        Map<String, Object> d = JsonTree.data(http.get("/api/traces/" + trace + "/deadlocks").body());
        assertThat(d).containsEntry("deadlock_count", 1L);

        UUID u1 = UUID.randomUUID();
        UUID u2 = UUID.randomUUID();
        String c = "lock-c-" + UUID.randomUUID();
        String e = "lock-e-" + UUID.randomUUID();
        List<Event> two = new ArrayList<>(Events.nestedLocks(u1, 1, "w1", c, e));
        two.addAll(Events.nestedLocks(u2, 1, "w2", e, c));
        ingest(two);
        HttpResponse<String> global = http.get("/api/analyze/deadlocks");
        assertThat(global.statusCode()).isEqualTo(200);
        assertThat(JsonTree.list(JsonTree.data(global.body()).get("deadlocks")))
                .anySatisfy(x -> assertThat(JsonTree.list(JsonTree.map(x).get("locks"))).contains(c, e));
        assertThat(JsonTree.obj(global.body())).containsEntry("truncated", false);
    }

    @Test
    void traceRoutesRejectNonUuidIds() {
        for (String path : List.of("/api/traces/nope", "/api/traces/123/critical-path", "/api/traces/x/anomalies",
                "/api/traces/x/dependencies", "/api/traces/x/audit-trail/v", "/api/traces/x/deadlocks")) {
            HttpResponse<String> r = http.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(400);
            assertThat(JsonTree.obj(r.body())).containsEntry("error", "Invalid trace ID format")
                    .containsEntry("success", false).containsEntry("data", null);
        }
    }

    @Test
    void staticUiIsServedWithSpaFallbackAndApiPathsAreEnveloped() {
        HttpResponse<String> root = http.get("/");
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        HttpResponse<String> deep = http.get("/traces/some/ui/route");
        assertThat(deep.statusCode()).isEqualTo(200);
        assertThat(deep.body()).isEqualTo(root.body());
        HttpResponse<String> unknownApi = http.get("/api/nothing-here");
        assertThat(unknownApi.statusCode()).isEqualTo(404);
        assertThat(JsonTree.obj(unknownApi.body())).containsEntry("success", false);
        HttpResponse<String> wrongMethod = http.request("DELETE", "/api/traces");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).contains("GET");
        assertThat(http.get("/events").statusCode()).isEqualTo(405);
    }

    @Test
    void largeResponsesAreGzippedForClientsThatAcceptIt() {
        ingest(Events.trace(UUID.randomUUID(), 30, service()));
        HttpResponse<String> plain = http.get("/api/traces?page_size=100");
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        HttpResponse<String> zipped = http.get("/api/traces?page_size=100", "Accept-Encoding", "gzip");
        assertThat(zipped.statusCode()).isEqualTo(200);
        assertThat(zipped.headers().firstValue("Content-Encoding")).contains("gzip");
    }

    @Test
    void authCheckSaysNoAuthIsRequired() {
        assertThat(JsonTree.obj(http.get("/auth/check").body())).containsEntry("authenticated", true)
                .containsEntry("auth_required", false);
    }

    static JsonValue json(String s) {
        return JsonValue.parse(s);
    }
}
