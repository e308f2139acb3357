package dev.raceway.sdk;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.VectorClock;
import dev.raceway.core.propagation.InboundContext;
import dev.raceway.core.propagation.OutboundHeaders;
import dev.raceway.core.propagation.RacewayClock;
import dev.raceway.sdk.internal.CallerLocation;
import dev.raceway.sdk.internal.Counters;
import dev.raceway.sdk.internal.EventSender;
import dev.raceway.sdk.internal.FastJson;
import dev.raceway.sdk.internal.Ids;
import dev.raceway.sdk.internal.OtelTraceIds;
import dev.raceway.sdk.internal.TransportSettings;
import dev.raceway.sdk.transport.EventTarget;
import dev.raceway.sdk.transport.EventTransport;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Raceway client: records events of the current request context and sends them to a Raceway server in the
 * background. A facade: the tracking calls go through one {@link Tracker} (the guard and the event), batches
 * through an {@link EventSender} and its {@link EventTransport}; this class opens contexts, makes propagation
 * headers and names the calls.
 *
 * <p>Tracking calls never throw into the application, never block it and never do I/O on its thread. Outside a
 * request context they are cheap no-ops, counted as {@link RacewayStats#outsideContext()} and logged once.
 * Invalid input (an unknown access type, a negative duration) is dropped at the call site and counted as
 * {@link RacewayStats#invalid()}.
 *
 * <p>Thread-safe; create one per service and share it. {@link #close()} sends what is queued (within the close
 * timeout) and stops the background thread.
 */
public final class RacewayClient implements AutoCloseable {
    private static final long PID = Tracker.PID;
    private static final long NO_DURATION = Tracker.NO_DURATION;
    /** The most clock components a context takes from callees' responses (the header codec's own bound). */
    static final int MAX_CLOCK_ENTRIES = 256;

    private final RacewayConfig config;
    private final Counters counters = new Counters();
    private final EventSender sender;
    private final Tracker tracker;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A client with module {@code "app"} and no API key. */
    public RacewayClient(String endpoint, String serviceName) {
        this(builder(endpoint, serviceName));
    }

    /** A client with module {@code "app"} that authenticates with {@code apiKey}. */
    public RacewayClient(String endpoint, String serviceName, String apiKey) {
        this(builder(endpoint, serviceName).apiKey(apiKey));
    }

    /** A client whose FunctionCall events carry {@code module}. */
    public static RacewayClient withModule(String endpoint, String serviceName, String module) {
        return builder(endpoint, serviceName).module(module).build();
    }

    /** A client whose FunctionCall events carry {@code module}, authenticating with {@code apiKey}. */
    public static RacewayClient withModule(String endpoint, String serviceName, String module, String apiKey) {
        return builder(endpoint, serviceName).module(module).apiKey(apiKey).build();
    }

    public static RacewayClientBuilder builder(String endpoint, String serviceName) {
        return new RacewayClientBuilder(endpoint, serviceName);
    }

    RacewayClient(RacewayClientBuilder b) {
        this.config = b.toConfig();
        EventTransport transport = b.transportFactory().create(target(config));
        this.sender = new EventSender(new TransportSettings(config.gzip(), config.batchSize(),
                config.maxBatchBytes(), config.flushInterval(), config.queueCapacity(),
                config.maxConcurrentRequests(), config.maxAttempts(), config.maxRetryTime(),
                config.initialBackoff(), config.maxBackoff()), transport, counters);
        this.tracker = new Tracker(config, counters, sender);
        if (config.shutdownHook()) {
            shutdownHook = new Thread(this::close, "raceway-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            shutdownHook = null;
        }
    }

    /** {@code POST {endpoint}/events} with the JSON type, the API key both ways and the internal-traffic mark. */
    private static EventTarget target(RacewayConfig config) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put(EventTarget.INTERNAL_HEADER, "true");
        config.apiKey().ifPresent(k -> {
            headers.put("Authorization", "Bearer " + k);
            headers.put("X-Raceway-Key", k);
        });
        if (config.gzip()) {
            headers.put("Content-Encoding", "gzip");
        }
        return new EventTarget(URI.create(config.endpoint() + "/events"), headers, config.connectTimeout(),
                config.requestTimeout());
    }

    public RacewayConfig config() {
        return config;
    }

    public String serviceName() {
        return config.serviceName();
    }

    public String instanceId() {
        return config.instanceId();
    }

    public RacewayStats stats() {
        return sender.stats();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Contexts

    /** A context for a new trace (or the active OpenTelemetry span's trace), e.g. for a job or a test. */
    public RacewayContext newTrace() {
        return startRequest(new InboundContext(Optional.empty(), Optional.empty(), Optional.empty(),
                VectorClock.empty(), Optional.empty(), false));
    }

    /**
     * A context for an incoming request whose headers are read through {@code header} (a case-insensitive lookup
     * that returns {@code null} for an absent header): joins the caller's trace when it sent propagation headers.
     */
    public RacewayContext startRequest(Function<String, String> header) {
        return startRequest(InboundContext.parse(header));
    }

    /** A context for an incoming request described by already parsed propagation headers. */
    public RacewayContext startRequest(InboundContext inbound) {
        UUID traceId = inbound.traceId().or(OtelTraceIds::activeTraceId).orElseGet(Ids::randomUuid);
        String spanId = inbound.spanId().orElseGet(Ids::spanId);
        String threadId = Ids.logicalThreadId(PID);
        String component = RacewayContext.clockComponent(config.serviceName(), config.instanceId(), threadId);
        // A fresh component per context (never the process's): concurrent requests get concurrent vectors.
        VectorClock clock = inbound.clock().with(component, 0);
        return new RacewayContext(traceId, spanId, inbound.parentSpanId(), threadId, inbound.traceState(),
                config.serviceName(), config.instanceId(), component, PID, clock, null);
    }

    /**
     * The {@code raceway-clock} value a callee returns on its response (the servlet filter sets it): this
     * context's trace, span and caller span, and its vector clock now. A caller that merges it
     * ({@link #mergeResponseClock(RacewayContext, String)}) orders its next events after everything this context
     * did before answering.
     */
    public String responseClockHeader(RacewayContext ctx) {
        return new RacewayClock(Optional.of(ctx.traceId()), Optional.of(ctx.spanId()), ctx.parentSpanId(),
                Optional.of(ctx.service()), Optional.of(ctx.instance()), ctx.clock()).encode();
    }

    /**
     * Merges the {@code raceway-clock} a callee returned on its response into {@code ctx} (component-wise
     * maximum), so the caller's next events come after the callee's. A header that is absent, malformed, of
     * another trace, or would grow the clock beyond {@value #MAX_CLOCK_ENTRIES} components is ignored. Never
     * throws.
     *
     * @return true when a clock was merged
     */
    public boolean mergeResponseClock(RacewayContext ctx, String header) {
        if (ctx == null || header == null || !config.enabled()) {
            return false;
        }
        try {
            Optional<RacewayClock> clock = RacewayClock.decode(header);
            if (clock.isEmpty() || !clock.get().traceId().equals(Optional.of(ctx.traceId()))) {
                return false;
            }
            return ctx.mergeClock(clock.get().clock(), MAX_CLOCK_ENTRIES);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {@link #mergeResponseClock(RacewayContext, String)} into the current context, if there is one. */
    public boolean mergeResponseClock(String header) {
        return mergeResponseClock(RacewayContext.currentOrNull(), header);
    }

    /**
     * The headers to send with a downstream call made in the current context: {@code traceparent} (naming a new
     * child span), {@code tracestate} (when the request had one) and {@code raceway-clock}. The own clock
     * component is incremented; the context keeps its span, so later calls are siblings, not children.
     *
     * @throws NoActiveContextException outside a context
     */
    public Map<String, String> propagationHeaders() {
        return propagationHeaders(Map.of());
    }

    /** {@link #propagationHeaders()} with {@code extra} headers merged last. */
    public Map<String, String> propagationHeaders(Map<String, String> extra) {
        RacewayContext ctx = RacewayContext.currentOrNull();
        if (ctx == null) {
            throw new NoActiveContextException();
        }
        return propagationHeaders(ctx, extra);
    }

    /** The propagation headers for a call made from {@code ctx}. */
    public Map<String, String> propagationHeaders(RacewayContext ctx, Map<String, String> extra) {
        VectorClock clock = ctx.tickForSend();
        Map<String, String> headers = new LinkedHashMap<>(OutboundHeaders.build(ctx.traceId(), ctx.spanId(),
                Ids.spanId(), ctx.service(), ctx.instance(), clock, ctx.traceState()));
        headers.putAll(extra);
        return headers;
    }

    /** The propagation headers of the current context, or empty outside one. */
    public Optional<Map<String, String>> currentPropagationHeaders() {
        RacewayContext ctx = RacewayContext.currentOrNull();
        return ctx == null ? Optional.empty() : Optional.of(propagationHeaders(ctx, Map.of()));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Tracking

    /** A read or write of shared state. {@code oldValue} may be {@code null} (none). */
    public void trackStateChange(String variable, Object oldValue, Object newValue, AccessType accessType) {
        RacewayContext ctx = tracker.context();
        if (ctx == null) {
            return;
        }
        // The hot path, written out: no kind supplier to allocate.
        if (variable == null || accessType == null) {
            tracker.invalid("trackStateChange needs a variable and an access type");
            return;
        }
        try {
            JsonValue old = FastJson.of(oldValue);
            tracker.emit(ctx, new EventKind.StateChange(variable, old.isNull() ? Optional.empty() : Optional.of(old),
                    FastJson.of(newValue), tracker.location().text(), accessType), NO_DURATION);
        } catch (RuntimeException e) {
            tracker.invalid("trackStateChange failed: " + e);
        }
    }

    /**
     * {@link #trackStateChange(String, Object, Object, AccessType)} with the access type by its wire name:
     * exactly one of {@code Read}, {@code Write}, {@code AtomicRead}, {@code AtomicWrite}, {@code AtomicRMW}.
     * Any other name drops the call (counted as invalid, logged at most once a minute); it never throws.
     */
    public void trackStateChange(String variable, Object oldValue, Object newValue, String accessType) {
        Optional<AccessType> type = accessType == null ? Optional.empty() : AccessType.fromWireName(accessType);
        if (type.isPresent()) {
            trackStateChange(variable, oldValue, newValue, type.get());
        } else if (tracker.context() != null) {
            tracker.invalid("unknown access type '" + accessType + "' for variable '" + variable
                    + "' (expected Read, Write, AtomicRead, AtomicWrite or AtomicRMW)");
        }
    }

    /** A function call (no duration). {@code args} is any plain value (map, list, number, string, …). */
    public void trackFunctionCall(String functionName, Object args) {
        RacewayContext ctx = tracker.context();
        if (ctx != null) {
            functionCall(ctx, functionName, args, NO_DURATION, tracker.location());
        }
    }

    /** A function call with a measured duration in nanoseconds. */
    public void trackFunctionCall(String functionName, Object args, long durationNs) {
        RacewayContext ctx = tracker.context();
        if (ctx != null) {
            functionCall(ctx, functionName, args, durationNs, tracker.location());
        }
    }

    /**
     * Runs {@code body} and records one FunctionCall with its duration after it returns or throws (so it comes
     * after the events made inside). The body's result or exception is passed through unchanged.
     */
    public <T> T trackFunction(String functionName, Object args, Supplier<T> body) {
        RacewayContext ctx = tracker.context();
        if (ctx == null) {
            return body.get();
        }
        CallerLocation at = tracker.location();
        long start = System.nanoTime();
        try {
            return body.get();
        } finally {
            functionCall(ctx, functionName, args, System.nanoTime() - start, at);
        }
    }

    /** {@link #trackFunction(String, Object, Supplier)} for a body that throws checked exceptions. */
    public <T> T trackFunctionCallable(String functionName, Object args, Callable<T> body) throws Exception {
        RacewayContext ctx = tracker.context();
        if (ctx == null) {
            return body.call();
        }
        CallerLocation at = tracker.location();
        long start = System.nanoTime();
        try {
            return body.call();
        } finally {
            functionCall(ctx, functionName, args, System.nanoTime() - start, at);
        }
    }

    /**
     * Starts an asynchronous body and records one FunctionCall with its duration when the returned stage
     * completes (normally or exceptionally), in the context that was current at the call.
     */
    public <T> CompletionStage<T> trackFunctionAsync(String functionName, Object args,
                                                     Supplier<? extends CompletionStage<T>> body) {
        RacewayContext ctx = tracker.context();
        if (ctx == null) {
            return body.get();
        }
        CallerLocation at = tracker.location();
        long start = System.nanoTime();
        CompletionStage<T> stage;
        try {
            stage = body.get();
        } catch (RuntimeException | Error e) {
            functionCall(ctx, functionName, args, System.nanoTime() - start, at);
            throw e;
        }
        return stage.whenComplete((v, e) -> functionCall(ctx, functionName, args, System.nanoTime() - start, at));
    }

    private void functionCall(RacewayContext ctx, String functionName, Object args, long durationNs,
                              CallerLocation at) {
        tracker.record(ctx, "trackFunctionCall", () -> new EventKind.FunctionCall(functionName, config.module(),
                FastJson.of(args), at.file(), at.line()), durationNs);
    }

    /**
     * Records an event kind the caller built itself, in the current context (a no-op outside one). For
     * instrumentation that knows more than a tracking call can find out, e.g. the raceway agent, which takes an
     * access's {@code File.java:line} from the class file instead of walking the stack.
     */
    public void track(EventKind kind) {
        RacewayContext ctx = tracker.context();
        if (ctx != null && kind != null) {
            tracker.emit(ctx, kind, NO_DURATION);
        }
    }

    /** An incoming or outgoing HTTP request. */
    public void trackHttpRequest(String method, String url) {
        trackHttpRequest(method, url, Map.of());
    }

    public void trackHttpRequest(String method, String url, Map<String, String> headers) {
        RacewayContext ctx = tracker.context();
        if (ctx != null) {
            tracker.record(ctx, "trackHttpRequest", () -> new EventKind.HttpRequest(method, url, headers,
                    Optional.empty()), NO_DURATION);
        }
    }

    /** An HTTP response with its status and duration in milliseconds (also sent as {@code duration_ns}). */
    public void trackHttpResponse(int status, long durationMs) {
        RacewayContext ctx = tracker.context();
        if (ctx != null) {
            timed(ctx, "trackHttpResponse", () -> new EventKind.HttpResponse(status, Map.of(), Optional.empty(),
                    durationMs), durationMs);
        }
    }

    /** A lock was obtained. Prefer {@link TrackedLock} / {@link TrackedReadWriteLock}, which call this for you. */
    public void trackLockAcquire(String lockId, String lockType) {
        RacewayContext ctx = tracker.context();
        if (ctx != null) {
            tracker.record(ctx, "trackLockAcquire", () -> new EventKind.LockAcquire(lockId, lockType,
                    tracker.location().text()), NO_DURATION);
        }
    }

    /** A lock is about to be released. */
    public void trackLockRelease(String lockId, String lockType) {
        RacewayContext ctx = tracker.context();
        if (ctx != null) {
            tracker.record(ctx, "trackLockRelease", () -> new EventKind.LockRelease(lockId, lockType,
                    tracker.location().text()), NO_DURATION);
        }
    }

    /** An error: the exception's class name, message and stack trace (its first 64 frames). */
    public void trackError(Throwable error) {
        RacewayContext ctx = tracker.context();
        if (ctx == null || error == null) {
            return;
        }
        tracker.record(ctx, "trackError", () -> {
            StackTraceElement[] st = error.getStackTrace();
            List<String> frames = new ArrayList<>(Math.min(st.length, 64));
            for (int i = 0; i < st.length && i < 64; i++) {
                frames.add(st[i].toString());
            }
            return new EventKind.Error(error.getClass().getName(), String.valueOf(error.getMessage()), frames);
        }, NO_DURATION);
    }

    /** An error described by a type and message. */
    public void trackError(String errorType, String message) {
        RacewayContext ctx = tracker.context();
        if (ctx != null) {
            tracker.record(ctx, "trackError", () -> new EventKind.Error(errorType, message,
                    List.of(tracker.location().text())), NO_DURATION);
        }
    }

    /** A custom event with free-form data. */
    public void trackCustom(String name, Object data) {
        RacewayContext ctx = tracker.context();
        if (ctx != null) {
            tracker.record(ctx, "trackCustom", () -> new EventKind.Custom(name, FastJson.of(data)),
                    NO_DURATION);
        }
    }

    /** A database query with its duration in milliseconds. */
    public void trackDatabaseQuery(String query, String database, long durationMs) {
        RacewayContext ctx = tracker.context();
        if (ctx != null) {
            timed(ctx, "trackDatabaseQuery", () -> new EventKind.DatabaseQuery(query, database, durationMs),
                    durationMs);
        }
    }

    /** The result of a database statement. */
    public void trackDatabaseResult(long rowsAffected) {
        RacewayContext ctx = tracker.context();
        if (ctx != null) {
            tracker.record(ctx, "trackDatabaseResult", () -> new EventKind.DatabaseResult(rowsAffected),
                    NO_DURATION);
        }
    }

    /** An event with a duration in milliseconds, also sent as {@code duration_ns} (an overflow is invalid). */
    private void timed(RacewayContext ctx, String call, Supplier<EventKind> kind, long durationMs) {
        long ns;
        try {
            ns = Math.multiplyExact(durationMs, 1_000_000L);
        } catch (ArithmeticException e) {
            tracker.invalid(call + " failed: " + e);
            return;
        }
        tracker.record(ctx, call, kind, ns);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Lifecycle

    /** Sends everything queued before this call; waits at most the configured flush timeout. */
    public boolean flush() {
        return flush(config.flushTimeout());
    }

    /** Sends everything queued before this call; false when {@code timeout} passed first. */
    public boolean flush(Duration timeout) {
        return sender.flush(timeout);
    }

    /** Same as {@link #close()} (the Rust SDK's name). */
    public void shutdown() {
        close();
    }

    /** Sends what is queued (within the close timeout), stops the background thread. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        sender.close(config.closeTimeout());
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or about to; nothing to undo
            }
        }
    }
}
