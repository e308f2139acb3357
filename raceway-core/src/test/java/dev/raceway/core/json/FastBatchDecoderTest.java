package dev.raceway.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.raceway.core.event.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The fast path ({@link FastBatchDecoder}) against the general decoder, differentially: on every body, it must
 * either decline (null) or return exactly what the general decoder returns; and it must accept the bodies real
 * clients send (valid events, in any formatting and field order, with escapes and unknown fields), or it would be
 * no fast path at all.
 */
class FastBatchDecoderTest {
    private static final DecodeLimits LIMITS = DecodeLimits.DEFAULT;

    @Property(tries = 300)
    void acceptsEveryValidBatchAsWrittenAndAgrees(@ForAll("batches") List<Event> events) throws Exception {
        byte[] body = EventJson.encodeBatch(events);
        BatchDecodeResult fast = fast(body);
        assertThat(fast).as("declined a valid batch: %s", new String(body, StandardCharsets.UTF_8)).isNotNull();
        assertThat(fast).isEqualTo(EventJson.decodeGeneral(body, 0, body.length, LIMITS));
        assertThat(fast.events()).isEqualTo(events);
    }

    @Property(tries = 300)
    void acceptsReformattedValidBatchesAndAgrees(@ForAll("batches") List<Event> events, @ForAll long seed)
            throws Exception {
        byte[] body = Reshaper.reshape(EventJson.encodeBatch(events), new Random(seed));
        BatchDecodeResult fast = fast(body);
        assertThat(fast).as("declined a valid batch: %s", new String(body, StandardCharsets.UTF_8)).isNotNull();
        assertThat(fast).isEqualTo(EventJson.decodeGeneral(body, 0, body.length, LIMITS));
        assertThat(fast.events()).isEqualTo(events);
    }

    /**
     * Fields of events, metadata and payloads dropped or set to null at random: where that leaves every event valid
     * (optional fields, {@code null} for a free value) the fast path must accept and agree; where the general
     * decoder rejects an event or the body, the fast path must decline.
     */
    @Property(tries = 500)
    void droppedAndNullFieldsAreReadAsTheGeneralDecoderReadsThem(@ForAll("batches") List<Event> events,
            @ForAll long seed) throws Exception {
        byte[] body = Reshaper.reshape(EventJson.encodeBatch(events), new Random(seed), true);
        Object general = decodeOrMessage(body, EventJson::decodeGeneral);
        BatchDecodeResult fast = fast(body);
        if (general instanceof BatchDecodeResult g && g.rejections().isEmpty()) {
            assertThat(fast).as("declined: %s", new String(body, StandardCharsets.UTF_8)).isEqualTo(g);
        } else {
            assertThat(fast).as("accepted: %s", new String(body, StandardCharsets.UTF_8)).isNull();
        }
    }

    @Property(tries = 2000)
    void corruptedBodiesAreDeclinedOrDecodedExactlyAsTheGeneralDecoderDoes(@ForAll("batches") List<Event> events,
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int mutations) throws Exception {
        Random rnd = new Random(seed);
        byte[] body = EventJson.encodeBatch(events);
        if (rnd.nextBoolean()) {
            body = Reshaper.reshape(body, rnd);
        }
        for (int i = 0; i < mutations; i++) {
            body = mutate(body, rnd);
        }
        BatchDecodeResult fast = fast(body); // must not throw, whatever the bytes
        Object general = decodeOrMessage(body, EventJson::decodeGeneral);
        if (fast != null) {
            assertThat(fast).as("body: %s", new String(body, StandardCharsets.UTF_8)).isEqualTo(general);
        }
        assertThat(decodeOrMessage(body, EventJson::decodeBatch)).isEqualTo(general);
    }

    @Property(tries = 300)
    void tightLimitsAreLeftToTheGeneralDecoder(@ForAll("batches") List<Event> events) throws Exception {
        DecodeLimits tight = new DecodeLimits(5, 6, 1, 1, 1, 16);
        byte[] body = EventJson.encodeBatch(events);
        BatchDecodeResult fast = FastBatchDecoder.decode(body, 0, body.length, tight);
        Object general = decodeOrMessage(body, EventJson::decodeGeneral, tight);
        if (fast != null) {
            assertThat(fast).isEqualTo(general);
        }
        assertThat(decodeOrMessage(body, EventJson::decodeBatch, tight)).isEqualTo(general);
    }

