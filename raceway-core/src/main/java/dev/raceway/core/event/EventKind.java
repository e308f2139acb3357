package dev.raceway.core.event;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an event records. On the wire it is externally tagged: {@code {"StateChange": {...}}}. The thirteen variants
 * of the reference server are records here; {@link Extension} keeps kinds that real SDKs send but the reference
 * rejects (such as {@code FunctionReturn}), so that they are stored and written back exactly as received.
 */
public sealed interface EventKind {

    /** The externally tagged variant name, e.g. {@code "StateChange"}. */
    String variant();

    record FunctionCall(String functionName, String module, JsonValue args, String file, long line)
            implements EventKind {
        public FunctionCall {
            Objects.requireNonNull(functionName, "functionName");
            Objects.requireNonNull(module, "module");
            Objects.requireNonNull(args, "args");
            Objects.requireNonNull(file, "file");
            requireU32(line, "line");
        }

        @Override
        public String variant() {
            return "FunctionCall";
        }
    }

    /**
     * A task was spawned. The reference requires a UUID {@code task_id} and {@code spawned_by}; Go and Python SDKs
     * omit {@code spawned_by}, so it is optional here and omitted on output when absent.
     */
    record AsyncSpawn(String taskId, Optional<String> spawnedBy) implements EventKind {
        public AsyncSpawn {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(spawnedBy, "spawnedBy");
        }

        @Override
        public String variant() {
            return "AsyncSpawn";
        }
    }

    record AsyncAwait(String futureId, String awaitedAt) implements EventKind {
        public AsyncAwait {
            Objects.requireNonNull(futureId, "futureId");
            Objects.requireNonNull(awaitedAt, "awaitedAt");
        }

        @Override
        public String variant() {
            return "AsyncAwait";
        }
    }

    /** A read or write of shared state; the input of every race analysis. */
    record StateChange(String variable, Optional<JsonValue> oldValue, JsonValue newValue, String location,
                       AccessType accessType) implements EventKind {
        public StateChange {
            Objects.requireNonNull(variable, "variable");
            Objects.requireNonNull(oldValue, "oldValue");
            Objects.requireNonNull(newValue, "newValue");
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(accessType, "accessType");
            if (oldValue.isPresent() && oldValue.get().isNull()) {
                oldValue = Optional.empty(); // JSON null and absent are the same value
            }
        }

        @Override
        public String variant() {
            return "StateChange";
        }
    }

    /**
     * A lock was obtained. {@code lockType} is free text; conventionally {@code Mutex}, {@code RwLock-Read},
     * {@code RwLock-Write} (see {@link LockTypes}).
     */
    record LockAcquire(String lockId, String lockType, String location) implements EventKind {
        public LockAcquire {
            Objects.requireNonNull(lockId, "lockId");
            Objects.requireNonNull(lockType, "lockType");
            Objects.requireNonNull(location, "location");
        }

        @Override
        public String variant() {
            return "LockAcquire";
        }
    }

    record LockRelease(String lockId, String lockType, String location) implements EventKind {
        public LockRelease {
            Objects.requireNonNull(lockId, "lockId");
            Objects.requireNonNull(lockType, "lockType");
            Objects.requireNonNull(location, "location");
        }

        @Override
        public String variant() {
            return "LockRelease";
        }
    }

    record MemoryFence(MemoryOrdering ordering, String location) implements EventKind {
        public MemoryFence {
            Objects.requireNonNull(ordering, "ordering");
            Objects.requireNonNull(location, "location");
        }

        @Override
        public String variant() {
            return "MemoryFence";
        }
    }

    record HttpRequest(String method, String url, Map<String, String> headers, Optional<JsonValue> body)
            implements EventKind {
        public HttpRequest {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(url, "url");
            headers = Map.copyOf(headers);
            body = nullToEmpty(body);
        }

        @Override
        public String variant() {
            return "HttpRequest";
        }
    }

    record HttpResponse(int status, Map<String, String> headers, Optional<JsonValue> body, long durationMs)
            implements EventKind {
        public HttpResponse {
            if (status < 0 || status > 65535) {
                throw new IllegalArgumentException("status must fit in u16, got " + status);
            }
            headers = Map.copyOf(headers);
            body = nullToEmpty(body);
            requireNonNegative(durationMs, "durationMs");
        }

        @Override
        public String variant() {
            return "HttpResponse";
        }
    }

    record DatabaseQuery(String query, String database, long durationMs) implements EventKind {
        public DatabaseQuery {
            Objects.requireNonNull(query, "query");
            Objects.requireNonNull(database, "database");
            requireNonNegative(durationMs, "durationMs");
        }

        @Override
        public String variant() {
            return "DatabaseQuery";
        }
    }

    record DatabaseResult(long rowsAffected) implements EventKind {
        public DatabaseResult {
            requireNonNegative(rowsAffected, "rowsAffected");
        }

        @Override
        public String variant() {
            return "DatabaseResult";
        }
    }

    record Error(String errorType, String message, List<String> stackTrace) implements EventKind {
        public Error {
            Objects.requireNonNull(errorType, "errorType");
            Objects.requireNonNull(message, "message");
            stackTrace = List.copyOf(stackTrace);
        }

        @Override
        public String variant() {
            return "Error";
        }
    }

    record Custom(String name, JsonValue data) implements EventKind {
        public Custom {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(data, "data");
        }

        @Override
        public String variant() {
            return "Custom";
        }
    }

    /**
     * A kind real SDKs send that the reference server does not know (e.g. the Go and Python SDKs'
     * {@code FunctionReturn}). Kept verbatim: {@code payload} is the variant's JSON object, written back under
     * {@code variant}. No analysis interprets it.
     */
    record Extension(String variant, JsonValue payload) implements EventKind {
        /** The extension variants accepted on input. Any other unknown variant is rejected. */
        public static final List<String> KNOWN = List.of("FunctionReturn");

        public Extension {
            Objects.requireNonNull(variant, "variant");
            Objects.requireNonNull(payload, "payload");
        }
    }

    private static Optional<JsonValue> nullToEmpty(Optional<JsonValue> v) {
        Objects.requireNonNull(v, "optional value");
        return v.filter(x -> !x.isNull());
    }

    private static void requireNonNegative(long v, String name) {
        if (v < 0) {
            throw new IllegalArgumentException(name + " must be non-negative, got " + v);
        }
    }

    private static void requireU32(long v, String name) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(name + " must fit in u32, got " + v);
        }
    }
}
