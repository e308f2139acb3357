package dev.raceway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.Uuids;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/traces} with payloads made by the OpenTelemetry Java SDK's own OTLP encoders, against a real
 * server; run against each storage backend by a subclass.
 */
abstract class OtlpIngestContract extends ServerPerClass {
    static String service() {
        return "otel-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static UUID traceOf(SpanData s) {
        return Uuids.parse(s.getTraceId()).orElseThrow();
    }

    List<Event> awaitEvents(UUID trace, int n) {
        Http.await("trace " + trace + " has " + n + " events", () -> server.store().traceEvents(trace).size() >= n);
        return server.store().traceEvents(trace).stream().sorted(Comparator.comparing(Event::timestamp)).toList();
    }

    /** A request handled by a server span, with an internal child, a database call and an outbound HTTP call. */
    static List<SpanData> transferRequest(String service) {
        try (OtelSpans otel = new OtelSpans(service)) {
            Tracer t = otel.tracer();
            long base = TimeUnit.MILLISECONDS.toNanos(Instant.parse("2026-01-01T12:00:00Z").toEpochMilli());
            Span server = t.spanBuilder("POST /transfer").setSpanKind(SpanKind.SERVER)
                    .setStartTimestamp(base, TimeUnit.NANOSECONDS)
                    .setAttribute("http.request.method", "POST").setAttribute("url.path", "/transfer")
                    .setAttribute("url.query", "from=alice").setAttribute("http.response.status_code", 200L)
                    .setAttribute("thread.id", 7L).setAttribute("thread.name", "worker-7").startSpan();
            Context inServer = Context.root().with(server);
            server.addEvent("raceway.state_change", Attributes.builder().put("raceway.variable", "alice.balance")
                    .put("raceway.access", "Read").put("raceway.new_value", 100L).build(),
                    base + 1_000_000, TimeUnit.NANOSECONDS);
            Span compute = t.spanBuilder("compute").setParent(inServer).setStartTimestamp(base + 2_000_000,
                            TimeUnit.NANOSECONDS)
                    .setAttribute("code.function.name", "com.acme.Bank.transfer")
                    .setAttribute("code.file.path", "Bank.java").setAttribute("code.line.number", 42L)
                    .setAttribute("thread.id", 7L).setAttribute("thread.name", "worker-7").startSpan();
            compute.end(base + 5_000_000, TimeUnit.NANOSECONDS);
            Span legacy = t.spanBuilder("legacy").setParent(inServer).setStartTimestamp(base + 5_000_000,
                            TimeUnit.NANOSECONDS)
                    .setAttribute("code.function", "debit").setAttribute("code.namespace", "com.acme.Bank")
                    .setAttribute("code.filepath", "Old.java").setAttribute("code.lineno", 7L).startSpan();
            legacy.end(base + 6_000_000, TimeUnit.NANOSECONDS);
            Span db = t.spanBuilder("UPDATE accounts").setParent(inServer).setSpanKind(SpanKind.CLIENT)
                    .setStartTimestamp(base + 6_000_000, TimeUnit.NANOSECONDS)
                    .setAttribute("db.system.name", "postgresql").setAttribute("db.namespace", "bank")
                    .setAttribute("db.query.text", "UPDATE accounts SET balance = ? WHERE id = ?").startSpan();
            db.end(base + 9_000_000, TimeUnit.NANOSECONDS);
            Span call = t.spanBuilder("GET").setParent(inServer).setSpanKind(SpanKind.CLIENT)
                    .setStartTimestamp(base + 9_000_000, TimeUnit.NANOSECONDS)
                    .setAttribute("http.request.method", "GET").setAttribute("url.full", "http://audit:9000/log")
                    .setAttribute("http.response.status_code", 201L).startSpan();
            call.end(base + 12_000_000, TimeUnit.NANOSECONDS);
            server.addEvent("raceway.state_change", Attributes.builder().put("raceway.variable", "alice.balance")
                    .put("raceway.access", "Write").put("raceway.old_value", 100L).put("raceway.new_value", 90L)
                    .put("code.file.path", "Bank.java").put("code.line.number", 57L).build(),
                    base + 13_000_000, TimeUnit.NANOSECONDS);
            server.end(base + 20_000_000, TimeUnit.NANOSECONDS);
            return otel.spans();
        }
    }

