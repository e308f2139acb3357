package dev.raceway.server.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The span mapping and OTLP/JSON reading on their own, without a server. */
class SpanMapperTest {
    static final byte[] TRACE = HexFormat.of().parseHex("5b8efff798038103d269b633813fc60c");
    static final byte[] SPAN = HexFormat.of().parseHex("eee19b7ec3c1b174");
    static final byte[] PARENT = HexFormat.of().parseHex("eee19b7ec3c1b173");

    static KeyValue attr(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static Span.Builder span() {
        return Span.newBuilder().setTraceId(ByteString.copyFrom(TRACE)).setSpanId(ByteString.copyFrom(SPAN))
                .setParentSpanId(ByteString.copyFrom(PARENT)).setName("op")
                .setStartTimeUnixNano(1_700_000_000_000_000_000L).setEndTimeUnixNano(1_700_000_000_002_000_000L);
    }

    static List<Event> map(Span.Builder s) {
        MappedSpans m = SpanMapper.map(ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans
                .newBuilder().setResource(Resource.newBuilder().addAttributes(attr("service.name", "svc")))
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(s))).build());
        assertThat(m.rejectedSpans()).as(m.firstRejection().orElse("")).isZero();
        return m.events();
    }

    @Test
    void theParentIsRemoteWhenTheFlagsSaySoElseForServerAndConsumerSpans() {
        int hasIsRemote = 0x100;
        int isRemote = 0x200;
        assertThat(map(span().setFlags(hasIsRemote | isRemote)).get(0).metadata().upstreamSpanId())
                .contains("eee19b7ec3c1b173");
        assertThat(map(span().setKind(Span.SpanKind.SPAN_KIND_SERVER).setFlags(hasIsRemote)).get(0).metadata()
                .upstreamSpanId()).isEmpty();
        assertThat(map(span().setKind(Span.SpanKind.SPAN_KIND_CONSUMER)).get(0).metadata().upstreamSpanId())
                .contains("eee19b7ec3c1b173");
        assertThat(map(span().setKind(Span.SpanKind.SPAN_KIND_CLIENT)).get(0).metadata().upstreamSpanId())
                .isEmpty();
    }

    @Test
    void eventIdsAreAFunctionOfTraceSpanAndSlotOnly() {
        List<Event> once = map(span().addEvents(Span.Event.newBuilder().setName("cache.miss")));
        List<Event> again = map(span().addEvents(Span.Event.newBuilder().setName("cache.miss")));
        assertThat(once).isEqualTo(again);
        assertThat(once.get(1).parentId()).contains(once.get(0).id());
        assertThat(once.get(0).parentId()).contains(OtlpEventIds.of(0x5b8efff798038103L, 0xd269b633813fc60cL,
                0xeee19b7ec3c1b173L, OtlpEventIds.FIRST));
        Set<UUID> ids = new HashSet<>();
        for (long s = 1; s <= 1000; s++) {
            for (int slot = 0; slot < 10; slot++) {
                UUID id = OtlpEventIds.of(1, 2, s, slot);
                assertThat(id.version()).isEqualTo(8);
                ids.add(id);
            }
        }
        assertThat(ids).hasSize(10_000);
    }

    @Test
    void exceptionsBecomeErrorsAndOtherSpanEventsCustomEvents() {
        List<Event> events = map(span().addEvents(Span.Event.newBuilder().setName("exception")
                        .setTimeUnixNano(1_700_000_000_001_000_000L)
                        .addAttributes(attr("exception.type", "java.lang.IllegalStateException"))
                        .addAttributes(attr("exception.message", "boom"))
                        .addAttributes(attr("exception.stacktrace", "java.lang.IllegalStateException: boom\n\tat A.b")))
                .addEvents(Span.Event.newBuilder().setName("cache.miss").addAttributes(attr("key", "k1"))));
        assertThat(events).hasSize(3);
        // Span events in time order: the custom event (no time: the span's start) before the exception.
        assertThat(events.get(1).kind()).isInstanceOf(EventKind.Custom.class);
        assertThat(((EventKind.Custom) events.get(1).kind()).data().json()).isEqualTo("{\"key\":\"k1\"}");
        EventKind.Error error = (EventKind.Error) events.get(2).kind();
        assertThat(error.errorType()).isEqualTo("java.lang.IllegalStateException");
        assertThat(error.stackTrace()).containsExactly("java.lang.IllegalStateException: boom", "\tat A.b");
    }

    @Test
    void otlpJsonAcceptsTheProtoNamesEnumNamesAndNumbersToo() throws Exception {
        String camel = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
                + "\"value\":{\"stringValue\":\"svc\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"s\"},\"spans\":[{"
                + "\"traceId\":\"5B8EFFF798038103D269B633813FC60C\",\"spanId\":\"eee19b7ec3c1b174\","
                + "\"parentSpanId\":\"\",\"name\":\"op\",\"kind\":2,\"startTimeUnixNano\":\"1700000000000000000\","
                + "\"endTimeUnixNano\":\"1700000000002000000\",\"attributes\":[{\"key\":\"n\",\"value\":"
                + "{\"intValue\":\"42\"}},{\"key\":\"d\",\"value\":{\"doubleValue\":1.5}},{\"key\":\"l\",\"value\":"
                + "{\"arrayValue\":{\"values\":[{\"boolValue\":true},{\"kvlistValue\":{\"values\":[{\"key\":\"x\","
                + "\"value\":{\"stringValue\":\"y\"}}]}}]}}}],\"status\":{\"code\":2},\"unknownField\":[1,2]}]}]}]}";
        String snake = "{\"resource_spans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
                + "\"value\":{\"string_value\":\"svc\"}}]},\"scope_spans\":[{\"scope\":{\"name\":\"s\"},\"spans\":[{"
                + "\"trace_id\":\"5b8efff798038103d269b633813fc60c\",\"span_id\":\"eee19b7ec3c1b174\","
                + "\"name\":\"op\",\"kind\":\"SPAN_KIND_SERVER\",\"start_time_unix_nano\":1700000000000000000,"
                + "\"end_time_unix_nano\":1700000000002000000,\"attributes\":[{\"key\":\"n\",\"value\":"
                + "{\"int_value\":42}},{\"key\":\"d\",\"value\":{\"double_value\":1.5}},{\"key\":\"l\",\"value\":"
                + "{\"array_value\":{\"values\":[{\"bool_value\":true},{\"kvlist_value\":{\"values\":[{\"key\":\"x\","
                + "\"value\":{\"string_value\":\"y\"}}]}}]}}}],\"status\":{\"code\":\"STATUS_CODE_ERROR\"}}]}]}]}";
        byte[] a = camel.getBytes(StandardCharsets.UTF_8);
        byte[] b = snake.getBytes(StandardCharsets.UTF_8);
        ExportTraceServiceRequest fromCamel = OtlpJson.read(a, 0, a.length);
        assertThat(OtlpJson.read(b, 0, b.length)).isEqualTo(fromCamel);
        Span s = fromCamel.getResourceSpans(0).getScopeSpans(0).getSpans(0);
        assertThat(s.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(s.getTraceId().toByteArray()).isEqualTo(TRACE);
        List<Event> events = SpanMapper.map(fromCamel).events();
        assertThat(((EventKind.FunctionCall) events.get(0).kind()).args().json())
                .isEqualTo("{\"n\":42,\"d\":1.5,\"l\":[true,{\"x\":\"y\"}]}");
        assertThat(events.get(0).metadata().tags()).containsEntry("otel.status", "ERROR");
    }

    @Test
    void otlpJsonRejectsIntegersBeyond64Bits() {
        byte[] body = ("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":"
                + "123456789012345678901234567890}]}]}]}").getBytes(StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OtlpJson.read(body, 0, body.length))
                .isInstanceOf(MalformedOtlpException.class).hasMessageContaining("64-bit");
    }
}
