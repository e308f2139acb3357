package dev.raceway.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Edge cases of {@link FastBatchDecoder} against {@link EventJson#decodeGeneral} (a reviewer's corpus, kept as a
 * regression test): for every input the fast path must
 * return null or exactly the general decoder's result (which then has no rejections), and must never throw.
 */
class FastBatchDecoderEdgeCaseTest {
    private static final DecodeLimits D = DecodeLimits.DEFAULT;

    private static final String ID = "3f2b8c1e-5d4a-4b6c-9e7f-0a1b2c3d4e5f";
    private static final String TRACE = "11111111-2222-4333-8444-555555555555";
    private static final String FC = "{\"FunctionCall\":{\"function_name\":\"f\",\"module\":\"m\",\"args\":{},"
            + "\"file\":\"F.java\",\"line\":3}}";
    private static final String META = "{\"thread_id\":\"main\",\"process_id\":7,\"service_name\":\"svc\","
            + "\"environment\":\"dev\",\"tags\":{},\"duration_ns\":null}";
    private static final String BASE = ev(FC, META);

    static String ev(String kind, String meta) {
        return "{\"id\":\"" + ID + "\",\"trace_id\":\"" + TRACE + "\",\"parent_id\":null,"
                + "\"timestamp\":\"2025-01-01T00:00:00Z\",\"kind\":" + kind + ",\"metadata\":" + meta
                + ",\"causality_vector\":[[\"svc#1\",1]],\"lock_set\":[]}";
    }

    static String ev(String kind) {
        return ev(kind, META);
    }

    static String batch(String... events) {
        return "{\"events\":[" + String.join(",", events) + "]}";
    }

    static String args(String value) {
        return ev("{\"FunctionCall\":{\"function_name\":\"f\",\"module\":\"m\",\"args\":" + value
                + ",\"file\":\"F.java\",\"line\":3}}");
    }

