package dev.raceway.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.MemoryOrdering;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventJsonDecodeTest {

    static final String META = "{\"thread_id\":\"t1\",\"process_id\":7,\"service_name\":\"api\",\"environment\":\"dev\",\"tags\":{}}";

    static String event(String id, String kind) {
        return "{\"id\":\"" + id + "\",\"trace_id\":\"8d2e1f00-1111-4222-8333-944455556666\",\"parent_id\":null,"
                + "\"timestamp\":\"2024-05-01T10:00:00.125Z\",\"kind\":" + kind + ",\"metadata\":" + META
                + ",\"causality_vector\":[],\"lock_set\":[]}";
    }

    static String batch(String... events) {
        return "{\"events\":[" + String.join(",", events) + "]}";
    }

    static BatchDecodeResult decode(String body) throws MalformedBatchException {
        return EventJson.decodeBatch(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void repeatedAndChangingHeaderMapsAndNumbersDecodeExactly() throws Exception {
        String[] headers = {"{\"a\":\"1\",\"b\":\"2\"}", "{\"a\":\"1\",\"b\":\"2\"}", "{\"a\":\"1\",\"b\":\"3\"}",
            "{\"a\":\"1\"}", "{\"a\":\"1\",\"b\":\"2\"}", "{\"a\":\"9\"}", "{}"};
        List<String> events = new ArrayList<>();
        for (int i = 0; i < headers.length; i++) {
            events.add(event(String.format("3f0c9a52-6a51-4c3e-9a1e-0f1b2c3d4e%02d", i),
                    "{\"HttpRequest\":{\"method\":\"GET\",\"url\":\"/\",\"headers\":" + headers[i] + ",\"body\":null}}"));
        }
        events.add(event("3f0c9a52-6a51-4c3e-9a1e-0f1b2c3d4e99", "{\"StateChange\":{\"variable\":\"v\","
                + "\"old_value\":-0,\"new_value\":-12,\"location\":\"l\",\"access_type\":\"Write\"}}"));
        BatchDecodeResult r = decode(batch(events.toArray(String[]::new)));
        assertThat(r.rejections()).isEmpty();
        List<Map<String, String>> decoded = r.events().subList(0, headers.length).stream()
                .map(e -> ((EventKind.HttpRequest) e.kind()).headers()).toList();
        assertThat(decoded).containsExactly(Map.of("a", "1", "b", "2"), Map.of("a", "1", "b", "2"),
                Map.of("a", "1", "b", "3"), Map.of("a", "1"), Map.of("a", "1", "b", "2"), Map.of("a", "9"), Map.of());
        EventKind.StateChange sc = (EventKind.StateChange) r.events().get(headers.length).kind();
        assertThat(sc.oldValue()).contains(JsonValue.ofCompactJson("-0"));
        assertThat(sc.newValue()).isEqualTo(JsonValue.ofCompactJson("-12"));
    }

    @Test
    void decodesTheConformanceFixture() throws Exception {
        byte[] body;
        try (InputStream in = getClass().getResourceAsStream("/f0-fixture.json")) {
            body = in.readAllBytes();
        }
        BatchDecodeResult r = EventJson.decodeBatch(body);
        assertThat(r.rejections()).isEmpty();
        assertThat(r.events()).hasSize(4);
        Event write = r.events().get(1);
        assertThat(write.id()).isEqualTo(UUID.fromString("cccccccc-cccc-4ccc-cccc-cccccccccccc"));
        assertThat(write.parentId()).contains(UUID.fromString("bbbbbbbb-bbbb-4bbb-bbbb-bbbbbbbbbbbb"));
        assertThat(write.timestamp()).isEqualTo(Instant.parse("2024-01-01T12:00:00.001Z"));
        EventKind.StateChange sc = write.stateChange().orElseThrow();
        assertThat(sc.variable()).isEqualTo("balance");
        assertThat(sc.oldValue()).contains(JsonValue.ofCompactJson("10"));
        assertThat(sc.newValue()).isEqualTo(JsonValue.ofCompactJson("15"));
        assertThat(sc.accessType()).isEqualTo(AccessType.Write);
        assertThat(write.metadata().durationNs()).hasValue(8_000_000L);
        EventKind.FunctionCall root = (EventKind.FunctionCall) r.events().get(0).kind();
        assertThat(root.args()).isEqualTo(JsonValue.ofCompactJson("{\"id\":42}"));
        assertThat(root.line()).isEqualTo(10);
    }

    @Test
    void decodesEveryKindOfTheReference() throws Exception {
        String[] kinds = {
            "{\"AsyncSpawn\":{\"task_id\":\"0a6f0b2e-0000-4000-8000-000000000001\",\"spawned_by\":\"worker-pool\"}}",
            "{\"AsyncAwait\":{\"future_id\":\"0a6f0b2e-0000-4000-8000-000000000002\",\"awaited_at\":\"bank.ts:50\"}}",
            "{\"StateChange\":{\"variable\":\"hits\",\"old_value\":7,\"new_value\":8,\"location\":\"c.rs:9\",\"access_type\":\"AtomicRMW\"}}",
            "{\"LockAcquire\":{\"lock_id\":\"acct-lock\",\"lock_type\":\"Mutex\",\"location\":\"bank.ts:41\"}}",
            "{\"LockRelease\":{\"lock_id\":\"acct-lock\",\"lock_type\":\"Mutex\",\"location\":\"bank.ts:46\"}}",
            "{\"MemoryFence\":{\"ordering\":\"SeqCst\",\"location\":\"q.rs:12\"}}",
            "{\"HttpRequest\":{\"method\":\"POST\",\"url\":\"http://svc-b/pay\",\"headers\":{\"content-type\":\"application/json\"},\"body\":{\"x\":1}}}",
            "{\"HttpResponse\":{\"status\":200,\"headers\":{},\"body\":null,\"duration_ms\":12}}",
            "{\"DatabaseQuery\":{\"query\":\"SELECT 1\",\"database\":\"main\",\"duration_ms\":3}}",
            "{\"DatabaseResult\":{\"rows_affected\":1}}",
            "{\"Error\":{\"error_type\":\"TypeError\",\"message\":\"x is undefined\",\"stack_trace\":[\"at f (a.js:1)\"]}}",
            "{\"Custom\":{\"name\":\"cache_miss\",\"data\":{\"key\":\"k1\"}}}",
            "{\"FunctionCall\":{\"function_name\":\"transfer\",\"module\":\"bank\",\"args\":null,\"file\":\"bank.ts\",\"line\":42}}",
        };
        String[] events = new String[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            events[i] = event(UUID.randomUUID().toString(), kinds[i]);
        }
        BatchDecodeResult r = decode(batch(events));
        assertThat(r.rejections()).isEmpty();
        assertThat(r.events()).extracting(e -> e.kind().variant()).containsExactly("AsyncSpawn", "AsyncAwait",
                "StateChange", "LockAcquire", "LockRelease", "MemoryFence", "HttpRequest", "HttpResponse",
                "DatabaseQuery", "DatabaseResult", "Error", "Custom", "FunctionCall");
        assertThat(((EventKind.MemoryFence) r.events().get(5).kind()).ordering()).isEqualTo(MemoryOrdering.SeqCst);
        assertThat(((EventKind.HttpRequest) r.events().get(6).kind()).headers())
                .containsEntry("content-type", "application/json");
        assertThat(((EventKind.HttpResponse) r.events().get(7).kind()).body()).isEmpty();
        assertThat(((EventKind.Error) r.events().get(10).kind()).stackTrace()).containsExactly("at f (a.js:1)");
    }

    @ParameterizedTest
    @CsvSource({
        "2024-01-01T12:00:00Z, 2024-01-01T12:00:00Z",
        "2024-01-01T12:00:00+00:00, 2024-01-01T12:00:00Z",
        "2024-01-01T14:00:00.5+02:00, 2024-01-01T12:00:00.500Z",
        "2025-03-01T10:15:02.123456789+00:00, 2025-03-01T10:15:02.123456789Z",
        "2024-05-01T10:00:00.125456Z, 2024-05-01T10:00:00.125456Z",
        "2024-01-01t12:00:00z, 2024-01-01T12:00:00Z",
        "2024-01-01T06:30:00.1-05:30, 2024-01-01T12:00:00.100Z",
    })
    void acceptsEveryTimestampFormTheSdksSend(String sent, String expected) throws Exception {
        String body = batch(event(UUID.randomUUID().toString(), "{\"DatabaseResult\":{\"rows_affected\":1}}")
                .replace("2024-05-01T10:00:00.125Z", sent));
        BatchDecodeResult r = decode(body);
        assertThat(r.rejections()).isEmpty();
        assertThat(r.events().get(0).timestamp()).isEqualTo(Instant.parse(expected));
    }

    @Test
    void rejectsTimestampsWithoutOffsetOrMalformed() throws Exception {
        for (String ts : List.of("2024-01-01T12:00:00", "2024-01-01", "yesterday", "2024-13-01T00:00:00Z",
                "2024-01-01T12:00:00.1234567890Z")) {
            BatchDecodeResult r = decode(batch(event("3f0c9a52-6a51-4c3e-9a1e-0f1b2c3d4e5f",
                    "{\"DatabaseResult\":{\"rows_affected\":1}}").replace("2024-05-01T10:00:00.125Z", ts)));
            assertThat(r.events()).as(ts).isEmpty();
            assertThat(r.rejections()).singleElement().satisfies(rej -> {
                assertThat(rej.path()).isEqualTo("events[0].timestamp");
                assertThat(rej.eventId()).contains("3f0c9a52-6a51-4c3e-9a1e-0f1b2c3d4e5f");
            });
        }
    }

    @Test
    void oneBadEventDoesNotPoisonItsBatch() throws Exception {
        String good1 = event("11111111-1111-4111-8111-111111111111", "{\"DatabaseResult\":{\"rows_affected\":1}}");
        String bad = event("22222222-2222-4222-8222-222222222222",
                "{\"StateChange\":{\"variable\":\"x\",\"new_value\":{\"deep\":[1,2,{\"a\":null}]},\"location\":\"l\",\"access_type\":\"Modify\"}}");
        String good2 = event("33333333-3333-4333-8333-333333333333", "{\"Custom\":{\"name\":\"n\",\"data\":[1,{\"b\":2}]}}");
        BatchDecodeResult r = decode(batch(good1, bad, good2));
        assertThat(r.events()).extracting(e -> e.id().toString())
                .containsExactly("11111111-1111-4111-8111-111111111111", "33333333-3333-4333-8333-333333333333");
        assertThat(r.rejections()).singleElement().satisfies(rej -> {
            assertThat(rej.index()).isEqualTo(1);
            assertThat(rej.eventId()).contains("22222222-2222-4222-8222-222222222222");
            assertThat(rej.path()).isEqualTo("events[1].kind.StateChange.access_type");
            assertThat(rej.reason()).contains("unknown access type 'Modify'").contains("AtomicRMW");
        });
    }

    @Test
    void aRejectedEventReportsItsIdAsSentWhetherCanonicalOrNot() throws Exception {
        String badKind = "{\"DatabaseResult\":{\"rows_affected\":-1}}";
        for (String id : List.of("3f0c9a52-6a51-4c3e-9a1e-0f1b2c3d4e5f", "3F0C9A52-6A51-4C3E-9A1E-0F1B2C3D4E5F",
                "{3f0c9a52-6a51-4c3e-9a1e-0f1b2c3d4e5f}", "3f0c9a526a514c3e9a1e0f1b2c3d4e5f")) {
            BatchDecodeResult r = decode(batch(event(id, badKind)));
            assertThat(r.rejections()).as(id).singleElement().satisfies(rej -> {
                assertThat(rej.eventId()).contains(id);
                assertThat(rej.path()).isEqualTo("events[0].kind.DatabaseResult.rows_affected");
            });
        }
    }

    @Test
    void upperCaseAndNonCanonicalUuidsDecodeToTheSameIds() throws Exception {
        String kind = "{\"DatabaseResult\":{\"rows_affected\":1}}";
        BatchDecodeResult r = decode(batch(event("3F0C9A52-6A51-4C3E-9A1E-0F1B2C3D4E5F", kind),
                event("3f0c9a52-6a51-4c3e-9a1e-0f1b2c3d4e60", kind)));
        assertThat(r.rejections()).isEmpty();
        assertThat(r.events()).extracting(e -> e.id().toString())
                .containsExactly("3f0c9a52-6a51-4c3e-9a1e-0f1b2c3d4e5f", "3f0c9a52-6a51-4c3e-9a1e-0f1b2c3d4e60");
    }

    @Test
    void aUuidWithAStrayCharacterIsRejected() throws Exception {
        BatchDecodeResult r = decode(batch(event("3f0c9a52-6a51-4c3e-9a1e-0f1b2c3d4e5g",
                "{\"DatabaseResult\":{\"rows_affected\":1}}")));
        assertThat(r.events()).isEmpty();
        assertThat(r.rejections()).singleElement().satisfies(rej -> {
            assertThat(rej.path()).isEqualTo("events[0].id");
            assertThat(rej.reason()).contains("not a UUID");
        });
    }

    @Test
    void theIdIsReportedEvenWhenItComesAfterTheBadField() throws Exception {
        String bad = "{\"kind\":{\"Bogus\":{\"a\":[1,2,3]}},\"trace_id\":\"8d2e1f00-1111-4222-8333-944455556666\","
                + "\"metadata\":" + META + ",\"id\":\"44444444-4444-4444-8444-444444444444\"}";
        String good = event("55555555-5555-4555-8555-555555555555", "{\"DatabaseResult\":{\"rows_affected\":1}}");
        BatchDecodeResult r = decode(batch(bad, good));
        assertThat(r.events()).hasSize(1);
        EventRejection rej = r.rejections().get(0);
        assertThat(rej.eventId()).contains("44444444-4444-4444-8444-444444444444");
        assertThat(rej.path()).isEqualTo("events[0].kind");
        assertThat(rej.reason()).contains("unknown event kind 'Bogus'");
    }

    @Test
    void keepsKindsRealSdksSendThatTheReferenceRejects() throws Exception {
        String functionReturn = event("66666666-6666-4666-8666-666666666666",
                "{\"FunctionReturn\":{\"function_name\":\"f\",\"return_value\":{\"ok\":true},\"file\":\"a.go\",\"line\":3}}");
        String spawnWithoutSpawnedBy = event("77777777-7777-4777-8777-777777777777",
                "{\"AsyncSpawn\":{\"task_id\":\"task-17\"}}");
        BatchDecodeResult r = decode(batch(functionReturn, spawnWithoutSpawnedBy));
        assertThat(r.rejections()).isEmpty();
        EventKind.Extension ext = (EventKind.Extension) r.events().get(0).kind();
        assertThat(ext.variant()).isEqualTo("FunctionReturn");
        assertThat(ext.payload().json()).isEqualTo("{\"function_name\":\"f\",\"return_value\":{\"ok\":true},\"file\":\"a.go\",\"line\":3}");
        EventKind.AsyncSpawn spawn = (EventKind.AsyncSpawn) r.events().get(1).kind();
        assertThat(spawn.taskId()).isEqualTo("task-17");
        assertThat(spawn.spawnedBy()).isEmpty();
        // and they are written back exactly as received
        assertThat(EventJson.toJson(r.events().get(0))).contains("\"kind\":{\"FunctionReturn\":{\"function_name\":\"f\",\"return_value\":{\"ok\":true},\"file\":\"a.go\",\"line\":3}}");
        assertThat(EventJson.toJson(r.events().get(1))).contains("\"kind\":{\"AsyncSpawn\":{\"task_id\":\"task-17\"}}");
    }

    /** Issue 14: JavaScript callers drop undefined args and send fractional durations; both decoders agree. */
    @Test
    void acceptsWhatJavaScriptCallersSend() throws Exception {
        String body = batch(
                event("77777777-7777-4777-8777-777777777771",
                        "{\"FunctionCall\":{\"function_name\":\"f\",\"module\":\"unknown\",\"file\":\"a.js\",\"line\":3}}"),
                event("77777777-7777-4777-8777-777777777772",
                        "{\"HttpResponse\":{\"status\":200,\"headers\":{},\"duration_ms\":12.7}}"),
                event("77777777-7777-4777-8777-777777777773",
                        "{\"DatabaseQuery\":{\"query\":\"q\",\"database\":\"d\",\"duration_ms\":0.2}}"));
        BatchDecodeResult general = decode(body);
        assertThat(general.rejections()).isEmpty();
        assertThat(((EventKind.FunctionCall) general.events().get(0).kind()).args()).isEqualTo(JsonValue.NULL);
        assertThat(((EventKind.HttpResponse) general.events().get(1).kind()).durationMs()).isEqualTo(13);
        assertThat(((EventKind.DatabaseQuery) general.events().get(2).kind()).durationMs()).isZero();
        BatchDecodeResult viaFastPathEntry = EventJson.decodeBatch(body.getBytes(StandardCharsets.UTF_8));
        assertThat(viaFastPathEntry.events()).isEqualTo(general.events());
        BatchDecodeResult negative = decode(batch(event("77777777-7777-4777-8777-777777777774",
                "{\"HttpResponse\":{\"status\":200,\"headers\":{},\"duration_ms\":-0.5}}")));
        assertThat(negative.rejections()).singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("non-negative"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"DatabaseResult\":{\"rows_affected\":-1}}|kind.DatabaseResult.rows_affected|non-negative integer",
        "{\"DatabaseResult\":{\"rows_affected\":5.0}}|kind.DatabaseResult.rows_affected|floating-point",
        "{\"DatabaseResult\":{\"rows_affected\":\"5\"}}|kind.DatabaseResult.rows_affected|a string",
        "{\"DatabaseResult\":{}}|kind.DatabaseResult.rows_affected|missing required field",
        "{\"HttpResponse\":{\"status\":70000,\"headers\":{},\"duration_ms\":1}}|kind.HttpResponse.status|out of range",
        "{\"HttpRequest\":{\"method\":\"GET\",\"url\":\"/\",\"headers\":{\"a\":1}}}|kind.HttpRequest.headers.a|must be a string",
        "{\"StateChange\":{\"variable\":\"x\",\"location\":\"l\",\"access_type\":\"Read\"}}|kind.StateChange.new_value|missing required field",
        "{\"Custom\":{\"name\":\"n\"}}|kind.Custom.data|missing required field",
        "{}|kind|empty object",
        "{\"Custom\":{\"name\":\"n\",\"data\":1},\"Error\":{}}|kind|exactly one event kind",
        "\"StateChange\"|kind|got a string",
        "{\"MemoryFence\":{\"ordering\":\"Weak\",\"location\":\"l\"}}|kind.MemoryFence.ordering|unknown memory ordering",
    })
    void rejectsTypeErrorsWithPathAndReason(String kind, String path, String reason) throws Exception {
        BatchDecodeResult r = decode(batch(event("88888888-8888-4888-8888-888888888888", kind)));
        assertThat(r.events()).isEmpty();
        assertThat(r.rejections()).singleElement().satisfies(rej -> {
            assertThat(rej.path()).isEqualTo("events[0]." + path);
            assertThat(rej.reason()).contains(reason);
            assertThat(rej.eventId()).contains("88888888-8888-4888-8888-888888888888");
        });
    }

    @Test
    void rejectsBadIdsAndMissingTopLevelFields() throws Exception {
        String badId = event("not-a-uuid", "{\"DatabaseResult\":{\"rows_affected\":1}}");
        String noTrace = event("99999999-9999-4999-8999-999999999999", "{\"DatabaseResult\":{\"rows_affected\":1}}")
                .replace("\"trace_id\":\"8d2e1f00-1111-4222-8333-944455556666\",", "");
        String selfParent = event("aaaaaaaa-9999-4999-8999-999999999999", "{\"DatabaseResult\":{\"rows_affected\":1}}")
                .replace("\"parent_id\":null", "\"parent_id\":\"aaaaaaaa-9999-4999-8999-999999999999\"");
        String notObject = "42";
        BatchDecodeResult r = decode(batch(badId, noTrace, selfParent, notObject));
        assertThat(r.events()).isEmpty();
        assertThat(r.rejections()).extracting(EventRejection::path).containsExactly("events[0].id",
                "events[1].trace_id", "events[2].parent_id", "events[3]");
        assertThat(r.rejections().get(0).reason()).contains("not a UUID");
        assertThat(r.rejections().get(1).reason()).contains("missing required field");
    }

    @Test
    void acceptsEveryUuidFormTheReferenceAccepts() throws Exception {
        String[] forms = {"3F0C9A52-6A51-4C3E-9A1E-0F1B2C3D4E5F", "3f0c9a526a514c3e9a1e0f1b2c3d4e5f",
            "{3f0c9a52-6a51-4c3e-9a1e-0f1b2c3d4e5f}", "urn:uuid:3f0c9a52-6a51-4c3e-9a1e-0f1b2c3d4e5f"};
        for (String form : forms) {
            BatchDecodeResult r = decode(batch(event(form, "{\"DatabaseResult\":{\"rows_affected\":1}}")));
            assertThat(r.events()).as(form).singleElement()
                    .satisfies(e -> assertThat(e.id()).hasToString("3f0c9a52-6a51-4c3e-9a1e-0f1b2c3d4e5f"));
        }
    }

    @Test
    void missingClockAndLockSetDefaultToEmpty() throws Exception {
        String e = event("12121212-1212-4212-8212-121212121212", "{\"DatabaseResult\":{\"rows_affected\":1}}")
                .replace(",\"causality_vector\":[],\"lock_set\":[]", "");
        BatchDecodeResult r = decode(batch(e));
        assertThat(r.events()).singleElement().satisfies(ev -> {
            assertThat(ev.causalityVector().isEmpty()).isTrue();
            assertThat(ev.lockSet()).isEmpty();
        });
    }

    @Test
    void clockEntriesMustBeComponentCounterPairs() throws Exception {
        String ok = event("13131313-1313-4313-8313-131313131313", "{\"DatabaseResult\":{\"rows_affected\":1}}")
                .replace("\"causality_vector\":[]", "\"causality_vector\":[[\"api#pod-a\",3],[\"db#1\",0]]");
        String bad = ok.replace("13131313-1313-4313-8313-131313131313", "14141414-1414-4414-8414-141414141414")
                .replace("[\"db#1\",0]", "[\"db#1\",-2]");
        BatchDecodeResult r = decode(batch(ok, bad));
        assertThat(r.events()).singleElement().satisfies(ev ->
                assertThat(ev.causalityVector().valueOf("api#pod-a")).isEqualTo(3));
        assertThat(r.rejections().get(0).path()).isEqualTo("events[1].causality_vector[1][1]");
    }

    @Test
    void enforcesPerEventLimits() throws Exception {
        DecodeLimits limits = new DecodeLimits(100, 40, 3, 2, 2, 64);
        String longString = event("15151515-1515-4515-8515-151515151515",
                "{\"Custom\":{\"name\":\"" + "n".repeat(41) + "\",\"data\":null}}");
        String deep = event("16161616-1616-4616-8616-161616161616", "{\"Custom\":{\"name\":\"n\",\"data\":[[[[1]]]]}}");
        String manyClocks = event("17171717-1717-4717-8717-171717171717", "{\"DatabaseResult\":{\"rows_affected\":1}}")
                .replace("\"causality_vector\":[]", "\"causality_vector\":[[\"a\",1],[\"b\",1],[\"c\",1]]");
        String manyLocks = event("18181818-1818-4818-8818-181818181818", "{\"DatabaseResult\":{\"rows_affected\":1}}")
                .replace("\"lock_set\":[]", "\"lock_set\":[\"a\",\"b\",\"c\"]");
        String fine = event("19191919-1919-4919-8919-191919191919", "{\"Custom\":{\"name\":\"n\",\"data\":[[[1]]]}}");
        BatchDecodeResult r = EventJson.decodeBatch(batch(longString, deep, manyClocks, manyLocks, fine)
                .getBytes(StandardCharsets.UTF_8), limits);
        assertThat(r.events()).extracting(e -> e.id().toString()).containsExactly("19191919-1919-4919-8919-191919191919");
        assertThat(r.rejections()).extracting(EventRejection::reason).satisfiesExactly(
                s -> assertThat(s).contains("exceeds the limit of 40"),
                s -> assertThat(s).contains("nested deeper than 3"),
                s -> assertThat(s).contains("more than 2 components"),
                s -> assertThat(s).contains("more than 2 entries"));
    }

    @Test
    void wholeBodyErrorsAreDistinguished() {
        assertReason("{\"events\":[", MalformedBatchException.Reason.SYNTAX);
        assertReason("not json", MalformedBatchException.Reason.SYNTAX);
        assertReason("{\"events\":[]} trailing", MalformedBatchException.Reason.SYNTAX);
        assertReason("[]", MalformedBatchException.Reason.NOT_A_BATCH);
        assertReason("{\"evts\":[]}", MalformedBatchException.Reason.NOT_A_BATCH);
        assertReason("{\"events\":{}}", MalformedBatchException.Reason.NOT_A_BATCH);
        assertReason("{\"events\":[" + "[".repeat(300) + "]".repeat(300) + "]}", MalformedBatchException.Reason.TOO_LARGE);
        String three = batch(event(UUID.randomUUID().toString(), "{\"DatabaseResult\":{\"rows_affected\":1}}"),
                event(UUID.randomUUID().toString(), "{\"DatabaseResult\":{\"rows_affected\":1}}"),
                event(UUID.randomUUID().toString(), "{\"DatabaseResult\":{\"rows_affected\":1}}"));
        assertThatThrownBy(() -> EventJson.decodeBatch(three.getBytes(StandardCharsets.UTF_8),
                DecodeLimits.DEFAULT.withMaxEvents(2)))
                .isInstanceOfSatisfying(MalformedBatchException.class,
                        e -> assertThat(e.reason()).isEqualTo(MalformedBatchException.Reason.TOO_MANY_EVENTS));
    }

    @Test
    void syntaxErrorAfterABadEventIsStillASyntaxError() {
        String body = "{\"events\":[{\"kind\":{\"Bogus\":{}},\"x\":[1,2";
        assertReason(body, MalformedBatchException.Reason.SYNTAX);
    }

    @Test
    void syntaxErrorsSayWhereWithoutInternalNoise() {
        assertThatThrownBy(() -> decode("{\"events\":[")).isInstanceOfSatisfying(MalformedBatchException.class, e -> {
            assertThat(e.getMessage()).contains("line 1, column 12").doesNotContain("REDACTED").doesNotContain("Source");
        });
    }

    @Test
    void emptyBatchIsFine() throws Exception {
        assertThat(decode("{\"events\":[]}").received()).isZero();
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        String e = event("20202020-2020-4020-8020-202020202020", "{\"DatabaseResult\":{\"rows_affected\":1,\"extra\":[1]}}")
                .replace("\"lock_set\":[]", "\"lock_set\":[],\"future_field\":{\"a\":[1,2]}");
        assertThat(decode("{\"v\":2,\"events\":[" + e + "]}").events()).hasSize(1);
    }

    @Test
    void decodeEventReportsThePath() {
        assertThatThrownBy(() -> EventJson.decodeEvent(event("21212121-2121-4121-8121-212121212121",
                "{\"DatabaseResult\":{\"rows_affected\":true}}")))
                .isInstanceOfSatisfying(EventDecodeException.class,
                        e -> assertThat(e.path()).isEqualTo("kind.DatabaseResult.rows_affected"));
        assertThatThrownBy(() -> EventJson.decodeEvent("{")).isInstanceOf(EventDecodeException.class);
    }

    @Test
    void stateChangeOldValueNullAndAbsentAreTheSame() throws Exception {
        Event a = EventJson.decodeEvent(event("23232323-2323-4323-8323-232323232323",
                "{\"StateChange\":{\"variable\":\"v\",\"old_value\":null,\"new_value\":\"s\",\"location\":\"l\",\"access_type\":\"Read\"}}"));
        assertThat(a.stateChange().orElseThrow().oldValue()).isEqualTo(Optional.empty());
        assertThat(a.stateChange().orElseThrow().newValue().json()).isEqualTo("\"s\"");
    }

    @Test
    void aKeyGivenTwiceAnywhereRefusesTheBody() throws Exception {
        String good = event("24242424-2424-4424-8424-242424242424",
                "{\"FunctionCall\":{\"function_name\":\"f\",\"module\":\"m\",\"args\":{\"a\":1,\"b\":{\"c\":2}},"
                        + "\"file\":\"F.java\",\"line\":3}}");
        assertThat(decode(batch(good)).events()).hasSize(1);
        List<String> twice = List.of(
                good.replace("\"parent_id\":null,", "\"parent_id\":null,\"parent_id\":null,"),
                good.replace("\"thread_id\":\"t1\",", "\"thread_id\":\"t1\",\"thread_id\":\"t2\","),
                good.replace("\"tags\":{}", "\"tags\":{\"k\":\"a\",\"k\":\"b\"}"),
                good.replace("\"module\":\"m\",", "\"module\":\"m\",\"module\":\"n\","),
                good.replace("{\"c\":2}", "{\"c\":2,\"c\":3}"),
                good.replace("{\"c\":2}", "{\"c\":2,\"\\u0063\":3}"),
                good.replace("\"lock_set\":[]", "\"lock_set\":[],\"x\":1,\"x\":2"));
        for (String e : twice) {
            assertReason(batch(e), MalformedBatchException.Reason.SYNTAX);
        }
        assertReason("{\"events\":[],\"events\":[" + good + "]}", MalformedBatchException.Reason.SYNTAX);
        assertReason("{\"x\":1,\"x\":1,\"events\":[" + good + "]}", MalformedBatchException.Reason.SYNTAX);
    }

    @Test
    void overlongUtf8IsRefused() {
        String e = event("25252525-2525-4525-8525-252525252525", "{\"Custom\":{\"name\":\"OVERLONG\",\"data\":{}}}");
        byte[] body = batch(e).getBytes(StandardCharsets.UTF_8);
        String text = new String(body, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("OVERLONG");
        body[at] = (byte) 0xC1; // 0xC1 0x81 is an overlong 'A'
        body[at + 1] = (byte) 0x81;
        assertThatThrownBy(() -> EventJson.decodeBatch(body)).isInstanceOfSatisfying(MalformedBatchException.class,
                x -> assertThat(x.getMessage()).contains("UTF-8"));
    }

    private static void assertReason(String body, MalformedBatchException.Reason reason) {
        assertThatThrownBy(() -> decode(body)).isInstanceOfSatisfying(MalformedBatchException.class,
                e -> assertThat(e.reason()).as(body.length() > 80 ? body.substring(0, 80) : body).isEqualTo(reason));
    }

}
