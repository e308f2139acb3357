package dev.raceway.benchmarks.http;

import com.google.protobuf.ByteString;
import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.VectorClock;
import dev.raceway.core.json.EventJson;
import dev.raceway.core.propagation.OtelSpanEvents;
import dev.raceway.server.RacewayServer;
import dev.raceway.server.otlp.OtlpProtobuf;
import dev.raceway.server.otlp.SpanMapper;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * OTLP ingest next to the native path, in one run on one server: {@code POST /v1/traces} (protobuf) against
 * {@code POST /events} (JSON) carrying the same work — the same events with the same fields — from several
 * keep-alive connections, until every event is written to the memory store. Two workloads, 1000 events per
 * request:
 *
 * <ul>
 *   <li><b>spans</b>: 1000 internal spans (thread, code location, one attribute), each one FunctionCall with its
 *       duration, against 1000 such FunctionCall events;</li>
 *   <li><b>mixed</b>: 200 spans each with four span events (a write, a read, a lock acquire and release), five
 *       events per span, against the same 1000 events as JSON.</li>
 * </ul>
 *
 * Native and OTLP alternate pass by pass (three passes each, fresh ids every pass), so the shared machine's
 * neighbours move both alike; the median ratio of the passes is reported (target: OTLP ≥ 50 % of native). Then,
 * on one thread, the decode alone: protobuf parse + span mapping against the event decoder, same payloads.
 *
 * <p>Arguments: {@code [connections=4] [requests per pass=200]}. Run: see {@code docs/otel.md}.
 */
public final class OtlpIngestLoad {
    private static final int PASSES = 3;
    private static final String PROTOBUF = "application/x-protobuf";
    private static final String JSON = "application/json";

    private OtlpIngestLoad() {
    }

