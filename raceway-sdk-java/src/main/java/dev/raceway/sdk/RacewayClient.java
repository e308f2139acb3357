package dev.raceway.sdk;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
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
import dev.raceway.sdk.internal.RateLimitedLog;
import dev.raceway.sdk.internal.TransportSettings;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;

/**
 * The Raceway client: records events of the current request context and sends them to a Raceway server in the
 * background.
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
    private static final System.Logger LOG = System.getLogger("dev.raceway.sdk");
    private static final long PID = ProcessHandle.current().pid();
    private static final String DEFAULT_MODULE = "app";
    /** The most clock components a context takes from callees' responses (the header codec's own bound). */
    static final int MAX_CLOCK_ENTRIES = 256;

    private final RacewayConfig config;
    private final Counters counters = new Counters();
    private final EventSender sender;
    private final OkHttpClient http;
    private final boolean ownsHttp;
    private final Map<String, String> tags;
    private final Optional<String> instanceValue;
    private final Thread shutdownHook;
    private final RateLimitedLog invalidLog = new RateLimitedLog(Level.WARNING, TimeUnit.MINUTES.toNanos(1));
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean warnedOutsideContext;

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

    public static Builder builder(String endpoint, String serviceName) {
        return new Builder(endpoint, serviceName);
    }

    private RacewayClient(Builder b) {
        this.config = b.toConfig();
        Map<String, String> t = new LinkedHashMap<>(config.tags());
        t.put("sdk_language", "java");
        this.tags = Map.copyOf(t);
        this.instanceValue = Optional.of(config.instanceId());
        this.ownsHttp = b.httpClient == null;
        OkHttpClient base = b.httpClient != null ? b.httpClient : new OkHttpClient();
        this.http = base.newBuilder()
                .connectTimeout(config.connectTimeout())
                .callTimeout(config.requestTimeout())
                .readTimeout(config.requestTimeout())
                .writeTimeout(config.requestTimeout())
                .retryOnConnectionFailure(false) // our own policy decides about retries
                .build();
        this.sender = new EventSender(new TransportSettings(config.endpoint() + "/events", config.apiKey(),
                config.gzip(), config.batchSize(), config.maxBatchBytes(), config.flushInterval(),
                config.queueCapacity(), config.maxConcurrentRequests(), config.maxAttempts(), config.maxRetryTime(),
                config.initialBackoff(), config.maxBackoff()), http, counters);
        if (config.shutdownHook()) {
            shutdownHook = new Thread(this::close, "raceway-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            shutdownHook = null;
        }
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
        return new RacewayStats(counters.queued.sum(), counters.sent.sum(), counters.dropped.sum(),
                counters.rejected.sum(), counters.failed.sum(), counters.retried.sum(), counters.invalid.sum(),
                counters.outsideContext.sum());
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
        RacewayContext ctx = activeContext();
        if (ctx == null) {
            return;
        }
        try {
            if (variable == null || accessType == null) {
                invalid("trackStateChange needs a variable and an access type");
                return;
            }
            JsonValue old = FastJson.of(oldValue);
            EventKind kind = new EventKind.StateChange(variable, old.isNull() ? Optional.empty() : Optional.of(old),
                    FastJson.of(newValue), location().text(), accessType);
            emit(ctx, kind, -1);
        } catch (RuntimeException e) {
            invalid("trackStateChange failed: " + e);
        }
    }

    /**
     * {@link #trackStateChange(String, Object, Object, AccessType)} with the access type by its wire name:
     * exactly one of {@code Read}, {@code Write}, {@code AtomicRead}, {@code AtomicWrite}, {@code AtomicRMW}.
     * Any other name drops the call (counted as invalid, logged at most once a minute); it never throws.
     */
    public void trackStateChange(String variable, Object oldValue, Object newValue, String accessType) {
        if (activeContext() == null) {
            return;
        }
        Optional<AccessType> type = accessType == null ? Optional.empty() : AccessType.fromWireName(accessType);
        if (type.isEmpty()) {
            invalid("unknown access type '" + accessType + "' for variable '" + variable
                    + "' (expected Read, Write, AtomicRead, AtomicWrite or AtomicRMW)");
            return;
        }
        trackStateChange(variable, oldValue, newValue, type.get());
    }

    /** A function call (no duration). {@code args} is any plain value (map, list, number, string, …). */
    public void trackFunctionCall(String functionName, Object args) {
        RacewayContext ctx = activeContext();
        if (ctx != null) {
            functionCall(ctx, functionName, args, -1, location());
        }
    }

    /** A function call with a measured duration in nanoseconds. */
    public void trackFunctionCall(String functionName, Object args, long durationNs) {
        RacewayContext ctx = activeContext();
        if (ctx != null) {
            functionCall(ctx, functionName, args, durationNs, location());
        }
    }

    /**
     * Runs {@code body} and records one FunctionCall with its duration after it returns or throws (so it comes
     * after the events made inside). The body's result or exception is passed through unchanged.
     */
    public <T> T trackFunction(String functionName, Object args, Supplier<T> body) {
        RacewayContext ctx = activeContext();
        if (ctx == null) {
            return body.get();
        }
        CallerLocation at = location();
        long start = System.nanoTime();
        try {
            return body.get();
        } finally {
            functionCall(ctx, functionName, args, System.nanoTime() - start, at);
        }
    }

    /** {@link #trackFunction(String, Object, Supplier)} for a body that throws checked exceptions. */
    public <T> T trackFunctionCallable(String functionName, Object args, Callable<T> body) throws Exception {
        RacewayContext ctx = activeContext();
        if (ctx == null) {
            return body.call();
        }
        CallerLocation at = location();
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
        RacewayContext ctx = activeContext();
        if (ctx == null) {
            return body.get();
        }
        CallerLocation at = location();
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

    /**
     * Records an event kind the caller built itself, in the current context (a no-op outside one). For
     * instrumentation that knows more than a tracking call can find out, e.g. the raceway agent, which takes an
     * access's {@code File.java:line} from the class file instead of walking the stack.
     */
    public void track(EventKind kind) {
        RacewayContext ctx = activeContext();
        if (ctx != null && kind != null) {
            emit(ctx, kind, -1);
        }
    }

    /** An incoming or outgoing HTTP request. */
    public void trackHttpRequest(String method, String url) {
        trackHttpRequest(method, url, Map.of());
    }

    public void trackHttpRequest(String method, String url, Map<String, String> headers) {
        RacewayContext ctx = activeContext();
        if (ctx == null) {
            return;
        }
        try {
            emit(ctx, new EventKind.HttpRequest(method, url, headers, Optional.empty()), -1);
        } catch (RuntimeException e) {
            invalid("trackHttpRequest failed: " + e);
        }
    }

    /** An HTTP response with its status and duration in milliseconds (also sent as {@code duration_ns}). */
    public void trackHttpResponse(int status, long durationMs) {
        RacewayContext ctx = activeContext();
        if (ctx != null) {
            httpResponse(ctx, status, durationMs);
        }
    }

    void httpResponse(RacewayContext ctx, int status, long durationMs) {
        try {
            emit(ctx, new EventKind.HttpResponse(status, Map.of(), Optional.empty(), durationMs),
                    Math.multiplyExact(durationMs, 1_000_000L));
        } catch (RuntimeException e) {
            invalid("trackHttpResponse failed: " + e);
        }
    }

    /** A lock was obtained. Prefer {@link TrackedLock} / {@link TrackedReadWriteLock}, which call this for you. */
    public void trackLockAcquire(String lockId, String lockType) {
        RacewayContext ctx = activeContext();
        if (ctx == null) {
            return;
        }
        try {
            emit(ctx, new EventKind.LockAcquire(lockId, lockType, location().text()), -1);
        } catch (RuntimeException e) {
            invalid("trackLockAcquire failed: " + e);
        }
    }

    /** A lock is about to be released. */
    public void trackLockRelease(String lockId, String lockType) {
        RacewayContext ctx = activeContext();
        if (ctx == null) {
            return;
        }
        try {
            emit(ctx, new EventKind.LockRelease(lockId, lockType, location().text()), -1);
        } catch (RuntimeException e) {
            invalid("trackLockRelease failed: " + e);
        }
    }

    /** An error: the exception's class name, message and stack trace. */
    public void trackError(Throwable error) {
        RacewayContext ctx = activeContext();
        if (ctx != null && error != null) {
            error(ctx, error);
        }
    }

    /** An error described by a type and message. */
    public void trackError(String errorType, String message) {
        RacewayContext ctx = activeContext();
        if (ctx == null) {
            return;
        }
        try {
            emit(ctx, new EventKind.Error(errorType, message, List.of(location().text())), -1);
        } catch (RuntimeException e) {
            invalid("trackError failed: " + e);
        }
    }

    void error(RacewayContext ctx, Throwable error) {
        try {
            StackTraceElement[] st = error.getStackTrace();
            List<String> frames = new ArrayList<>(Math.min(st.length, 64));
            for (int i = 0; i < st.length && i < 64; i++) {
                frames.add(st[i].toString());
            }
            emit(ctx, new EventKind.Error(error.getClass().getName(), String.valueOf(error.getMessage()), frames),
                    -1);
        } catch (RuntimeException e) {
            invalid("trackError failed: " + e);
        }
    }

    /** A custom event with free-form data. */
    public void trackCustom(String name, Object data) {
        RacewayContext ctx = activeContext();
        if (ctx == null) {
            return;
        }
        try {
            emit(ctx, new EventKind.Custom(name, FastJson.of(data)), -1);
        } catch (RuntimeException e) {
            invalid("trackCustom failed: " + e);
        }
    }

    /** A database query with its duration in milliseconds. */
    public void trackDatabaseQuery(String query, String database, long durationMs) {
        RacewayContext ctx = activeContext();
        if (ctx == null) {
            return;
        }
        try {
            emit(ctx, new EventKind.DatabaseQuery(query, database, durationMs),
                    Math.multiplyExact(durationMs, 1_000_000L));
        } catch (RuntimeException e) {
            invalid("trackDatabaseQuery failed: " + e);
        }
    }

    /** The result of a database statement. */
    public void trackDatabaseResult(long rowsAffected) {
        RacewayContext ctx = activeContext();
        if (ctx == null) {
            return;
        }
        try {
            emit(ctx, new EventKind.DatabaseResult(rowsAffected), -1);
        } catch (RuntimeException e) {
            invalid("trackDatabaseResult failed: " + e);
        }
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
        if (ownsHttp) {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or about to; nothing to undo
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internals

    private RacewayContext activeContext() {
        if (!config.enabled()) {
            return null;
        }
        RacewayContext ctx = RacewayContext.currentOrNull();
        if (ctx == null) {
            outsideContext();
        }
        return ctx;
    }

    /**
     * A tracking call with no context on its thread makes no event: usually work handed to another thread without
     * its context, or code that runs outside any request. Counted, and said once (a plain volatile read after
     * that, so the no-op stays a few nanoseconds).
     */
    private void outsideContext() {
        counters.outsideContext.increment();
        if (!warnedOutsideContext) {
            warnedOutsideContext = true;
            if (LOG.isLoggable(Level.WARNING)) {
                LOG.log(Level.WARNING, "Raceway: a tracking call on thread '" + Thread.currentThread().getName()
                        + "' found no current Raceway context and recorded nothing (at "
                        + CallerLocation.capture().text() + "). Carry the request's context to other threads"
                        + " (RacewayContext.wrap, taskWrapping, fork) or open one (client.newTrace().makeCurrent())."
                        + " Such calls are counted in client.stats().outsideContext(); this is logged once.");
            }
        }
    }

    private CallerLocation location() {
        return config.captureLocation() ? CallerLocation.capture() : CallerLocation.UNKNOWN;
    }

    private void functionCall(RacewayContext ctx, String functionName, Object args, long durationNs,
                              CallerLocation at) {
        try {
            emit(ctx, new EventKind.FunctionCall(functionName, config.module(), FastJson.of(args), at.file(),
                    at.line()), durationNs);
        } catch (RuntimeException e) {
            invalid("trackFunctionCall failed: " + e);
        }
    }

    /** Takes the context's next position and queues the event. */
    void emit(RacewayContext ctx, EventKind kind, long durationNs) {
        if (!config.enabled()) {
            return;
        }
        RacewayContext.Tick tick = ctx.advance();
        EventMetadata metadata = new EventMetadata(ctx.threadId(), PID, config.serviceName(), config.environment(),
                tags, durationNs >= 0 ? OptionalLong.of(durationNs) : OptionalLong.empty(), instanceValue,
                ctx.spanIdValue(), ctx.parentSpanId());
        sender.offer(new Event(tick.id(), ctx.traceId(), tick.parent(), Instant.now(), kind, metadata, tick.clock(),
                List.of()));
    }

    private void invalid(String message) {
        counters.invalid.increment();
        invalidLog.log("Raceway: " + message + "; call ignored");
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Builds a {@link RacewayClient}. Every setting has a default; see {@link RacewayConfig}. */
    public static final class Builder {
        /** No bound on the attempts of one batch: {@link #DEFAULT_MAX_RETRY_TIME} decides when to give up. */
        public static final int DEFAULT_MAX_ATTEMPTS = Integer.MAX_VALUE;
        /** How long the sender keeps retrying while the server is away: longer than a restart or a redeploy. */
        public static final Duration DEFAULT_MAX_RETRY_TIME = Duration.ofSeconds(60);
        private final String endpoint;
        private final String serviceName;
        private String apiKey;
        private String module = DEFAULT_MODULE;
        private String instanceId = defaultInstanceId();
        private String environment = envOr("RACEWAY_ENVIRONMENT", "development");
        private final Map<String, String> tags = new HashMap<>();
        private int batchSize = 1000;
        private int maxBatchBytes = 1 << 20;
        private Duration flushInterval = Duration.ofSeconds(1);
        private int queueCapacity = 100_000;
        private int maxConcurrentRequests = 2;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration maxRetryTime = DEFAULT_MAX_RETRY_TIME;
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private Duration flushTimeout = Duration.ofSeconds(30);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private boolean gzip;
        private boolean enabled = true;
        private boolean captureLocation = true;
        private boolean shutdownHook;
        private OkHttpClient httpClient;

        private Builder(String endpoint, String serviceName) {
            this.endpoint = endpoint;
            this.serviceName = serviceName;
        }

        public Builder apiKey(String key) {
            this.apiKey = key;
            return this;
        }

        public Builder module(String module) {
            this.module = module;
            return this;
        }

        public Builder instanceId(String id) {
            this.instanceId = id;
            return this;
        }

        public Builder environment(String environment) {
            this.environment = environment;
            return this;
        }

        public Builder tag(String key, String value) {
            tags.put(Objects.requireNonNull(key, "tag key"), Objects.requireNonNull(value, "tag value"));
            return this;
        }

        public Builder tags(Map<String, String> more) {
            more.forEach(this::tag);
            return this;
        }

        public Builder batchSize(int n) {
            this.batchSize = n;
            return this;
        }

        public Builder maxBatchBytes(int n) {
            this.maxBatchBytes = n;
            return this;
        }

        public Builder flushInterval(Duration d) {
            this.flushInterval = d;
            return this;
        }

        public Builder queueCapacity(int n) {
            this.queueCapacity = n;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        public Builder requestTimeout(Duration d) {
            this.requestTimeout = d;
            return this;
        }

        /** Batches in flight at once (default 2); see {@link RacewayConfig#maxConcurrentRequests()}. */
        public Builder maxConcurrentRequests(int n) {
            this.maxConcurrentRequests = n;
            return this;
        }

        /** Send attempts per batch, the first included [unbounded: the retry time decides]. */
        public Builder maxAttempts(int n) {
            this.maxAttempts = n;
            return this;
        }

        /**
         * How long to keep retrying while the server fails (refuses connections, answers 5xx, 429 or 408),
         * counted from the first failed attempt after the last success [60 s]. Meanwhile new events are queued
         * (up to {@link #queueCapacity(int)}); after it, batches that still fail are given up and counted as
         * {@link RacewayStats#failed()}.
         */
        public Builder maxRetryTime(Duration d) {
            this.maxRetryTime = d;
            return this;
        }

        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        public Builder flushTimeout(Duration d) {
            this.flushTimeout = d;
            return this;
        }

        public Builder closeTimeout(Duration d) {
            this.closeTimeout = d;
            return this;
        }

        public Builder gzip(boolean on) {
            this.gzip = on;
            return this;
        }

        public Builder enabled(boolean on) {
            this.enabled = on;
            return this;
        }

        public Builder captureLocation(boolean on) {
            this.captureLocation = on;
            return this;
        }

        public Builder shutdownHook(boolean on) {
            this.shutdownHook = on;
            return this;
        }

        /** The OkHttp client to derive the sender's client from (its dispatcher and pool are shared). */
        public Builder httpClient(OkHttpClient client) {
            this.httpClient = Objects.requireNonNull(client, "client");
            return this;
        }

        public RacewayClient build() {
            return new RacewayClient(this);
        }

        RacewayConfig toConfig() {
            String base = normaliseEndpoint(endpoint);
            requireText(serviceName, "serviceName");
            requireText(module, "module");
            requireText(instanceId, "instanceId");
            requireText(environment, "environment");
            if (apiKey != null && apiKey.isBlank()) {
                throw new IllegalArgumentException("apiKey must not be blank (omit it instead)");
            }
            requirePositive(batchSize, "batchSize");
            requirePositive(maxBatchBytes, "maxBatchBytes");
            requirePositive(queueCapacity, "queueCapacity");
            requirePositive(maxAttempts, "maxAttempts");
            requirePositive(maxConcurrentRequests, "maxConcurrentRequests");
            if (queueCapacity < batchSize) {
                throw new IllegalArgumentException("queueCapacity (" + queueCapacity + ") must be at least batchSize ("
                        + batchSize + ")");
            }
            requirePositive(flushInterval, "flushInterval");
            requirePositive(connectTimeout, "connectTimeout");
            requirePositive(requestTimeout, "requestTimeout");
            requirePositive(maxRetryTime, "maxRetryTime");
            requirePositive(initialBackoff, "initialBackoff");
            requirePositive(maxBackoff, "maxBackoff");
            requirePositive(flushTimeout, "flushTimeout");
            requirePositive(closeTimeout, "closeTimeout");
            return new RacewayConfig(base, serviceName, Optional.ofNullable(apiKey).map(String::trim), module,
                    instanceId, environment, tags, batchSize, maxBatchBytes, flushInterval, queueCapacity,
                    maxConcurrentRequests, connectTimeout, requestTimeout, maxAttempts, maxRetryTime, initialBackoff,
                    maxBackoff,
                    flushTimeout, closeTimeout, gzip, enabled, captureLocation, shutdownHook);
        }

        private static String normaliseEndpoint(String endpoint) {
            if (endpoint == null || endpoint.isBlank()) {
                throw new IllegalArgumentException("endpoint must be an http(s) URL, got " + endpoint);
            }
            String e = endpoint.trim();
            while (e.endsWith("/")) {
                e = e.substring(0, e.length() - 1);
            }
            URI uri;
            try {
                uri = URI.create(e);
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("endpoint is not a valid URL: " + endpoint, bad);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException("endpoint must be an http(s) URL with a host, got " + endpoint);
            }
            if (uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalArgumentException("endpoint must not have a query or fragment: " + endpoint);
            }
            return e;
        }

        private static void requireText(String s, String name) {
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
        }

        private static void requirePositive(int n, String name) {
            if (n <= 0) {
                throw new IllegalArgumentException(name + " must be positive, got " + n);
            }
        }

        private static void requirePositive(Duration d, String name) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
            }
        }

        private static String envOr(String name, String fallback) {
            String v = System.getenv(name);
            return v == null || v.isBlank() ? fallback : v.trim();
        }

        /** {@code RACEWAY_INSTANCE_ID}, else {@code <host>-<pid>} as the Rust SDK does. */
        static String defaultInstanceId() {
            String fromEnv = System.getenv("RACEWAY_INSTANCE_ID");
            if (fromEnv != null && !fromEnv.isBlank()) {
                return fromEnv.trim();
            }
            String host = envOr("HOSTNAME", envOr("COMPUTERNAME", "instance"));
            return host + "-" + PID;
        }
    }
}
