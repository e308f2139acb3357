package dev.raceway.agent;

import com.sun.net.httpserver.HttpExchange;
import dev.raceway.agent.bootstrap.Bridge;
import dev.raceway.agent.bootstrap.Sink;
import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.LockTypes;
import dev.raceway.core.event.VectorClock;
import dev.raceway.core.propagation.RacewayClock;
import dev.raceway.core.propagation.TraceParent;
import dev.raceway.sdk.RacewayClient;
import dev.raceway.sdk.RacewayContext;
import io.opentelemetry.context.Scope;
import java.net.HttpURLConnection;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountedCompleter;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Turns what instrumented code reports into events of the right logical thread, through the SDK.
 *
 * <p>Contexts: a request handler runs in the request's context; any other thread runs in a fork of the JVM run's
 * trace (a thread started by {@code Thread.start} in a fork of its starter's context, taken at the start). Tasks
 * handed to executors run in a fork taken when they were handed off. Joins, completed futures, volatile reads,
 * atomics and lock acquires merge the clock their counterpart left, so they order exactly what the program
 * orders.
 *
 * <p>The agent's own threads and the agent's own work on application threads are never recorded (a per-thread
 * busy flag).
 */
final class Recorder implements Sink {
    /** The servlet request attribute holding a request's context (so a nested service() call is not a new one). */
    private static final String CONTEXT_ATTRIBUTE = "dev.raceway.agent.context";

    private final AgentSettings settings;
    private final RacewayClient client;
    private final Sites sites;
    private final RacewayContext origin;
    private final ServletAccess servlets = new ServletAccess();
    private final OkHttpAccess okHttp = new OkHttpAccess();

    private final ThreadLocal<ThreadState> states = ThreadLocal.withInitial(this::newThreadState);
    private final WeakIdentityMap<Thread, Boolean> agentThreads = new WeakIdentityMap<>();
    private final WeakIdentityMap<Thread, RacewayContext> startedThreads = new WeakIdentityMap<>();
    private final WeakIdentityMap<Thread, RacewayContext> threadContexts = new WeakIdentityMap<>();
    private final WeakIdentityMap<Object, Handoff> tasks = new WeakIdentityMap<>();
    private final WeakIdentityMap<Object, Released> releases = new WeakIdentityMap<>();
    private final ConcurrentHashMap<String, Released> volatileReleases = new ConcurrentHashMap<>();
    private final WeakIdentityMap<Object, Long> ids = new WeakIdentityMap<>();
    private final WeakIdentityMap<Object, String> lockIds = new WeakIdentityMap<>();
    private final WeakIdentityMap<Object, Boolean> jdkLocks = new WeakIdentityMap<>();
    private final WeakIdentityMap<HttpExchange, RacewayContext> exchanges = new WeakIdentityMap<>();
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private final AtomicLong nextId = new AtomicLong();

    final LongAdder fieldEvents = new LongAdder();
    final LongAdder rateCapped = new LongAdder();
    final LongAdder sampledOut = new LongAdder();

    private static final class ThreadState {
        boolean busy;
        final boolean agent;
        RacewayContext base;
        @SuppressWarnings("unused") // kept open for the thread's life: the base context stays current under others
        Scope baseScope;

        ThreadState(boolean agent) {
            this.agent = agent;
        }
    }

    private record TaskRun(Scope scope) {
    }

    /**
     * What a releasing thread left on a lock, future, latch, volatile or atomic: its clock, and its trace. Clocks
     * of different traces are never compared, so an acquire only merges a release of its own trace (which also
     * keeps one request's components out of every other request's clocks).
     */
    private record Released(UUID trace, VectorClock clock) {
        static Released combine(Released old, Released now) {
            if (!old.trace().equals(now.trace()) || covered(old.clock(), now.clock())) {
                return now; // another trace's, or what the releaser already knew (the usual case): no merge
            }
            return new Released(now.trace(), old.clock().merge(now.clock()));
        }
    }

    /**
     * A task handed off: in the JVM run's trace the worker runs it on its own logical thread after merging the
     * submitter's clock (a worker runs its tasks one after the other, so clocks stay as wide as the number of
     * threads); a task handed off inside a request runs in a fork of the request's context (its trace).
     */
    private record Handoff(RacewayContext fork, Released clock) {
    }

    private record RequestRun(Scope scope, RacewayContext context, long startNanos) {
    }

    Recorder(AgentSettings settings, RacewayClient client, Sites sites) {
        this.settings = settings;
        this.client = client;
        this.sites = sites;
        this.origin = client.newTrace();
    }

    /** The trace that work outside any request belongs to (one per JVM run). */
    RacewayContext origin() {
        return origin;
    }

    private ThreadState newThreadState() {
        Thread me = Thread.currentThread();
        String name = me.getName();
        boolean agent = agentThreads.remove(me) != null || name.startsWith("raceway-") || name.startsWith("OkHttp");
        return new ThreadState(agent);
    }

    /** The state of this thread if the agent may record here now (and marks it busy), else null. */
    private ThreadState enter() {
        ThreadState ts = states.get();
        if (ts.busy || ts.agent) {
            return null;
        }
        ts.busy = true;
        return ts;
    }

    private RacewayContext context(ThreadState ts) {
        Optional<RacewayContext> current = RacewayContext.current();
        if (current.isPresent()) {
            return current.get();
        }
        if (ts.base == null) {
            Thread me = Thread.currentThread();
            RacewayContext started = startedThreads.remove(me);
            ts.base = started != null ? started : origin.fork();
            threadContexts.put(me, ts.base);
        }
        ts.baseScope = ts.base.makeCurrent();
        return ts.base;
    }

    private long id(Object o) {
        return ids.computeIfAbsent(o, k -> nextId.incrementAndGet());
    }

    /** Class names as events show them, computed once per class. */
    private static final ClassValue<String> SHOWN_NAMES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return Sites.simpleName(type.getName());
        }
    };

    /** The same for locks: a read-write lock's helper classes are named by the lock. */
    private static final ClassValue<String> LOCK_NAMES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            String name = type.getName();
            int nested = name.indexOf('$');
            if (name.startsWith("java.util.concurrent.") && nested > 0) {
                name = name.substring(0, nested); // a read-write lock's Sync: name the lock, not its helper
            }
            return Sites.simpleName(name);
        }
    };

    private String objectName(Object o) {
        return SHOWN_NAMES.get(o.getClass()) + "#" + id(o);
    }

    private static void acquireFrom(RacewayContext ctx, Released released) {
        if (released != null && released.trace().equals(ctx.traceId()) && !covered(released.clock(), ctx.clock())) {
            ctx.merge(released.clock());
        }
    }

    /** True when merging {@code a} into {@code b} would not change {@code b} (checked without allocating). */
    private static boolean covered(VectorClock a, VectorClock b) {
        return a == b || a.happenedBefore(b) || a.equals(b);
    }

    private static Released released(RacewayContext ctx) {
        return new Released(ctx.traceId(), ctx.clock());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Shared state

    @Override
    public void field(int siteId, Object owner, boolean write, Object value) {
        ThreadState ts = enter();
        if (ts == null) {
            return;
        }
        try {
            Sites.Site site = sites.get(siteId);
            RacewayContext ctx = context(ts);
            String variable = site.isStatic() || owner == null ? site.owner() + "." + site.member()
                    : site.owner() + "#" + id(owner) + "." + site.member();
            if (site.isVolatile()) {
                ordered(ctx, variable, site.access());
            } else if (!admitted(site)) {
                return;
            }
            fieldEvents.increment();
            client.track(new EventKind.StateChange(variable, Optional.empty(), json(value, site.type()),
                    site.location(), site.access()));
        } finally {
            ts.busy = false;
        }
    }

    /**
     * A VarHandle operation: variable {@code Class#<id>.<handle>}. Volatile, acquire/release and read-modify-write
     * operations are ordered like a volatile field; plain and opaque ones are data accesses (sampled and capped).
     */
    @Override
    public void varHandle(int siteId, Object holder, Object value) {
        ThreadState ts = enter();
        if (ts == null) {
            return;
        }
        try {
            Sites.Site site = sites.get(siteId);
            RacewayContext ctx = context(ts);
            String variable = site.owner() + "#" + id(holder) + "." + site.member();
            if (site.isVolatile()) {
                ordered(ctx, variable, site.access());
            } else if (!admitted(site)) {
                return;
            }
            fieldEvents.increment();
            client.track(new EventKind.StateChange(variable, Optional.empty(), json(value, 'L'), site.location(),
                    site.access()));
        } finally {
            ts.busy = false;
        }
    }

    @Override
    public void array(int siteId, Object array, int index, boolean write) {
        ThreadState ts = enter();
        if (ts == null) {
            return;
        }
        try {
            Sites.Site site = sites.get(siteId);
            if (array == null || !admitted(site)) {
                return;
            }
            context(ts);
            String variable = objectName(array) + "[" + index + "]";
            fieldEvents.increment();
            client.track(new EventKind.StateChange(variable, Optional.empty(), JsonValue.NULL, site.location(),
                    site.access()));
        } finally {
            ts.busy = false;
        }
    }

    /**
     * A synchronising access of {@code variable} (a volatile field, an ordered VarHandle mode): a read acquires what
     * the writes before it released, a write releases, a read-modify-write does both.
     */
    private void ordered(RacewayContext ctx, String variable, AccessType access) {
        Bridge.synced();
        if (access != AccessType.AtomicWrite) {
            acquireFrom(ctx, volatileReleases.get(variable));
        }
        if (access != AccessType.AtomicRead) {
            volatileReleases.merge(variable, released(ctx), Released::combine);
        }
    }

    /** The sampling and per-site rate cap of plain (non-synchronising) accesses. */
    private boolean admitted(Sites.Site site) {
        if (settings.sample() < 1 && ThreadLocalRandom.current().nextDouble() >= settings.sample()) {
            sampledOut.increment();
            return false;
        }
        if (!site.cap().take()) {
            rateCapped.increment();
            return false;
        }
        return true;
    }

    @Override
    public void atomic(int siteId, Object atomic, boolean after) {
        ThreadState ts = enter();
        if (ts == null) {
            return;
        }
        try {
            Sites.Site site = sites.get(siteId);
            RacewayContext ctx = context(ts);
            Bridge.synced();
            // Reads order after the write they saw (so after the call); writes publish what came before them.
            switch (site.access()) {
                case AtomicRead -> acquireFrom(ctx, releases.get(atomic));
                case AtomicWrite -> releases.merge(atomic, released(ctx), Released::combine);
                default -> {
                    acquireFrom(ctx, releases.get(atomic));
                    if (!after) {
                        releases.merge(atomic, released(ctx), Released::combine);
                    }
                }
            }
            boolean report = site.access() == AccessType.AtomicRead ? after : !after;
            if (report && site.cap().take()) {
                client.track(new EventKind.StateChange(objectName(atomic), Optional.empty(), json(atomic, 'L'),
                        site.location(), site.access()));
            }
        } finally {
            ts.busy = false;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Locks and monitors

    @Override
    public void monitorEntered(Object monitor, int site) {
        lockAcquired(monitor, LockTypes.MUTEX, sites.get(site).location());
    }

    @Override
    public void monitorExiting(Object monitor, int site) {
        lockReleasing(monitor, LockTypes.MUTEX, sites.get(site).location());
    }

    /**
     * Locks the JDK creates for itself (an executor's queue, an HTTP client's internals) order threads like any
     * other, but application accesses are never made under them: they are kept to clocks, without events.
     */
    @Override
    public void lockCreated(Object lock) {
        ThreadState ts = enter();
        if (ts == null) {
            return;
        }
        try {
            String creator = WALKER.walk(frames -> frames.map(f -> f.getDeclaringClass().getName())
                    .filter(n -> !n.startsWith("java.util.concurrent.locks.") && !n.startsWith("dev.raceway.agent."))
                    .findFirst().orElse(""));
            if (creator.startsWith("java.") || creator.startsWith("jdk.") || creator.startsWith("sun.")
                    || creator.startsWith("com.sun.")) {
                jdkLocks.put(lock, Boolean.TRUE);
            }
        } finally {
            ts.busy = false;
        }
    }

    @Override
    public void lockAcquired(Object lock, String lockType, String where) {
        ThreadState ts = enter();
        if (ts == null) {
            return;
        }
        try {
            RacewayContext ctx = context(ts);
            Bridge.synced();
            acquireFrom(ctx, releases.get(lock));
            if (jdkLocks.containsKey(lock)) {
                return;
            }
            client.track(new EventKind.LockAcquire(lockId(lock), lockType, where));
        } finally {
            ts.busy = false;
        }
    }

    @Override
    public void lockReleasing(Object lock, String lockType, String where) {
        ThreadState ts = enter();
        if (ts == null) {
            return;
        }
        try {
            RacewayContext ctx = context(ts);
            Bridge.synced();
            if (!jdkLocks.containsKey(lock)) {
                client.track(new EventKind.LockRelease(lockId(lock), lockType, where));
            }
            releases.merge(lock, released(ctx), Released::combine);
        } finally {
            ts.busy = false;
        }
    }

    /** A lock's id in events, kept per lock (locks live long and are taken often). */
    private String lockId(Object lock) {
        return lockIds.computeIfAbsent(lock, l -> l instanceof Class<?> c ? SHOWN_NAMES.get(c) + ".class"
                : LOCK_NAMES.get(l.getClass()) + "#" + id(l));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Threads and tasks

    @Override
    public void threadStarting(Thread thread) {
        ThreadState mine = states.get();
        if (mine.busy || mine.agent) {
            agentThreads.put(thread, Boolean.TRUE); // started by the agent (or the SDK it drives)
            return;
        }
        ThreadState ts = enter();
        try {
            RacewayContext ctx = context(ts);
            Bridge.synced();
            client.track(new EventKind.AsyncSpawn("thread " + thread.getName(), Optional.of(ctx.threadId())));
            startedThreads.put(thread, ctx.fork());
        } finally {
            ts.busy = false;
        }
    }

    @Override
    public void threadJoined(Thread thread) {
        ThreadState ts = enter();
        if (ts == null) {
            return;
        }
        try {
            RacewayContext child = threadContexts.get(thread);
            if (child == null) {
                child = startedThreads.get(thread);
            }
            if (child == null) {
                return;
            }
            RacewayContext ctx = context(ts);
            Bridge.synced();
            acquireFrom(ctx, released(child));
            client.track(new EventKind.AsyncAwait("thread " + thread.getName(), "Thread.join"));
        } finally {
            ts.busy = false;
        }
    }

    @Override
    public void taskCreated(Object task) {
        ThreadState ts = enter();
        if (ts == null) {
            return;
        }
        try {
            if (task == null || tasks.containsKey(task)) {
                return;
            }
            RacewayContext ctx = context(ts);
            Bridge.synced();
            if (ctx.traceId().equals(origin.traceId())) {
                tasks.put(task, new Handoff(null, released(ctx))); // ordered by the clock alone, no event
            } else {
                client.track(new EventKind.AsyncSpawn(objectName(task), Optional.of(ctx.threadId())));
                tasks.put(task, new Handoff(ctx.fork(), null));
            }
        } finally {
            ts.busy = false;
        }
    }

    @Override
    public Object taskStart(Object task) {
        ThreadState ts = enter();
        if (ts == null) {
            return null;
        }
        try {
            Handoff handoff = task == null ? null : tasks.get(task);
            if (handoff == null) {
                return null;
            }
            RacewayContext current = context(ts); // the worker's own context stays underneath a fork
            Bridge.synced();
            if (handoff.fork() == null) {
                acquireFrom(current, handoff.clock());
                return null;
            }
            if (current == handoff.fork()) {
                return null;
            }
            return new TaskRun(handoff.fork().makeCurrent());
        } finally {
            ts.busy = false;
        }
    }

    @Override
    public void taskEnd(Object token) {
        if (token instanceof TaskRun run) {
            Bridge.synced();
            run.scope().close();
        }
    }

    @Override
    public void release(Object key) {
        ThreadState ts = enter();
        if (ts == null) {
            return;
        }
        try {
            RacewayContext ctx = context(ts);
            Bridge.synced();
            releases.merge(key, released(ctx), Released::combine);
        } finally {
            ts.busy = false;
        }
    }

    @Override
    public void acquire(Object key) {
        ThreadState ts = enter();
        if (ts == null) {
            return;
        }
        try {
            Released released = releases.get(key);
            if (released == null) {
                return;
            }
            RacewayContext ctx = context(ts);
            if (!released.trace().equals(ctx.traceId())) {
                return;
            }
            Bridge.synced();
            ctx.merge(released.clock());
            client.track(new EventKind.AsyncAwait(objectName(key), SHOWN_NAMES.get(key.getClass())));
        } finally {
            ts.busy = false;
        }
    }

    @Override
    public void completing(CountedCompleter<?> task) {
        ThreadState ts = enter();
        if (ts == null) {
            return;
        }
        try {
            RacewayContext ctx = context(ts);
            Bridge.synced();
            // The levels this call will touch: up the chain while the pending count is zero, then the first level
            // it counts down at. Clocks only: these are the pool's bookkeeping, not the application's awaits.
            for (CountedCompleter<?> level = task; level != null; level = level.getCompleter()) {
                acquireFrom(ctx, releases.get(level));
                releases.merge(level, released(ctx), Released::combine);
                if (level.getPendingCount() != 0) {
                    break;
                }
            }
        } finally {
            ts.busy = false;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Requests

    @Override
    public Object requestStart(Object request, Object response) {
        ThreadState ts = enter();
        if (ts == null) {
            return null;
        }
        try {
            RacewayContext ctx;
            String method;
            String target;
            if (request instanceof HttpExchange ex) {
                // Not an exchange attribute: the JDK server keeps those per HttpContext, shared by all requests.
                if (exchanges.containsKey(ex)
                        || "true".equalsIgnoreCase(ex.getRequestHeaders().getFirst("X-Raceway-Internal"))) {
                    return null;
                }
                ctx = client.startRequest(name -> ex.getRequestHeaders().getFirst(name));
                exchanges.put(ex, ctx);
                method = ex.getRequestMethod();
                target = String.valueOf(ex.getRequestURI());
            } else {
                ServletAccess.Request r = servlets.request(request);
                if (r == null || r.attribute(CONTEXT_ATTRIBUTE) != null
                        || "true".equalsIgnoreCase(r.header("X-Raceway-Internal"))) {
                    return null;
                }
                ctx = client.startRequest(r::header);
                r.setAttribute(CONTEXT_ATTRIBUTE, ctx);
                method = r.method();
                target = r.target();
            }
            Bridge.synced();
            Scope scope = ctx.makeCurrent();
            client.trackHttpRequest(method, target);
            return new RequestRun(scope, ctx, System.nanoTime());
        } finally {
            ts.busy = false;
        }
    }

    @Override
    public void requestEnd(Object token, Object request, Object response, Throwable thrown) {
        if (!(token instanceof RequestRun run)) {
            return;
        }
        ThreadState ts = enter();
        try {
            if (ts != null) {
                int status;
                if (request instanceof HttpExchange ex) {
                    status = ex.getResponseCode();
                } else {
                    status = servlets.finish(response, responseClock(run.context()));
                }
                if (thrown != null) {
                    client.trackError(thrown);
                }
                client.trackHttpResponse(thrown != null && status < 0 ? 500 : Math.max(status, 0),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - run.startNanos()));
            }
        } finally {
            if (request instanceof HttpExchange ex) {
                exchanges.remove(ex);
            }
            run.scope().close();
            Bridge.synced();
            if (ts != null) {
                ts.busy = false;
            }
        }
    }

    @Override
    public void beforeResponse(Object exchange) {
        ThreadState ts = enter();
        if (ts == null) {
            return;
        }
        try {
            RacewayContext c = exchange instanceof HttpExchange ex ? exchanges.get(ex) : null;
            if (c != null) {
                ((HttpExchange) exchange).getResponseHeaders().set(RacewayClock.HEADER, responseClock(c));
            }
        } finally {
            ts.busy = false;
        }
    }

    /**
     * The clock a response carries back, so the caller's later work is ordered after this request's. (Only the
     * clock: building every propagation header for it was a third of the agent's own time per request.)
     */
    private String responseClock(RacewayContext ctx) {
        return client.responseClockHeader(ctx);
    }

    @Override
    public Object outgoing(Object request) {
        ThreadState ts = enter();
        if (ts == null) {
            return request;
        }
        try {
            RacewayContext ctx = context(ts);
            if (request instanceof HttpURLConnection c) {
                try {
                    if (c.getRequestProperty(TraceParent.HEADER) != null) {
                        return request; // getInputStream() after connect(), or the application propagates itself
                    }
                    client.propagationHeaders(ctx, Map.of()).forEach(c::setRequestProperty);
                    client.trackHttpRequest(c.getRequestMethod(), String.valueOf(c.getURL()));
                } catch (IllegalStateException alreadyConnected) {
                    // connect() on a connected connection is a no-op; so is the agent
                }
            } else if (request instanceof HttpRequest.Builder b) {
                client.propagationHeaders(ctx, Map.of()).forEach(b::setHeader);
            } else if (OkHttpAccess.isRequest(request) && okHttp.header(request, TraceParent.HEADER) == null) {
                Object sent = okHttp.withHeaders(request, client.propagationHeaders(ctx, Map.of()));
                client.trackHttpRequest(okHttp.method(request), okHttp.url(request));
                return sent;
            }
            return request;
        } finally {
            ts.busy = false;
        }
    }

    /**
     * A response clock ({@code raceway-clock} on the response) of a call made in this trace: what the callee did is
     * ordered before what the caller does next.
     */
    @Override
    public void responded(Object response) {
        ThreadState ts = enter();
        if (ts == null) {
            return;
        }
        try {
            String header = null;
            if (response instanceof HttpURLConnection c) {
                header = c.getHeaderField(RacewayClock.HEADER);
            } else if (response instanceof java.net.http.HttpResponse<?> r) {
                header = r.headers().firstValue(RacewayClock.HEADER).orElse(null);
            } else if (OkHttpAccess.isResponse(response)) {
                header = okHttp.responseHeader(response, RacewayClock.HEADER);
            }
            if (header == null) {
                return;
            }
            RacewayContext ctx = context(ts);
            Optional<RacewayClock> clock = RacewayClock.decode(header);
            if (clock.isPresent() && clock.get().traceId().map(ctx.traceId()::equals).orElse(true)) {
                Bridge.synced();
                ctx.merge(clock.get().clock());
            }
        } finally {
            ts.busy = false;
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** A value as the event shows it: primitives and strings as they are, any other object by class and id. */
    private JsonValue json(Object value, char type) {
        if (value == null) {
            return JsonValue.NULL;
        }
        if (value instanceof Integer i) {
            return switch (type) {
                case 'Z' -> i != 0 ? JsonValue.TRUE : JsonValue.FALSE;
                case 'C' -> JsonValue.of(String.valueOf((char) i.intValue()));
                default -> JsonValue.ofCompactJson(Integer.toString(i));
            };
        }
        if (value instanceof Long l) {
            return JsonValue.ofCompactJson(Long.toString(l));
        }
        if (value instanceof String s) {
            return JsonValue.of(s.length() > 200 ? s.substring(0, 200) + "…" : s);
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof Character) {
            return JsonValue.of(value);
        }
        if (value instanceof java.util.concurrent.atomic.AtomicInteger
                || value instanceof java.util.concurrent.atomic.AtomicLong
                || value instanceof java.util.concurrent.atomic.AtomicBoolean) {
            return JsonValue.of(value.toString());
        }
        return JsonValue.of(objectName(value));
    }
}
