package dev.raceway.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.VectorClock;
import dev.raceway.core.json.FastPathCounters.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Each decline of the fast path is counted under its reason; a defect is counted too. */
class FastPathCountersTest {
    private static final FastPathCounters COUNTERS = EventJson.fastPathCounters();

    private static String validBody() {
        Event e = new Event(UUID.randomUUID(), UUID.randomUUID(), Optional.empty(),
                Instant.parse("2026-01-01T00:00:00Z"),
                new EventKind.DatabaseResult(3), EventMetadata.of("main", 1, "svc", "test"), VectorClock.empty(),
                List.of());
        return new String(EventJson.encodeBatch(List.of(e)), StandardCharsets.UTF_8);
    }

    @Test
    void aValidBodyIsNotDeclined() throws Exception {
        Map<Reason, Long> before = snapshot();
        assertThat(EventJson.decodeBatch(validBody().getBytes(StandardCharsets.UTF_8)).events()).hasSize(1);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void eachKindOfDeclinedBodyCountsUnderItsReason() throws Exception {
        String valid = validBody();
        assertDeclined(Reason.SYNTAX, valid + "x");
        assertDeclined(Reason.INVALID_EVENT, valid.replace("\"rows_affected\":3", "\"rows_affected\":-3"));
        assertDeclined(Reason.DUPLICATE_KEY, valid.replace("\"thread_id\":", "\"tags\":{},\"thread_id\":"));
        assertDeclined(Reason.UNSUPPORTED, valid.replace("\"thread_id\"", "\"thread\\u005fid\""));
        assertDeclined(Reason.OVER_LIMIT, valid.replace("\"main\"", "\"" + "m".repeat(20) + "\""),
                new DecodeLimits(DecodeLimits.DEFAULT.maxEvents(), 16, DecodeLimits.DEFAULT.maxValueDepth(),
                        DecodeLimits.DEFAULT.maxClockComponents(), DecodeLimits.DEFAULT.maxCollectionSize(),
                        DecodeLimits.DEFAULT.maxNestingDepth()));
        byte[] badUtf8 = valid.replace("\"main\"", "\"m\u00e9\"").getBytes(StandardCharsets.UTF_8);
        badUtf8[valid.indexOf("\"main\"") + 3] = (byte) 0xC0; // an overlong form
        assertDeclined(Reason.MALFORMED_UTF8, badUtf8, DecodeLimits.DEFAULT);
    }

    @Test
    void aDefectIsCounted() {
        long before = COUNTERS.defects();
        COUNTERS.defect(new IllegalStateException("injected"));
        COUNTERS.defect(new IllegalStateException("injected again")); // logged once, counted twice
        assertThat(COUNTERS.defects()).isEqualTo(before + 2);
    }

    private static void assertDeclined(Reason reason, String body) {
        assertDeclined(reason, body, DecodeLimits.DEFAULT);
    }

    private static void assertDeclined(Reason reason, String body, DecodeLimits limits) {
        assertDeclined(reason, body.getBytes(StandardCharsets.UTF_8), limits);
    }

    private static void assertDeclined(Reason reason, byte[] body, DecodeLimits limits) {
        Map<Reason, Long> before = snapshot();
        assertThat(FastBatchDecoder.decode(body, 0, body.length, limits)).as(reason.label()).isNull();
        Map<Reason, Long> expected = new EnumMap<>(before);
        expected.merge(reason, 1L, Long::sum);
        assertThat(snapshot()).as(new String(body, StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    private static Map<Reason, Long> snapshot() {
        Map<Reason, Long> counts = new EnumMap<>(Reason.class);
        for (Reason r : Reason.values()) {
            counts.put(r, COUNTERS.declines(r));
        }
        return counts;
    }
}