    static String tags(String value) {
        return ev(FC, META.replace("\"tags\":{}", "\"tags\":" + value));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code s} with each {@code §XX} replaced by the raw byte 0xXX (to build invalid UTF-8). */
    static byte[] raw(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '§') {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ the check

    /** Fast path: null or equal to the general result; never an exception. */
    static void agree(String name, byte[] body, DecodeLimits limits) {
        agree(name, body, 0, body.length, limits);
    }

    static void agree(String name, byte[] body, int offset, int length, DecodeLimits limits) {
        Object general;
        try {
            general = EventJson.decodeGeneral(body, offset, length, limits);
        } catch (MalformedBatchException e) {
            general = "MalformedBatchException(" + e.reason() + "): " + e.getMessage();
        }
        String g = general instanceof BatchDecodeResult r
                ? "ok events=" + r.events().size() + " rejections=" + r.rejections()
                : String.valueOf(general);
        g = abbreviate(g);
        BatchDecodeResult fast;
        try {
            fast = FastBatchDecoder.decode(body, offset, length, limits);
        } catch (Throwable t) {
            fail("fast path threw " + t.getClass().getName() + " for " + name + "; the general decoder says " + g);
            return;
        }
        if (fast != null && (!fast.equals(general) || !fast.rejections().isEmpty())) {
            fail("fast path accepted " + name + " (" + fast.events().size() + " events, no rejections) but the "
                    + "general decoder says " + g);
        }
    }

    static String abbreviate(String s) {
        return s.length() > 400 ? s.substring(0, 400) + "…" : s;
    }

    static DynamicTest t(String name, String body) {
        return DynamicTest.dynamicTest(name, () -> agree(name, utf8(body), D));
    }

    static DynamicTest t(String name, String body, DecodeLimits limits) {
        return DynamicTest.dynamicTest(name, () -> agree(name, utf8(body), limits));
    }

    static DynamicTest t(String name, byte[] body) {
        return DynamicTest.dynamicTest(name, () -> agree(name, body, D));
    }

    // ------------------------------------------------------------------ bugs

    /**
     * A canonical UUID (36 characters) is subject to the maxStringLength check that the general decoder
     * applies ({@code ValueReader.chars} in {@code EventDecoder.canonicalUuid}); with maxStringLength < 36 the
     * general decoder rejects the event ("string of 36 characters exceeds the limit of 30"), so the fast path must
     * decline.
     */
    @Test
    void canonicalUuidLongerThanMaxStringLength() {
        DecodeLimits limits = new DecodeLimits(100, 30, 8, 16, 16, 64);
        agree("canonical id with maxStringLength=30", utf8(batch(BASE)), limits);
    }

    /**
     * The raw timestamp is subject to the maxStringLength check that the general decoder applies
     * ({@code reader.chars("timestamp")}). Ids in the 32-digit form (which the fast path does check) keep the id
     * fields within the limit.
     */
    @Test
    void timestampLongerThanMaxStringLength() {
        DecodeLimits limits = new DecodeLimits(100, 32, 8, 16, 16, 64);
        String e = BASE.replace(ID, ID.replace("-", "")).replace(TRACE, TRACE.replace("-", ""))
                .replace("2025-01-01T00:00:00Z", "2025-01-01T00:00:00.123456789+00:00");
        agree("35-char timestamp with maxStringLength=32", utf8(batch(e)), limits);
    }

    /** The same for trace_id alone: the id in the 32-digit form (checked by the fast path) fits the limit. */
    @Test
    void canonicalTraceIdLongerThanMaxStringLength() {
        DecodeLimits limits = new DecodeLimits(100, 32, 8, 16, 16, 64);
        agree("canonical trace_id with maxStringLength=32", utf8(batch(BASE.replace(ID, ID.replace("-", "")))), limits);
    }

    /** The same for parent_id alone. */
    @Test
    void canonicalParentIdLongerThanMaxStringLength() {
        DecodeLimits limits = new DecodeLimits(100, 32, 8, 16, 16, 64);
        String e = BASE.replace(ID, ID.replace("-", "")).replace(TRACE, TRACE.replace("-", ""))
                .replace("\"parent_id\":null", "\"parent_id\":\"22222222-2222-4333-8444-555555555555\"");
        agree("canonical parent_id with maxStringLength=32", utf8(batch(e)), limits);
    }

    /**
     * An escaped object key must be limited by its length in UTF-8 bytes, as Jackson's maxNameLength
     * (max(maxStringLength, 1024)) counts UTF-8 bytes and the general decoder refuses the whole body (TOO_LARGE)
     * beyond it. In tags (key read by readString/escapedString).
     */
    @Test
    void escapedTagKeyWhoseUtf8IsLongerThanJacksonsNameLimit() {
        DecodeLimits limits = new DecodeLimits(100, 1000, 8, 16, 16, 64);
        String key = "\\u00e9".repeat(1000);
        agree("tags key of 1000 escaped e-acute, maxStringLength=1000", utf8(batch(tags("{\"" + key + "\":\"v\"}"))),
                limits);
    }

    /** The same in a free value (copyString/escapedString), and in a skipped unknown field. */
    @Test
    void escapedFreeValueKeyWhoseUtf8IsLongerThanJacksonsNameLimit() {
        DecodeLimits limits = new DecodeLimits(100, 1000, 8, 16, 16, 64);
        String key = "\\u00e9".repeat(1000);
        agree("args key of 1000 escaped e-acute, maxStringLength=1000", utf8(batch(args("{\"" + key + "\":1}"))),
                limits);
    }

    @Test
    void escapedUnknownFieldKeyWhoseUtf8IsLongerThanJacksonsNameLimit() {
        DecodeLimits limits = new DecodeLimits(100, 1000, 8, 16, 16, 64);
        String key = "\\ud83d\\ude00".repeat(300); // 600 chars, 1200 UTF-8 bytes
        agree("unknown event field {key of 300 escaped emoji:1}, maxStringLength=1000",
                utf8(batch(BASE.replace("{\"id\"", "{\"u\":{\"" + key + "\":1},\"id\""))), limits);
    }

    /**
     * Huge limits: EventJson.factory once computed Jackson's string limit as max(maxStringLength * 16, 1 << 20) in
     * int arithmetic; for maxStringLength >= 2^27 it overflowed, so Jackson refused strings over 1 MiB (TOO_LARGE)
     * that the fast path accepted.
     */
    @Test
    void stringOverJacksonsLimitWhenTheLimitOverflows() {
        DecodeLimits limits = new DecodeLimits(100, 1 << 27, 8, 16, 16, 64);
        String e = ev(FC, META.replace("\"main\"", "\"" + "a".repeat(2 << 20) + "\""));
        agree("2 MiB thread_id with maxStringLength=2^27", utf8(batch(e)), limits);
    }

    @Test
    void escapedKeyWhoseUtf8IsLongerThanJacksonsNameLimitWithDefaultLimits() {
        // 40000 raw two-byte characters plus one escape: 40001 characters, 80001 UTF-8 bytes > 65536.
        String key = "é".repeat(40000) + "\\n";
        agree("tags key 40000 raw e-acute + escape, default limits", utf8(batch(tags("{\"" + key + "\":\"v\"}"))), D);
    }

    /**
     * Permissive limits: the fast path copies free values recursively, so a deep value within a large
     * maxValueDepth must be declined (it overflowed the stack before) and left to the general decoder, which is
     * iterative and decodes the body.
     */
    @Test
    void deepFreeValueWithLargeMaxValueDepth() {
        int depth = 50_000;
        DecodeLimits limits = new DecodeLimits(100, 65_536, depth + 10, 16, 16, depth + 100);
        String value = "[".repeat(depth) + "]".repeat(depth);
        agree("args nested " + depth + " arrays, maxValueDepth=" + (depth + 10), utf8(batch(args(value))), limits);
    }

    // ------------------------------------------------------------------ cases that must agree

    @TestFactory
    Stream<DynamicTest> structure() {
        String b = batch(BASE);
        return Stream.of(
                t("empty events", "{\"events\":[]}"),
                t("empty events with whitespace", " \n{ \"events\" : [ ] }\r\n\t"),
                t("no events key", "{}"),
                t("events null", "{\"events\":null}"),
                t("other top-level keys", "{\"x\":{\"a\":[1,{\"b\":null}]},\"events\":[" + BASE + "],\"y\":\"z\"}"),
                t("events twice", "{\"events\":[" + BASE + "],\"events\":[]}"),
                t("trailing garbage", b + "x"),
                t("trailing second object", b + "{}"),
                t("trailing close", b + "]"),
                t("trailing whitespace", b + " \n\r\t "),
                t("trailing NUL", b + "\u0000"),
                t("UTF-8 BOM", "\uFEFF" + b),
                t("escaped top key", "{\"even\\u0074s\":[" + BASE + "]}"),
                t("event not an object", "{\"events\":[1]}"),
                t("empty event object", "{\"events\":[{}]}"),
                t("trailing comma in events", "{\"events\":[" + BASE + ",]}"),
                t("two identical events", batch(BASE, BASE)),
                t("array as root", "[" + b + "]"),
                t("comment", "{/*c*/\"events\":[]}"),
                t("whitespace everywhere", "\r\n{\t\"events\" :\n[ {\"id\" : \"" + ID + "\" ,\n \"trace_id\"\t:\"" + TRACE
                        + "\" , \"parent_id\" : null , \"timestamp\" : \"2025-01-01T00:00:00Z\" ,\r\n \"kind\" : { \"Custom\" :"
                        + " { \"name\" : \"n\" , \"data\" : [ 1 , { \"a\" : [ ] } , \"x y\" ] } } , \"metadata\" : {"
                        + " \"thread_id\" : \"main\" , \"process_id\" : 7 , \"service_name\" : \"svc\" , \"environment\""
                        + " : \"dev\" , \"tags\" : { \"k\" : \"v\" } } , \"causality_vector\" : [ [ \"a\" , 1 ] ] ,"
                        + " \"lock_set\" : [ \"l\" ] } ]\n}\n"),
                t("form feed whitespace", b.replace(",\"lock_set\"", ",\f\"lock_set\"")),
                t("unknown event field deep", batch(BASE.replace("{\"id\"", "{\"x\":[[[[[[[[[[{\"a\":1}]]]]]]]]]],\"id\""))),
                t("unknown event field with lone surrogate", batch(BASE.replace("{\"id\"", "{\"x\":\"\\ud800\",\"id\""))),
                t("empty key in event", batch(BASE.replace("{\"id\"", "{\"\":1,\"id\""))),
                t("non-ASCII unknown key in event", batch(BASE.replace("{\"id\"", "{\"é\":1,\"id\""))),
                t("escaped known key in event", batch(BASE.replace("\"trace_id\"", "\"trace\\u005fid\""))),
                t("fields reversed", batch("{\"lock_set\":[],\"causality_vector\":[],\"metadata\":" + META
                        + ",\"kind\":" + FC + ",\"timestamp\":\"2025-01-01T00:00:00Z\",\"parent_id\":null,"
                        + "\"trace_id\":\"" + TRACE + "\",\"id\":\"" + ID + "\"}")));
    }

    @TestFactory
    Stream<DynamicTest> ids() {
        String upper = ID.toUpperCase();
        return Stream.of(
                t("duplicate id", batch(BASE.replace("{\"id\"", "{\"id\":\"" + ID + "\",\"id\""))),
                t("upper-case id", batch(BASE.replace(ID, upper))),
                t("braced id", batch(BASE.replace(ID, "{" + ID + "}"))),
                t("urn id", batch(BASE.replace(ID, "urn:uuid:" + ID))),
                t("URN upper id", batch(BASE.replace(ID, "URN:UUID:" + upper))),
                t("simple id", batch(BASE.replace(ID, ID.replace("-", "")))),
                t("escaped id", batch(BASE.replace(ID, ID.substring(0, 35) + "\\u0066"))),
                t("escaped hyphen id", batch(BASE.replace(ID, ID.replaceFirst("-", "\\\\u002d")))),
                t("fullwidth digit id", batch(BASE.replace(ID, ID.replace('3', '\uFF13')))),
                t("id null", batch(BASE.replace("\"" + ID + "\"", "null"))),
                t("id number", batch(BASE.replace("\"" + ID + "\"", "5"))),
                t("id 35 chars", batch(BASE.replace(ID, ID.substring(1)))),
                t("parent equals id", batch(BASE.replace("\"parent_id\":null", "\"parent_id\":\"" + ID + "\""))),
                t("parent equals id upper", batch(BASE.replace("\"parent_id\":null", "\"parent_id\":\"" + upper + "\""))),
                t("parent set", batch(BASE.replace("\"parent_id\":null", "\"parent_id\":\"" + TRACE + "\""))),
                t("parent absent", batch(BASE.replace("\"parent_id\":null,", ""))),
                t("parent null then value", batch(BASE.replace("\"parent_id\":null", "\"parent_id\":null,\"parent_id\":\"" + TRACE + "\""))),
                t("trace missing", batch(BASE.replace("\"trace_id\":\"" + TRACE + "\",", ""))));
    }

    @TestFactory
    Stream<DynamicTest> timestamps() {
        String[] ts = {"2025-01-01t00:00:00z", "2025-01-01 00:00:00+01:00", "2025-01-01T00:00:00.123456789Z",
            "2025-01-01T00:00:00.1234567891Z", "2016-12-31T23:59:60Z", "2024-02-29T00:00:00Z", "2025-02-29T00:00:00Z",
            "2025-01-01T00:00:00+23:59", "2025-01-01T00:00:00-00:00", "2025-01-01T00:00:00+24:00",
            "2025-01-01T00:00:00", "2025-01-01T00:00:00.Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
            "\\u0032025-01-01T00:00:00Z", "2025-01-01T00:00:00\\u005a", "2025-01-01T24:00:00Z",
            "2025-01-01T00:00:00.5+05:30"};
        List<DynamicTest> out = new ArrayList<>();
        for (String s : ts) {
            out.add(t("timestamp " + s, batch(BASE.replace("2025-01-01T00:00:00Z", s))));
        }
        out.add(t("timestamp number", batch(BASE.replace("\"2025-01-01T00:00:00Z\"", "1"))));
        out.add(t("timestamp non-ASCII digit", batch(BASE.replace("2025-01-01T00:00:00Z", "2025-01-01T00:00:0٠Z"))));
        return out.stream();
    }

    @TestFactory
    Stream<DynamicTest> numbers() {
        String rows = "{\"DatabaseResult\":{\"rows_affected\":N}}";
        String status = "{\"HttpResponse\":{\"status\":N,\"headers\":{},\"body\":null,\"duration_ms\":1}}";
        List<DynamicTest> out = new ArrayList<>();
        for (String n : List.of("0", "-0", "00", "07", "1.0", "1e2", "1E2", "-1", "9223372036854775807",
                "9223372036854775808", "1000000000000000000", "9999999999999999999", "10000000000000000000",
                "99999999999999999999999", "1 ", " 1", "+1", "0x1", "1.", ".5", "-0.0", "1e-0")) {
            out.add(t("rows_affected " + n, batch(ev(rows.replace("N", n)))));
        }
        for (String n : List.of("65535", "65536", "4294967296", "200")) {
            out.add(t("status " + n, batch(ev(status.replace("N", n)))));
        }
        for (String n : List.of("4294967295", "4294967296", "-0", "0")) {
            out.add(t("process_id " + n, batch(ev(FC, META.replace("\"process_id\":7", "\"process_id\":" + n)))));
            out.add(t("line " + n, batch(BASE.replace("\"line\":3", "\"line\":" + n))));
        }
        for (String n : List.of("null", "0", "-0", "9223372036854775807", "9223372036854775808", "1.5")) {
            out.add(t("duration_ns " + n, batch(ev(FC, META.replace("\"duration_ns\":null", "\"duration_ns\":" + n)))));
        }
        out.add(t("duration_ns null then 5", batch(ev(FC, META.replace("\"duration_ns\":null",
                "\"duration_ns\":null,\"duration_ns\":5")))));
        out.add(t("duration_ns 5 then null", batch(ev(FC, META.replace("\"duration_ns\":null",
                "\"duration_ns\":5,\"duration_ns\":null")))));
        for (String n : List.of("-0", "-0.0", "0.0", "1E+2", "1e-7", "-12", "123456789012345678901234567890",
                "1.5e308", "1e400", "0.1", "-9223372036854775808", "9223372036854775808", "1" + "0".repeat(99),
                "1" + "0".repeat(100), "true", "false", "null", "\"s\"", "[1,-0,2.50,{\"a\":-0}]")) {
            out.add(t("args " + (n.length() > 40 ? n.substring(0, 40) + "…" : n), batch(args(n))));
        }
        return out.stream();
    }

    @TestFactory
    Stream<DynamicTest> strings() {
        List<DynamicTest> out = new ArrayList<>();
        String[] texts = {"\\/", "a\\/b", "\\u00e9", "\\u00E9", "\\ud83d\\ude00", "\\ud800", "\\udc00x", "\\u0000",
            "\\u001f", "\\u007f", "\u007f", "é", "😀", "\\u2028", "\u2028", "\\\"", "\\\\", "\\b\\f\\n\\r\\t",
            "a\\u0022b", "\\uFFFF", "\uFFFF", "\\uD83D\\uDE00", "\\ud83d", "abcdefgh", "abcdefghijklmnop",
            "abcdefg\\u0068", "x".repeat(200), "é".repeat(70) + "\\n", "\\x", "\\'", "\\u12", "\\u12G4"};
        for (String s : texts) {
            String shown = s.length() > 30 ? s.substring(0, 30) + "…" : s;
            out.add(t("thread_id \"" + shown + "\"", batch(ev(FC, META.replace("\"main\"", "\"" + s + "\"")))));
            out.add(t("args string \"" + shown + "\"", batch(args("\"" + s + "\""))));
            out.add(t("args nested \"" + shown + "\"", batch(args("{\"k\":[\"" + s + "\"]}"))));
            out.add(t("args key \"" + shown + "\"", batch(args("{\"" + s + "\":1}"))));
            out.add(t("tags key \"" + shown + "\"", batch(tags("{\"" + s + "\":\"v\"}"))));
            out.add(t("lock_set \"" + shown + "\"", batch(BASE.replace("\"lock_set\":[]", "\"lock_set\":[\"" + s + "\"]"))));
        }
        // Raw bytes that are not well-formed UTF-8 (overlong, surrogate, > U+10FFFF, truncated, lone continuation).
        for (String bad : List.of("§C0§80", "§C1§BF", "§E0§80§80", "§ED§A0§80", "§F4§90§80§80", "§F5§80§80§80", "§C3",
                "§80", "§E2§82", "§FF", "§EF§BF§BF", "§F0§9F§98§80")) {
            out.add(t("raw bytes " + bad + " in thread_id", raw(batch(ev(FC, META.replace("\"main\"", "\"a" + bad + "\""))))));
            out.add(t("raw bytes " + bad + " in args", raw(batch(args("\"a" + bad + "\"")))));
            out.add(t("raw bytes " + bad + " in args key", raw(batch(args("{\"a" + bad + "\":1}")))));
            out.add(t("raw bytes " + bad + " in tags key", raw(batch(tags("{\"a" + bad + "\":\"v\"}")))));
            out.add(t("raw bytes " + bad + " in unknown field", raw(batch(BASE.replace("{\"id\"", "{\"u\":\"" + bad + "\",\"id\"")))));
        }
        for (String c : List.of("\u0001", "\t", "\n", "\u001f")) {
            out.add(t("raw control " + (int) c.charAt(0), batch(ev(FC, META.replace("\"main\"", "\"a" + c + "b\"")))));
            out.add(t("raw control in args " + (int) c.charAt(0), batch(args("\"a" + c + "b\""))));
        }
        return out.stream();
    }

    @TestFactory
    Stream<DynamicTest> collections() {
        String clock = "\"causality_vector\":[[\"svc#1\",1]]";
        String err = "{\"Error\":{\"error_type\":\"E\",\"message\":\"m\",\"stack_trace\":ST}}";
        String req = "{\"HttpRequest\":{\"method\":\"GET\",\"url\":\"/\",\"headers\":%H%,\"body\":%B%}}";
        return Stream.of(
                t("tags repeated key", batch(tags("{\"a\":\"1\",\"a\":\"2\"}"))),
                t("tags repeated key 3", batch(tags("{\"a\":\"1\",\"b\":\"2\",\"a\":\"3\"}"), tags("{\"a\":\"3\",\"b\":\"2\"}"))),
                t("tags non-string value", batch(tags("{\"a\":1}"))),
                t("tags null value", batch(tags("{\"a\":null}"))),
                t("tags null", batch(tags("null"))),
                t("tags array", batch(tags("[]"))),
                t("tags missing", batch(ev(FC, META.replace("\"tags\":{},", "")))),
                t("tags twice", batch(ev(FC, META.replace("\"tags\":{}", "\"tags\":{},\"tags\":{\"a\":\"b\"}")))),
                t("tags same across events", batch(tags("{\"a\":\"1\",\"b\":\"2\"}"), tags("{\"a\":\"1\",\"b\":\"2\"}"),
                        tags("{\"a\":\"1\",\"b\":\"3\"}"), tags("{\"a\":\"1\"}"))),
                t("headers repeated", batch(ev(req.replace("%H%", "{\"a\":\"1\",\"a\":\"2\"}").replace("%B%", "null")))),
                t("body absent", batch(ev(req.replace("%H%", "{}").replace(",\"body\":%B%", "")))),
                t("body value", batch(ev(req.replace("%H%", "{}").replace("%B%", "{\"x\":[1,\"y\"]}")))),
                t("body string", batch(ev(req.replace("%H%", "{}").replace("%B%", "\"text\"")))),
                t("headers missing", batch(ev(req.replace(",\"headers\":%H%", "").replace("%B%", "null")))),
                t("stack_trace empty", batch(ev(err.replace("ST", "[]")))),
                t("stack_trace strings", batch(ev(err.replace("ST", "[\"a\",\"a\",\"\\u00e9\"]")))),
                t("stack_trace null", batch(ev(err.replace("ST", "null")))),
                t("stack_trace object", batch(ev(err.replace("ST", "{}")))),
                t("stack_trace number item", batch(ev(err.replace("ST", "[1]")))),
                t("clock duplicates", batch(BASE.replace(clock, "\"causality_vector\":[[\"a\",1],[\"a\",5],[\"b\",0],[\"a\",2]]"))),
                t("clock null", batch(BASE.replace(clock, "\"causality_vector\":null"))),
                t("clock empty", batch(BASE.replace(clock, "\"causality_vector\":[]"))),
                t("clock triple", batch(BASE.replace(clock, "\"causality_vector\":[[\"a\",1,2]]"))),
                t("clock -0", batch(BASE.replace(clock, "\"causality_vector\":[[\"a\",-0]]"))),
                t("clock max", batch(BASE.replace(clock, "\"causality_vector\":[[\"a\",9223372036854775807]]"))),
                t("clock big", batch(BASE.replace(clock, "\"causality_vector\":[[\"a\",9223372036854775808]]"))),
                t("clock float", batch(BASE.replace(clock, "\"causality_vector\":[[\"a\",1.0]]"))),
                t("clock object", batch(BASE.replace(clock, "\"causality_vector\":{}"))),
                t("clock escaped component", batch(BASE.replace(clock, "\"causality_vector\":[[\"\\ud800\",1]]"))),
                t("lock_set null", batch(BASE.replace("\"lock_set\":[]", "\"lock_set\":null"))),
                t("lock_set repeats", batch(BASE.replace("\"lock_set\":[]", "\"lock_set\":[\"a\",\"a\"]"))),
                t("lock_set number", batch(BASE.replace("\"lock_set\":[]", "\"lock_set\":[1]"))),
                t("lock_set string", batch(BASE.replace("\"lock_set\":[]", "\"lock_set\":\"a\""))));
    }

    @TestFactory
    Stream<DynamicTest> kinds() {
        String sc = "{\"StateChange\":{\"variable\":\"v\",\"old_value\":O,\"new_value\":N,\"location\":\"l\",\"access_type\":\"A\"}}";
        return Stream.of(
                t("two kinds", batch(ev("{\"Custom\":{\"name\":\"n\",\"data\":1},\"Custom\":{\"name\":\"n\",\"data\":1}}"))),
                t("empty kind", batch(ev("{}"))),
                t("unknown kind", batch(ev("{\"Nope\":{}}"))),
                t("kind null", batch(ev("null"))),
                t("FunctionReturn empty", batch(ev("{\"FunctionReturn\":{}}"))),
                t("FunctionReturn nested", batch(ev("{\"FunctionReturn\":{ \"v\" : [ 1 , -0 , \"\\u00e9\" , {\"a\":null} ] }}"))),
                t("FunctionReturn escaped key", batch(ev("{\"FunctionReturn\":{\"\\u0061\":\"\\/\"}}"))),
                t("FunctionReturn array", batch(ev("{\"FunctionReturn\":[]}"))),
                t("FunctionReturn null", batch(ev("{\"FunctionReturn\":null}"))),
                t("payload null", batch(ev("{\"Custom\":null}"))),
                t("Custom data null", batch(ev("{\"Custom\":{\"name\":\"n\",\"data\":null}}"))),
                t("Custom data missing", batch(ev("{\"Custom\":{\"name\":\"n\"}}"))),
                t("Custom unknown field", batch(ev("{\"Custom\":{\"x\":{\"y\":[]},\"name\":\"n\",\"data\":{}}}"))),
                t("Custom repeated field", batch(ev("{\"Custom\":{\"name\":\"n\",\"data\":1,\"data\":2}}"))),
                t("StateChange old null", batch(ev(sc.replace("O", "null").replace("N", "1").replace("A", "Write")))),
                t("StateChange old absent", batch(ev(sc.replace("\"old_value\":O,", "").replace("N", "1").replace("A", "Read")))),
                t("StateChange new null", batch(ev(sc.replace("O", "1").replace("N", "null").replace("A", "AtomicRMW")))),
                t("StateChange new missing", batch(ev(sc.replace("O", "1").replace(",\"new_value\":N", "").replace("A", "Read")))),
                t("StateChange bad access", batch(ev(sc.replace("O", "1").replace("N", "2").replace("A", "write")))),
                t("StateChange old null then value", batch(ev(sc.replace("\"old_value\":O", "\"old_value\":null,\"old_value\":3")
                        .replace("N", "1").replace("A", "Write")))),
                t("MemoryFence SeqCst", batch(ev("{\"MemoryFence\":{\"ordering\":\"SeqCst\",\"location\":\"l\"}}"))),
                t("MemoryFence bad", batch(ev("{\"MemoryFence\":{\"ordering\":\"seqcst\",\"location\":\"l\"}}"))),
                t("AsyncSpawn null", batch(ev("{\"AsyncSpawn\":{\"task_id\":\"t\",\"spawned_by\":null}}"))),
                t("AsyncSpawn null then value", batch(ev("{\"AsyncSpawn\":{\"task_id\":\"t\",\"spawned_by\":null,\"spawned_by\":\"x\"}}"))),
                t("AsyncSpawn number", batch(ev("{\"AsyncSpawn\":{\"task_id\":\"t\",\"spawned_by\":1}}"))),
                t("AsyncAwait", batch(ev("{\"AsyncAwait\":{\"future_id\":\"f\",\"awaited_at\":\"a\"}}"))),
                t("LockAcquire/Release", batch(ev("{\"LockAcquire\":{\"lock_id\":\"l\",\"lock_type\":\"Mutex\",\"location\":\"x\"}}"),
                        ev("{\"LockRelease\":{\"lock_id\":\"l\",\"lock_type\":\"Mutex\",\"location\":\"x\"}}"))),
                t("DatabaseQuery", batch(ev("{\"DatabaseQuery\":{\"query\":\"q\",\"database\":\"d\",\"duration_ms\":0}}"))),
                t("metadata optionals", batch(ev(FC, META.replace("\"duration_ns\":null", "\"duration_ns\":1,\"instance_id\":null,"
                        + "\"distributed_span_id\":\"s\",\"upstream_span_id\":\"u\"")))),
                t("metadata optional number", batch(ev(FC, META.replace("\"duration_ns\":null", "\"instance_id\":1")))),
                t("metadata null", batch(ev(FC, "null"))),
                t("metadata unknown lone surrogate", batch(ev(FC, META.replace("{\"thread_id\"", "{\"x\":\"\\udc00\",\"thread_id\"")))),
                t("optional pooled across events", batch(
                        ev(FC, META.replace("\"duration_ns\":null", "\"instance_id\":\"i\"")),
                        ev(FC, META.replace("\"duration_ns\":null", "\"instance_id\":\"i\"")),
                        ev(FC, META.replace("\"duration_ns\":null", "\"instance_id\":\"j\"")),
                        ev(FC, META))));
    }

    @TestFactory
    Stream<DynamicTest> limits() {
        String two = batch(BASE, BASE.replace(ID, "3f2b8c1e-5d4a-4b6c-9e7f-0a1b2c3d4e50"));
        String deep32 = "[".repeat(32) + "]".repeat(32);
        String deep33 = "[".repeat(33) + "]".repeat(33);
        DecodeLimits oneEach = new DecodeLimits(1, 65_536, 1, 1, 1, 16);
        return Stream.of(
                t("maxEvents=1, two events", two, D.withMaxEvents(1)),
                t("maxEvents=2, two events", two, D.withMaxEvents(2)),
                t("args depth 32", batch(args(deep32))),
                t("args depth 33", batch(args(deep33))),
                t("unknown field depth 33", batch(BASE.replace("{\"id\"", "{\"x\":" + deep33 + ",\"id\""))),
                t("maxValueDepth=1, args {}", batch(BASE), oneEach),
                t("maxValueDepth=1, args {\"a\":[]}", batch(args("{\"a\":[]}")), oneEach),
                t("maxCollectionSize=1, two tags", batch(tags("{\"a\":\"1\",\"b\":\"2\"}")), oneEach),
                t("maxCollectionSize=1, repeated tag", batch(tags("{\"a\":\"1\",\"a\":\"2\"}")), oneEach),
                t("maxCollectionSize=1, one tag", batch(tags("{\"a\":\"1\"}")), oneEach),
                t("maxClockComponents=1, repeated component", batch(BASE.replace("[[\"svc#1\",1]]", "[[\"a\",1],[\"a\",2]]")), oneEach),
                t("maxStringLength=4 (ids are 36)", batch(BASE), new DecodeLimits(10, 4, 8, 8, 8, 32)),
                t("maxStringLength=36 exact", batch(BASE), new DecodeLimits(10, 36, 8, 8, 8, 32)),
                t("maxStringLength=36, thread_id 37 ASCII", batch(ev(FC, META.replace("\"main\"", "\"" + "a".repeat(37) + "\""))), new DecodeLimits(10, 36, 8, 8, 8, 32)),
                t("maxStringLength=36, thread_id 36 escaped e-acute", batch(ev(FC, META.replace("\"main\"", "\"" + "\\u00e9".repeat(36) + "\""))), new DecodeLimits(10, 36, 8, 8, 8, 32)),
                t("maxStringLength=36, thread_id 37 escaped e-acute", batch(ev(FC, META.replace("\"main\"", "\"" + "\\u00e9".repeat(37) + "\""))), new DecodeLimits(10, 36, 8, 8, 8, 32)),
                t("maxStringLength=36, thread_id 36 raw e-acute", batch(ev(FC, META.replace("\"main\"", "\"" + "é".repeat(36) + "\""))), new DecodeLimits(10, 36, 8, 8, 8, 32)),
                t("maxStringLength=36, tags key 37 ASCII", batch(tags("{\"" + "k".repeat(37) + "\":\"v\"}")), new DecodeLimits(10, 36, 8, 8, 8, 32)),
                t("maxStringLength=36, args key 37 ASCII", batch(args("{\"" + "k".repeat(37) + "\":1}")), new DecodeLimits(10, 36, 8, 8, 8, 32)),
                t("maxStringLength=36, args value 36 raw e-acute", batch(args("\"" + "é".repeat(36) + "\"")), new DecodeLimits(10, 36, 8, 8, 8, 32)),
                t("maxStringLength=36, unknown event key 37", batch(BASE.replace("{\"id\"", "{\"" + "u".repeat(37) + "\":1,\"id\"")), new DecodeLimits(10, 36, 8, 8, 8, 32)),
                t("maxStringLength=36, clock component 37", batch(BASE.replace("svc#1", "c".repeat(37))), new DecodeLimits(10, 36, 8, 8, 8, 32)),
                t("maxStringLength=36, lock 36", batch(BASE.replace("\"lock_set\":[]", "\"lock_set\":[\"" + "l".repeat(36) + "\"]")), new DecodeLimits(10, 36, 8, 8, 8, 32)),
                t("maxStringLength=36, timestamp with an escape", batch(BASE.replace("2025-01-01T00:00:00Z", "2025-01-01T00:00:00.1234567+00:0\\u0030")), new DecodeLimits(10, 36, 8, 8, 8, 32)),
                t("nesting = valueDepth + 8 with unknown field in payload",
                        batch(ev("{\"Custom\":{\"x\":" + "[".repeat(8) + "]".repeat(8) + ",\"name\":\"n\",\"data\":" + "[".repeat(8) + "]".repeat(8) + "}}")),
                        new DecodeLimits(10, 100, 8, 8, 8, 16)));
    }

    @Test
    void aBodyInsideALargerArray() {
        byte[] body = utf8(batch(BASE));
        byte[] padded = new byte[body.length + 20];
        java.util.Arrays.fill(padded, (byte) '"');
        System.arraycopy(body, 0, padded, 10, body.length);
        agree("body at offset 10 surrounded by quotes", padded, 10, body.length, D);
        // A string at the very end of the range: the word-wise scan must not look past it.
        byte[] cut = utf8("{\"events\":[],\"k\":\"abcdefgh\"}");
        byte[] more = new byte[cut.length + 16];
        System.arraycopy(cut, 0, more, 0, cut.length);
        agree("body followed by zeros", more, 0, cut.length, D);
        agree("body truncated inside a string", more, 0, cut.length - 5, D);
    }

    @Test
    void manyEventsThroughThePools() {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String id = String.format("3f2b8c1e-5d4a-4b6c-9e7f-%012x", i);
            String t = "{\"k" + (i % 7) + "\":\"v" + (i % 5) + "\",\"x\":\"" + "é".repeat(i % 3) + "\"}";
            events.add(tags(t).replace(ID, id).replace("\"main\"", "\"thread-" + (i % 4000) + "\""));
        }
        agree("3000 events, pooled strings", utf8(batch(events.toArray(String[]::new))), D);
    }

}
