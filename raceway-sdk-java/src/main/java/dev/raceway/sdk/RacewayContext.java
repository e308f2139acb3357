package dev.raceway.sdk;

import dev.raceway.core.event.VectorClock;
import dev.raceway.sdk.internal.Ids;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * One logical thread of a traced request: the Java counterpart of the Rust SDK's task-local context. It lives in
 * an OpenTelemetry {@link Context} under a private key, so it is current on a thread between
 * {@link #makeCurrent()} and closing the returned {@link Scope}, and it travels with anything that carries
 * OpenTelemetry contexts.
 *
 * <p>The identity (trace, span, parent span, logical thread id, tracestate) is fixed. The position — the vector
 * clock and the id of the last event — advances atomically with every tracking call, so the events of one
 * logical thread form a linear parent chain. Work started from a context is a <em>fork</em>
 * ({@link #fork()}, {@link #wrap(Runnable)}, {@link #taskWrapping(Executor)}): it gets its own logical thread id
 * and clock component, and its first event descends from the event current at the fork point, so work that
 * really runs in parallel is not ordered by accident and can be seen to race. Every context — a request's, a new
 * trace's, a fork — has a clock component of its own ({@link #clockComponent()}), never one shared by the process.
 */
public final class RacewayContext {
    static final ContextKey<RacewayContext> KEY = ContextKey.named("raceway-context");

    private final UUID traceId;
    private final String spanId;
    private final Optional<String> spanIdValue;
    private final Optional<String> parentSpanId;
    private final String threadId;
    private final Optional<String> traceState;
    private final String service;
    private final String instance;
    private final String clockComponent;
    private final long pid;

    // The position of this logical thread; guarded by this.
    private VectorClock clock;
    private UUID lastEventId;

    RacewayContext(UUID traceId, String spanId, Optional<String> parentSpanId, String threadId,
                   Optional<String> traceState, String service, String instance, String clockComponent, long pid,
                   VectorClock clock, UUID lastEventId) {
        this.traceId = Objects.requireNonNull(traceId, "traceId");
        this.spanId = Objects.requireNonNull(spanId, "spanId");
        this.spanIdValue = Optional.of(spanId);
        this.parentSpanId = Objects.requireNonNull(parentSpanId, "parentSpanId");
        this.threadId = Objects.requireNonNull(threadId, "threadId");
        this.traceState = Objects.requireNonNull(traceState, "traceState");
        this.service = service;
        this.instance = instance;
        this.clockComponent = clockComponent;
        this.pid = pid;
        this.clock = clock;
        this.lastEventId = lastEventId;
    }

    /** The context current on this thread, if any. */
    public static Optional<RacewayContext> current() {
        return Optional.ofNullable(Context.current().get(KEY));
    }

    /** Like {@link #current()} without the Optional, for the hot path. */
    static RacewayContext currentOrNull() {
        return Context.current().get(KEY);
    }

    /** Makes this logical thread current until the returned scope is closed (use try-with-resources). */
    @SuppressWarnings("MustBeClosedChecker") // Error Prone: the scope is the caller's to close, as documented
    public Scope makeCurrent() {
        return Context.current().with(KEY, this).makeCurrent();
    }

    /** The OpenTelemetry context of this thread with this Raceway context in it. */
    public Context storeIn(Context context) {
        return context.with(KEY, this);
    }

    /**
     * A new logical thread that starts here: same trace and span, a new logical thread id and clock component,
     * and a first event whose parent is this thread's latest event.
     */
    public RacewayContext fork() {
        VectorClock at;
        UUID last;
        synchronized (this) {
            at = clock;
            last = lastEventId;
        }
        String forkThread = Ids.logicalThreadId(pid);
        return new RacewayContext(traceId, spanId, parentSpanId, forkThread, traceState, service, instance,
                clockComponent(service, instance, forkThread), pid, at, last);
    }

    /**
     * The clock component of one logical thread: {@code <service>#<instance>/<logical thread id>}. Each context
     * (a request, a root context, a fork) counts up a component of its own, so only the program order of one
     * sequential context is ever encoded in a component; two contexts that run concurrently in one process get
     * vectors that compare as concurrent. The {@code /} marks the component as per-context for the server, which
     * may order events through such components but not through the other SDKs' per-process
     * {@code service#instance} ones.
     */
    static String clockComponent(String service, String instance, String logicalThreadId) {
        return service + "#" + instance + "/" + logicalThreadId;
    }

    /** Wraps a task to run in a fork of this context taken now (the spawn point). */
    public Runnable wrap(Runnable task) {
        Objects.requireNonNull(task, "task");
        Context forked = Context.current().with(KEY, fork());
        return forked.wrap(task);
    }

    /** Wraps a task to run in a fork of this context taken now (the spawn point). */
    public <T> Callable<T> wrap(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        Context forked = Context.current().with(KEY, fork());
        return forked.wrap(task);
    }

    /**
     * Wraps a task to run in a fork of the current context (if there is one). The task always runs with the
     * submitting thread's OpenTelemetry context, so a context can never leak into it from the thread that runs
     * it.
     */
    public static Runnable wrapCurrent(Runnable task) {
        Objects.requireNonNull(task, "task");
        Context now = Context.current();
        RacewayContext ctx = now.get(KEY);
        return (ctx == null ? now : now.with(KEY, ctx.fork())).wrap(task);
    }

    /** See {@link #wrapCurrent(Runnable)}. */
    public static <T> Callable<T> wrapCurrent(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        Context now = Context.current();
        RacewayContext ctx = now.get(KEY);
        return (ctx == null ? now : now.with(KEY, ctx.fork())).wrap(task);
    }

    /** An executor that runs every task in a fork of the context current when the task was submitted. */
    public static Executor taskWrapping(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        return task -> executor.execute(wrapCurrent(task));
    }

    /** An executor service that runs every task in a fork of the context current when it was submitted. */
    public static ExecutorService taskWrapping(ExecutorService executor) {
        return new ForkingExecutorService(executor);
    }

    public UUID traceId() {
        return traceId;
    }

    /** This service's span for the request (16 hex digits); sent as {@code distributed_span_id}. */
    public String spanId() {
        return spanId;
    }

    /** The caller's span, when the request came from an instrumented service. */
    public Optional<String> parentSpanId() {
        return parentSpanId;
    }

    /** The logical thread id, {@code java-<pid>-<8 hex>}; sent as {@code thread_id}. */
    public String threadId() {
        return threadId;
    }

    public Optional<String> traceState() {
        return traceState;
    }

    /** The vector clock component this logical thread increments. */
    public String clockComponent() {
        return clockComponent;
    }

    public synchronized VectorClock clock() {
        return clock;
    }

    /** The id of the latest event of this logical thread (the parent of its next event). */
    public synchronized Optional<UUID> lastEventId() {
        return Optional.ofNullable(lastEventId);
    }

    Optional<String> spanIdValue() {
        return spanIdValue;
    }

    String service() {
        return service;
    }

    String instance() {
        return instance;
    }

    /** Takes the next position for an event: new id, parent = previous event, clock with own component + 1. */
    synchronized Tick advance() {
        VectorClock next = clock.increment(clockComponent);
        UUID id = Ids.randomUuid();
        Tick tick = new Tick(id, Optional.ofNullable(lastEventId), next);
        clock = next;
        lastEventId = id;
        return tick;
    }

    /**
     * Merges a clock learned from a callee's response (component-wise maximum), so that this thread's next events
     * come after everything the callee did before it answered. The own component is kept as it is: only this
     * thread counts it up, so a larger value can only come from a broken or hostile peer. A merge that would grow
     * the clock beyond {@code maxEntries} components is refused.
     *
     * @return true when the clock was merged
     */
    synchronized boolean mergeClock(VectorClock learned, int maxEntries) {
        VectorClock merged = clock;
        for (var e : learned.entries()) {
            if (!e.component().equals(clockComponent) && merged.valueOf(e.component()) < e.value()) {
                merged = merged.with(e.component(), e.value());
            }
        }
        if (merged.size() > maxEntries) {
            return false;
        }
        clock = merged;
        return true;
    }

    /**
     * Orders this logical thread after everything {@code observed} has seen: its next event's clock is at least
     * {@code observed} (a join, a completed future, an acquire that saw a release).
     */
    public synchronized void merge(VectorClock observed) {
        clock = clock.merge(Objects.requireNonNull(observed, "observed"));
    }

    /** Increments the own clock component for an outgoing call and returns the new clock. */
    synchronized VectorClock tickForSend() {
        clock = clock.increment(clockComponent);
        return clock;
    }

    record Tick(UUID id, Optional<UUID> parent, VectorClock clock) {
    }

    @Override
    public String toString() {
        return "RacewayContext[trace=" + traceId + ", span=" + spanId + ", thread=" + threadId + "]";
    }
}
