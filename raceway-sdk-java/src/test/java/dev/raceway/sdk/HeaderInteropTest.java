package dev.raceway.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.propagation.RacewayClock;
import io.opentelemetry.context.Scope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Propagation headers written by hand in the exact formats the other Raceway SDKs send and expect. */
class HeaderInteropTest {
    /** The reference's example traceparent (a Rust/TS/Python/Go caller's child span 3f9a1c0d5e7b2a46). */
    static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-3f9a1c0d5e7b2a46-01";
    /**
     * The reference's example raceway-clock, as the Rust SDK writes it (alphabetical keys, unpadded base64url of
     * {"clock":[["gateway#gw-1-77",4]],"instance":"gw-1-77","parent_span_id":"8e21f04c9a3b7d10",
     * "service":"gateway","span_id":"3f9a1c0d5e7b2a46","trace_id":"0af76519-16cd-43dd-8448-eb211c80319c"}).
     */
    static final String RUST_CLOCK = "v1;eyJjbG9jayI6W1siZ2F0ZXdheSNndy0xLTc3Iiw0XV0sImluc3RhbmNlIjoiZ3ctMS03NyIs"
            + "InBhcmVudF9zcGFuX2lkIjoiOGUyMWYwNGM5YTNiN2QxMCIsInNlcnZpY2UiOiJnYXRld2F5Iiwic3Bhbl9pZCI6IjNmOWExYzBkN"
            + "WU3YjJhNDYiLCJ0cmFjZV9pZCI6IjBhZjc2NTE5LTE2Y2QtNDNkZC04NDQ4LWViMjExYzgwMzE5YyJ9";
    /**
     * A Python-style header: insertion-ordered keys, spaces after separators, a float clock value, padded
     * base64url of {"trace_id": "6e0c63257de34c92bf9efcd03927272e", "span_id": "b7ad6b7169203331",
     * "parent_span_id": "00f067aa0ba902b7", "service": "orders", "instance": "ord-2",
     * "clock": [["orders#ord-2", 2], ["gateway#gw-1", 5.0]]}.
     */
    static final String PYTHON_CLOCK = "v1;eyJ0cmFjZV9pZCI6ICI2ZTBjNjMyNTdkZTM0YzkyYmY5ZWZjZDAzOTI3MjcyZSIsICJzcGFuX2lk"
            + "IjogImI3YWQ2YjcxNjkyMDMzMzEiLCAicGFyZW50X3NwYW5faWQiOiAiMDBmMDY3YWEwYmE5MDJiNyIsICJzZXJ2aWNlIjogIm9yZG"
            + "VycyIsICJpbnN0YW5jZSI6ICJvcmQtMiIsICJjbG9jayI6IFtbIm9yZGVycyNvcmQtMiIsIDJdLCBbImdhdGV3YXkjZ3ctMSIsIDUu"
            + "MF1dfQ==";

    private RecordingSink sink;
    private RacewayClient client;

    @BeforeEach
    void start() throws Exception {
        sink = new RecordingSink();
        client = RacewayClient.builder(sink.endpoint(), "inventory").instanceId("inv-1")
                .flushInterval(Duration.ofMillis(50)).build();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        sink.close();
    }

