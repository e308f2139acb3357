package dev.raceway.server.otlp;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * OTLP/JSON (the protobuf messages under OTLP's JSON rules) read into the same messages the binary encoding gives,
 * so both encodings share one mapping: trace and span ids are hex (not base64 as in protobuf's own JSON mapping),
 * enums are integers (their names are accepted too), 64-bit integers are strings or numbers, field names are
 * lowerCamelCase (the proto's snake_case names are accepted too), unknown fields are ignored.
 */
public final class OtlpJson {
    /** Deep enough for {@link SpanMapper#MAX_VALUE_DEPTH} nested values (three JSON levels each) and then some. */
    private static final int MAX_NESTING = 64;
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
            .build();

    private OtlpJson() {
    }

    /** Reads one {@code ExportTraceServiceRequest}; {@link MalformedOtlpException} names what and where. */
    public static ExportTraceServiceRequest read(byte[] body, int offset, int length) throws MalformedOtlpException {
        try (JsonParser p = FACTORY.createParser(body, offset, length)) {
            ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedOtlpException("expected a JSON object {\"resourceSpans\": [...]}");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                if (key(p).equals("resourcespans")) {
                    array(p, () -> b.addResourceSpans(resourceSpans(p)));
                } else {
                    skip(p);
                }
            }
            if (p.nextToken() != null) {
                throw new MalformedOtlpException("trailing content after the JSON object");
            }
            return b.build();
        } catch (JacksonException e) {
            throw new MalformedOtlpException("malformed JSON: " + e.getOriginalMessage()
                    + " at " + e.getLocation().offsetDescription());
        } catch (IOException e) {
            throw new MalformedOtlpException("unreadable body: " + e.getMessage());
        }
    }

    /** An {@code ExportTraceServiceResponse} as OTLP/JSON: {@code {}} or {@code {"partialSuccess": {...}}}. */
    public static byte[] write(ExportTraceServiceResponse response) {
        if (!response.hasPartialSuccess()) {
            return "{}".getBytes(StandardCharsets.UTF_8);
        }
        ExportTracePartialSuccess ps = response.getPartialSuccess();
        return ("{\"partialSuccess\":{\"rejectedSpans\":\"" + ps.getRejectedSpans() + "\",\"errorMessage\":"
                + quote(ps.getErrorMessage()) + "}}").getBytes(StandardCharsets.UTF_8);
    }

    /** A {@code google.rpc.Status} as OTLP/JSON, the body of an error answer. */
    public static byte[] status(int code, String message) {
        return ("{\"code\":" + code + ",\"message\":" + quote(message) + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static ResourceSpans resourceSpans(JsonParser p) throws IOException, MalformedOtlpException {
        ResourceSpans.Builder b = ResourceSpans.newBuilder();
        object(p, "resourceSpans", name -> {
            switch (name) {
                case "resource" -> b.setResource(resource(p));
                case "scopespans" -> array(p, () -> b.addScopeSpans(scopeSpans(p)));
                case "schemaurl" -> b.setSchemaUrl(string(p));
                default -> skip(p);
            }
        });
        return b.build();
    }

    private static Resource resource(JsonParser p) throws IOException, MalformedOtlpException {
        Resource.Builder b = Resource.newBuilder();
        object(p, "resource", name -> {
            switch (name) {
                case "attributes" -> array(p, () -> b.addAttributes(keyValue(p)));
                case "droppedattributescount" -> b.setDroppedAttributesCount((int) integer(p));
                default -> skip(p);
            }
        });
        return b.build();
    }

    private static ScopeSpans scopeSpans(JsonParser p) throws IOException, MalformedOtlpException {
        ScopeSpans.Builder b = ScopeSpans.newBuilder();
        object(p, "scopeSpans", name -> {
            switch (name) {
                case "scope" -> b.setScope(scope(p));
                case "spans" -> array(p, () -> b.addSpans(span(p)));
                case "schemaurl" -> b.setSchemaUrl(string(p));
                default -> skip(p);
            }
        });
        return b.build();
    }

    private static InstrumentationScope scope(JsonParser p) throws IOException, MalformedOtlpException {
        InstrumentationScope.Builder b = InstrumentationScope.newBuilder();
        object(p, "scope", name -> {
            switch (name) {
                case "name" -> b.setName(string(p));
                case "version" -> b.setVersion(string(p));
                case "attributes" -> array(p, () -> b.addAttributes(keyValue(p)));
                default -> skip(p);
            }
        });
        return b.build();
    }

    private static Span span(JsonParser p) throws IOException, MalformedOtlpException {
        Span.Builder b = Span.newBuilder();
        object(p, "span", name -> {
            switch (name) {
                case "traceid" -> b.setTraceId(hexId(p, "traceId"));
                case "spanid" -> b.setSpanId(hexId(p, "spanId"));
                case "parentspanid" -> b.setParentSpanId(hexId(p, "parentSpanId"));
                case "tracestate" -> b.setTraceState(string(p));
                case "flags" -> b.setFlags((int) integer(p));
                case "name" -> b.setName(string(p));
                case "kind" -> b.setKindValue(enumValue(p, "SPAN_KIND_"));
                case "starttimeunixnano" -> b.setStartTimeUnixNano(integer(p));
                case "endtimeunixnano" -> b.setEndTimeUnixNano(integer(p));
                case "attributes" -> array(p, () -> b.addAttributes(keyValue(p)));
                case "droppedattributescount" -> b.setDroppedAttributesCount((int) integer(p));
                case "events" -> array(p, () -> b.addEvents(spanEvent(p)));
                case "droppedeventscount" -> b.setDroppedEventsCount((int) integer(p));
                case "status" -> b.setStatus(status(p));
                default -> skip(p); // links: not used
            }
        });
        return b.build();
    }

    private static Span.Event spanEvent(JsonParser p) throws IOException, MalformedOtlpException {
        Span.Event.Builder b = Span.Event.newBuilder();
        object(p, "event", name -> {
            switch (name) {
                case "timeunixnano" -> b.setTimeUnixNano(integer(p));
                case "name" -> b.setName(string(p));
                case "attributes" -> array(p, () -> b.addAttributes(keyValue(p)));
                case "droppedattributescount" -> b.setDroppedAttributesCount((int) integer(p));
                default -> skip(p);
            }
        });
        return b.build();
    }

    private static Status status(JsonParser p) throws IOException, MalformedOtlpException {
        Status.Builder b = Status.newBuilder();
        object(p, "status", name -> {
            switch (name) {
                case "code" -> b.setCodeValue(enumValue(p, "STATUS_CODE_"));
                case "message" -> b.setMessage(string(p));
                default -> skip(p);
            }
        });
        return b.build();
    }

    private static KeyValue keyValue(JsonParser p) throws IOException, MalformedOtlpException {
        KeyValue.Builder b = KeyValue.newBuilder();
        object(p, "attribute", name -> {
            switch (name) {
                case "key" -> b.setKey(string(p));
                case "value" -> b.setValue(anyValue(p));
                default -> skip(p);
            }
        });
        return b.build();
    }

    private static AnyValue anyValue(JsonParser p) throws IOException, MalformedOtlpException {
        AnyValue.Builder b = AnyValue.newBuilder();
        object(p, "value", name -> {
            switch (name) {
                case "stringvalue" -> b.setStringValue(string(p));
                case "boolvalue" -> {
                    if (!p.currentToken().isBoolean()) {
                        throw malformed(p, "boolValue must be true or false");
                    }
                    b.setBoolValue(p.getBooleanValue());
                }
                case "intvalue" -> b.setIntValue(integer(p));
                case "doublevalue" -> {
                    if (p.currentToken().isNumeric()) {
                        b.setDoubleValue(p.getDoubleValue());
                    } else if (p.currentToken() == JsonToken.VALUE_STRING) { // "NaN", "Infinity" as protobuf JSON
                        try {
                            b.setDoubleValue(Double.parseDouble(p.getText()));
                        } catch (NumberFormatException e) {
                            throw malformed(p, "doubleValue must be a number");
                        }
                    } else {
                        throw malformed(p, "doubleValue must be a number");
                    }
                }
                case "bytesvalue" -> {
                    try {
                        b.setBytesValue(ByteString.copyFrom(Base64.getDecoder().decode(string(p))));
                    } catch (IllegalArgumentException e) {
                        throw malformed(p, "bytesValue must be base64");
                    }
                }
                case "arrayvalue" -> {
                    ArrayValue.Builder a = ArrayValue.newBuilder();
                    object(p, "arrayValue", n -> {
                        if (n.equals("values")) {
                            array(p, () -> a.addValues(anyValue(p)));
                        } else {
                            skip(p);
                        }
                    });
                    b.setArrayValue(a);
                }
                case "kvlistvalue" -> {
                    KeyValueList.Builder l = KeyValueList.newBuilder();
                    object(p, "kvlistValue", n -> {
                        if (n.equals("values")) {
                            array(p, () -> l.addValues(keyValue(p)));
                        } else {
                            skip(p);
                        }
                    });
                    b.setKvlistValue(l);
                }
                default -> skip(p);
            }
        });
        return b.build();
    }

    // --- the grammar's building blocks ------------------------------------------------------------------------

    @FunctionalInterface
    private interface Field {
        void read(String normalisedName) throws IOException, MalformedOtlpException;
    }

    @FunctionalInterface
    private interface Element {
        void read() throws IOException, MalformedOtlpException;
    }

    /** The current token starts an object (or is null, read as absent); calls {@code field} per member. */
    private static void object(JsonParser p, String what, Field field) throws IOException, MalformedOtlpException {
        JsonToken t = p.currentToken() == JsonToken.FIELD_NAME ? p.nextToken() : p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        if (t != JsonToken.START_OBJECT) {
            throw malformed(p, what + " must be an object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = key(p);
            p.nextToken();
            field.read(name);
        }
    }

    /** The value after the current field name is an array (or null); {@code element} reads each, positioned on it. */
    private static void array(JsonParser p, Element element) throws IOException, MalformedOtlpException {
        JsonToken t = p.currentToken() == JsonToken.FIELD_NAME ? p.nextToken() : p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        if (t != JsonToken.START_ARRAY) {
            throw malformed(p, "expected an array");
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            element.read();
        }
    }

    private static void skip(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.FIELD_NAME) {
            p.nextToken();
        }
        p.skipChildren();
    }

    /** Field names compared without case and underscores: {@code scopeSpans} and {@code scope_spans} alike. */
    private static String key(JsonParser p) throws IOException {
        String n = p.currentName();
        StringBuilder b = new StringBuilder(n.length());
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c != '_') {
                b.append(Character.toLowerCase(c));
            }
        }
        return b.toString();
    }

    private static String string(JsonParser p) throws IOException, MalformedOtlpException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return "";
        }
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw malformed(p, "expected a string");
        }
        return p.getText();
    }

    /** A 64-bit integer as a number or a string of digits (unsigned values above 2^63 too, as the fixed64 times). */
    private static long integer(JsonParser p) throws IOException, MalformedOtlpException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            java.math.BigInteger v = p.getBigIntegerValue();
            if (v.bitLength() > 64 || (v.signum() < 0 && v.bitLength() > 63)) {
                throw malformed(p, "integer out of 64-bit range");
            }
            return v.longValue(); // above 2^63: an unsigned fixed64 time, kept as its bits
        }
        if (t == JsonToken.VALUE_STRING) {
            String s = p.getText().trim();
            try {
                return s.startsWith("-") ? Long.parseLong(s) : Long.parseUnsignedLong(s);
            } catch (NumberFormatException e) {
                throw malformed(p, "expected an integer, got '" + abbreviate(s) + "'");
            }
        }
        if (t == JsonToken.VALUE_NULL) {
            return 0;
        }
        throw malformed(p, "expected an integer");
    }

    private static int enumValue(JsonParser p, String prefix) throws IOException, MalformedOtlpException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            String name = p.getText();
            String[] names = prefix.equals("SPAN_KIND_")
                    ? new String[] {"UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"}
                    : new String[] {"UNSET", "OK", "ERROR"};
            for (int i = 0; i < names.length; i++) {
                if (name.equals(prefix + names[i])) {
                    return i;
                }
            }
        }
        long v = integer(p);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw malformed(p, "enum value out of range");
        }
        return (int) v;
    }

    private static ByteString hexId(JsonParser p, String field) throws IOException, MalformedOtlpException {
        String s = string(p);
        if (s.length() % 2 != 0) {
            throw malformed(p, field + " must be hex digits (OTLP/JSON ids are hex, not base64), got '"
                    + abbreviate(s) + "'");
        }
        try {
            return ByteString.copyFrom(HexFormat.of().parseHex(s));
        } catch (IllegalArgumentException e) {
            throw malformed(p, field + " must be hex digits (OTLP/JSON ids are hex, not base64), got '"
                    + abbreviate(s) + "'");
        }
    }

    private static MalformedOtlpException malformed(JsonParser p, String message) {
        return new MalformedOtlpException(message + " at " + p.currentLocation().offsetDescription());
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
