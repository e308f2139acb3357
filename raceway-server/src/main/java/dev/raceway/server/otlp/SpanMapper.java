package dev.raceway.server.otlp;

import static dev.raceway.core.propagation.OtelSpanEvents.ACCESS;
import static dev.raceway.core.propagation.OtelSpanEvents.LOCK_ACQUIRE;
import static dev.raceway.core.propagation.OtelSpanEvents.LOCK_ID;
import static dev.raceway.core.propagation.OtelSpanEvents.LOCK_RELEASE;
import static dev.raceway.core.propagation.OtelSpanEvents.LOCK_TYPE;
import static dev.raceway.core.propagation.OtelSpanEvents.NEW_VALUE;
import static dev.raceway.core.propagation.OtelSpanEvents.OLD_VALUE;
import static dev.raceway.core.propagation.OtelSpanEvents.STATE_CHANGE;
import static dev.raceway.core.propagation.OtelSpanEvents.VARIABLE;

import com.google.protobuf.ByteString;
import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.LockTypes;
import dev.raceway.core.event.VectorClock;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Turns OTLP spans into Raceway events (docs/otel.md has the table). Each span is checked on its own: a span with
 * bad ids, times or too many attributes is left out with a reason, and the rest of the request is kept (OTLP's
 * partial success).
 *
 * <ul>
 *   <li>the trace is the OTel trace id read as a UUID (as the SDKs read {@code traceparent}); the span's events
 *       carry its span id as {@code distributed_span_id}, and a remote parent as {@code upstream_span_id}, so a call
 *       between services is a distributed span edge; a span's first event has its parent span's first event as
 *       {@code parent_id} ({@link OtlpEventIds} derives both ids, so the parent may arrive later or not at all);</li>
 *   <li>HTTP spans become an HttpRequest at the start and an HttpResponse (with the duration) at the end,
 *       {@code db.*} spans a DatabaseQuery, others a FunctionCall with the span's duration;</li>
 *   <li>span events {@code raceway.state_change}, {@code raceway.lock_acquire}, {@code raceway.lock_release} become
 *       StateChange, LockAcquire and LockRelease events at their own time on the span's thread; {@code exception}
 *       an Error, any other a Custom event.</li>
 * </ul>
 */
public final class SpanMapper {
    /** The most attributes one resource, span or span event may have (OTel SDKs cap at 128 by default). */
    public static final int MAX_ATTRIBUTES = 256;
    /** The most events one span may have. */
    public static final int MAX_SPAN_EVENTS = 1024;
    /** The deepest nesting of array and key-value list values accepted in an attribute. */
    public static final int MAX_VALUE_DEPTH = 8;

    /** Span flag bits (trace.proto {@code SpanFlags}): whether the parent's remoteness is known, and its value. */
    private static final int HAS_IS_REMOTE = 0x100;
    private static final int IS_REMOTE = 0x200;
    private static final HexFormat HEX = HexFormat.of();

    private SpanMapper() {
    }