    private static Map<String, String> headers(String... kv) {
        Map<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void aRustCallersHeadersJoinItsTraceWithItsSpanAsUpstream() throws Exception {
        Map<String, String> in = headers("Traceparent", TRACEPARENT, "Raceway-Clock", RUST_CLOCK,
                "tracestate", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
        RacewayContext ctx = client.startRequest(in::get);
        assertThat(ctx.traceId()).isEqualTo(UUID.fromString("0af76519-16cd-43dd-8448-eb211c80319c"));
        assertThat(ctx.spanId()).isEqualTo("3f9a1c0d5e7b2a46");
        assertThat(ctx.parentSpanId()).contains("8e21f04c9a3b7d10");
        assertThat(ctx.traceState()).contains("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
        assertThat(ctx.clock().valueOf("gateway#gw-1-77")).isEqualTo(4);
        assertThat(ctx.clockComponent()).as("a component of this request's own, not the process's")
                .isEqualTo("inventory#inv-1/" + ctx.threadId()).matches("inventory#inv-1/java-\\d+-[0-9a-f]{8}");
        assertThat(ctx.clock().get(ctx.clockComponent())).isPresent();
        assertThat(ctx.clock().get("inventory#inv-1")).isEmpty();

        try (Scope ignored = ctx.makeCurrent()) {
            client.trackStateChange("stock", 5, 4, AccessType.Write);
        }
        assertThat(client.flush()).isTrue();
        Event e = sink.awaitAccepted(1, 10).get(0);
        assertThat(e.traceId()).isEqualTo(ctx.traceId());
        assertThat(e.metadata().distributedSpanId()).contains("3f9a1c0d5e7b2a46");
        assertThat(e.metadata().upstreamSpanId()).contains("8e21f04c9a3b7d10");
        assertThat(e.causalityVector().valueOf("gateway#gw-1-77")).isEqualTo(4);
        assertThat(e.causalityVector().valueOf(ctx.clockComponent())).isEqualTo(1);
        assertThat(e.causalityVector().get("inventory#inv-1")).isEmpty();
    }

    @Test
    void aPythonStyleClockWithPaddingAndFloatsIsUnderstood() {
        Map<String, String> in = headers("traceparent", "00-6e0c63257de34c92bf9efcd03927272e-b7ad6b7169203331-01",
                "raceway-clock", PYTHON_CLOCK);
        RacewayContext ctx = client.startRequest(in::get);
        assertThat(ctx.traceId()).isEqualTo(UUID.fromString("6e0c6325-7de3-4c92-bf9e-fcd03927272e"));
        assertThat(ctx.spanId()).isEqualTo("b7ad6b7169203331");
        assertThat(ctx.parentSpanId()).contains("00f067aa0ba902b7");
        assertThat(ctx.clock().valueOf("orders#ord-2")).isEqualTo(2);
        assertThat(ctx.clock().valueOf("gateway#gw-1")).isEqualTo(5);
    }

    @Test
    void aPlainW3cCallersSpanIsOurUpstreamSpan() {
        Map<String, String> in = headers("traceparent", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01");
        RacewayContext ctx = client.startRequest(in::get);
        assertThat(ctx.traceId()).isEqualTo(UUID.fromString("4bf92f35-77b3-4da6-a3ce-929d0e0e4736"));
        assertThat(ctx.parentSpanId()).contains("00f067aa0ba902b7");
        assertThat(ctx.spanId()).matches("[0-9a-f]{16}").isNotEqualTo("00f067aa0ba902b7");
    }

    @Test
    void eachMalformedHeaderIsIgnoredOnItsOwn() {
        Map<String, String> badParent = headers("traceparent", "00-xyz-3f9a1c0d5e7b2a46-01", "raceway-clock",
                RUST_CLOCK);
        RacewayContext a = client.startRequest(badParent::get);
        assertThat(a.traceId()).isEqualTo(UUID.fromString("0af76519-16cd-43dd-8448-eb211c80319c"));
        assertThat(a.parentSpanId()).contains("8e21f04c9a3b7d10");

        Map<String, String> badClock = headers("traceparent", TRACEPARENT, "raceway-clock", "v1;%%%not-base64",
                "tracestate", "bad\u0001value");
        RacewayContext b = client.startRequest(badClock::get);
        assertThat(b.traceId()).isEqualTo(UUID.fromString("0af76519-16cd-43dd-8448-eb211c80319c"));
        assertThat(b.parentSpanId()).as("read as a W3C caller's").contains("3f9a1c0d5e7b2a46");
        assertThat(b.spanId()).matches("[0-9a-f]{16}").isNotEqualTo("3f9a1c0d5e7b2a46");
        assertThat(b.traceState()).isEmpty();

        Map<String, String> v2 = headers("raceway-clock", "v2;" + RUST_CLOCK.substring(3));
        RacewayContext c = client.startRequest(v2::get);
        assertThat(c.parentSpanId()).isEmpty();
        assertThat(c.spanId()).matches("[0-9a-f]{16}");
        assertThat(c.clock().entries()).hasSize(1);
    }

    @Test
    void outgoingHeadersHaveTheExactWireFormatOfTheOtherSdks() throws Exception {
        Map<String, String> in = headers("traceparent", TRACEPARENT, "raceway-clock", RUST_CLOCK, "tracestate",
                "rojo=00f067aa0ba902b7");
        RacewayContext ctx = client.startRequest(in::get);
        Map<String, String> out;
        try (Scope ignored = ctx.makeCurrent()) {
            client.trackFunctionCall("reserve", null);
            out = client.propagationHeaders();
        }
        assertThat(out.keySet()).containsExactly("traceparent", "tracestate", "raceway-clock");
        assertThat(out.get("tracestate")).isEqualTo("rojo=00f067aa0ba902b7");
        // traceparent names our span, as W3C defines it (an OpenTelemetry callee becomes its child); the callee's
        // own span travels in raceway-clock, which every Raceway SDK reads over traceparent.
        assertThat(out.get("traceparent")).isEqualTo("00-0af7651916cd43dd8448eb211c80319c-3f9a1c0d5e7b2a46-01");

        String clock = out.get("raceway-clock");
        assertThat(clock).startsWith("v1;").doesNotContain("=").matches("v1;[A-Za-z0-9_-]+");
        String json = new String(Base64.getUrlDecoder().decode(clock.substring(3)), StandardCharsets.UTF_8);
        Map<String, Object> fields = readFlat(json);
        assertThat(fields.keySet()).containsExactly("clock", "instance", "parent_span_id", "service", "span_id",
                "trace_id");
        String child = (String) fields.get("span_id");
        assertThat(child).matches("[0-9a-f]{16}").isNotEqualTo(ctx.spanId());
        assertThat(fields).containsEntry("trace_id", "0af76519-16cd-43dd-8448-eb211c80319c").containsEntry("parent_span_id", "3f9a1c0d5e7b2a46")
                .containsEntry("service", "inventory").containsEntry("instance", "inv-1");
        assertThat(fields.get("clock")).isEqualTo(List.of(List.of("gateway#gw-1-77", 4L),
                List.of(ctx.clockComponent(), 2L)));
        // The caller keeps its span: its next event is still tagged with it.
        assertThat(ctx.spanId()).isEqualTo("3f9a1c0d5e7b2a46");
    }

    @Test
    void aCalleeReadingOurHeadersSeesUsAsUpstream() {
        RacewayContext caller = client.newTrace();
        Map<String, String> out;
        try (Scope ignored = caller.makeCurrent()) {
            out = client.propagationHeaders();
        }
        try (RacewayClient downstream = RacewayClient.builder(sink.endpoint(), "billing").instanceId("b-1").build()) {
            RacewayContext callee = downstream.startRequest(headers(out.entrySet().stream()
                    .flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray(String[]::new))::get);
            assertThat(callee.traceId()).isEqualTo(caller.traceId());
            assertThat(callee.parentSpanId()).contains(caller.spanId());
            assertThat(callee.spanId()).isNotEqualTo(caller.spanId())
                    .isEqualTo(RacewayClock.decode(out.get("raceway-clock")).orElseThrow().spanId().orElseThrow());
            assertThat(callee.clock().valueOf(caller.clockComponent())).isEqualTo(1);
        }
    }

    /** Reads a flat JSON object whose values are strings or arrays of [string, number] pairs, keeping key order. */
    private static Map<String, Object> readFlat(String json) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (t == JsonToken.START_ARRAY) {
                    List<Object> pairs = new ArrayList<>();
                    while (p.nextToken() == JsonToken.START_ARRAY) {
                        p.nextToken();
                        String component = p.getText();
                        p.nextToken();
                        long value = p.getLongValue();
                        p.nextToken();
                        pairs.add(List.of(component, value));
                    }
                    out.put(name, pairs);
                } else {
                    out.put(name, t == JsonToken.VALUE_NULL ? Optional.empty() : p.getText());
                }
            }
        }
        return out;
    }
}