    /** The conformance fixture (pretty-printed), the reference's Rust SDK example, and that body as Python writes. */
    @Test
    void bodiesAsRealClientsWriteThemTakeTheFastPath() throws Exception {
        String rust = "{\"events\":[{\"id\":\"9b2c7d0e-4f1a-4c36-9a51-2e0d3c1f7a10\",\"trace_id\":"
                + "\"0af76519-16cd-43dd-8448-eb211c80319c\",\"parent_id\":\"5d1e0c2b-8a77-4e1f-b0c4-6f9f3a2d1e55\","
                + "\"timestamp\":\"2025-03-01T10:15:02.123456789+00:00\",\"kind\":{\"StateChange\":{\"variable\":"
                + "\"alice.balance\",\"old_value\":1000,\"new_value\":900,\"location\":\"src/client.rs:137\","
                + "\"access_type\":\"Write\"}},\"metadata\":{\"thread_id\":\"ThreadId(7)\",\"process_id\":4242,"
                + "\"service_name\":\"banking-api\",\"environment\":\"development\",\"tags\":{\"sdk_language\":"
                + "\"rust\"},\"duration_ns\":null,\"instance_id\":\"web-1-4242\",\"distributed_span_id\":"
                + "\"b7ad6b7169203331\"},\"causality_vector\":[[\"banking-api#web-1-4242\",3]],\"lock_set\":[]}]}";
        String python = rust.replace("\",\"", "\", \"").replace("\":", "\": ").replace("},", "}, ");
        byte[] fixture;
        try (var in = FastBatchDecoderTest.class.getResourceAsStream("/f0-fixture.json")) {
            fixture = in.readAllBytes();
        }
        for (byte[] body : List.of(fixture, rust.getBytes(StandardCharsets.UTF_8),
                python.getBytes(StandardCharsets.UTF_8))) {
            BatchDecodeResult general = EventJson.decodeGeneral(body, 0, body.length, LIMITS);
            assertThat(general.rejections()).isEmpty();
            assertThat(fast(body)).as(new String(body, StandardCharsets.UTF_8)).isEqualTo(general);
        }
        assertThat(python).contains("\"lock_set\": []");
    }

