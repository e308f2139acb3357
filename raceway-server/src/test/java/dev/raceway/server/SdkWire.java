package dev.raceway.server;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Events in the wire shapes the SDKs really send ({@code reference/rust-raceway-api-sdk.md} §6): one request context
 * of one SDK process per {@link Context}, with each SDK's timestamp format, thread ids and {@code causality_vector}
 * convention, so the server's analyses are tested on what it will receive rather than on idealised events.
 */
final class SdkWire {
    enum Sdk {
        /** {@code [[root_event_id, n]]} vectors (first event {@code []}), 6 fraction digits with Z. */
        TYPESCRIPT("typescript"),
        /** {@code service#instance} per-process vector, {@code isoformat()} with +00:00 and microseconds. */
        PYTHON("python"),
        /** {@code service#instance} per-process vector, RFC3339Nano with Z. */
        GO("go"),
        /** {@code service#instance} per-process vector, nanoseconds with +00:00. */
        RUST("rust"),
        /** Our Java SDK: a {@code service#instance/context} component per sequential context. */
        JAVA("java");

        final String language;

        Sdk(String language) {
            this.language = language;
        }
    }

    private SdkWire() {
    }

    static String body(List<String> events) {
        return "{\"events\":[" + String.join(",", events) + "]}";
    }

    /** One request context: a linear parent chain on one logical thread, as every SDK emits. */
    static final class Context {
        final Sdk sdk;
        final UUID trace;
        final String service;
        final String instance;
        final String thread;
        final String span;
        final String upstreamSpan;
        final String component;
        final Map<String, Long> vector = new LinkedHashMap<>();
        final List<UUID> ids = new ArrayList<>();
        private UUID root;
        private long emitted;

        Context(Sdk sdk, UUID trace, String service, String instance, String thread, String span, String upstream) {
            this.sdk = sdk;
            this.trace = trace;
            this.service = service;
            this.instance = instance;
            this.thread = thread;
            this.span = span;
            this.upstreamSpan = upstream;
            this.component = sdk == Sdk.JAVA ? service + "#" + instance + "/" + thread : service + "#" + instance;
        }

        /** A callee context started by a request from {@code caller} (its {@code raceway-clock} merged in). */
        Context callee(Sdk calleeSdk, String calleeService, String calleeInstance, String calleeThread,
                       String calleeSpan) {
            Context c = new Context(calleeSdk, trace, calleeService, calleeInstance, calleeThread, calleeSpan, span);
            vector.merge(component, 1L, Long::sum); // propagation_headers increments the own component
            c.vector.putAll(vector);
            return c;
        }

        UUID last() {
            return ids.get(ids.size() - 1);
        }

        String event(Instant at, String kind) {
            return event(at, kind, null);
        }

        /** The next event of this context: parent = the previous one, own clock component incremented. */
        String event(Instant at, String kind, Long durationNs) {
            UUID id = UUID.randomUUID();
            String vectorJson;
            if (sdk == Sdk.TYPESCRIPT) {
                vectorJson = root == null ? "[]" : "[[\"" + root + "\"," + emitted + "]]";
            } else {
                vector.merge(component, 1L, Long::sum);
                List<String> entries = new ArrayList<>();
                vector.forEach((k, v) -> entries.add("[\"" + k + "\"," + v + "]"));
                vectorJson = "[" + String.join(",", entries) + "]";
            }
            StringBuilder md = new StringBuilder();
            md.append("{\"thread_id\":\"").append(thread).append("\",\"process_id\":4242,\"service_name\":\"")
                    .append(service).append("\",\"environment\":\"development\",\"tags\":{\"sdk_language\":\"")
                    .append(sdk.language).append("\"},\"duration_ns\":").append(durationNs)
                    .append(",\"instance_id\":\"").append(instance).append("\",\"distributed_span_id\":\"")
                    .append(span).append('"');
            if (upstreamSpan != null) {
                md.append(",\"upstream_span_id\":\"").append(upstreamSpan).append('"');
            }
            md.append('}');
            String json = "{\"id\":\"" + id + "\",\"trace_id\":\"" + trace + "\",\"parent_id\":"
                    + (ids.isEmpty() ? "null" : "\"" + last() + "\"") + ",\"timestamp\":\"" + timestamp(at)
                    + "\",\"kind\":" + kind + ",\"metadata\":" + md + ",\"causality_vector\":" + vectorJson
                    + ",\"lock_set\":[]}";
            if (root == null) {
                root = id;
            }
            emitted++;
            ids.add(id);
            return json;
        }

        private String timestamp(Instant at) {
            return switch (sdk) {
                case TYPESCRIPT -> DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
                        .withZone(ZoneOffset.UTC).format(at);
                case PYTHON -> DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'+00:00'")
                        .withZone(ZoneOffset.UTC).format(at);
                case RUST -> DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'+00:00'")
                        .withZone(ZoneOffset.UTC).format(at);
                case GO, JAVA -> DateTimeFormatter.ISO_INSTANT.format(at);
            };
        }
    }

    static String read(String variable, Object value, String location) {
        return "{\"StateChange\":{\"variable\":\"" + variable + "\",\"old_value\":null,\"new_value\":" + value
                + ",\"location\":\"" + location + "\",\"access_type\":\"Read\"}}";
    }

    static String write(String variable, Object old, Object value, String location) {
        return "{\"StateChange\":{\"variable\":\"" + variable + "\",\"old_value\":" + old + ",\"new_value\":" + value
                + ",\"location\":\"" + location + "\",\"access_type\":\"Write\"}}";
    }

    static String httpRequest(String method, String url) {
        return "{\"HttpRequest\":{\"method\":\"" + method + "\",\"url\":\"" + url + "\",\"headers\":{},\"body\":null}}";
    }

    /** {@code durationMs} as the SDK sends it: TypeScript passes {@code performance.now()} differences as they are. */
    static String httpResponse(int status, String durationMs) {
        return "{\"HttpResponse\":{\"status\":" + status + ",\"headers\":{},\"body\":null,\"duration_ms\":"
                + durationMs + "}}";
    }

    /** A FunctionCall; TypeScript's JSON.stringify drops undefined {@code args} (null here omits the key). */
    static String functionCall(String name, String file, int line, String argsJson) {
        return "{\"FunctionCall\":{\"function_name\":\"" + name + "\",\"module\":\"app\","
                + (argsJson == null ? "" : "\"args\":" + argsJson + ",") + "\"file\":\"" + file + "\",\"line\":"
                + line + "}}";
    }
}
