package dev.raceway.core.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.VectorClock;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PropagationHeadersTest {

    static final String EXAMPLE_PAYLOAD = "{\"clock\":[[\"gateway#gw-1-77\",4]],\"instance\":\"gw-1-77\","
            + "\"parent_span_id\":\"8e21f04c9a3b7d10\",\"service\":\"gateway\",\"span_id\":\"3f9a1c0d5e7b2a46\","
            + "\"trace_id\":\"0af76519-16cd-43dd-8448-eb211c80319c\"}";

    static String b64(String json, boolean padded) {
        Base64.Encoder enc = padded ? Base64.getUrlEncoder() : Base64.getUrlEncoder().withoutPadding();
        return enc.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesTheReferenceTraceparentExample() {
        TraceParent tp = TraceParent.parse("00-0af7651916cd43dd8448eb211c80319c-3f9a1c0d5e7b2a46-01").orElseThrow();
        assertThat(tp.traceIdAsUuid()).isEqualTo(UUID.fromString("0af76519-16cd-43dd-8448-eb211c80319c"));
        assertThat(tp.parentId()).isEqualTo("3f9a1c0d5e7b2a46");
        assertThat(tp.sampled()).isTrue();
        assertThat(tp.format()).isEqualTo("00-0af7651916cd43dd8448eb211c80319c-3f9a1c0d5e7b2a46-01");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "garbage", "00-0af7651916cd43dd8448eb211c80319c-3f9a1c0d5e7b2a46",
        "00-0af7651916cd43dd8448eb211c80319-3f9a1c0d5e7b2a46-01",
        "00-0af7651916cd43dd8448eb211c80319c-3f9a1c0d5e7b2a4-01",
        "00-0af7651916cd43dd8448eb211c80319g-3f9a1c0d5e7b2a46-01",
        "00-00000000000000000000000000000000-3f9a1c0d5e7b2a46-01",
        "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",
        "ff-0af7651916cd43dd8448eb211c80319c-3f9a1c0d5e7b2a46-01",
        "0x-0af7651916cd43dd8448eb211c80319c-3f9a1c0d5e7b2a46-01",
        "00-0af7651916cd43dd8448eb211c80319c-3f9a1c0d5e7b2a46-01-extra",
        "00-0af7651916cd43dd8448eb211c80319c-3f9a1c0d5e7b2a46-zz",
        "00_0af7651916cd43dd8448eb211c80319c_3f9a1c0d5e7b2a46_01",
    })
    void rejectsMalformedTraceparents(String header) {
        assertThat(TraceParent.parse(header)).isEmpty();
    }

    @Test
    void acceptsFutureVersionsAndUpperCase() {
        assertThat(TraceParent.parse("01-0af7651916cd43dd8448eb211c80319c-3f9a1c0d5e7b2a46-01-what-ever")).isPresent();
        assertThat(TraceParent.parse(" 00-0AF7651916CD43DD8448EB211C80319C-3F9A1C0D5E7B2A46-00 ").orElseThrow().format())
                .isEqualTo("00-0af7651916cd43dd8448eb211c80319c-3f9a1c0d5e7b2a46-00");
    }

    @Test
    void decodesTheReferenceClockExamplePaddedOrNot() {
        for (boolean padded : new boolean[] {false, true}) {
            RacewayClock c = RacewayClock.decode("v1;" + b64(EXAMPLE_PAYLOAD, padded)).orElseThrow();
            assertThat(c.traceId()).contains(UUID.fromString("0af76519-16cd-43dd-8448-eb211c80319c"));
            assertThat(c.spanId()).contains("3f9a1c0d5e7b2a46");
            assertThat(c.parentSpanId()).contains("8e21f04c9a3b7d10");
            assertThat(c.service()).contains("gateway");
            assertThat(c.instance()).contains("gw-1-77");
            assertThat(c.clock().entries()).containsExactly(new ClockEntry("gateway#gw-1-77", 4));
        }
    }

    @Test
    void encodesExactlyAsTheRustSdkDoes() {
        RacewayClock c = RacewayClock.outgoing(UUID.fromString("0af76519-16cd-43dd-8448-eb211c80319c"),
                "3f9a1c0d5e7b2a46", "8e21f04c9a3b7d10", "gateway", "gw-1-77", VectorClock.of("gateway#gw-1-77", 4));
        assertThat(c.encode()).isEqualTo("v1;" + b64(EXAMPLE_PAYLOAD, false));
        assertThat(RacewayClock.decode(c.encode())).contains(c);
    }

    @Test
    void dropsInvalidClockEntriesButKeepsTheRest() {
        String json = "{\"clock\":[[\"a#1\",2],[\"b#1\",-1],[\"c#1\",\"x\"],\"junk\",[\"d#1\",3.0],[\"e#1\",3.5],[\"f#1\"],[\"g#1\",1,2]],"
                + "\"trace_id\":\"not-a-uuid\",\"span_id\":\"abc def\",\"service\":\"s\",\"instance\":\"i\"}";
        RacewayClock c = RacewayClock.decode("v1;" + b64(json, false)).orElseThrow();
        assertThat(c.clock().entries()).containsExactly(new ClockEntry("a#1", 2), new ClockEntry("d#1", 3));
        assertThat(c.traceId()).isEmpty();
        assertThat(c.spanId()).isEmpty();
        assertThat(c.service()).contains("s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "v2;e30", "v1;", "v1;!!!", "v1;W10", "v1;bnVsbA", "e30"})
    void malformedClockHeadersAreAbsent(String header) {
        assertThat(RacewayClock.decode(header)).isEmpty();
    }

    @Test
    void oversizedClockHeaderIsAbsent() {
        assertThat(RacewayClock.decode("v1;" + "A".repeat(RacewayClock.MAX_HEADER_LENGTH))).isEmpty();
    }

    @Test
    void tracestateIsPassedThroughButBounded() {
        assertThat(TraceState.parse(" congo=t61rcWkgMzE,rojo=00f067aa0ba902b7 ")).contains("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
        assertThat(TraceState.parse("a=b\r\nX-Injected: 1")).isEmpty();
        assertThat(TraceState.parse("a=" + "b".repeat(TraceState.MAX_LENGTH))).isEmpty();
        assertThat(TraceState.parse("   ")).isEmpty();
    }

    @Test
    void inboundContextFollowsTheSdkRules() {
        Map<String, String> headers = Map.of(
                "traceparent", "00-0af7651916cd43dd8448eb211c80319c-3f9a1c0d5e7b2a46-01",
                "raceway-clock", "v1;" + b64(EXAMPLE_PAYLOAD, false),
                "tracestate", "rojo=1");
        InboundContext in = InboundContext.parse(headers::get);
        assertThat(in.distributed()).isTrue();
        assertThat(in.traceId()).contains(UUID.fromString("0af76519-16cd-43dd-8448-eb211c80319c"));
        assertThat(in.spanId()).contains("3f9a1c0d5e7b2a46");
        assertThat(in.parentSpanId()).contains("8e21f04c9a3b7d10");
        assertThat(in.clock().valueOf("gateway#gw-1-77")).isEqualTo(4);
        assertThat(in.traceState()).contains("rojo=1");
    }

    /** A W3C caller (OpenTelemetry): its span is our parent, and we open a span of our own (reference bug 23). */
    @Test
    void onlyTraceparentMakesItsParentIdOurUpstreamSpan() {
        InboundContext in = InboundContext.parse(
                Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-3f9a1c0d5e7b2a46-01")::get);
        assertThat(in.distributed()).isTrue();
        assertThat(in.traceId()).contains(UUID.fromString("0af76519-16cd-43dd-8448-eb211c80319c"));
        assertThat(in.spanId()).isEmpty();
        assertThat(in.parentSpanId()).contains("3f9a1c0d5e7b2a46");
        assertThat(in.clock().isEmpty()).isTrue();
    }

    /** The reference SDKs send the child span in traceparent too: raceway-clock's span and parent win. */
    @Test
    void aReferenceCallersChildSpanInTraceparentIsNotTakenForItsParent() {
        String clock = "v1;" + b64("{\"span_id\":\"3f9a1c0d5e7b2a46\",\"clock\":[[\"gateway#gw-1-77\",4]]}", false);
        InboundContext in = InboundContext.parse(Map.of(
                "traceparent", "00-0af7651916cd43dd8448eb211c80319c-3f9a1c0d5e7b2a46-01", "raceway-clock", clock)::get);
        assertThat(in.spanId()).contains("3f9a1c0d5e7b2a46");
        assertThat(in.parentSpanId()).isEmpty();

        String parentOnly = "v1;" + b64("{\"parent_span_id\":\"8e21f04c9a3b7d10\",\"clock\":[]}", false);
        InboundContext old = InboundContext.parse(Map.of(
                "traceparent", "00-0af7651916cd43dd8448eb211c80319c-3f9a1c0d5e7b2a46-01", "raceway-clock", parentOnly)::get);
        assertThat(old.spanId()).contains("3f9a1c0d5e7b2a46");
        assertThat(old.parentSpanId()).contains("8e21f04c9a3b7d10");

        String clockOnly = "v1;" + b64("{\"clock\":[[\"gateway#gw-1-77\",4]]}", false);
        InboundContext w3c = InboundContext.parse(Map.of(
                "traceparent", "00-0af7651916cd43dd8448eb211c80319c-3f9a1c0d5e7b2a46-01", "raceway-clock", clockOnly)::get);
        assertThat(w3c.spanId()).isEmpty();
        assertThat(w3c.parentSpanId()).contains("3f9a1c0d5e7b2a46");
        assertThat(w3c.clock().valueOf("gateway#gw-1-77")).isEqualTo(4);
    }

    @Test
    void eachBadHeaderIsIgnoredOnItsOwn() {
        InboundContext validClockOnly = InboundContext.parse(Map.of("traceparent", "garbage",
                "raceway-clock", "v1;" + b64(EXAMPLE_PAYLOAD, false))::get);
        assertThat(validClockOnly.distributed()).isTrue();
        assertThat(validClockOnly.traceId()).isPresent();

        InboundContext nothing = InboundContext.parse(Map.of("traceparent", "garbage", "raceway-clock", "v1;%%%")::get);
        assertThat(nothing.distributed()).isFalse();
        assertThat(nothing.traceId()).isEmpty();

        InboundContext throwingLookup = InboundContext.parse(name -> {
            throw new IllegalStateException("boom");
        });
        assertThat(throwingLookup.distributed()).isFalse();
    }

    @Test
    void outboundHeadersRoundTripThroughInbound() {
        UUID trace = UUID.randomUUID();
        VectorClock clock = VectorClock.of(List.of(new ClockEntry("api#i1", 5), new ClockEntry("gw#g", 2)));
        Map<String, String> out = OutboundHeaders.build(trace, "1111222233334444", "aaaabbbbccccdddd", "api", "i1",
                clock, Optional.of("k=v"));
        assertThat(out).containsOnlyKeys("traceparent", "tracestate", "raceway-clock");
        // W3C: traceparent names the caller's span; the callee's span travels in raceway-clock.
        assertThat(out.get("traceparent")).isEqualTo("00-" + trace.toString().replace("-", "") + "-1111222233334444-01");
        InboundContext in = InboundContext.parse(out::get);
        assertThat(in.traceId()).contains(trace);
        assertThat(in.spanId()).contains("aaaabbbbccccdddd");
        assertThat(in.parentSpanId()).contains("1111222233334444");
        assertThat(in.clock()).isEqualTo(clock);
        assertThat(in.traceState()).contains("k=v");
    }
}
