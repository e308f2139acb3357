package dev.raceway.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.raceway.core.event.Uuids;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Hostile and broken OTLP bodies: each gets a 4xx with a reason in the request's encoding, valid spans sent alongside
 * are stored (partial success), and the server stays healthy.
 */
class OtlpBadInputTest extends HostileInputServer {
    static final String PROTOBUF = "application/x-protobuf";

    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    HttpResponse<byte[]> post(byte[] body, String contentType, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/traces"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 1; // never all zeros
        return b;
    }

    static Span.Builder validSpan(byte[] traceId) {
        long now = System.currentTimeMillis() * 1_000_000L;
        return Span.newBuilder().setTraceId(ByteString.copyFrom(traceId)).setSpanId(ByteString.copyFrom(randomBytes(8)))
                .setName("work").setKind(Span.SpanKind.SPAN_KIND_INTERNAL).setStartTimeUnixNano(now)
                .setEndTimeUnixNano(now + 1_000_000);
    }

    static ExportTraceServiceRequest request(Span.Builder... spans) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (Span.Builder s : spans) {
            scope.addSpans(s);
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue("hostile"))))
                .addScopeSpans(scope)).build();
    }

    static AnyValue nested(int depth) {
        AnyValue v = AnyValue.newBuilder().setStringValue("leaf").build();
        for (int i = 1; i < depth; i++) {
            v = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(v)).build();
        }
        return v;
    }

    void awaitStored(byte[] traceId, int events) {
        UUID trace = Uuids.parse(java.util.HexFormat.of().formatHex(traceId)).orElseThrow();
        Http.await("valid span stored", () -> server.store().traceEvents(trace).size() == events);
    }

    @Test
    void truncatedProtobufIs400WithAStatusNamingTheProblem() throws Exception {
        List<SpanData> spans = OtlpIngestContract.transferRequest("truncated");
        byte[] whole = OtelSpans.protobuf(spans);
        HttpResponse<byte[]> r = post(Arrays.copyOf(whole, whole.length / 2), PROTOBUF);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).contains(PROTOBUF);
        assertThat(text(r)).contains("malformed OTLP protobuf");
        assertThat(server.store().traceEvents(OtlpIngestContract.traceOf(spans.get(0)))).isEmpty();
    }

    @Test
    void garbageIs400InEitherEncoding() throws Exception {
        assertThat(post("definitely not protobuf \u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1), PROTOBUF)
                .statusCode()).isEqualTo(400);
        HttpResponse<byte[]> json = post("{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(text(json)).startsWith("{\"code\":3,").contains("malformed JSON");
        HttpResponse<byte[]> base64 = post(("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":"
                + "\"AAECAwQFBgcICQoLDA0ODw==\",\"spanId\":\"0001020304050607\"}]}]}]}")
                .getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(base64.statusCode()).isEqualTo(400);
        assertThat(text(base64)).contains("traceId must be hex digits");
    }

    @Test
    void spansWithWrongIdsAreRejectedAndTheRestOfTheRequestIsKept() throws Exception {
        byte[] trace = randomBytes(16);
        ExportTraceServiceRequest req = request(validSpan(trace),
                validSpan(trace).setTraceId(ByteString.copyFrom(randomBytes(15))),
                validSpan(trace).setSpanId(ByteString.copyFrom(randomBytes(4))),
                validSpan(trace).setParentSpanId(ByteString.copyFrom(randomBytes(3))),
                validSpan(new byte[16]),
                validSpan(trace).setEndTimeUnixNano(5));
        HttpResponse<byte[]> r = post(req.toByteArray(), PROTOBUF);
        assertThat(r.statusCode()).isEqualTo(200);
        ExportTraceServiceResponse answer = ExportTraceServiceResponse.parseFrom(r.body());
        assertThat(answer.getPartialSuccess().getRejectedSpans()).isEqualTo(5);
        assertThat(answer.getPartialSuccess().getErrorMessage()).contains("5 of 6 spans rejected")
                .contains("trace_id must be 16 bytes, got 15");
        awaitStored(trace, 1);
    }

    @Test
    void hugeAttributeListsAndDeepValuesRejectTheirSpanOnly() throws Exception {
        byte[] trace = randomBytes(16);
        Span.Builder huge = validSpan(trace);
        for (int i = 0; i < 5_000; i++) {
            huge.addAttributes(KeyValue.newBuilder().setKey("k" + i).setValue(AnyValue.newBuilder().setIntValue(i)));
        }
        Span.Builder deep = validSpan(trace).addAttributes(KeyValue.newBuilder().setKey("deep").setValue(nested(12)));
        Span.Builder deepEvent = validSpan(trace).addEvents(Span.Event.newBuilder().setName("raceway.state_change")
                .addAttributes(KeyValue.newBuilder().setKey("raceway.new_value").setValue(nested(9))));
        Span.Builder badAccess = validSpan(trace).addEvents(Span.Event.newBuilder().setName("raceway.state_change")
                .addAttributes(KeyValue.newBuilder().setKey("raceway.variable")
                        .setValue(AnyValue.newBuilder().setStringValue("x")))
                .addAttributes(KeyValue.newBuilder().setKey("raceway.access")
                        .setValue(AnyValue.newBuilder().setStringValue("write"))));
        HttpResponse<byte[]> r = post(request(validSpan(trace), huge, deep, deepEvent, badAccess).toByteArray(),
                PROTOBUF);
        assertThat(r.statusCode()).isEqualTo(200);
        ExportTraceServiceResponse answer = ExportTraceServiceResponse.parseFrom(r.body());
        assertThat(answer.getPartialSuccess().getRejectedSpans()).isEqualTo(4);
        assertThat(answer.getPartialSuccess().getErrorMessage()).contains("5000 attributes, more than 256");
        awaitStored(trace, 1);

        // JSON: the same rule, the answer in OTLP/JSON (64-bit counts as strings).
        String hex = java.util.HexFormat.of().formatHex(randomBytes(16));
        String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":["
                + "{\"traceId\":\"" + hex + "\",\"spanId\":\"0001020304050607\",\"name\":\"ok\",\"kind\":1,"
                + "\"startTimeUnixNano\":\"1700000000000000000\",\"endTimeUnixNano\":\"1700000000001000000\"},"
                + "{\"traceId\":\"" + hex.substring(2) + "\",\"spanId\":\"0001020304050608\","
                + "\"startTimeUnixNano\":\"1700000000000000000\",\"endTimeUnixNano\":\"1700000000001000000\"}]}]}]}";
        HttpResponse<byte[]> j = post(json.getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(j.statusCode()).isEqualTo(200);
        assertThat(text(j)).startsWith("{\"partialSuccess\":{\"rejectedSpans\":\"1\",")
                .contains("trace_id must be 16 bytes, got 15");
    }

    @Test
    void valuesNestedBeyondTheDecodersLimitAre400() throws Exception {
        byte[] trace = randomBytes(16);
        Span.Builder abyss = validSpan(trace).addAttributes(KeyValue.newBuilder().setKey("abyss")
                .setValue(nested(200)));
        HttpResponse<byte[]> r = post(request(validSpan(trace), abyss).toByteArray(), PROTOBUF);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(r)).contains("malformed OTLP protobuf");
        String deepJson = "{\"resourceSpans\":" + "[".repeat(500) + "]".repeat(500) + "}";
        assertThat(post(deepJson.getBytes(StandardCharsets.UTF_8), "application/json").statusCode())
                .isEqualTo(400);
    }

    @Test
    void requestsWhoseEverySpanIsInvalidAre400() throws Exception {
        HttpResponse<byte[]> r = post(request(validSpan(new byte[16])).toByteArray(), PROTOBUF);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(r)).contains("1 of 1 spans rejected").contains("trace_id must not be all zeros");
        // An empty export is fine (exporters send them).
        HttpResponse<byte[]> empty = post(new byte[0], PROTOBUF);
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(ExportTraceServiceResponse.parseFrom(empty.body()).hasPartialSuccess()).isFalse();
    }

    @Test
    void badGzipIs400AndOversizedBodiesAre413() throws Exception {
        HttpResponse<byte[]> corrupt = post("definitely not gzip".getBytes(StandardCharsets.UTF_8), PROTOBUF,
                "Content-Encoding", "gzip");
        assertThat(corrupt.statusCode()).isEqualTo(400);
        assertThat(post(new byte[BODY_LIMIT + 1], PROTOBUF).statusCode()).isEqualTo(413);
        assertThat(post(Http.gzip(new byte[16 * 1024 * 1024]), PROTOBUF, "Content-Encoding", "gzip")
                .statusCode()).isEqualTo(413);
        // A valid gzipped export still works afterwards.
        byte[] trace = randomBytes(16);
        assertThat(post(Http.gzip(request(validSpan(trace)).toByteArray()), PROTOBUF, "Content-Encoding", "gzip")
                .statusCode()).isEqualTo(200);
        awaitStored(trace, 1);
    }

    @Test
    void otherContentTypesAre415() throws Exception {
        HttpResponse<byte[]> r = post("x".getBytes(StandardCharsets.UTF_8), "text/plain");
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(text(r)).contains("application/x-protobuf");
    }
}
