package dev.raceway.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Collection;
import java.util.concurrent.CountedCompleter;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one class instrumented code calls. It lives on the bootstrap class path (instrumented JDK classes can see
 * nothing else) and does the cheap part itself: the owner fast path of field accesses. Everything else goes to the
 * {@link Sink} the agent installs; until then, and whenever the sink fails, every hook is a no-op. No hook ever
 * throws into the application.
 */
public final class Bridge {
    private static volatile Sink sink;
    private static volatile FieldState[] sites = new FieldState[1024];
    private static final AtomicLong FAILURES = new AtomicLong();
    /** The fields whose owner fast path this thread opened since its last synchronisation. */
    private static final ThreadLocal<Opened> OPENED = new ThreadLocal<>();

    /** A thread's list of opened fields, closed again all at once when the thread synchronises. */
    private static final class Opened {
        private FieldState[] fields = new FieldState[16];
        private int size;

        void add(FieldState f) {
            if (size == fields.length) {
                fields = Arrays.copyOf(fields, size * 2);
            }
            fields[size++] = f;
        }

        void close(Thread me) {
            for (int i = 0; i < size; i++) {
                FieldState f = fields[i];
                if (f.readKey == me) {
                    f.readKey = null;
                }
                if (f.writeKey == me) {
                    f.writeKey = null;
                }
                fields[i] = null;
            }
            size = 0;
        }
    }

    private Bridge() {
    }

    public static void install(Sink s) {
        sink = s;
    }

    /**
     * The current thread synchronised (or changed its context): its clock or its locks may have changed, so its
     * next access of every field it owns is reported again.
     */
    public static void synced() {
        Opened opened = OPENED.get();
        if (opened != null && opened.size > 0) {
            opened.close(Thread.currentThread());
        }
    }

    public static long failures() {
        return FAILURES.get();
    }

    /** Gives {@code site} the state of its field; called by the transformer before the class can run. */
    public static synchronized void register(int site, FieldState state) {
        FieldState[] now = sites;
        if (site >= now.length) {
            FieldState[] bigger = new FieldState[Math.max(now.length * 2, site + 1)];
            System.arraycopy(now, 0, bigger, 0, now.length);
            now = bigger;
        }
        now[site] = state;
        sites = now;
    }

    /**
     * The state of a site's field, for instrumented code that cannot hold it as a constant (class files older than
     * Java 11). Never null: an unregistered site (which the transformer does not produce) reports every access.
     */
    public static FieldState state(int site) {
        FieldState[] all = sites;
        FieldState f = site >= 0 && site < all.length ? all[site] : null;
        return f != null ? f : new FieldState(true);
    }

