package dev.raceway.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.Timestamps;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The former event writer, through Jackson's generator: kept as the oracle that {@link WireWriter} must match byte
 * for byte (see {@code WireWriterTest}).
 */
final class JacksonEventWriter {
    private JacksonEventWriter() {
    }

    static void write(Event e, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", e.id().toString());
        g.writeStringField("trace_id", e.traceId().toString());
        if (e.parentId().isPresent()) {
            g.writeStringField("parent_id", e.parentId().get().toString());
        } else {
            g.writeNullField("parent_id");
        }
        g.writeStringField("timestamp", Timestamps.format(e.timestamp()));
        g.writeFieldName("kind");
        writeKind(e.kind(), g);
        g.writeFieldName("metadata");
        writeMetadata(e.metadata(), g);
        g.writeFieldName("causality_vector");
        g.writeStartArray();
        for (ClockEntry c : e.causalityVector().entries()) {
            g.writeStartArray();
            g.writeString(c.component());
            g.writeNumber(c.value());
            g.writeEndArray();
        }
        g.writeEndArray();
        writeStrings("lock_set", e.lockSet(), g);
        g.writeEndObject();
    }

    static void writeMetadata(EventMetadata m, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("thread_id", m.threadId());
        g.writeNumberField("process_id", m.processId());
        g.writeStringField("service_name", m.serviceName());
        g.writeStringField("environment", m.environment());
        writeStringMap("tags", m.tags(), g);
        if (m.durationNs().isPresent()) {
            g.writeNumberField("duration_ns", m.durationNs().getAsLong());
        } else {
            g.writeNullField("duration_ns");
        }
        // The reference omits these three when absent (serde skip_serializing_if).
        writeIfPresent("instance_id", m.instanceId(), g);
        writeIfPresent("distributed_span_id", m.distributedSpanId(), g);
        writeIfPresent("upstream_span_id", m.upstreamSpanId(), g);
        g.writeEndObject();
    }

    static void writeKind(EventKind kind, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeFieldName(kind.variant());
        if (kind instanceof EventKind.Extension x) {
            g.writeRawValue(x.payload().json());
            g.writeEndObject();
            return;
        }
        g.writeStartObject();
        if (kind instanceof EventKind.FunctionCall k) {
            g.writeStringField("function_name", k.functionName());
            g.writeStringField("module", k.module());
            writeValue("args", k.args(), g);
            g.writeStringField("file", k.file());
            g.writeNumberField("line", k.line());
        } else if (kind instanceof EventKind.AsyncSpawn k) {
            g.writeStringField("task_id", k.taskId());
            writeIfPresent("spawned_by", k.spawnedBy(), g);
        } else if (kind instanceof EventKind.AsyncAwait k) {
            g.writeStringField("future_id", k.futureId());
            g.writeStringField("awaited_at", k.awaitedAt());
        } else if (kind instanceof EventKind.StateChange k) {
            g.writeStringField("variable", k.variable());
            writeValue("old_value", k.oldValue().orElse(JsonValue.NULL), g);
            writeValue("new_value", k.newValue(), g);
            g.writeStringField("location", k.location());
            g.writeStringField("access_type", k.accessType().wireName());
        } else if (kind instanceof EventKind.LockAcquire k) {
            writeLock(k.lockId(), k.lockType(), k.location(), g);
        } else if (kind instanceof EventKind.LockRelease k) {
            writeLock(k.lockId(), k.lockType(), k.location(), g);
        } else if (kind instanceof EventKind.MemoryFence k) {
            g.writeStringField("ordering", k.ordering().name());
            g.writeStringField("location", k.location());
        } else if (kind instanceof EventKind.HttpRequest k) {
            g.writeStringField("method", k.method());
            g.writeStringField("url", k.url());
            writeStringMap("headers", k.headers(), g);
            writeValue("body", k.body().orElse(JsonValue.NULL), g);
        } else if (kind instanceof EventKind.HttpResponse k) {
            g.writeNumberField("status", k.status());
            writeStringMap("headers", k.headers(), g);
            writeValue("body", k.body().orElse(JsonValue.NULL), g);
            g.writeNumberField("duration_ms", k.durationMs());
        } else if (kind instanceof EventKind.DatabaseQuery k) {
            g.writeStringField("query", k.query());
            g.writeStringField("database", k.database());
            g.writeNumberField("duration_ms", k.durationMs());
        } else if (kind instanceof EventKind.DatabaseResult k) {
            g.writeNumberField("rows_affected", k.rowsAffected());
        } else if (kind instanceof EventKind.Error k) {
            g.writeStringField("error_type", k.errorType());
            g.writeStringField("message", k.message());
            writeStrings("stack_trace", k.stackTrace(), g);
        } else if (kind instanceof EventKind.Custom k) {
            g.writeStringField("name", k.name());
            writeValue("data", k.data(), g);
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeLock(String id, String type, String location, JsonGenerator g) throws IOException {
        g.writeStringField("lock_id", id);
        g.writeStringField("lock_type", type);
        g.writeStringField("location", location);
    }

    private static void writeValue(String name, JsonValue v, JsonGenerator g) throws IOException {
        g.writeFieldName(name);
        g.writeRawValue(v.json());
    }

    private static void writeIfPresent(String name, Optional<String> v, JsonGenerator g) throws IOException {
        if (v.isPresent()) {
            g.writeStringField(name, v.get());
        }
    }

    private static void writeStrings(String name, List<String> values, JsonGenerator g) throws IOException {
        g.writeFieldName(name);
        g.writeStartArray();
        for (String s : values) {
            g.writeString(s);
        }
        g.writeEndArray();
    }

    private static void writeStringMap(String name, Map<String, String> map, JsonGenerator g) throws IOException {
        g.writeFieldName(name);
        g.writeStartObject();
        // Sorted so that output is deterministic (immutable maps iterate in a per-JVM random order).
        Iterable<Map.Entry<String, String>> entries = map.size() < 2 ? map.entrySet() : new TreeMap<>(map).entrySet();
        for (Map.Entry<String, String> e : entries) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }
}