    public static MappedSpans map(ExportTraceServiceRequest request) {
        List<Event> events = new ArrayList<>();
        int spans = 0;
        int rejected = 0;
        String firstRejection = null;
        for (ResourceSpans rs : request.getResourceSpansList()) {
            Origin origin;
            String resourceProblem = null;
            try {
                origin = Origin.of(rs.getResource());
            } catch (SpanRejected e) {
                origin = null;
                resourceProblem = e.getMessage();
            }
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                String scope = ss.getScope().getName();
                for (Span span : ss.getSpansList()) {
                    spans++;
                    String problem = resourceProblem;
                    if (problem == null) {
                        int before = events.size();
                        try {
                            mapSpan(span, origin, scope, events);
                        } catch (SpanRejected | IllegalArgumentException e) {
                            events.subList(before, events.size()).clear();
                            problem = e.getMessage();
                        }
                    }
                    if (problem != null) {
                        rejected++;
                        if (firstRejection == null) {
                            firstRejection = "span " + describe(span) + ": " + problem;
                        }
                    }
                }
            }
        }
        return new MappedSpans(events, spans, rejected, Optional.ofNullable(firstRejection));
    }

    private static String describe(Span span) {
        String name = span.getName().length() > 60 ? span.getName().substring(0, 60) + "…" : span.getName();
        return (span.getSpanId().size() == 8 ? HEX.formatHex(span.getSpanId().toByteArray()) : "?")
                + " '" + name + "'";
    }

    /** Who sent the spans of one resource: service, instance, process, environment. */
    private record Origin(String service, Optional<String> instance, long pid, String environment) {
        static Origin of(Resource r) throws SpanRejected {
            requireAttributes(r.getAttributesList(), "resource");
            String service = "unknown_service";
            String instance = null;
            String host = null;
            long pid = 0;
            String env = "unknown";
            for (KeyValue kv : r.getAttributesList()) {
                switch (kv.getKey()) {
                    case "service.name" -> service = AnyValues.text(kv.getValue());
                    case "service.instance.id" -> instance = AnyValues.text(kv.getValue());
                    case "host.name" -> host = AnyValues.text(kv.getValue());
                    case "process.pid" -> {
                        long p = AnyValues.integer(kv.getValue());
                        pid = p >= 0 && p <= 0xFFFF_FFFFL ? p : 0;
                    }
                    case "deployment.environment.name", "deployment.environment" ->
                            env = AnyValues.text(kv.getValue());
                    default -> {
                    }
                }
            }
            if (instance == null && host != null) {
                instance = pid > 0 ? host + ":" + pid : host;
            }
            return new Origin(service, Optional.ofNullable(instance), pid, env);
        }
    }

    private static void mapSpan(Span span, Origin origin, String scope, List<Event> out) throws SpanRejected {
        long[] trace = id(span.getTraceId(), 16, "trace_id");
        long spanId = id(span.getSpanId(), 8, "span_id")[0];
        boolean hasParent = !span.getParentSpanId().isEmpty();
        long parentId = hasParent ? id(span.getParentSpanId(), 8, "parent_span_id")[0] : 0;
        long start = span.getStartTimeUnixNano();
        long end = span.getEndTimeUnixNano();
        if (start <= 0) {
            throw new SpanRejected("start_time_unix_nano must be set (nanoseconds since 1970, before 2262)");
        }
        if (end < start) {
            throw new SpanRejected("end_time_unix_nano (" + Long.toUnsignedString(end)
                    + ") is before start_time_unix_nano (" + start + ")");
        }
        if (span.getEventsCount() > MAX_SPAN_EVENTS) {
            throw new SpanRejected("has " + span.getEventsCount() + " events, more than " + MAX_SPAN_EVENTS);
        }
        requireAttributes(span.getAttributesList(), "span");
        SpanFacts f = SpanFacts.of(span.getAttributesList());

        UUID traceId = new UUID(trace[0], trace[1]);
        String spanHex = hex(spanId);
        boolean remoteParent = hasParent && ((span.getFlags() & HAS_IS_REMOTE) != 0
                ? (span.getFlags() & IS_REMOTE) != 0
                : span.getKind() == Span.SpanKind.SPAN_KIND_SERVER
                        || span.getKind() == Span.SpanKind.SPAN_KIND_CONSUMER);
        String kindName = kindName(span.getKind());
        Map<String, String> tags = span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR
                ? Map.of("otel.span_kind", kindName, "otel.status", "ERROR") : Map.of("otel.span_kind", kindName);
        EventMetadata md = new EventMetadata(threadId(origin, f), origin.pid(), origin.service(),
                origin.environment(), tags, OptionalLong.empty(), origin.instance(), Optional.of(spanHex),
                remoteParent ? Optional.of(hex(parentId)) : Optional.empty());
        long durationNs = end - start;
        String location = f.location(span.getName());

        // The span's own events: what it is, at its start (and, for HTTP, its end).
        EventKind first;
        OptionalLong firstDuration = OptionalLong.of(durationNs);
        EventKind last = null;
        if (f.db) {
            first = new EventKind.DatabaseQuery(f.dbQuery != null ? f.dbQuery : span.getName(),
                    f.dbName != null ? f.dbName : f.dbSystem != null ? f.dbSystem : "", durationNs / 1_000_000);
        } else if (f.httpMethod != null && span.getKind() != Span.SpanKind.SPAN_KIND_INTERNAL) {
            first = new EventKind.HttpRequest(f.httpMethod, f.url(span.getKind(), span.getName()), Map.of(),
                    Optional.empty());
            firstDuration = OptionalLong.empty();
            last = new EventKind.HttpResponse(f.httpStatus, Map.of(), Optional.empty(), durationNs / 1_000_000);
        } else {
            first = new EventKind.FunctionCall(f.function != null ? f.function : span.getName(),
                    f.namespace != null ? f.namespace : scope.isEmpty() ? "otel" : scope,
                    AnyValues.object(span.getAttributesList(), SpanFacts::isConsumed),
                    f.file != null ? f.file : "", f.line);
        }

        // Span events in time order between the first and the last event; each event's parent is the one before.
        List<Span.Event> spanEvents = span.getEventsList();
        Integer[] order = new Integer[spanEvents.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (order.length > 1) {
            Arrays.sort(order, Comparator.comparingLong(i -> eventTime(spanEvents.get(i), start)));
        }
        UUID firstId = OtlpEventIds.of(trace[0], trace[1], spanId, OtlpEventIds.FIRST);
        Optional<UUID> parent = hasParent
                ? Optional.of(OtlpEventIds.of(trace[0], trace[1], parentId, OtlpEventIds.FIRST)) : Optional.empty();
        out.add(event(firstId, traceId, parent, start, first,
                firstDuration.isPresent() ? md.withDurationNs(firstDuration.getAsLong()) : md));
        UUID previous = firstId;
        for (int i : order) {
            Span.Event se = spanEvents.get(i);
            UUID id = OtlpEventIds.of(trace[0], trace[1], spanId, OtlpEventIds.spanEventSlot(i));
            long t = Math.max(start, eventTime(se, start));
            out.add(event(id, traceId, Optional.of(previous), t, spanEvent(se, location), md));
            previous = id;
        }
        if (last != null) {
            out.add(event(OtlpEventIds.of(trace[0], trace[1], spanId, OtlpEventIds.LAST), traceId,
                    Optional.of(previous), end, last, md.withDurationNs(durationNs)));
        }
    }

    private static long eventTime(Span.Event e, long spanStart) {
        return e.getTimeUnixNano() > 0 ? e.getTimeUnixNano() : spanStart;
    }

    private static Event event(UUID id, UUID trace, Optional<UUID> parent, long unixNanos, EventKind kind,
                               EventMetadata md) {
        Instant at = Instant.ofEpochSecond(unixNanos / 1_000_000_000L, unixNanos % 1_000_000_000L);
        return new Event(id, trace, parent, at, kind, md, VectorClock.empty(), List.of());
    }

    private static EventKind spanEvent(Span.Event e, String spanLocation) throws SpanRejected {
        requireAttributes(e.getAttributesList(), "span event '" + e.getName() + "'");
        AnyValue variable = null;
        AnyValue access = null;
        AnyValue oldValue = null;
        AnyValue newValue = null;
        AnyValue lockId = null;
        AnyValue lockType = null;
        String file = null;
        long line = 0;
        String exceptionType = null;
        String exceptionMessage = null;
        String stack = null;
        for (KeyValue kv : e.getAttributesList()) {
            AnyValue v = kv.getValue();
            switch (kv.getKey()) {
                case VARIABLE -> variable = v;
                case ACCESS -> access = v;
                case OLD_VALUE -> oldValue = v;
                case NEW_VALUE -> newValue = v;
                case LOCK_ID -> lockId = v;
                case LOCK_TYPE -> lockType = v;
                case "code.file.path", "code.filepath" -> file = AnyValues.text(v);
                case "code.line.number", "code.lineno" -> line = Math.max(0, AnyValues.integer(v));
                case "exception.type" -> exceptionType = AnyValues.text(v);
                case "exception.message" -> exceptionMessage = AnyValues.text(v);
                case "exception.stacktrace" -> stack = AnyValues.text(v);
                default -> {
                }
            }
        }
        String location = file == null ? spanLocation : line > 0 ? file + ":" + line : file;
        switch (e.getName()) {
            case STATE_CHANGE -> {
                if (variable == null || AnyValues.text(variable).isEmpty()) {
                    throw new SpanRejected(STATE_CHANGE + " needs the attribute " + VARIABLE);
                }
                String a = access == null ? null : AnyValues.text(access);
                AccessType type = a == null ? null : AccessType.fromWireName(a).orElse(null);
                if (type == null) {
                    throw new SpanRejected(STATE_CHANGE + " needs " + ACCESS + " = Read, Write, AtomicRead, "
                            + "AtomicWrite or AtomicRMW, got " + (a == null ? "none" : "'" + a + "'"));
                }
                return new EventKind.StateChange(AnyValues.text(variable),
                        oldValue == null ? Optional.empty() : Optional.of(AnyValues.json(oldValue)),
                        newValue == null ? JsonValue.NULL : AnyValues.json(newValue), location, type);
            }
            case LOCK_ACQUIRE, LOCK_RELEASE -> {
                if (lockId == null || AnyValues.text(lockId).isEmpty()) {
                    throw new SpanRejected(e.getName() + " needs the attribute " + LOCK_ID);
                }
                String id = AnyValues.text(lockId);
                String type = lockType == null ? LockTypes.MUTEX : AnyValues.text(lockType);
                return e.getName().equals(LOCK_ACQUIRE) ? new EventKind.LockAcquire(id, type, location)
                        : new EventKind.LockRelease(id, type, location);
            }
            case "exception" -> {
                return new EventKind.Error(exceptionType != null ? exceptionType : "exception",
                        exceptionMessage != null ? exceptionMessage : "",
                        stack == null ? List.of() : stack.lines().limit(200).toList());
            }
            default -> {
                return new EventKind.Custom(e.getName(), AnyValues.object(e.getAttributesList(), k -> false));
            }
        }
    }

    /** What a span's attributes say about it, read in one pass. */
    private static final class SpanFacts {
        String threadName;
        long threadId = -1;
        String function;
        String namespace;
        String file;
        long line;
        boolean db;
        String dbSystem;
        String dbName;
        String dbQuery;
        String httpMethod;
        int httpStatus;
        String urlFull;
        String urlPath;
        String urlQuery;
        String target;

        static SpanFacts of(List<KeyValue> attributes) {
            SpanFacts f = new SpanFacts();
            for (KeyValue kv : attributes) {
                AnyValue v = kv.getValue();
                String k = kv.getKey();
                switch (k) {
                    case "thread.name" -> f.threadName = AnyValues.text(v);
                    case "thread.id" -> f.threadId = AnyValues.integer(v);
                    case "code.function.name", "code.function" -> f.function = AnyValues.text(v);
                    case "code.namespace" -> f.namespace = AnyValues.text(v);
                    case "code.file.path", "code.filepath" -> f.file = AnyValues.text(v);
                    case "code.line.number", "code.lineno" -> f.line = Math.min(0xFFFF_FFFFL,
                            Math.max(0, AnyValues.integer(v)));
                    case "db.system.name", "db.system" -> f.dbSystem = AnyValues.text(v);
                    case "db.namespace", "db.name" -> f.dbName = AnyValues.text(v);
                    case "db.query.text", "db.statement" -> f.dbQuery = AnyValues.text(v);
                    case "http.request.method", "http.method" -> f.httpMethod = AnyValues.text(v);
                    case "http.response.status_code", "http.status_code" -> {
                        long s = AnyValues.integer(v);
                        f.httpStatus = s >= 0 && s <= 65535 ? (int) s : 0;
                    }
                    case "url.full", "http.url" -> f.urlFull = AnyValues.text(v);
                    case "url.path" -> f.urlPath = AnyValues.text(v);
                    case "url.query" -> f.urlQuery = AnyValues.text(v);
                    case "http.target" -> f.target = AnyValues.text(v);
                    default -> {
                    }
                }
                if (k.startsWith("db.")) {
                    f.db = true;
                }
            }
            return f;
        }

        /** Attributes already shown as the thread or the location, left out of a function call's args. */
        static boolean isConsumed(String key) {
            return switch (key) {
                case "thread.name", "thread.id", "code.function.name", "code.function", "code.namespace",
                     "code.file.path", "code.filepath", "code.line.number", "code.lineno" -> true;
                default -> false;
            };
        }

        /** A server span: the path and query it served (as the SDK's filter records); a client span: the URL. */
        String url(Span.SpanKind kind, String spanName) {
            if (kind == Span.SpanKind.SPAN_KIND_SERVER) {
                if (urlPath != null) {
                    return urlQuery == null || urlQuery.isEmpty() ? urlPath : urlPath + "?" + urlQuery;
                }
                if (target != null) {
                    return target;
                }
            }
            if (urlFull != null) {
                return urlFull;
            }
            return urlPath != null ? urlPath : target != null ? target : spanName;
        }

        String location(String spanName) {
            if (file != null) {
                return line > 0 ? file + ":" + line : file;
            }
            if (function != null) {
                return namespace != null ? namespace + "." + function : function;
            }
            return spanName;
        }
    }

    /**
     * The logical thread: the OS thread the span ran on (its {@code thread.name}/{@code thread.id}, which the
     * OpenTelemetry Java agent adds to every span), scoped to the service instance so that two processes' thread 1
     * are two threads. Without them, one thread per service instance and trace: the service's part of a request is
     * taken as sequential (concurrency inside it is then not seen; races between requests still are).
     */
    private static String threadId(Origin o, SpanFacts f) {
        String scope = o.service() + o.instance().map(i -> "@" + i).orElse("") + "/";
        if (f.threadName == null && f.threadId < 0) {
            return scope + "otel";
        }
        return scope + (f.threadName == null ? "thread-" + f.threadId
                : f.threadId < 0 ? f.threadName : f.threadName + "#" + f.threadId);
    }

    private static String kindName(Span.SpanKind kind) {
        return switch (kind) {
            case SPAN_KIND_SERVER -> "SERVER";
            case SPAN_KIND_CLIENT -> "CLIENT";
            case SPAN_KIND_PRODUCER -> "PRODUCER";
            case SPAN_KIND_CONSUMER -> "CONSUMER";
            case SPAN_KIND_INTERNAL -> "INTERNAL";
            default -> "UNSPECIFIED";
        };
    }

    private static void requireAttributes(List<KeyValue> attributes, String where) throws SpanRejected {
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw new SpanRejected(where + " has " + attributes.size() + " attributes, more than " + MAX_ATTRIBUTES);
        }
        for (KeyValue kv : attributes) {
            if (AnyValues.depth(kv.getValue()) > MAX_VALUE_DEPTH) {
                throw new SpanRejected(where + " attribute '" + kv.getKey() + "' nests deeper than "
                        + MAX_VALUE_DEPTH + " levels");
            }
        }
    }

    /** The id as longs (big-endian); rejects a wrong length or all zeros, as the spec makes those invalid. */
    private static long[] id(ByteString bytes, int length, String field) throws SpanRejected {
        if (bytes.size() != length) {
            throw new SpanRejected(field + " must be " + length + " bytes, got " + bytes.size());
        }
        long[] out = new long[length / 8];
        boolean zero = true;
        for (int w = 0; w < out.length; w++) {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = v << 8 | (bytes.byteAt(w * 8 + i) & 0xff);
            }
            out[w] = v;
            zero &= v == 0;
        }
        if (zero) {
            throw new SpanRejected(field + " must not be all zeros");
        }
        return out;
    }

    private static String hex(long spanId) {
        return HEX.toHexDigits(spanId);
    }

    /** Why one span (or every span of a resource) is left out. */
    private static final class SpanRejected extends Exception {
        SpanRejected(String message) {
            super(message, null, false, false);
        }
    }
}
