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
import java.util.function.Function;

/**
 * The event wire format, declared once: the batch key, the top-level {@linkplain EventField event fields}, the
 * metadata object and each kind's payload (wire name, fields in wire order, types, limits, nullability, record
 * accessor and constructor). The JSON writer, both JSON decoders and the memory store's compact codec derive their
 * tables from it at class initialisation; a new field is one line here (and the record component it fills).
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
    private static final String LOCK_ID = "lock_id";
    private static final String LOCK_TYPE = "lock_type";
    private static final String HEADERS = "headers";
    private static final String BODY = "body";
    private static final String DURATION_MS = "duration_ms";

    public static final WireObject<EventMetadata> METADATA = new WireObject<>(EventField.METADATA.wireName(),
            EventMetadata.class, -1,
            v -> new EventMetadata(v.string(0), v.number(1), v.string(2), v.string(3), v.map(4), v.optionalNumber(5),
                    v.optionalString(6), v.optionalString(7), v.optionalString(8)),
            List.of(string("thread_id", EventMetadata::threadId),
                    number("process_id", U32, EventMetadata::processId),
                    string("service_name", EventMetadata::serviceName),
                    string("environment", EventMetadata::environment),
                    stringMap("tags", EventMetadata::tags),
                    optionalNumber("duration_ns", EventMetadata::durationNs),
                    // The reference omits these three when absent (serde skip_serializing_if).
                    optionalString("instance_id", EventMetadata::instanceId),
                    optionalString("distributed_span_id", EventMetadata::distributedSpanId),
                    optionalString("upstream_span_id", EventMetadata::upstreamSpanId)));

    private static final List<WireObject<? extends EventKind>> KIND_LIST = new ArrayList<>();

    static {
        declare("FunctionCall", FunctionCall.class,
                // args may be absent: JavaScript's JSON.stringify drops an undefined value (stored as null)
                v -> new FunctionCall(v.string(0), v.string(1), v.value(2), v.string(3), v.number(4)),
                string("function_name", FunctionCall::functionName),
                string("module", FunctionCall::module),
                valueOrNull("args", FunctionCall::args),
                string("file", FunctionCall::file),
                number("line", U32, FunctionCall::line));
        declare("AsyncSpawn", AsyncSpawn.class,
                v -> new AsyncSpawn(v.string(0), v.optionalString(1)),
                string("task_id", AsyncSpawn::taskId).distinct(),
                // Go and Python SDKs omit it; omitted on output when absent
                optionalString("spawned_by", AsyncSpawn::spawnedBy));
        declare("AsyncAwait", AsyncAwait.class,
                v -> new AsyncAwait(v.string(0), v.string(1)),
                string("future_id", AsyncAwait::futureId).distinct(),
                string("awaited_at", AsyncAwait::awaitedAt));
        declare("StateChange", StateChange.class,
                v -> new StateChange(v.string(0), v.optionalValue(1), v.value(2), v.string(3), v.constant(4)),
                string("variable", StateChange::variable),
                optionalValue("old_value", StateChange::oldValue),
                value("new_value", StateChange::newValue),
                string(LOCATION, StateChange::location),
                constant("access_type", AccessType.class, StateChange::accessType));
        declare("LockAcquire", LockAcquire.class,
                v -> new LockAcquire(v.string(0), v.string(1), v.string(2)),
                string(LOCK_ID, LockAcquire::lockId),
                string(LOCK_TYPE, LockAcquire::lockType),
                string(LOCATION, LockAcquire::location));
        declare("LockRelease", LockRelease.class,
                v -> new LockRelease(v.string(0), v.string(1), v.string(2)),
                string(LOCK_ID, LockRelease::lockId),
                string(LOCK_TYPE, LockRelease::lockType),
                string(LOCATION, LockRelease::location));
        declare("MemoryFence", MemoryFence.class,
                v -> new MemoryFence(v.constant(0), v.string(1)),
                constant("ordering", MemoryOrdering.class, MemoryFence::ordering),
                string(LOCATION, MemoryFence::location));
        declare("HttpRequest", HttpRequest.class,
                v -> new HttpRequest(v.string(0), v.string(1), v.map(2), v.optionalValue(3)),
                string("method", HttpRequest::method),
                string("url", HttpRequest::url),
                stringMap(HEADERS, HttpRequest::headers),
                optionalValue(BODY, HttpRequest::body));
        declare("HttpResponse", HttpResponse.class,
                v -> new HttpResponse((int) v.number(0), v.map(1), v.optionalValue(2), v.number(3)),
                number("status", U16, HttpResponse::status),
                stringMap(HEADERS, HttpResponse::headers),
                optionalValue(BODY, HttpResponse::body),
                millis(DURATION_MS, HttpResponse::durationMs));
        declare("DatabaseQuery", DatabaseQuery.class,
                v -> new DatabaseQuery(v.string(0), v.string(1), v.number(2)),
                string("query", DatabaseQuery::query),
                string("database", DatabaseQuery::database),
                millis(DURATION_MS, DatabaseQuery::durationMs));
        declare("DatabaseResult", DatabaseResult.class,
                v -> new DatabaseResult(v.number(0)),
                number("rows_affected", U64, DatabaseResult::rowsAffected));
        declare("Error", EventKind.Error.class,
                v -> new EventKind.Error(v.string(0), v.string(1), v.list(2)),
                string("error_type", EventKind.Error::errorType),
                string("message", EventKind.Error::message).distinct(),
                stringList("stack_trace", EventKind.Error::stackTrace));
        declare("Custom", Custom.class,
                v -> new Custom(v.string(0), v.value(1)),
                string("name", Custom::name),
                value("data", Custom::data));
    }

    /** The kinds with fixed fields, in the reference server's order. */
    public static final List<WireObject<? extends EventKind>> KINDS = List.copyOf(KIND_LIST);

    /** {@link #indexOf} of an {@link EventKind.Extension}: one past the last of {@link #KINDS}. */
    public static final int EXTENSION = KINDS.size();

    private static final ClassValue<Integer> INDEX = new ClassValue<>() {
        @Override
        protected Integer computeValue(Class<?> type) {
            if (type == EventKind.Extension.class) {
                return EXTENSION;
            }
            for (WireObject<? extends EventKind> k : KINDS) {
                if (k.type() == type) {
                    return k.index();
                }
            }
            throw new IllegalArgumentException("no wire schema for " + type.getName());
        }
    };

    private EventSchema() {
    }

    @SafeVarargs
    private static <K extends EventKind> void declare(String variant, Class<K> type, Function<FieldValues, K> constructor,
                                                   WireField<K>... fields) {
        KIND_LIST.add(new WireObject<>(variant, type, KIND_LIST.size(), constructor, List.of(fields)));
    }

    /** The position of {@code kind}'s schema in {@link #KINDS}, or {@link #EXTENSION}. */
    public static int indexOf(EventKind kind) {
        return INDEX.get(kind.getClass());
    }

    /** {@code kind}'s schema (not for an {@link EventKind.Extension}), as one over {@code EventKind}. */
    @SuppressWarnings("unchecked")
    public static WireObject<EventKind> kind(int index) {
        return (WireObject<EventKind>) KINDS.get(index);
    }
}