    @Test
    void protobufExportFromTheOtelSdkBecomesTheTracesEvents() {
        String svc = service();
        List<SpanData> spans = transferRequest(svc);
        assertThat(OtelSpans.exportProtobuf(server.baseUrl(), spans)).isTrue();
        UUID trace = traceOf(spans.get(0));
        // server: request, 2 state changes, response; compute, legacy: a call each; db: a query; GET: request+response
        List<Event> events = awaitEvents(trace, 9);
        assertThat(events).hasSize(9).allSatisfy(e -> assertThat(e.metadata().serviceName()).isEqualTo(svc));

        Event request = events.get(0);
        assertThat(request.kind()).isEqualTo(new EventKind.HttpRequest("POST", "/transfer?from=alice", Map.of(),
                java.util.Optional.empty()));
        assertThat(request.timestamp()).isEqualTo(Instant.parse("2026-01-01T12:00:00Z"));
        assertThat(request.metadata().threadId()).isEqualTo(svc + "/worker-7#7");
        assertThat(request.parentId()).isEmpty();
        String serverSpan = request.metadata().distributedSpanId().orElseThrow();

        EventKind.StateChange read = (EventKind.StateChange) events.get(1).kind();
        assertThat(read.variable()).isEqualTo("alice.balance");
        assertThat(read.accessType()).isEqualTo(AccessType.Read);
        assertThat(read.newValue().json()).isEqualTo("100");
        assertThat(events.get(1).parentId()).contains(request.id());

        EventKind.FunctionCall compute = (EventKind.FunctionCall) events.get(2).kind();
        assertThat(compute.functionName()).isEqualTo("com.acme.Bank.transfer");
        assertThat(compute.file()).isEqualTo("Bank.java");
        assertThat(compute.line()).isEqualTo(42);
        assertThat(events.get(2).metadata().durationNs()).hasValue(3_000_000);
        assertThat(events.get(2).metadata().threadId()).isEqualTo(request.metadata().threadId());
        assertThat(events.get(2).parentId()).contains(request.id());
        assertThat(events.get(2).metadata().upstreamSpanId()).as("a local parent is no span edge").isEmpty();

        EventKind.FunctionCall legacy = (EventKind.FunctionCall) events.get(3).kind();
        assertThat(legacy.functionName()).isEqualTo("debit");
        assertThat(legacy.module()).isEqualTo("com.acme.Bank");
        assertThat(legacy.file()).isEqualTo("Old.java");
        assertThat(legacy.line()).isEqualTo(7);

        assertThat(events.get(4).kind()).isEqualTo(new EventKind.DatabaseQuery(
                "UPDATE accounts SET balance = ? WHERE id = ?", "bank", 3));
        assertThat(events.get(5).kind()).isEqualTo(new EventKind.HttpRequest("GET", "http://audit:9000/log",
                Map.of(), java.util.Optional.empty()));
        assertThat(events.get(6).kind()).isEqualTo(new EventKind.HttpResponse(201, Map.of(),
                java.util.Optional.empty(), 3));

        EventKind.StateChange write = (EventKind.StateChange) events.get(7).kind();
        assertThat(write.accessType()).isEqualTo(AccessType.Write);
        assertThat(write.oldValue().orElseThrow().json()).isEqualTo("100");
        assertThat(write.newValue().json()).isEqualTo("90");
        assertThat(write.location()).isEqualTo("Bank.java:57");
        assertThat(events.get(7).metadata().threadId()).isEqualTo(request.metadata().threadId());

        Event response = events.get(8);
        assertThat(response.kind()).isEqualTo(new EventKind.HttpResponse(200, Map.of(), java.util.Optional.empty(),
                20));
        assertThat(response.metadata().durationNs()).hasValue(20_000_000);
        assertThat(response.metadata().distributedSpanId()).contains(serverSpan);

        Map<String, Object> bundle = JsonTree.data(http.get("/api/traces/" + trace).body());
        assertThat(JsonTree.list(bundle.get("events"))).hasSize(9);
    }