    /** One workload: the same events as OTLP bodies and as {@code POST /events} bodies. */
    record Payload(List<byte[]> otlp, List<byte[]> json, int spansPerRequest, int eventsPerRequest) {
    }

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        try (RacewayServer server = RacewayServer.start(HttpIngestLoad.memoryServer())) {
            URI events = URI.create(server.baseUrl() + "/events");
            URI traces = URI.create(server.baseUrl() + "/v1/traces");
            System.out.println("Warming up both paths...");
            for (int round = 0; round < 3; round++) {
                for (int spanEvents : new int[] {0, 4}) {
                    Payload warm = payload(Math.max(50, requests / 2), spanEvents);
                    HttpIngestLoad.ingest(server, events, JSON, warm.json(), warm.eventsPerRequest(), connections);
                    HttpIngestLoad.ingest(server, traces, PROTOBUF, warm.otlp(), warm.eventsPerRequest(), connections);
                }
            }
            System.out.printf("%nOTLP protobuf vs POST /events JSON, memory backend, %d connections, %d requests x"
                    + " 1000 events per pass, %d passes each, alternating%n", connections, requests, PASSES);
            for (int spanEvents : new int[] {0, 4}) {
                String name = spanEvents == 0 ? "spans (1 span = 1 FunctionCall)"
                        : "mixed (1 span = FunctionCall + 2 StateChange + LockAcquire + LockRelease)";
                List<Double> ratios = new ArrayList<>();
                Payload last = null;
                System.out.printf("%n  %s%n", name);
                for (int pass = 1; pass <= PASSES; pass++) {
                    Payload p = payload(requests, spanEvents);
                    last = p;
                    HttpIngestLoad.Result nat = HttpIngestLoad.ingest(server, events, JSON, p.json(),
                            p.eventsPerRequest(), connections);
                    HttpIngestLoad.Result otlp = HttpIngestLoad.ingest(server, traces, PROTOBUF, p.otlp(),
                            p.eventsPerRequest(), connections);
                    double spansPerSecond = otlp.rate() * p.spansPerRequest() / p.eventsPerRequest();
                    ratios.add(otlp.rate() / nat.rate());
                    System.out.printf("    pass %d: native %,9.0f events/s | OTLP %,9.0f events/s = %,9.0f spans/s"
                            + " | OTLP/native %3.0f %%  (body %d KB JSON, %d KB protobuf)%n", pass, nat.rate(),
                            otlp.rate(), spansPerSecond, 100 * otlp.rate() / nat.rate(),
                            p.json().get(0).length / 1024, p.otlp().get(0).length / 1024);
                }
                System.out.printf("    OTLP / native: %.0f %% (median of %d passes; target >= 50 %%)%n",
                        100 * HttpIngestLoad.median(ratios), PASSES);
                Payload p = last;
                HttpIngestLoad.Rates decodeJson = HttpIngestLoad.ceiling(p.json(), p.eventsPerRequest(),
                        b -> HttpIngestLoad.sink += EventJson.decodeBatch(b).events().size());
                HttpIngestLoad.Rates decodeOtlp = HttpIngestLoad.ceiling(p.otlp(), p.eventsPerRequest(),
                        b -> HttpIngestLoad.sink += SpanMapper.map(OtlpProtobuf.read(b, 0, b.length)).events().size());
                System.out.printf("    decode alone, 1 thread (median of 3): event decoder %,10.0f events/s |"
                        + " protobuf parse + span mapping %,10.0f events/s (%.0f %%)%n", decodeJson.median(),
                        decodeOtlp.median(), 100 * decodeOtlp.median() / decodeJson.median());
            }
        }
    }

    /**
     * {@code requests} bodies of 1000 events each, both ways: 10 traces per request, spans on four threads of one
     * service, each span with {@code spanEvents} span events; the JSON events are those the OTLP mapping yields
     * (same kinds, fields, thread, span id, duration), with SDK-style random ids.
     */
    static Payload payload(int requests, int spanEvents) {
        int eventsPerSpan = 1 + spanEvents;
        int spansPerRequest = 1000 / eventsPerSpan;
        List<byte[]> otlp = new ArrayList<>(requests);
        List<byte[]> json = new ArrayList<>(requests);
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        long base = Instant.parse("2026-03-01T10:15:02Z").toEpochMilli() * 1_000_000L;
        for (int r = 0; r < requests; r++) {
            ScopeSpans.Builder scope = ScopeSpans.newBuilder()
                    .setScope(InstrumentationScope.newBuilder().setName("bank"));
            List<Event> events = new ArrayList<>(1000);
            byte[] trace = new byte[16];
            UUID traceId = null;
            for (int s = 0; s < spansPerRequest; s++) {
                if (s % (spansPerRequest / 10) == 0) {
                    rnd.nextBytes(trace);
                    ByteBuffer bb = ByteBuffer.wrap(trace);
                    traceId = new UUID(bb.getLong(), bb.getLong());
                }
                long spanId = rnd.nextLong() | 1;
                long start = base + s * 10_000L;
                int thread = s % 4;
                Span.Builder span = Span.newBuilder().setTraceId(ByteString.copyFrom(trace))
                        .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(spanId).array()))
                        .setName("transfer").setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
                        .setStartTimeUnixNano(start).setEndTimeUnixNano(start + 12_345)
                        .addAttributes(str("thread.name", "thread-" + thread))
                        .addAttributes(str("code.function.name", "transfer"))
                        .addAttributes(str("code.file.path", "Bank.java"))
                        .addAttributes(num("code.line.number", 40 + s % 50))
                        .addAttributes(num("amount", s));
                String spanHex = String.format("%016x", spanId);
                EventMetadata md = EventMetadata.of("banking-api/thread-" + thread, 0, "banking-api", "unknown")
                        .withTags(Map.of("otel.span_kind", "INTERNAL"))
                        .withDistributed(Optional.empty(), Optional.of(spanHex), Optional.empty());
                Instant at = Instant.ofEpochSecond(0, start);
                events.add(new Event(UUID.randomUUID(), traceId, Optional.empty(), at,
                        new EventKind.FunctionCall("transfer", "bank", JsonValue.parse("{\"amount\":" + s + "}"),
                                "Bank.java", 40 + s % 50), md.withDurationNs(12_345), VectorClock.empty(), List.of()));
                String variable = "account-" + (s % 20) + ".balance";
                for (int e = 0; e < spanEvents; e++) {
                    long t = start + 1_000L * (e + 1);
                    Span.Event.Builder se = Span.Event.newBuilder().setTimeUnixNano(t);
                    EventKind kind;
                    switch (e) {
                        case 0 -> {
                            se.setName(OtelSpanEvents.STATE_CHANGE)
                                    .addAttributes(str(OtelSpanEvents.VARIABLE, variable))
                                    .addAttributes(str(OtelSpanEvents.ACCESS, "Read"))
                                    .addAttributes(num(OtelSpanEvents.NEW_VALUE, 1000 - s));
                            kind = new EventKind.StateChange(variable, Optional.empty(),
                                    JsonValue.parse(Integer.toString(1000 - s)), "Bank.java:" + (40 + s % 50),
                                    AccessType.Read);
                        }
                        case 1 -> {
                            se.setName(OtelSpanEvents.STATE_CHANGE)
                                    .addAttributes(str(OtelSpanEvents.VARIABLE, variable))
                                    .addAttributes(str(OtelSpanEvents.ACCESS, "Write"))
                                    .addAttributes(num(OtelSpanEvents.OLD_VALUE, 1000 - s))
                                    .addAttributes(num(OtelSpanEvents.NEW_VALUE, 900 - s));
                            kind = new EventKind.StateChange(variable,
                                    Optional.of(JsonValue.parse(Integer.toString(1000 - s))),
                                    JsonValue.parse(Integer.toString(900 - s)), "Bank.java:" + (40 + s % 50),
                                    AccessType.Write);
                        }
                        case 2 -> {
                            se.setName(OtelSpanEvents.LOCK_ACQUIRE)
                                    .addAttributes(str(OtelSpanEvents.LOCK_ID, "account-" + (s % 20)));
                            kind = new EventKind.LockAcquire("account-" + (s % 20), "Mutex",
                                    "Bank.java:" + (40 + s % 50));
                        }
                        default -> {
                            se.setName(OtelSpanEvents.LOCK_RELEASE)
                                    .addAttributes(str(OtelSpanEvents.LOCK_ID, "account-" + (s % 20)));
                            kind = new EventKind.LockRelease("account-" + (s % 20), "Mutex",
                                    "Bank.java:" + (40 + s % 50));
                        }
                    }
                    span.addEvents(se);
                    events.add(new Event(UUID.randomUUID(), traceId, Optional.empty(), Instant.ofEpochSecond(0, t),
                            kind, md, VectorClock.empty(), List.of()));
                }
                scope.addSpans(span);
            }
            otlp.add(ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(str("service.name", "banking-api")))
                    .addScopeSpans(scope)).build().toByteArray());
            json.add(EventJson.encodeBatch(events));
        }
        return new Payload(otlp, json, spansPerRequest, spansPerRequest * eventsPerSpan);
    }

    private static KeyValue str(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static KeyValue num(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }
}
