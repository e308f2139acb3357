package dev.raceway.sdk.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.tuple;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.Uuids;
import dev.raceway.sdk.RacewayClient;
import dev.raceway.sdk.RacewayContext;
import dev.raceway.server.RacewayServer;
import dev.raceway.server.config.ServerConfiguration;
import dev.raceway.storage.ServiceCall;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The helper's span events, exported by the OpenTelemetry SDK's OTLP exporter to a real Raceway server, become
 * StateChange and lock events; and an SDK context opened inside the OTel span joins the same trace.
 */
class RacewaySpanEventsTest {
    RacewayServer server;
    SdkTracerProvider provider;
    Tracer tracer;

    @BeforeEach
    void start() throws Exception {
        server = RacewayServer.start(ServerConfiguration.builder().server(s -> s.port(0)).build());
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(server.baseUrl() + "/v1/traces").build();
        provider = SdkTracerProvider.builder()
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "otel-bank")))
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
        tracer = provider.get("test");
    }

    @AfterEach
    void stop() {
        provider.close();
        server.close();
    }

    List<Event> awaitTrace(UUID trace, Predicate<List<Event>> done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            List<Event> events = server.store().traceEvents(trace);
            if (done.test(events)) {
                return events.stream().sorted(Comparator.comparing(Event::timestamp)).toList();
            }
            assertThat(System.nanoTime() - deadline).as("trace " + trace + " complete in time").isNegative();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    @Test
    void accessesAndLocksOnTheCurrentSpanBecomeRacewayEvents() {
        Span span = tracer.spanBuilder("withdraw").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            RacewaySpanEvents.lockAcquired("accounts");
            RacewaySpanEvents.read("alice.balance", 100);
            RacewaySpanEvents.write("alice.balance", 100, 90L);
            RacewaySpanEvents.stateChange("alice.note", null, "paid", AccessType.AtomicWrite);
            RacewaySpanEvents.lockReleased("accounts");
        } finally {
            span.end();
        }
        assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        UUID trace = Uuids.parse(span.getSpanContext().getTraceId()).orElseThrow();
        List<Event> events = awaitTrace(trace, l -> l.size() >= 6);
        assertThat(events).extracting(e -> e.kind().variant()).containsExactly("FunctionCall", "LockAcquire",
                "StateChange", "StateChange", "StateChange", "LockRelease");
        assertThat(((EventKind.LockAcquire) events.get(1).kind()).lockId()).isEqualTo("accounts");
        EventKind.StateChange write = (EventKind.StateChange) events.get(3).kind();
        assertThat(write.accessType()).isEqualTo(AccessType.Write);
        assertThat(write.oldValue().orElseThrow().json()).isEqualTo("100");
        assertThat(write.newValue().json()).isEqualTo("90");
        EventKind.StateChange note = (EventKind.StateChange) events.get(4).kind();
        assertThat(note.accessType()).isEqualTo(AccessType.AtomicWrite);
        assertThat(note.oldValue()).isEmpty();
        assertThat(note.newValue().json()).isEqualTo("\"paid\"");
        assertThat(events).allSatisfy(e -> assertThat(e.metadata().serviceName()).isEqualTo("otel-bank"));
    }

    @Test
    void outsideARecordingSpanNothingHappensAndNothingThrows() {
        assertThatCode(() -> {
            RacewaySpanEvents.read("x", 1);
            RacewaySpanEvents.write(null, null, null);
            RacewaySpanEvents.stateChange("x", new Object(), null, null);
            RacewaySpanEvents.lockAcquired(null);
        }).doesNotThrowAnyException();
    }

    @Test
    void anSdkContextOpenedInsideTheOtelSpanJoinsItsTrace() throws Exception {
        Span span = tracer.spanBuilder("checkout").startSpan();
        try (RacewayClient raceway = RacewayClient.builder(server.baseUrl(), "sdk-service")
                .flushInterval(Duration.ofMillis(20)).build()) {
            try (Scope ignored = span.makeCurrent()) {
                RacewaySpanEvents.write("cart.total", 0, 10);
                RacewayContext ctx = raceway.newTrace();
                try (var scope = ctx.makeCurrent()) {
                    raceway.trackStateChange("cart.total", 10, 12, AccessType.Write);
                }
            } finally {
                span.end();
            }
            raceway.flush();
        }
        UUID trace = Uuids.parse(span.getSpanContext().getTraceId()).orElseThrow();
        List<Event> events = awaitTrace(trace, l -> l.size() >= 3);
        assertThat(events).extracting(e -> e.metadata().serviceName()).contains("otel-bank", "sdk-service");
    }

    @Test
    void anSdkServiceCalledWithTheOtelServicesTraceparentJoinsItsTrace() throws Exception {
        Span client = tracer.spanBuilder("POST /reserve").setSpanKind(io.opentelemetry.api.trace.SpanKind.CLIENT)
                .setAttribute("http.request.method", "POST").setAttribute("url.full", "http://stock/reserve")
                .startSpan();
        String traceparent = "00-" + client.getSpanContext().getTraceId() + "-" + client.getSpanContext().getSpanId()
                + "-01";
        try (RacewayClient raceway = RacewayClient.builder(server.baseUrl(), "stock-service")
                .flushInterval(Duration.ofMillis(20)).build()) {
            RacewayContext callee = raceway.startRequest(name -> name.equalsIgnoreCase("traceparent")
                    ? traceparent : null);
            try (var scope = callee.makeCurrent()) {
                raceway.trackHttpRequest("POST", "/reserve");
                raceway.trackStateChange("stock.count", 5, 4, AccessType.Write);
            }
            raceway.flush();
        }
        client.end();
        assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        UUID trace = Uuids.parse(client.getSpanContext().getTraceId()).orElseThrow();
        List<Event> events = awaitTrace(trace, l -> l.size() >= 4);
        assertThat(events).extracting(e -> e.metadata().serviceName()).containsOnly("otel-bank", "stock-service");
        // The callee opened a span of its own under the caller's client span: a span edge between the services.
        String clientSpan = client.getSpanContext().getSpanId();
        assertThat(events).filteredOn(e -> e.metadata().serviceName().equals("stock-service")).allSatisfy(e -> {
            assertThat(e.metadata().upstreamSpanId()).contains(clientSpan);
            assertThat(e.metadata().distributedSpanId()).isPresent().isNotEqualTo(Optional.of(clientSpan));
        });
        assertThat(server.store().serviceCalls()).extracting(ServiceCall::fromService, ServiceCall::toService)
                .contains(tuple("otel-bank", "stock-service"));
    }

    /** The reverse: an OTel service called with the SDK's headers makes its server span a child of the SDK's span. */
    @Test
    void anOtelServiceCalledWithTheSdksHeadersIsAChildOfTheCallersSpan() throws Exception {
        String callerSpan;
        Map<String, String> headers;
        UUID trace;
        try (RacewayClient raceway = RacewayClient.builder(server.baseUrl(), "sdk-gateway")
                .flushInterval(Duration.ofMillis(20)).build()) {
            RacewayContext caller = raceway.newTrace();
            try (var scope = caller.makeCurrent()) {
                raceway.trackHttpRequest("GET", "/checkout");
                headers = raceway.propagationHeaders();
            }
            callerSpan = caller.spanId();
            trace = caller.traceId();
            raceway.flush();
        }
        Context remote = W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, new TextMapGetter<>() {
            @Override
            public Iterable<String> keys(Map<String, String> carrier) {
                return carrier.keySet();
            }

            @Override
            public String get(Map<String, String> carrier, String key) {
                return carrier == null ? null : carrier.get(key);
            }
        });
        Span server = tracer.spanBuilder("GET /price").setParent(remote)
                .setSpanKind(io.opentelemetry.api.trace.SpanKind.SERVER)
                .setAttribute("http.request.method", "GET").setAttribute("url.path", "/price").startSpan();
        server.end();
        assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        assertThat(Uuids.parse(server.getSpanContext().getTraceId())).contains(trace);
        List<Event> events = awaitTrace(trace, l -> l.stream().anyMatch(e -> e.metadata().serviceName()
                .equals("otel-bank")));
        assertThat(events).filteredOn(e -> e.metadata().serviceName().equals("otel-bank"))
                .allSatisfy(e -> assertThat(e.metadata().upstreamSpanId()).contains(callerSpan));
        assertThat(this.server.store().serviceCalls()).extracting(ServiceCall::fromService, ServiceCall::toService)
                .contains(tuple("sdk-gateway", "otel-bank"));
    }
}