    @Test
    void jsonEncodingGivesExactlyTheEventsOfTheProtobufEncoding() {
        List<SpanData> spans = transferRequest(service());
        UUID trace = traceOf(spans.get(0));
        HttpResponse<String> r = http.post("/v1/traces", OtelSpans.json(spans), "Content-Type", "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("application/json"));
        assertThat(r.body()).isEqualTo("{}");
        List<Event> fromJson = awaitEvents(trace, 9);

        // The same spans again as protobuf: the same event ids, so nothing new is stored.
        assertThat(OtelSpans.exportProtobuf(server.baseUrl(), spans)).isTrue();
        List<Event> fromBoth = awaitEvents(trace, 9);
        assertThat(fromBoth).hasSize(9).containsExactlyInAnyOrderElementsOf(fromJson);
    }

    @Test
    void aRetriedExportIsStoredOnce() {
        List<SpanData> spans = transferRequest(service());
        UUID trace = traceOf(spans.get(0));
        assertThat(OtelSpans.exportProtobuf(server.baseUrl(), spans)).isTrue();
        assertThat(OtelSpans.exportProtobuf(server.baseUrl(), spans)).isTrue();
        awaitEvents(trace, 9);
        HttpResponse<String> again = http.post("/v1/traces", OtelSpans.json(spans),
                "Content-Type", "application/json");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(http.get("/health").statusCode()).isEqualTo(200);
        assertThat(server.store().traceEvents(trace)).hasSize(9);
    }

    /** Two overlapping server spans (two traces) that each read, then write {@code variable}. */
    static List<SpanData> twoOverlappingWithdrawals(String service, String variable, String lock) {
        try (OtelSpans otel = new OtelSpans(service)) {
            Tracer t = otel.tracer();
            Span a = t.spanBuilder("POST /withdraw").setSpanKind(SpanKind.SERVER).setNoParent()
                    .setAttribute("http.request.method", "POST").startSpan();
            Span b = t.spanBuilder("POST /withdraw").setSpanKind(SpanKind.SERVER).setNoParent()
                    .setAttribute("http.request.method", "POST").startSpan();
            for (Span s : List.of(a, b)) {
                if (lock != null) {
                    s.addEvent("raceway.lock_acquire", Attributes.of(AttributeKey.stringKey("raceway.lock_id"), lock));
                }
                s.addEvent("raceway.state_change", Attributes.of(AttributeKey.stringKey("raceway.variable"),
                        variable, AttributeKey.stringKey("raceway.access"), "Read",
                        AttributeKey.longKey("raceway.new_value"), 100L));
                s.addEvent("raceway.state_change", Attributes.of(AttributeKey.stringKey("raceway.variable"),
                        variable, AttributeKey.stringKey("raceway.access"), "Write",
                        AttributeKey.longKey("raceway.old_value"), 100L,
                        AttributeKey.longKey("raceway.new_value"), 90L));
                if (lock != null) {
                    s.addEvent("raceway.lock_release", Attributes.of(AttributeKey.stringKey("raceway.lock_id"), lock));
                }
            }
            a.end();
            b.end();
            return otel.spans();
        }
    }

    @Test
    void twoOverlappingRequestsLosingAnUpdateThroughSpanEventsAreACriticalGlobalRace() {
        String variable = "otel-balance-" + UUID.randomUUID();
        List<SpanData> spans = twoOverlappingWithdrawals(service(), variable, null);
        assertThat(OtelSpans.exportProtobuf(server.baseUrl(), spans)).isTrue();
        for (SpanData s : spans) {
            awaitEvents(traceOf(s), 4);
        }
        Map<String, Object> global = JsonTree.data(http.get("/api/analyze/global").body());
        assertThat(JsonTree.list(global.get("race_details"))).anySatisfy(p -> assertThat(JsonTree.map(p))
                .containsEntry("variable", variable).containsEntry("severity", "CRITICAL"));
        assertThat(JsonTree.list(global.get("by_variable"))).anySatisfy(v -> assertThat(JsonTree.map(v))
                .containsEntry("variable", variable).containsEntry("trace_count", 2L)
                .containsEntry("within_trace", 0L));
    }

    @Test
    void aCommonLockReportedThroughSpanEventsProtectsTheUpdate() {
        String variable = "otel-locked-" + UUID.randomUUID();
        List<SpanData> spans = twoOverlappingWithdrawals(service(), variable, "accounts-" + UUID.randomUUID());
        assertThat(OtelSpans.exportProtobuf(server.baseUrl(), spans)).isTrue();
        for (SpanData s : spans) {
            awaitEvents(traceOf(s), 6);
        }
        Map<String, Object> global = JsonTree.data(http.get("/api/analyze/global").body());
        assertThat(JsonTree.list(global.get("race_details")))
                .noneMatch(p -> variable.equals(JsonTree.map(p).get("variable")));
        assertThat(JsonTree.list(global.get("by_variable")))
                .noneMatch(v -> variable.equals(JsonTree.map(v).get("variable")));
    }

    @Test
    void aParentSpanInAnotherServiceIsADistributedSpanEdge() {
        String caller = service();
        String callee = service();
        long base = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
        SpanContext clientContext;
        List<SpanData> spans;
        try (OtelSpans a = new OtelSpans(caller); OtelSpans b = new OtelSpans(callee)) {
            Span root = a.tracer().spanBuilder("GET /checkout").setSpanKind(SpanKind.SERVER)
                    .setStartTimestamp(base, TimeUnit.NANOSECONDS)
                    .setAttribute("http.request.method", "GET").startSpan();
            root.addEvent("raceway.state_change", Attributes.of(AttributeKey.stringKey("raceway.variable"),
                    "order.status", AttributeKey.stringKey("raceway.access"), "Write"),
                    base + 500_000, TimeUnit.NANOSECONDS);
            Span client = a.tracer().spanBuilder("POST").setSpanKind(SpanKind.CLIENT)
                    .setParent(Context.root().with(root)).setStartTimestamp(base + 1_000_000, TimeUnit.NANOSECONDS)
                    .setAttribute("http.request.method", "POST").setAttribute("url.full", "http://pay/charge")
                    .startSpan();
            clientContext = client.getSpanContext();
            // What the callee's instrumentation extracts from the traceparent header.
            SpanContext remote = SpanContext.createFromRemoteParent(clientContext.getTraceId(),
                    clientContext.getSpanId(), TraceFlags.getSampled(), TraceState.getDefault());
            Span served = b.tracer().spanBuilder("POST /charge").setSpanKind(SpanKind.SERVER)
                    .setParent(Context.root().with(Span.wrap(remote)))
                    .setStartTimestamp(base + 2_000_000, TimeUnit.NANOSECONDS)
                    .setAttribute("http.request.method", "POST").setAttribute("url.path", "/charge").startSpan();
            served.addEvent("raceway.state_change", Attributes.of(AttributeKey.stringKey("raceway.variable"),
                    "order.status", AttributeKey.stringKey("raceway.access"), "Write"),
                    base + 3_000_000, TimeUnit.NANOSECONDS);
            served.end(base + 8_000_000, TimeUnit.NANOSECONDS);
            client.end(base + 9_000_000, TimeUnit.NANOSECONDS);
            root.end(base + 10_000_000, TimeUnit.NANOSECONDS);
            spans = new java.util.ArrayList<>(a.spans());
            spans.addAll(b.spans());
        }
        // The callee exports first: the order of arrival does not matter.
        assertThat(OtelSpans.exportProtobuf(server.baseUrl(), spans.stream()
                .filter(s -> s.getResource().getAttribute(AttributeKey.stringKey("service.name")).equals(callee))
                .toList())).isTrue();
        assertThat(OtelSpans.exportProtobuf(server.baseUrl(), spans.stream()
                .filter(s -> s.getResource().getAttribute(AttributeKey.stringKey("service.name")).equals(caller))
                .toList())).isTrue();
        UUID trace = Uuids.parse(clientContext.getTraceId()).orElseThrow();
        List<Event> events = awaitEvents(trace, 8);
        assertThat(events).filteredOn(e -> e.metadata().serviceName().equals(callee))
                .allSatisfy(e -> assertThat(e.metadata().upstreamSpanId()).contains(clientContext.getSpanId()));

        Map<String, Object> deps = JsonTree.data(http.get("/api/traces/" + trace + "/dependencies").body());
        assertThat(JsonTree.list(deps.get("dependencies"))).singleElement().satisfies(d -> assertThat(JsonTree.map(d))
                .containsEntry("from", caller).containsEntry("to", callee).containsEntry("call_count", 1L));
        // The caller's write before the call happens before the callee's write: ordered, no race.
        List<Object> trail = JsonTree.list(JsonTree.data(http.get("/api/traces/" + trace
                + "/audit-trail/order.status").body()).get("accesses"));
        assertThat(trail).hasSize(2);
        assertThat(JsonTree.map(trail.get(1))).containsEntry("has_causal_link_to_previous", true)
                .containsEntry("is_race", false);
        Map<String, Object> edges = JsonTree.data(http.get("/api/distributed/edges").body());
        assertThat(JsonTree.list(edges.get("edges"))).anySatisfy(e -> assertThat(JsonTree.map(e))
                .containsEntry("from_service", caller).containsEntry("to_service", callee));
    }
}