    @Test
    void declinesWhatOnlyTheGeneralDecoderCanAnswer() {
        String valid = event("\"id\":\"" + ID + "\"");
        assertThat(fast(body(valid))).isNotNull();
        for (String bad : List.of(
                event("\"id\":\"" + ID + "\",\"id\":\"" + ID + "\""), // a repeated field: the last one counts
                event("\"id\":\"not-a-uuid\""),
                event("\"id\":\"" + ID + "\",\"parent_id\":\"" + ID + "\""), // its own parent
                event("\"id\":\"" + ID + "\"").replace("\"process_id\":7", "\"process_id\":-0"),
                event("\"id\":\"" + ID + "\"").replace("\"process_id\":7", "\"process_id\":07"),
                event("\"id\":\"" + ID + "\"").replace("\"process_id\":7", "\"process_id\":4294967296"),
                event("\"id\":\"" + ID + "\"").replace("\"line\":3", "\"line\":3.0"),
                event("\"id\":\"" + ID + "\"").replace("2025-01-01T00:00:00Z", "2025-02-30T00:00:00Z"),
                event("\"id\":\"" + ID + "\"").replace("\"thread_id\":\"main\"", "\"thread_id\":null"),
                event("\"id\":\"" + ID + "\"").replace("\"args\":{}", "\"args\":{}}"),
                event("\"id\":\"" + ID + "\"").replace("main", "m\u0001n"),
                event("\"id\":\"" + ID + "\"").replace("\"thread_id\"", "\"thread_\\u0069d\""))) {
            byte[] b = body(bad);
            assertThat(fast(b)).as(bad).isNull();
            assertThat(decodeOrMessage(b, EventJson::decodeBatch)).isEqualTo(decodeOrMessage(b, EventJson::decodeGeneral));
        }
        assertThat(fast("{\"events\":[]} x".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(fast(new byte[] {'{', '"', 'e', (byte) 0xC3, '"', ':', '1', '}'})).isNull();
        assertThat(fast("{\"events\":[],\"events\":[]}".getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void theLargestLongIsAnIntegerAndOneMoreIsLeftToTheGeneralDecoder() throws Exception {
        String kind = "\"kind\":{\"DatabaseResult\":{\"rows_affected\":ROWS}}";
        String base = event("\"id\":\"" + ID + "\"").replaceAll("\"kind\":\\{.*?\\}\\}", kind);
        assertThat(base).contains(kind);
        byte[] fits = body(base.replace("ROWS", "9223372036854775807"));
        assertThat(fast(fits)).isEqualTo(EventJson.decodeGeneral(fits, 0, fits.length, LIMITS));
        byte[] beyond = body(base.replace("ROWS", "9223372036854775808"));
        assertThat(fast(beyond)).isNull();
        assertThat(EventJson.decodeBatch(beyond).rejections()).singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("out of range"));
    }

    @Test
    void decodesABodyInsideALargerArray() throws Exception {
        byte[] body = body(event("\"id\":\"" + ID + "\""));
        byte[] padded = new byte[body.length + 20];
        java.util.Arrays.fill(padded, (byte) '#');
        System.arraycopy(body, 0, padded, 10, body.length);
        assertThat(EventJson.decodeBatch(padded, 10, body.length, LIMITS)).isEqualTo(EventJson.decodeBatch(body));
        assertThat(fast(body)).isNotNull();
        assertThatThrownBy(() -> EventJson.decodeBatch(padded, 10, padded.length, LIMITS))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aStreamIsDecodedLikeItsBytesAndAFailingStreamIsAClearError() throws Exception {
        byte[] body = body(event("\"id\":\"" + ID + "\""));
        assertThat(EventJson.decodeBatch(new java.io.ByteArrayInputStream(body), LIMITS))
                .isEqualTo(EventJson.decodeBatch(body));
        java.io.InputStream broken = new java.io.InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };
        assertThatThrownBy(() -> EventJson.decodeBatch(broken, LIMITS)).isInstanceOf(MalformedBatchException.class)
                .hasMessageContaining("connection reset");
    }

    // ------------------------------------------------------------------ helpers

    private static final String ID = "3f2b8c1e-5d4a-4b6c-9e7f-0a1b2c3d4e5f";

    private static String event(String idField) {
        return "{" + idField + ",\"trace_id\":\"11111111-2222-4333-8444-555555555555\",\"parent_id\":null,"
                + "\"timestamp\":\"2025-01-01T00:00:00Z\",\"kind\":{\"FunctionCall\":{\"function_name\":\"f\","
                + "\"module\":\"m\",\"args\":{},\"file\":\"F.java\",\"line\":3}},\"metadata\":{\"thread_id\":\"main\","
                + "\"process_id\":7,\"service_name\":\"svc\",\"environment\":\"dev\",\"tags\":{},\"duration_ns\":null},"
                + "\"causality_vector\":[[\"svc#1\",1]],\"lock_set\":[]}";
    }

    private static byte[] body(String event) {
        return ("{\"events\":[" + event + "]}").getBytes(StandardCharsets.UTF_8);
    }

    /** Issue 14: what JavaScript callers send takes the fast path and decodes as the general decoder decodes it. */
    @net.jqwik.api.Example
    void fractionalDurationsAndMissingArgsTakeTheFastPath() throws Exception {
        String meta = "{\"thread_id\":\"t\",\"process_id\":1,\"service_name\":\"s\",\"environment\":\"e\",\"tags\":{}}";
        String[] kinds = {
            "{\"HttpResponse\":{\"status\":200,\"headers\":{},\"duration_ms\":12.5}}",
            "{\"HttpResponse\":{\"status\":200,\"headers\":{},\"duration_ms\":0.49999}}",
            "{\"DatabaseQuery\":{\"query\":\"q\",\"database\":\"d\",\"duration_ms\":7.000001}}",
            "{\"FunctionCall\":{\"function_name\":\"f\",\"module\":\"m\",\"file\":\"a.js\",\"line\":1}}",
        };
        for (String kind : kinds) {
            byte[] body = ("{\"events\":[{\"id\":\"66666666-6666-4666-8666-666666666666\","
                    + "\"trace_id\":\"66666666-6666-4666-8666-666666666667\",\"timestamp\":\"2024-01-01T00:00:00Z\","
                    + "\"kind\":" + kind + ",\"metadata\":" + meta + ",\"causality_vector\":[],\"lock_set\":[]}]}")
                    .getBytes(StandardCharsets.UTF_8);
            BatchDecodeResult fast = fast(body);
            assertThat(fast).as(kind).isNotNull();
            assertThat(fast).as(kind).isEqualTo(EventJson.decodeGeneral(body, 0, body.length, LIMITS));
            assertThat(fast.rejections()).isEmpty();
        }
        byte[] exponent = ("{\"events\":[{\"id\":\"66666666-6666-4666-8666-666666666666\","
                + "\"trace_id\":\"66666666-6666-4666-8666-666666666667\",\"timestamp\":\"2024-01-01T00:00:00Z\","
                + "\"kind\":{\"HttpResponse\":{\"status\":200,\"headers\":{},\"duration_ms\":1e3}},\"metadata\":"
                + meta + ",\"causality_vector\":[],\"lock_set\":[]}]}").getBytes(StandardCharsets.UTF_8);
        assertThat(fast(exponent)).as("an exponent declines to the general decoder").isNull();
    }

    interface Decoder {
        BatchDecodeResult decode(byte[] body, int offset, int length, DecodeLimits limits)
                throws MalformedBatchException;
    }

    /** The decoded batch, or the message of the exception that refused the body. */
    private static Object decodeOrMessage(byte[] body, Decoder decoder) {
        return decodeOrMessage(body, decoder, LIMITS);
    }

    private static Object decodeOrMessage(byte[] body, Decoder decoder, DecodeLimits limits) {
        try {
            return decoder.decode(body, 0, body.length, limits);
        } catch (MalformedBatchException e) {
            return e.getMessage();
        }
    }

    private static BatchDecodeResult fast(byte[] body) {
        return FastBatchDecoder.decode(body, 0, body.length, LIMITS);
    }

    private static final byte[] INTERESTING = "{}[]\":,\\ 0-9.eEnul/\u0001".getBytes(StandardCharsets.UTF_8);

    /** One random edit: a byte removed, replaced or inserted (structural and tricky bytes favoured), or a span repeated. */
    static byte[] mutate(byte[] body, Random rnd) {
        if (body.length == 0) {
            return new byte[] {INTERESTING[rnd.nextInt(INTERESTING.length)]};
        }
        int at = rnd.nextInt(body.length);
        byte pick = rnd.nextInt(4) == 0 ? (byte) (0x80 + rnd.nextInt(128)) : INTERESTING[rnd.nextInt(INTERESTING.length)];
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 16);
        switch (rnd.nextInt(4)) {
            case 0 -> {
                out.write(body, 0, at);
                out.write(body, at + 1, body.length - at - 1);
            }
            case 1 -> {
                byte[] copy = body.clone();
                copy[at] = pick;
                return copy;
            }
            case 2 -> {
                out.write(body, 0, at);
                out.write(pick);
                out.write(body, at, body.length - at);
            }
            default -> {
                int len = Math.min(body.length - at, 1 + rnd.nextInt(40));
                out.write(body, 0, at + len);
                out.write(body, at, body.length - at);
            }
        }
        return out.toByteArray();
    }

    @Provide
    Arbitrary<List<Event>> batches() {
        return EventArbitraries.batches();
    }

    /**
     * Rewrites a valid body into an equivalent one as other clients might send it: whitespace between tokens,
     * object members in another order, characters written as unicode or short escapes (in keys only inside free
     * values: an escaped field name is legal but no client writes one, and the fast path leaves it to the general
     * decoder), and unknown fields in the body, event and metadata objects (which the wire format ignores).
     */
    static final class Reshaper {
        private static final JsonFactory JSON = new JsonFactory();
        private static final String[] SPACE = {"", "", " ", "\n", "\t", "\r\n  "};

        static byte[] reshape(byte[] body, Random rnd) throws IOException {
            return reshape(body, rnd, false);
        }

        /** {@code dropOrNull}: also drop fields, or set them to null, at random (the events then differ). */
        static byte[] reshape(byte[] body, Random rnd, boolean dropOrNull) throws IOException {
            Object tree;
            try (JsonParser p = JSON.createParser(body)) {
                p.nextToken();
                tree = read(p);
            }
            StringBuilder out = new StringBuilder();
            new Reshaper(rnd, dropOrNull).write(tree, out, false, true);
            return out.toString().getBytes(StandardCharsets.UTF_8);
        }

        record Member(String key, Object value) {
        }

        record Obj(List<Member> members) {
        }

        record Str(String value) {
        }

        record Raw(String text) {
        }

        private static Object read(JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            switch (t) {
                case START_OBJECT -> {
                    List<Member> members = new ArrayList<>();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        p.nextToken();
                        members.add(new Member(key, read(p)));
                    }
                    return new Obj(members);
                }
                case START_ARRAY -> {
                    List<Object> items = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        items.add(read(p));
                    }
                    return items;
                }
                case VALUE_STRING -> {
                    return new Str(p.getText());
                }
                default -> {
                    return new Raw(p.getText());
                }
            }
        }

        /** Fields whose value is free JSON: its text is the event's data, so its members keep their order. */
        private static final java.util.Set<String> FREE = java.util.Set.of("args", "old_value", "new_value", "body",
                "data");
        private static final java.util.Set<String> KINDS = java.util.Set.of("FunctionCall", "AsyncSpawn",
                "AsyncAwait", "StateChange", "LockAcquire", "LockRelease", "MemoryFence", "HttpRequest",
                "HttpResponse", "DatabaseQuery", "DatabaseResult", "Error", "Custom");

        private final Random rnd;
        private final boolean dropOrNull;

        private Reshaper(Random rnd, boolean dropOrNull) {
            this.rnd = rnd;
            this.dropOrNull = dropOrNull;
        }

        private void write(Object node, StringBuilder out, boolean free, boolean root) {
            if (node instanceof Obj o) {
                List<Member> members = new ArrayList<>(o.members());
                boolean isKind = !free && members.size() == 1 && !members.get(0).key().isEmpty()
                        && Character.isUpperCase(members.get(0).key().charAt(0));
                if (!free && !isKind && !root && dropOrNull) {
                    for (int i = members.size() - 1; i >= 0; i--) {
                        int dice = rnd.nextInt(12);
                        if (dice == 0) {
                            members.remove(i);
                        } else if (dice == 1) {
                            members.set(i, new Member(members.get(i).key(), new Raw("null")));
                        }
                    }
                }
                if (!free && !isKind) {
                    Collections.shuffle(members, rnd);
                    boolean open = members.stream().anyMatch(m -> m.key().equals("events") || m.key().equals("id")
                            || m.key().equals("thread_id"));
                    if (open && rnd.nextInt(3) == 0) {
                        members.add(rnd.nextInt(members.size() + 1), new Member("x_unknown_" + rnd.nextInt(9),
                                rnd.nextBoolean() ? new Raw("[1,{\"a\":null},\"s\"]") : new Str("ignored")));
                    }
                }
                out.append('{');
                for (int i = 0; i < members.size(); i++) {
                    Member m = members.get(i);
                    if (i > 0) {
                        out.append(space(rnd)).append(',');
                    }
                    out.append(space(rnd));
                    string(m.key(), out, rnd, free && rnd.nextInt(4) == 0); // escaped field names: see the decline test
                    out.append(space(rnd)).append(':').append(space(rnd));
                    boolean freeChild = free || FREE.contains(m.key()) || isKind && !KINDS.contains(m.key());
                    write(m.value(), out, freeChild, false);
                }
                out.append(space(rnd)).append('}');
            } else if (node instanceof List<?> items) {
                out.append('[');
                for (int i = 0; i < items.size(); i++) {
                    if (i > 0) {
                        out.append(space(rnd)).append(',');
                    }
                    out.append(space(rnd));
                    write(items.get(i), out, free, false);
                }
                out.append(space(rnd)).append(']');
            } else if (node instanceof Str s) {
                string(s.value(), out, rnd, rnd.nextInt(3) == 0);
            } else {
                out.append(((Raw) node).text());
            }
        }

        private static String space(Random rnd) {
            return SPACE[rnd.nextInt(SPACE.length)];
        }

        /** A JSON string, with characters escaped (when {@code escapeMore}, also ones that need no escape). */
        private static void string(String s, StringBuilder out, Random rnd, boolean escapeMore) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                boolean must = c < 0x20 || c == '"' || c == '\\';
                if (!must && !(escapeMore && rnd.nextInt(3) == 0)) {
                    out.append(c);
                    if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                        out.append(s.charAt(++i));
                    }
                } else if (c == '"' || c == '\\' || c == '/' && rnd.nextBoolean()) {
                    out.append('\\').append(c);
                } else if (c == '\n' && rnd.nextBoolean()) {
                    out.append("\\n");
                } else {
                    unicodeEscape(c, out, rnd);
                    if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                        unicodeEscape(s.charAt(++i), out, rnd); // a pair is escaped whole, or its half is lost
                    }
                }
            }
            out.append('"');
        }

        private static void unicodeEscape(char c, StringBuilder out, Random rnd) {
            String hex = String.format("%04x", (int) c);
            out.append("\\u").append(rnd.nextBoolean() ? hex : hex.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
