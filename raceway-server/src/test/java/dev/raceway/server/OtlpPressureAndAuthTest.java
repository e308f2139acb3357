package dev.raceway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.Uuids;
import dev.raceway.server.config.OtlpSettings;
import dev.raceway.server.config.ServerConfiguration;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/traces} under a full buffer and with authentication: the same answers as {@code POST /events}. */
class OtlpPressureAndAuthTest extends ControllableStoreServer {
    static final String KEY = "otlp-test-key";
    /** One export of {@code n} internal spans (one event each) of the trace {@code trace}. */
    static byte[] spans(byte[] trace, int n) {
        Span.Builder[] spans = new Span.Builder[n];
        for (int i = 0; i < n; i++) {
            spans[i] = OtlpBadInputTest.validSpan(trace);
        }
        return OtlpBadInputTest.request(spans).toByteArray();
    }

    @Test
    void aFullBufferDuringAnOutageIs503WithRetryAfterAndNothingStored() throws Exception {
        start(BackPressureTest.engine(20, 10, 5));
        store.failWrites = true;
        byte[] trace = OtlpBadInputTest.randomBytes(16);
        String pb = "application/x-protobuf";
        assertThat(http.post("/v1/traces", spans(trace, 10), "Content-Type", pb).statusCode()).isEqualTo(200);
        assertThat(http.post("/v1/traces", spans(trace, 10), "Content-Type", pb).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = http.post("/v1/traces", spans(trace, 10), "Content-Type", pb);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.headers().firstValue("Content-Type")).contains(pb);
        assertThat(refused.body()).contains("nothing was stored");
        HttpResponse<String> tooLarge = http.post("/v1/traces", spans(trace, 21), "Content-Type", pb);
        assertThat(tooLarge.statusCode()).isEqualTo(413);

        store.failWrites = false;
        UUID id = Uuids.parse(java.util.HexFormat.of().formatHex(trace)).orElseThrow();
        Http.await("accepted spans stored after the outage", () -> store.inner.traceEvents(id).size() == 20);
    }

    @Test
    void withAuthTheExporterNeedsTheKey() throws Exception {
        start(ServerConfiguration.builder().server(s -> s.authEnabled(true).apiKeys(List.of(KEY))).build());
        List<SpanData> spans = OtlpIngestContract.transferRequest("authenticated");
        assertThat(OtelSpans.exportProtobuf(server.baseUrl(), spans)).isFalse();
        assertThat(http.post("/v1/traces", OtelSpans.protobuf(spans), "Content-Type", "application/x-protobuf")
                .statusCode()).isEqualTo(401);
        assertThat(store.inner.traceEvents(OtlpIngestContract.traceOf(spans.get(0)))).isEmpty();
        assertThat(OtelSpans.exportProtobuf(server.baseUrl(), spans, "Authorization", "Bearer " + KEY)).isTrue();
        Http.await("stored", () -> store.inner.traceEvents(OtlpIngestContract.traceOf(spans.get(0))).size() == 9);
    }

    @Test
    void aSeparateOtlpPortServesOnlyTracesWithTheSameAuth() throws Exception {
        start(ServerConfiguration.builder().server(s -> s.authEnabled(true).apiKeys(List.of(KEY)))
                .otlp(OtlpSettings.onPort(0)).build());
        int port = server.otlpPort().orElseThrow();
        assertThat(port).isNotEqualTo(server.port());
        String otlpBase = "http://127.0.0.1:" + port;
        List<SpanData> spans = OtlpIngestContract.transferRequest("own-port");
        assertThat(OtelSpans.exportProtobuf(otlpBase, spans)).isFalse();
        assertThat(OtelSpans.exportProtobuf(otlpBase, spans, "Authorization", "Bearer " + KEY)).isTrue();
        Http.await("stored", () -> store.inner.traceEvents(OtlpIngestContract.traceOf(spans.get(0))).size() == 9);
        Http other = new Http(otlpBase);
        assertThat(other.get("/api/traces", "Authorization", "Bearer " + KEY).statusCode()).isEqualTo(404);
        assertThat(other.get("/").statusCode()).isEqualTo(404);
    }
}