    /**
     * The bootstrap method of the dynamic constant ({@code ldc}) through which instrumented code of Java 11+ class
     * files holds a site's field state: resolved once per site, then a constant the JIT folds into the fast path.
     */
    public static FieldState fieldState(MethodHandles.Lookup lookup, String name, Class<?> type, int site) {
        return state(site);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Field and array accesses: the fast path. Instrumented code passes the site id and its field state. An access
    // the owner already reported since it last synchronised is redundant (same thread, same clock, same locks): one
    // load and one comparison, with nothing the JIT must reload after a call but the field state's key.

    private static boolean ownerRead(FieldState f) {
        return f.readKey == Thread.currentThread();
    }

    private static boolean ownerWrite(FieldState f) {
        return f.writeKey == Thread.currentThread();
    }

    /** Records who touches the field: the first thread owns it, a second one makes it shared for good. */
    private static void claim(FieldState f, boolean write) {
        if (f.alwaysReport) {
            return;
        }
        Thread me = Thread.currentThread();
        Thread o = f.owner;
        if (o == null) {
            f.owner = me;
            o = me;
        } else if (o != me && !f.shared) {
            f.shared = true;
        }
        if (f.shared) {
            f.readKey = null;
            f.writeKey = null;
            return;
        }
        if (o != me) {
            return;
        }
        if (write) {
            f.writeKey = me;
        } else {
            f.readKey = me;
        }
        Opened opened = OPENED.get();
        if (opened == null) {
            opened = new Opened();
            OPENED.set(opened);
        }
        opened.add(f);
    }

    private static void field(FieldState f, int site, Object owner, boolean write, Object value) {
        try {
            claim(f, write);
            Sink s = sink;
            if (s != null) {
                s.field(site, owner, write, value);
            }
        } catch (Throwable t) {
            FAILURES.incrementAndGet();
        }
    }

    public static void getFieldI(Object owner, int value, int site, FieldState f) {
        if (!ownerRead(f)) {
            field(f, site, owner, false, value);
        }
    }

    public static void getFieldJ(Object owner, long value, int site, FieldState f) {
        if (!ownerRead(f)) {
            field(f, site, owner, false, value);
        }
    }

    public static void getFieldF(Object owner, float value, int site, FieldState f) {
        if (!ownerRead(f)) {
            field(f, site, owner, false, value);
        }
    }

    public static void getFieldD(Object owner, double value, int site, FieldState f) {
        if (!ownerRead(f)) {
            field(f, site, owner, false, value);
        }
    }

    public static void getFieldL(Object owner, Object value, int site, FieldState f) {
        if (!ownerRead(f)) {
            field(f, site, owner, false, value);
        }
    }

    public static void getStaticI(int value, int site, FieldState f) {
        getFieldI(null, value, site, f);
    }

    public static void getStaticJ(long value, int site, FieldState f) {
        getFieldJ(null, value, site, f);
    }

    public static void getStaticF(float value, int site, FieldState f) {
        getFieldF(null, value, site, f);
    }

    public static void getStaticD(double value, int site, FieldState f) {
        getFieldD(null, value, site, f);
    }

    public static void getStaticL(Object value, int site, FieldState f) {
        getFieldL(null, value, site, f);
    }

    public static void putFieldI(Object owner, int value, int site, FieldState f) {
        if (!ownerWrite(f)) {
            field(f, site, owner, true, value);
        }
    }

    public static void putFieldJ(Object owner, long value, int site, FieldState f) {
        if (!ownerWrite(f)) {
            field(f, site, owner, true, value);
        }
    }

    public static void putFieldF(Object owner, float value, int site, FieldState f) {
        if (!ownerWrite(f)) {
            field(f, site, owner, true, value);
        }
    }

    public static void putFieldD(Object owner, double value, int site, FieldState f) {
        if (!ownerWrite(f)) {
            field(f, site, owner, true, value);
        }
    }

    public static void putFieldL(Object owner, Object value, int site, FieldState f) {
        if (!ownerWrite(f)) {
            field(f, site, owner, true, value);
        }
    }

    public static void putStaticI(int value, int site, FieldState f) {
        putFieldI(null, value, site, f);
    }

    public static void putStaticJ(long value, int site, FieldState f) {
        putFieldJ(null, value, site, f);
    }

    public static void putStaticF(float value, int site, FieldState f) {
        putFieldF(null, value, site, f);
    }

    public static void putStaticD(double value, int site, FieldState f) {
        putFieldD(null, value, site, f);
    }

    public static void putStaticL(Object value, int site, FieldState f) {
        putFieldL(null, value, site, f);
    }

    public static void arrayRead(Object array, int index, int site, FieldState f) {
        if (!ownerRead(f)) {
            arrayReport(f, array, index, site, false);
        }
    }

    public static void arrayWrite(Object array, int index, int site, FieldState f) {
        if (!ownerWrite(f)) {
            arrayReport(f, array, index, site, true);
        }
    }

    private static void arrayReport(FieldState f, Object array, int index, int site, boolean write) {
        try {
            claim(f, write);
            Sink s = sink;
            if (s != null) {
                s.array(site, array, index, write);
            }
        } catch (Throwable t) {
            FAILURES.incrementAndGet();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Synchronisation

    public static void monitorEntered(Object monitor, int site) {
        Sink s = sink;
        if (s != null) {
            try {
                s.monitorEntered(monitor, site);
            } catch (Throwable t) {
                FAILURES.incrementAndGet();
            }
        }
    }

    public static void monitorExiting(Object monitor, int site) {
        Sink s = sink;
        if (s != null) {
            try {
                s.monitorExiting(monitor, site);
            } catch (Throwable t) {
                FAILURES.incrementAndGet();
            }
        }
    }

    public static void atomicBefore(Object atomic, int site) {
        Sink s = sink;
        if (s != null && atomic != null) {
            try {
                s.atomic(site, atomic, false);
            } catch (Throwable t) {
                FAILURES.incrementAndGet();
            }
        }
    }

    public static void atomicAfter(Object atomic, int site) {
        Sink s = sink;
        if (s != null && atomic != null) {
            try {
                s.atomic(site, atomic, true);
            } catch (Throwable t) {
                FAILURES.incrementAndGet();
            }
        }
    }

    // compareAndSet takes two arguments above the receiver, which a stack shuffle cannot reach: the call is
    // replaced by one of these, which does it.

    public static boolean casInt(AtomicInteger a, int expect, int update, int site) {
        atomicBefore(a, site);
        boolean done = a.compareAndSet(expect, update);
        atomicAfter(a, site);
        return done;
    }

    public static boolean casLong(AtomicLong a, long expect, long update, int site) {
        atomicBefore(a, site);
        boolean done = a.compareAndSet(expect, update);
        atomicAfter(a, site);
        return done;
    }

    public static boolean casBoolean(AtomicBoolean a, boolean expect, boolean update, int site) {
        atomicBefore(a, site);
        boolean done = a.compareAndSet(expect, update);
        atomicAfter(a, site);
        return done;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    public static boolean casReference(AtomicReference a, Object expect, Object update, int site) {
        atomicBefore(a, site);
        boolean done = a.compareAndSet(expect, update);
        atomicAfter(a, site);
        return done;
    }

    // ---------------------------------------------------------------------------------------------------------
    // VarHandle operations on an object's field. A call site's signature-polymorphic call is replaced by one of
    // these (the value types erased to int, long, boolean or Object); they make the same call, with invoke (not
    // invokeExact) behaviour, and report it: reads after the operation, writes and read-modify-writes before it.
    // {@code mode}: 0 plain, 1 opaque, 2 acquire/release, 3 volatile (compareAndSet: 0 strong, 1 weak).

    private static VarHandle invocable(VarHandle vh) {
        return vh.hasInvokeExactBehavior() ? vh.withInvokeBehavior() : vh;
    }

    private static void varHandle(int site, Object holder, Object value) {
        Sink s = sink;
        if (s != null && holder != null) {
            try {
                s.varHandle(site, holder, value);
            } catch (Throwable t) {
                FAILURES.incrementAndGet();
            }
        }
    }

    public static int vhGetI(VarHandle vh, Object o, int mode, int site) {
        VarHandle h = invocable(vh);
        int v = switch (mode) {
            case 0 -> (int) h.get(o);
            case 1 -> (int) h.getOpaque(o);
            case 2 -> (int) h.getAcquire(o);
            default -> (int) h.getVolatile(o);
        };
        varHandle(site, o, v);
        return v;
    }

    public static void vhSetI(VarHandle vh, Object o, int v, int mode, int site) {
        varHandle(site, o, v);
        VarHandle h = invocable(vh);
        switch (mode) {
            case 0 -> h.set(o, v);
            case 1 -> h.setOpaque(o, v);
            case 2 -> h.setRelease(o, v);
            default -> h.setVolatile(o, v);
        }
    }

    public static boolean vhCasI(VarHandle vh, Object o, int expected, int update, int mode, int site) {
        varHandle(site, o, update);
        VarHandle h = invocable(vh);
        return mode == 0 ? h.compareAndSet(o, expected, update) : h.weakCompareAndSet(o, expected, update);
    }

    public static int vhSwapI(VarHandle vh, Object o, int v, int mode, int site) {
        varHandle(site, o, v);
        return (int) invocable(vh).getAndSet(o, v);
    }

    public static long vhGetJ(VarHandle vh, Object o, int mode, int site) {
        VarHandle h = invocable(vh);
        long v = switch (mode) {
            case 0 -> (long) h.get(o);
            case 1 -> (long) h.getOpaque(o);
            case 2 -> (long) h.getAcquire(o);
            default -> (long) h.getVolatile(o);
        };
        varHandle(site, o, v);
        return v;
    }

    public static void vhSetJ(VarHandle vh, Object o, long v, int mode, int site) {
        varHandle(site, o, v);
        VarHandle h = invocable(vh);
        switch (mode) {
            case 0 -> h.set(o, v);
            case 1 -> h.setOpaque(o, v);
            case 2 -> h.setRelease(o, v);
            default -> h.setVolatile(o, v);
        }
    }

    public static boolean vhCasJ(VarHandle vh, Object o, long expected, long update, int mode, int site) {
        varHandle(site, o, update);
        VarHandle h = invocable(vh);
        return mode == 0 ? h.compareAndSet(o, expected, update) : h.weakCompareAndSet(o, expected, update);
    }

    public static long vhSwapJ(VarHandle vh, Object o, long v, int mode, int site) {
        varHandle(site, o, v);
        return (long) invocable(vh).getAndSet(o, v);
    }

    public static boolean vhGetZ(VarHandle vh, Object o, int mode, int site) {
        VarHandle h = invocable(vh);
        boolean v = switch (mode) {
            case 0 -> (boolean) h.get(o);
            case 1 -> (boolean) h.getOpaque(o);
            case 2 -> (boolean) h.getAcquire(o);
            default -> (boolean) h.getVolatile(o);
        };
        varHandle(site, o, v);
        return v;
    }

    public static void vhSetZ(VarHandle vh, Object o, boolean v, int mode, int site) {
        varHandle(site, o, v);
        VarHandle h = invocable(vh);
        switch (mode) {
            case 0 -> h.set(o, v);
            case 1 -> h.setOpaque(o, v);
            case 2 -> h.setRelease(o, v);
            default -> h.setVolatile(o, v);
        }
    }

    public static boolean vhCasZ(VarHandle vh, Object o, boolean expected, boolean update, int mode, int site) {
        varHandle(site, o, update);
        VarHandle h = invocable(vh);
        return mode == 0 ? h.compareAndSet(o, expected, update) : h.weakCompareAndSet(o, expected, update);
    }

    public static boolean vhSwapZ(VarHandle vh, Object o, boolean v, int mode, int site) {
        varHandle(site, o, v);
        return (boolean) invocable(vh).getAndSet(o, v);
    }

    public static Object vhGetL(VarHandle vh, Object o, int mode, int site) {
        VarHandle h = invocable(vh);
        Object v = switch (mode) {
            case 0 -> (Object) h.get(o);
            case 1 -> (Object) h.getOpaque(o);
            case 2 -> (Object) h.getAcquire(o);
            default -> (Object) h.getVolatile(o);
        };
        varHandle(site, o, v);
        return v;
    }

    public static void vhSetL(VarHandle vh, Object o, Object v, int mode, int site) {
        varHandle(site, o, v);
        VarHandle h = invocable(vh);
        switch (mode) {
            case 0 -> h.set(o, v);
            case 1 -> h.setOpaque(o, v);
            case 2 -> h.setRelease(o, v);
            default -> h.setVolatile(o, v);
        }
    }

    public static boolean vhCasL(VarHandle vh, Object o, Object expected, Object update, int mode, int site) {
        varHandle(site, o, update);
        VarHandle h = invocable(vh);
        return mode == 0 ? h.compareAndSet(o, expected, update) : h.weakCompareAndSet(o, expected, update);
    }

    public static Object vhSwapL(VarHandle vh, Object o, Object v, int mode, int site) {
        varHandle(site, o, v);
        return (Object) invocable(vh).getAndSet(o, v);
    }

    public static int vhAddI(VarHandle vh, Object o, int delta, int mode, int site) {
        varHandle(site, o, delta);
        return (int) invocable(vh).getAndAdd(o, delta);
    }

    public static long vhAddJ(VarHandle vh, Object o, long delta, int mode, int site) {
        varHandle(site, o, delta);
        return (long) invocable(vh).getAndAdd(o, delta);
    }

    public static void lockCreated(Object lock) {
        Sink s = sink;
        if (s != null && lock != null) {
            try {
                s.lockCreated(lock);
            } catch (Throwable t) {
                FAILURES.incrementAndGet();
            }
        }
    }

    public static void lockAcquired(Object lock, String lockType, String where) {
        Sink s = sink;
        if (s != null) {
            try {
                s.lockAcquired(lock, lockType, where);
            } catch (Throwable t) {
                FAILURES.incrementAndGet();
            }
        }
    }

    public static void lockReleasing(Object lock, String lockType, String where) {
        Sink s = sink;
        if (s != null) {
            try {
                s.lockReleasing(lock, lockType, where);
            } catch (Throwable t) {
                FAILURES.incrementAndGet();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Threads, tasks, futures

    public static void threadStarting(Thread thread) {
        Sink s = sink;
        if (s != null) {
            try {
                s.threadStarting(thread);
            } catch (Throwable t) {
                FAILURES.incrementAndGet();
            }
        }
    }

    public static void threadJoined(Thread thread) {
        Sink s = sink;
        if (s != null) {
            try {
                s.threadJoined(thread);
            } catch (Throwable t) {
                FAILURES.incrementAndGet();
            }
        }
    }

    public static void taskCreated(Object task) {
        Sink s = sink;
        if (s != null) {
            try {
                s.taskCreated(task);
            } catch (Throwable t) {
                FAILURES.incrementAndGet();
            }
        }
    }

    public static Object taskStart(Object task) {
        Sink s = sink;
        if (s != null) {
            try {
                return s.taskStart(task);
            } catch (Throwable t) {
                FAILURES.incrementAndGet();
            }
        }
        return null;
    }

    public static void taskEnd(Object token) {
        Sink s = sink;
        if (s != null && token != null) {
            try {
                s.taskEnd(token);
            } catch (Throwable t) {
                FAILURES.incrementAndGet();
            }
        }
    }

    /** Runs an executor's task in the context it was handed off in (replaces the worker's {@code task.run()}). */
    public static void runTask(Runnable task) {
        Object token = taskStart(task);
        try {
            task.run();
        } finally {
            taskEnd(token);
        }
    }

    /** A ForkJoinTask is about to execute ({@code doExec}); null when it was already done (nothing runs). */
    public static Object forkJoinStart(ForkJoinTask<?> task) {
        return task.isDone() ? null : taskStart(task);
    }

    /**
     * The tasks of {@code ForkJoinTask.invokeAll} (two tasks, an array or a collection of them) have been joined.
     */
    public static void joinedAll(Object[] arguments) {
        for (Object a : arguments) {
            if (a instanceof ForkJoinTask<?> t) {
                acquire(t);
            } else if (a instanceof Object[] tasks) {
                for (Object t : tasks) {
                    acquire(t);
                }
            } else if (a instanceof Collection<?> tasks) {
                for (Object t : tasks) {
                    acquire(t);
                }
            }
        }
    }

    /** A CountedCompleter is about to count itself complete ({@code tryComplete} and its kin). */
    public static void completing(CountedCompleter<?> task) {
        Sink s = sink;
        if (s != null) {
            try {
                s.completing(task);
            } catch (Throwable t) {
                FAILURES.incrementAndGet();
            }
        }
    }

    public static void release(Object key) {
        Sink s = sink;
        if (s != null && key != null) {
            try {
                s.release(key);
            } catch (Throwable t) {
                FAILURES.incrementAndGet();
            }
        }
    }

    public static void acquire(Object key) {
        Sink s = sink;
        if (s != null && key != null) {
            try {
                s.acquire(key);
            } catch (Throwable t) {
                FAILURES.incrementAndGet();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Requests

    public static Object requestStart(Object request, Object response) {
        Sink s = sink;
        if (s != null) {
            try {
                return s.requestStart(request, response);
            } catch (Throwable t) {
                FAILURES.incrementAndGet();
            }
        }
        return null;
    }

    public static void requestEnd(Object token, Object request, Object response, Throwable thrown) {
        Sink s = sink;
        if (s != null && token != null) {
            try {
                s.requestEnd(token, request, response, thrown);
            } catch (Throwable t) {
                FAILURES.incrementAndGet();
            }
        }
    }

    public static void beforeResponse(Object exchange) {
        Sink s = sink;
        if (s != null) {
            try {
                s.beforeResponse(exchange);
            } catch (Throwable t) {
                FAILURES.incrementAndGet();
            }
        }
    }

    /** Returns the request to send: {@code request} itself, or a copy carrying the headers if it is immutable. */
    public static Object outgoing(Object request) {
        Sink s = sink;
        if (s != null && request != null) {
            try {
                return s.outgoing(request);
            } catch (Throwable t) {
                FAILURES.incrementAndGet();
            }
        }
        return request;
    }

    public static void responded(Object response) {
        Sink s = sink;
        if (s != null && response != null) {
            try {
                s.responded(response);
            } catch (Throwable t) {
                FAILURES.incrementAndGet();
            }
        }
    }
}
