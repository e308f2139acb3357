package dev.raceway.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.JsonValue;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RacewayClientTrackingTest {
    private RecordingSink sink;
    private RacewayClient client;

    @BeforeEach
    void start() throws Exception {
        sink = new RecordingSink();
        client = RacewayClient.builder(sink.endpoint(), "banking-api").instanceId("web-1")
                .environment("test").tag("team", "payments").flushInterval(Duration.ofMillis(50)).build();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        sink.close();
    }

    private List<Event> sent(int n) throws InterruptedException {
        assertThat(client.flush(Duration.ofSeconds(10))).isTrue();
        List<Event> events = sink.awaitAccepted(n, 10);
        assertThat(sink.requests()).allSatisfy(r -> assertThat(r.rejectedByDecoder()).isZero());
        return events;
    }

    @Test
    void trackingOutsideAContextIsANoOpThatIsCountedAndLoggedOnce() {
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("dev.raceway.sdk");
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getMessage() != null && r.getMessage().contains("no current Raceway context")) {
                    logged.add(r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(handler);
        try {
            client.trackStateChange("x", 1, 2, AccessType.Write);
            client.trackStateChange("x", 1, 2, "Write");
            client.trackFunctionCall("f", Map.of());
            client.trackHttpResponse(200, 3);
            new TrackedLock(client, "l").lock();
            assertThat(client.trackFunction("f", null, () -> 42)).isEqualTo(42);
        } finally {
            jul.removeHandler(handler);
        }
        assertThat(client.stats().queued()).isZero();
        assertThat(client.stats().invalid()).isZero();
        assertThat(client.stats().outsideContext()).isEqualTo(6);
        assertThat(logged).as("said once, naming the thread and the caller's line").hasSize(1);
        assertThat(logged.get(0)).contains(Thread.currentThread().getName())
                .contains("RacewayClientTrackingTest.java:").contains("stats().outsideContext()");

        // Inside a context nothing more is counted; a disabled client counts nothing at all.
        try (Scope ignored = client.newTrace().makeCurrent()) {
            client.trackStateChange("x", 1, 2, AccessType.Write);
        }
        assertThat(client.stats().outsideContext()).isEqualTo(6);
        try (RacewayClient off = RacewayClient.builder(sink.endpoint(), "svc").enabled(false).build()) {
            off.trackStateChange("x", 1, 2, AccessType.Write);
            assertThat(off.stats().outsideContext()).isZero();
        }
    }

    @Test
    void eventsOfOneRequestFormALinearParentChainWithIncreasingClock() throws Exception {
        RacewayContext ctx = client.newTrace();
        try (Scope ignored = ctx.makeCurrent()) {
            client.trackFunctionCall("transfer", Map.of("amount", 100));
            client.trackStateChange("alice.balance", null, 1000, AccessType.Read);
            client.trackStateChange("alice.balance", 1000, 900, "Write");
        }
        List<Event> events = sent(3);
        assertThat(events).hasSize(3);
        String component = ctx.clockComponent();
        assertThat(component).isEqualTo("banking-api#web-1/" + ctx.threadId());
        for (int i = 0; i < 3; i++) {
            Event e = events.get(i);
            assertThat(e.traceId()).isEqualTo(ctx.traceId());
            assertThat(e.parentId()).isEqualTo(i == 0 ? Optional.empty() : Optional.of(events.get(i - 1).id()));
            assertThat(e.causalityVector().valueOf(component)).isEqualTo(i + 1);
            assertThat(e.lockSet()).isEmpty();
            assertThat(e.metadata().threadId()).isEqualTo(ctx.threadId()).matches("java-\\d+-[0-9a-f]{8}");
            assertThat(e.metadata().processId()).isEqualTo(ProcessHandle.current().pid());
            assertThat(e.metadata().serviceName()).isEqualTo("banking-api");
            assertThat(e.metadata().environment()).isEqualTo("test");
            assertThat(e.metadata().tags()).containsEntry("sdk_language", "java").containsEntry("team", "payments");
            assertThat(e.metadata().instanceId()).contains("web-1");
            assertThat(e.metadata().distributedSpanId()).contains(ctx.spanId());
            assertThat(e.metadata().upstreamSpanId()).isEmpty();
        }
        assertThat(ctx.spanId()).matches("[0-9a-f]{16}");
        assertThat(ctx.lastEventId()).contains(events.get(2).id());
        EventKind.StateChange write = events.get(2).stateChange().orElseThrow();
        assertThat(write.oldValue()).contains(JsonValue.of(1000));
        assertThat(write.newValue()).isEqualTo(JsonValue.of(900));
        assertThat(write.accessType()).isEqualTo(AccessType.Write);
        assertThat(events.get(1).stateChange().orElseThrow().oldValue()).isEmpty();
        EventKind.FunctionCall call = (EventKind.FunctionCall) events.get(0).kind();
        assertThat(call.module()).isEqualTo("app");
        assertThat(call.args()).isEqualTo(JsonValue.of(Map.of("amount", 100)));
    }

    @Test
    void locationIsTheCallersFileAndLine() throws Exception {
        int line;
        try (Scope ignored = client.newTrace().makeCurrent()) {
            line = Lines.here(); client.trackStateChange("v", null, 1, AccessType.Read);
            client.trackFunctionCall("g", null);
        }
        List<Event> events = sent(2);
        assertThat(events.get(0).stateChange().orElseThrow().location())
                .isEqualTo("dev/raceway/sdk/RacewayClientTrackingTest.java:" + line);
        EventKind.FunctionCall call = (EventKind.FunctionCall) events.get(1).kind();
        assertThat(call.file()).isEqualTo("dev/raceway/sdk/RacewayClientTrackingTest.java");
        assertThat(call.line()).isEqualTo(line + 1);
    }

    @Test
    void locationCaptureCanBeSwitchedOff() throws Exception {
        try (RacewayClient quiet = RacewayClient.builder(sink.endpoint(), "svc").captureLocation(false).build();
             Scope ignored = quiet.newTrace().makeCurrent()) {
            quiet.trackStateChange("v", null, 1, AccessType.Read);
            assertThat(quiet.flush(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(sink.awaitAccepted(1, 10).get(0).stateChange().orElseThrow().location()).isEqualTo("unknown");
    }

    @Test
    void theFiveAccessTypeNamesAreAcceptedAndAnythingElseIsDroppedWithoutThrowing() throws Exception {
        try (Scope ignored = client.newTrace().makeCurrent()) {
            for (String name : List.of("Read", "Write", "AtomicRead", "AtomicWrite", "AtomicRMW")) {
                client.trackStateChange("v", null, 1, name);
            }
            client.trackStateChange("v", null, 1, "write");
            client.trackStateChange("v", null, 1, "ReadWrite");
            client.trackStateChange("v", null, 1, (String) null);
            client.trackStateChange(null, null, 1, AccessType.Read);
        }
        List<Event> events = sent(5);
        assertThat(events).extracting(e -> e.stateChange().orElseThrow().accessType())
                .containsExactly(AccessType.values());
        assertThat(client.stats().invalid()).isEqualTo(4);
        assertThat(client.stats().queued()).isEqualTo(5);
    }

    @Test
    void invalidValuesAreDroppedAtTheCallSiteNotThrown() throws Exception {
        try (Scope ignored = client.newTrace().makeCurrent()) {
            client.trackHttpResponse(200, -5);
            client.trackHttpResponse(70_000, 1);
            client.trackDatabaseQuery("select 1", "main", -1);
            client.trackDatabaseResult(-3);
            client.trackCustom(null, "x");
            client.trackFunctionCall(null, null);
        }
        assertThat(client.stats().invalid()).isEqualTo(6);
        assertThat(client.stats().queued()).isZero();
    }

    @Test
    void measuredFunctionsRecordOneEventAfterTheBodyWithItsDuration() throws Exception {
        try (Scope ignored = client.newTrace().makeCurrent()) {
            int r = client.trackFunction("calculate_total", Map.of("item_count", 3), () -> {
                client.trackStateChange("total", null, 6, AccessType.Write);
                return 6;
            });
            assertThat(r).isEqualTo(6);
            assertThatThrownBy(() -> client.trackFunction("fails", null, () -> {
                throw new IllegalStateException("boom");
            })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
            assertThat(client.trackFunctionCallable("callable", null, () -> "ok")).isEqualTo("ok");
        }
        List<Event> events = sent(4);
        assertThat(events.get(0).kind()).isInstanceOf(EventKind.StateChange.class);
        EventKind.FunctionCall total = (EventKind.FunctionCall) events.get(1).kind();
        assertThat(total.functionName()).isEqualTo("calculate_total");
        assertThat(events.get(1).metadata().durationNs()).isPresent();
        assertThat(((EventKind.FunctionCall) events.get(2).kind()).functionName()).isEqualTo("fails");
        assertThat(((EventKind.FunctionCall) events.get(3).kind()).functionName()).isEqualTo("callable");
    }

    @Test
    void asyncFunctionsAreRecordedWhenTheirStageCompletesInTheCallersContext() throws Exception {
        CompletableFuture<String> gate = new CompletableFuture<>();
        RacewayContext ctx = client.newTrace();
        CompletionStage<String> stage;
        try (Scope ignored = ctx.makeCurrent()) {
            stage = client.trackFunctionAsync("fetch", Map.of("id", 7), () -> gate.thenApply(s -> s + "!"));
        }
        assertThat(client.stats().queued()).isZero();
        // Completed from a thread without any context: the event still belongs to the caller's trace.
        Thread t = new Thread(() -> gate.complete("done"));
        t.start();
        t.join();
        assertThat(stage.toCompletableFuture().get()).isEqualTo("done!");
        Event e = sent(1).get(0);
        assertThat(e.traceId()).isEqualTo(ctx.traceId());
        assertThat(e.metadata().threadId()).isEqualTo(ctx.threadId());
        assertThat(e.metadata().durationNs()).isPresent();
    }

    @Test
    void everyEventKindTheApiMakesIsValidForTheServer() throws Exception {
        try (Scope ignored = client.newTrace().makeCurrent()) {
            client.trackHttpRequest("GET", "/api/x?y=1", Map.of("accept", "*/*"));
            client.trackHttpResponse(201, 12);
            client.trackLockAcquire("l1", "Mutex");
            client.trackLockRelease("l1", "Mutex");
            client.trackError(new IllegalArgumentException("bad"));
            client.trackError("Timeout", "took too long");
            client.trackCustom("cache_miss", Map.of("key", "k\"1", "list", List.of(1, 2.5, true)));
            client.trackDatabaseQuery("select * from t", "main", 4);
            client.trackDatabaseResult(2);
            client.trackStateChange("weird \"name\"\n", Optional.of("é"), new int[] {1, 2}, AccessType.AtomicRMW);
        }
        List<Event> events = sent(10);
        assertThat(events).extracting(e -> e.kind().variant()).containsExactly("HttpRequest", "HttpResponse",
                "LockAcquire", "LockRelease", "Error", "Error", "Custom", "DatabaseQuery", "DatabaseResult",
                "StateChange");
        assertThat(events.get(1).metadata().durationNs()).hasValue(12_000_000L);
        assertThat(((EventKind.HttpResponse) events.get(1).kind()).durationMs()).isEqualTo(12);
        EventKind.Error err = (EventKind.Error) events.get(4).kind();
        assertThat(err.errorType()).isEqualTo("java.lang.IllegalArgumentException");
        assertThat(err.stackTrace()).isNotEmpty();
    }

    @Test
    void aDisabledClientRecordsAndSendsNothing() throws Exception {
        try (RacewayClient off = RacewayClient.builder(sink.endpoint(), "svc").enabled(false).build();
             Scope ignored = off.newTrace().makeCurrent()) {
            off.trackStateChange("v", null, 1, AccessType.Write);
            assertThat(off.stats().queued()).isZero();
            assertThat(off.flush(Duration.ofSeconds(1))).isTrue();
        }
        assertThat(sink.requests()).isEmpty();
    }

    @Test
    void propagationHeadersOutsideAContextThrowAndInsideKeepTheSpan() {
        assertThatThrownBy(() -> client.propagationHeaders()).isInstanceOf(NoActiveContextException.class)
                .hasMessage("Raceway context is not active");
        assertThat(client.currentPropagationHeaders()).isEmpty();
        RacewayContext ctx = client.newTrace();
        try (Scope ignored = ctx.makeCurrent()) {
            Map<String, String> first = client.propagationHeaders();
            Map<String, String> second = client.propagationHeaders(Map.of("x-extra", "1", "tracestate", "k=v"));
            assertThat(first).containsOnlyKeys("traceparent", "raceway-clock");
            assertThat(second).containsEntry("x-extra", "1").containsEntry("tracestate", "k=v");
            assertThat(ctx.spanId()).isEqualTo(RacewayContext.current().orElseThrow().spanId());
            assertThat(first.get("traceparent")).as("W3C: the caller's span").endsWith("-" + ctx.spanId() + "-01")
                    .isEqualTo(second.get("traceparent"));
            assertThat(first.get("raceway-clock")).as("each call names a child span of its own")
                    .isNotEqualTo(second.get("raceway-clock"));
            assertThat(ctx.clock().valueOf(ctx.clockComponent())).isEqualTo(2);
        }
    }

    @Test
    void anActiveOpenTelemetrySpanLendsItsTraceId() {
        String hex = "4bf92f3577b34da6a3ce929d0e0e4736";
        SpanContext sc = SpanContext.create(hex, "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault());
        try (Scope ignored = Span.wrap(sc).makeCurrent()) {
            assertThat(client.newTrace().traceId()).isEqualTo(UUID.fromString("4bf92f35-77b3-4da6-a3ce-929d0e0e4736"));
        }
        assertThat(client.newTrace().traceId()).isNotEqualTo(UUID.fromString("4bf92f35-77b3-4da6-a3ce-929d0e0e4736"));
    }
}
