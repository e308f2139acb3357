package dev.raceway.core.schema;

import static dev.raceway.core.schema.WireField.U16;
import static dev.raceway.core.schema.WireField.U32;
import static dev.raceway.core.schema.WireField.U64;
import static dev.raceway.core.schema.WireField.constant;
import static dev.raceway.core.schema.WireField.millis;
import static dev.raceway.core.schema.WireField.number;
import static dev.raceway.core.schema.WireField.optionalNumber;
import static dev.raceway.core.schema.WireField.optionalString;
import static dev.raceway.core.schema.WireField.optionalValue;
import static dev.raceway.core.schema.WireField.string;
import static dev.raceway.core.schema.WireField.stringList;
import static dev.raceway.core.schema.WireField.stringMap;
import static dev.raceway.core.schema.WireField.value;
import static dev.raceway.core.schema.WireField.valueOrNull;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventKind.AsyncAwait;
import dev.raceway.core.event.EventKind.AsyncSpawn;
import dev.raceway.core.event.EventKind.Custom;
import dev.raceway.core.event.EventKind.DatabaseQuery;
import dev.raceway.core.event.EventKind.DatabaseResult;
import dev.raceway.core.event.EventKind.FunctionCall;
import dev.raceway.core.event.EventKind.HttpRequest;
import dev.raceway.core.event.EventKind.HttpResponse;
import dev.raceway.core.event.EventKind.LockAcquire;
import dev.raceway.core.event.EventKind.LockRelease;
import dev.raceway.core.event.EventKind.MemoryFence;
import dev.raceway.core.event.EventKind.StateChange;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.MemoryOrdering;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The event wire format, declared once: the batch key, the top-level {@linkplain EventField event fields}, the
 * metadata object and each kind's payload (wire name, fields in wire order with type, limit and nullability, how the
 * record's components are handed to a writer and how the record is built from decoded fields). The JSON writer, both
 * JSON decoders and the memory store's compact codec derive their tables from it at class initialisation; a new
 * field is a line in its object's field list, reader and constructor here (and the record component it fills).
 *
 * <p>The kinds are listed in the order of the reference server's enum. {@link EventKind.Extension} (kinds real SDKs
 * send that the reference does not know, {@link EventKind.Extension#KNOWN}) has no fixed fields: it is kept
 * verbatim, and {@link #indexOf} gives it the index {@link #EXTENSION}.
 */
public final class EventSchema {
    /** The key of a {@code POST /events} body's event array. */
    public static final String EVENTS = "events";

    /** Names several kinds share. */
    private static final String LOCATION = "location";
    private static final String HEADERS = "headers";
    private static final String BODY = "body";
    private static final String DURATION_MS = "duration_ms";

    /** The most fields one object may have (decoders keep them in a bit mask). */
    public static final int MAX_FIELDS = 31;

    // Each object: how a record's components go, in wire order, to a writer (reader), how a record is built from
    // decoded fields (constructor), and its fields in wire order. EventSchemaGuardTest proves the positions agree.

    public static final WireObject<EventMetadata> METADATA = new WireObject<>(EventField.METADATA.wireName(),
            EventMetadata.class, -1,
            (m, s) -> {
                s.string(0, m.threadId());
                s.number(1, m.processId());
                s.string(2, m.serviceName());
                s.string(3, m.environment());
                s.map(4, m.tags());
                s.optionalNumber(5, m.durationNs());
                s.optionalString(6, m.instanceId());
                s.optionalString(7, m.distributedSpanId());
                s.optionalString(8, m.upstreamSpanId());
            },
            v -> new EventMetadata(v.string(0), v.number(1), v.string(2), v.string(3), v.map(4), v.optionalNumber(5),
                    v.optionalString(6), v.optionalString(7), v.optionalString(8)),
            List.of(string("thread_id"),
                    number("process_id", U32),
                    string("service_name"),
                    string("environment"),
                    stringMap("tags"),
                    optionalNumber("duration_ns"),
                    // The reference omits these three when absent (serde skip_serializing_if).
                    optionalString("instance_id"),
                    optionalString("distributed_span_id"),
                    optionalString("upstream_span_id")));

    private static final List<WireObject<? extends EventKind>> KIND_LIST = new ArrayList<>();
    /** The fields of both lock kinds. */
    private static final WireField[] LOCK_FIELDS = {string("lock_id"), string("lock_type"), string(LOCATION)};

    static {
        declare("FunctionCall", FunctionCall.class,
                (k, s) -> {
                    s.string(0, k.functionName());
                    s.string(1, k.module());
                    s.value(2, k.args());
                    s.string(3, k.file());
                    s.number(4, k.line());
                },
                v -> new FunctionCall(v.string(0), v.string(1), v.value(2), v.string(3), v.number(4)),
                string("function_name"),
                string("module"),
                // may be absent: JavaScript's JSON.stringify drops an undefined value (stored as null)
                valueOrNull("args"),
                string("file"),
                number("line", U32));
        declare("AsyncSpawn", AsyncSpawn.class,
                (k, s) -> {
                    s.string(0, k.taskId());
                    s.optionalString(1, k.spawnedBy());
                },
                v -> new AsyncSpawn(v.string(0), v.optionalString(1)),
                string("task_id").distinct(),
                optionalString("spawned_by")); // Go and Python SDKs omit it; omitted on output when absent
        declare("AsyncAwait", AsyncAwait.class,
                (k, s) -> {
                    s.string(0, k.futureId());
                    s.string(1, k.awaitedAt());
                },
                v -> new AsyncAwait(v.string(0), v.string(1)),
                string("future_id").distinct(),
                string("awaited_at"));
        declare("StateChange", StateChange.class,
                (k, s) -> {
                    s.string(0, k.variable());
                    s.optionalValue(1, k.oldValue());
                    s.value(2, k.newValue());
                    s.string(3, k.location());
                    s.constant(4, k.accessType());
                },
                v -> new StateChange(v.string(0), v.optionalValue(1), v.value(2), v.string(3), v.constant(4)),
                string("variable"),
                optionalValue("old_value"),
                value("new_value"),
                string(LOCATION),
                constant("access_type", AccessType.class));
        declare("LockAcquire", LockAcquire.class,
                (k, s) -> {
                    s.string(0, k.lockId());
                    s.string(1, k.lockType());
                    s.string(2, k.location());
                },
                v -> new LockAcquire(v.string(0), v.string(1), v.string(2)),
                LOCK_FIELDS);
        declare("LockRelease", LockRelease.class,
                (k, s) -> {
                    s.string(0, k.lockId());
                    s.string(1, k.lockType());
                    s.string(2, k.location());
                },
                v -> new LockRelease(v.string(0), v.string(1), v.string(2)),
                LOCK_FIELDS);
        declare("MemoryFence", MemoryFence.class,
                (k, s) -> {
                    s.constant(0, k.ordering());
                    s.string(1, k.location());
                },
                v -> new MemoryFence(v.constant(0), v.string(1)),
                constant("ordering", MemoryOrdering.class),
                string(LOCATION));
        declare("HttpRequest", HttpRequest.class,
                (k, s) -> {
                    s.string(0, k.method());
                    s.string(1, k.url());
                    s.map(2, k.headers());
                    s.optionalValue(3, k.body());
                },
                v -> new HttpRequest(v.string(0), v.string(1), v.map(2), v.optionalValue(3)),
                string("method"),
                string("url"),
                stringMap(HEADERS),
                optionalValue(BODY));
        declare("HttpResponse", HttpResponse.class,
                (k, s) -> {
                    s.number(0, k.status());
                    s.map(1, k.headers());
                    s.optionalValue(2, k.body());
                    s.number(3, k.durationMs());
                },
                v -> new HttpResponse((int) v.number(0), v.map(1), v.optionalValue(2), v.number(3)),
                number("status", U16),
                stringMap(HEADERS),
                optionalValue(BODY),
                millis(DURATION_MS));
        declare("DatabaseQuery", DatabaseQuery.class,
                (k, s) -> {
                    s.string(0, k.query());
                    s.string(1, k.database());
                    s.number(2, k.durationMs());
                },
                v -> new DatabaseQuery(v.string(0), v.string(1), v.number(2)),
                string("query"),
                string("database"),
                millis(DURATION_MS));
        declare("DatabaseResult", DatabaseResult.class,
                (k, s) -> s.number(0, k.rowsAffected()),
                v -> new DatabaseResult(v.number(0)),
                number("rows_affected", U64));
        declare("Error", EventKind.Error.class,
                (k, s) -> {
                    s.string(0, k.errorType());
                    s.string(1, k.message());
                    s.list(2, k.stackTrace());
                },
                v -> new EventKind.Error(v.string(0), v.string(1), v.list(2)),
                string("error_type"),
                string("message").distinct(),
                stringList("stack_trace"));
        declare("Custom", Custom.class,
                (k, s) -> {
                    s.string(0, k.name());
                    s.value(1, k.data());
                },
                v -> new Custom(v.string(0), v.value(1)),
                string("name"),
                value("data"));
    }

    /** The kinds with fixed fields, in the reference server's order. */
    public static final List<WireObject<? extends EventKind>> KINDS = List.copyOf(KIND_LIST);

    /** {@link #indexOf} of an {@link EventKind.Extension}: one past the last of {@link #KINDS}. */
    public static final int EXTENSION = KINDS.size();

    /** The kinds' record classes by index: a few identity checks find a kind faster than a map or ClassValue. */
    private static final Class<?>[] TYPES = KINDS.stream().map(WireObject::type).toArray(Class<?>[]::new);

    private EventSchema() {
    }

    private static <K extends EventKind> void declare(String variant, Class<K> type, BiConsumer<K, FieldSink> reader,
                                                      Function<FieldValues, K> constructor, WireField... fields) {
        KIND_LIST.add(new WireObject<>(variant, type, KIND_LIST.size(), reader, constructor, List.of(fields)));
    }

    /** A holder for the fields of any object of this schema (writers reuse one for every object). */
    public static FieldValues newValues() {
        return new FieldValues(MAX_FIELDS);
    }

    /** The position of {@code kind}'s schema in {@link #KINDS}, or {@link #EXTENSION}. */
    public static int indexOf(EventKind kind) {
        Class<?> type = kind.getClass();
        Class<?>[] types = TYPES;
        for (int i = 0; i < types.length; i++) {
            if (types[i] == type) {
                return i;
            }
        }
        return EXTENSION; // the only other permitted subclass
    }

    /** {@code kind}'s schema (not for an {@link EventKind.Extension}), as one over {@code EventKind}. */
    @SuppressWarnings("unchecked")
    public static WireObject<EventKind> kind(int index) {
        return (WireObject<EventKind>) KINDS.get(index);
    }
}
