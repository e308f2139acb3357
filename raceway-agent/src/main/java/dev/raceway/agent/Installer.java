package dev.raceway.agent;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isSynchronized;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.raceway.agent.bootstrap.Bridge;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.LongAdder;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.asm.MemberSubstitution;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * What gets instrumented: the application's classes in the configured packages (fields, arrays, monitors, atomics,
 * synchronized methods) and a fixed set of JDK and server classes (threads, executors, futures, locks, request
 * handlers, HTTP clients) through advice. JDK classes that are already loaded are retransformed.
 */
final class Installer {
    private static final String FORK_JOIN_TASK = "java.util.concurrent.ForkJoinTask";
    /**
     * JDK classes advised here that may not be loaded yet: loaded before installing, so they are retransformed with
     * the others. (Byte Buddy itself loads some of them while transforming a neighbour, e.g. ForkJoinPool for
     * ForkJoinTask; a class loaded then is neither seen at load nor retransformed.)
     */
    private static final String[] PRELOAD = {
        "java.util.concurrent.ForkJoinPool", FORK_JOIN_TASK, "java.util.concurrent.CountedCompleter",
        "java.util.concurrent.FutureTask", "java.util.concurrent.ThreadPoolExecutor",
        "java.util.concurrent.CompletableFuture", "java.util.concurrent.CompletableFuture$AsyncSupply",
        "java.util.concurrent.CompletableFuture$AsyncRun", "java.util.concurrent.CompletableFuture$UniCompletion",
        "java.util.concurrent.CompletableFuture$BiCompletion", "java.util.concurrent.CompletableFuture$BiApply",
        "java.util.concurrent.CompletableFuture$BiAccept", "java.util.concurrent.CompletableFuture$BiRun",
        "java.util.concurrent.CompletableFuture$BiRelay", "java.util.concurrent.CountDownLatch",
        "java.util.concurrent.Semaphore", "java.util.concurrent.CyclicBarrier",
        "java.util.concurrent.locks.ReentrantLock", "java.util.concurrent.locks.ReentrantReadWriteLock",
        "java.util.concurrent.locks.StampedLock",
    };

    final LongAdder transformed = new LongAdder();
    final LongAdder skipped = new LongAdder();

    private final AgentSettings settings;
    private final Sites sites;

    Installer(AgentSettings settings, Sites sites) {
        this.settings = settings;
        this.sites = sites;
    }

    void install(Instrumentation inst) {
        for (String name : PRELOAD) {
            try {
                Class.forName(name, false, null);
            } catch (ClassNotFoundException | LinkageError e) {
                // not in this JDK: nothing to instrument
            }
        }
        AgentBuilder b = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
                .with(new Counting())
                .ignore(nameStartsWith("net.bytebuddy.").or(nameStartsWith("dev.raceway.agent."))
                        .or(nameStartsWith("jdk.internal.reflect.")).or(isSynthetic()));

        // Threads
        b = b.type(named("java.lang.Thread")).transform(advice(Advices.ThreadStart.class,
                        named("start").and(takesArguments(0))))
                .transform(advice(Advices.ThreadJoin.class, named("join").and(takesArguments(long.class))));

        // java.util.concurrent.locks
        b = b.type(named("java.util.concurrent.locks.ReentrantReadWriteLock"))
                .transform(advice(Advices.ReadWriteLockCreated.class, isConstructor()));
        b = b.type(named("java.util.concurrent.locks.ReentrantLock"))
                .transform(advice(Advices.LockCreated.class, isConstructor()))
                .transform(advice(Advices.MutexLock.class, namedOneOf("lock", "lockInterruptibly")))
                .transform(advice(Advices.MutexTryLock.class, named("tryLock")))
                .transform(advice(Advices.MutexUnlock.class, named("unlock")));
        b = b.type(named("java.util.concurrent.locks.ReentrantReadWriteLock$ReadLock"))
                .transform(advice(Advices.ReadLock.class, namedOneOf("lock", "lockInterruptibly")))
                .transform(advice(Advices.ReadTryLock.class, named("tryLock")))
                .transform(advice(Advices.ReadUnlock.class, named("unlock")));
        b = b.type(named("java.util.concurrent.locks.ReentrantReadWriteLock$WriteLock"))
                .transform(advice(Advices.WriteLock.class, namedOneOf("lock", "lockInterruptibly")))
                .transform(advice(Advices.WriteTryLock.class, named("tryLock")))
                .transform(advice(Advices.WriteUnlock.class, named("unlock")));
        b = b.type(named("java.util.concurrent.locks.StampedLock"))
                .transform(advice(Advices.LockCreated.class, isConstructor()))
                .transform(advice(Advices.StampedWrite.class,
                        namedOneOf("writeLock", "writeLockInterruptibly").or(named("tryWriteLock")
                                .and(takesArguments(0)))))
                .transform(advice(Advices.StampedRead.class,
                        namedOneOf("readLock", "readLockInterruptibly").or(named("tryReadLock")
                                .and(takesArguments(0)))))
                .transform(advice(Advices.StampedUnlockWrite.class, named("unlockWrite")))
                .transform(advice(Advices.StampedUnlockRead.class, named("unlockRead")));

        // Executors, futures, CompletableFuture's async stages
        b = b.type(named("java.util.concurrent.FutureTask"))
                .transform(advice(Advices.TaskCreated.class, isConstructor()))
                .transform(advice(Advices.TaskRun.class, named("run").and(takesArguments(0))))
                .transform(advice(Advices.Completing.class, namedOneOf("set", "setException")))
                .transform(advice(Advices.Awaited.class, named("get")));
        b = b.type(named("java.util.concurrent.ThreadPoolExecutor"))
                .transform(advice(Advices.TaskExecute.class, named("execute").and(takesArguments(Runnable.class))))
                .transform((builder, type, loader, module, pd) -> builder.visit(MemberSubstitution.relaxed()
                        .method(named("run").and(takesArguments(0)).and(isDeclaredBy(Runnable.class)))
                        .replaceWith(runTask())
                        .on(named("runWorker"))));
        b = b.type(namedOneOf("java.util.concurrent.CompletableFuture$AsyncSupply",
                        "java.util.concurrent.CompletableFuture$AsyncRun"))
                .transform(advice(Advices.TaskCreated.class, isConstructor()))
                .transform(advice(Advices.TaskRun.class, named("run").and(takesArguments(0))));
        b = b.type(named("java.util.concurrent.CompletableFuture"))
                .transform(advice(Advices.Completing.class, namedOneOf("complete", "completeExceptionally",
                        "completeValue", "completeThrowable", "completeNull", "completeRelay")))
                .transform(advice(Advices.Awaited.class, namedOneOf("get", "join", "getNow", "resultNow")))
                .transform(advice(Advices.Attached.class, isPublic().and(nameStartsWith("then")
                        .or(nameStartsWith("handle")).or(nameStartsWith("whenComplete"))
                        .or(nameStartsWith("exceptionally")).or(nameStartsWith("applyToEither"))
                        .or(nameStartsWith("acceptEither")).or(nameStartsWith("runAfter")))));

        // ForkJoinPool: tasks forked or submitted run in the submitter's context; completing one releases, joining
        // it acquires; a CountedCompleter's pending-count updates (parallel streams) order the completion chain
        b = b.type(named("java.util.concurrent.ForkJoinPool"))
                .transform(advice(Advices.TaskExecute.class, namedOneOf("execute", "submit", "invoke",
                        "externalSubmit", "externalPush").and(takesArgument(0, named(FORK_JOIN_TASK)))))
                .transform(advice(Advices.PoolSubmit.class, named("poolSubmit")
                        .and(takesArgument(1, named(FORK_JOIN_TASK)))));
        b = b.type(named(FORK_JOIN_TASK))
                .transform(advice(Advices.Forked.class, named("fork").and(takesArguments(0))))
                .transform(advice(Advices.ForkJoinExec.class, named("doExec").and(takesArguments(0))))
                .transform(advice(Advices.Completing.class, namedOneOf("setDone", "trySetException",
                        "trySetThrown")))
                .transform(advice(Advices.Awaited.class, namedOneOf("join", "invoke", "get", "quietlyJoin",
                        "quietlyInvoke", "joinForPoolInvoke", "getForPoolInvoke", "awaitPoolInvoke")))
                .transform(advice(Advices.JoinedAll.class, named("invokeAll")));
        b = b.type(named("java.util.concurrent.CountedCompleter"))
                .transform(advice(Advices.CompleterCounted.class, namedOneOf("tryComplete", "propagateCompletion",
                        "firstComplete").and(takesArguments(0))));

        b = b.type(named("java.util.concurrent.CompletableFuture$UniCompletion"))
                .transform(advice(Advices.UniStageCreated.class, isConstructor().and(takesArguments(3))))
                .transform(advice(Advices.StageClaimed.class, named("claim").and(takesArguments(0))));
        b = b.type(named("java.util.concurrent.CompletableFuture$BiCompletion"))
                .transform(advice(Advices.BiStageCreated.class, isConstructor().and(takesArguments(4))));
        // The stages that need both sources (thenCombine, thenAcceptBoth, runAfterBoth, allOf): the second one too
        // when the stage fires; the either-stages read one source only.
        b = b.type(namedOneOf("java.util.concurrent.CompletableFuture$BiApply",
                        "java.util.concurrent.CompletableFuture$BiAccept", "java.util.concurrent.CompletableFuture$BiRun",
                        "java.util.concurrent.CompletableFuture$BiRelay"))
                .transform(advice(Advices.BothFiring.class, named("tryFire").and(takesArguments(int.class))));

        // Latches, semaphores, barriers: whoever gets through has seen what the others did before releasing
        b = b.type(named("java.util.concurrent.CountDownLatch"))
                .transform(advice(Advices.Completing.class, named("countDown")))
                .transform(advice(Advices.Awaited.class, named("await")));
        b = b.type(named("java.util.concurrent.Semaphore"))
                .transform(advice(Advices.Completing.class, named("release")))
                .transform(advice(Advices.Awaited.class, namedOneOf("acquire", "acquireUninterruptibly",
                        "tryAcquire")));
        b = b.type(named("java.util.concurrent.CyclicBarrier"))
                .transform(advice(Advices.Completing.class, named("await")))
                .transform(advice(Advices.Awaited.class, named("await")));

        // Requests in: the JDK's HTTP server and Jakarta Servlet
        b = b.type(hasSuperType(named("com.sun.net.httpserver.HttpHandler")).and(not(isInterface())))
                .transform(advice(Advices.Handler.class, named("handle").and(takesArguments(1))
                        .and(not(isAbstract()))));
        b = b.type(hasSuperType(named("com.sun.net.httpserver.HttpExchange")).and(not(isAbstract())))
                .transform(advice(Advices.ResponseHeaders.class, named("sendResponseHeaders")));
        b = b.type(named("jakarta.servlet.http.HttpServlet"))
                .transform(advice(Advices.Handler.class, named("service")
                        .and(takesArgument(0, named("jakarta.servlet.http.HttpServletRequest")))));

        // Calls out: HttpURLConnection, java.net.http.HttpClient, OkHttp (the application's, matched by name)
        b = b.type(named("sun.net.www.protocol.http.HttpURLConnection"))
                .transform(advice(Advices.Outgoing.class, namedOneOf("connect", "getInputStream", "getOutputStream")
                        .and(takesArguments(0))));
        b = b.type(named("sun.net.www.protocol.http.HttpURLConnection"))
                .transform(advice(Advices.ConnectionResponded.class, named("getInputStream").and(takesArguments(0))));
        b = b.type(named("jdk.internal.net.http.HttpClientImpl"))
                .transform(advice(Advices.ClientResponded.class, named("send").and(takesArguments(2))));
        b = b.type(named("jdk.internal.net.http.HttpRequestBuilderImpl"))
                .transform(advice(Advices.Outgoing.class, named("build").and(returns(
                        named("java.net.http.HttpRequest")))));
        b = b.type(named("okhttp3.OkHttpClient"))
                .transform(advice(Advices.OkHttpNewCall.class, named("newCall")
                        .and(takesArgument(0, named(OkHttpAccess.REQUEST)))));
        b = b.type(namedOneOf("okhttp3.internal.connection.RealCall", "okhttp3.RealCall"))
                .transform(advice(Advices.ClientResponded.class, named("execute").and(takesArguments(0))));

        // The application
        if (!settings.packages().isEmpty()) {
            AppClassRewriter rewriter = new AppClassRewriter(settings, sites);
            b = b.type(tracked().and(not(isInterface())))
                    .transform((builder, type, loader, module, pd) -> builder.visit(rewriter)
                            .visit(Advice.to(Advices.SynchronizedMethod.class).on(isSynchronized())));
        }
        b.installOn(inst);
    }

    private net.bytebuddy.matcher.ElementMatcher.Junction<TypeDescription> tracked() {
        net.bytebuddy.matcher.ElementMatcher.Junction<TypeDescription> m = not(any());
        for (String p : settings.packages()) {
            m = m.or(nameStartsWith(p + "."));
        }
        return m;
    }

    private static java.lang.reflect.Method runTask() {
        try {
            return Bridge.class.getMethod("runTask", Runnable.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AgentBuilder.Transformer advice(Class<?> adviceClass,
            net.bytebuddy.matcher.ElementMatcher<? super net.bytebuddy.description.method.MethodDescription> on) {
        AsmVisitorWrapper w = Advice.to(adviceClass).on(on);
        return (DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader, JavaModule module,
                java.security.ProtectionDomain pd) -> builder.visit(w);
    }

    /** Counts transformed and failed classes; a failure is one stderr line (with {@code raceway.debug}). */
    private final class Counting extends AgentBuilder.Listener.Adapter {
        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                                     DynamicType dynamicType) {
            transformed.increment();
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded,
                            Throwable throwable) {
            skipped.increment();
            if (settings.debug()) {
                System.err.println("raceway-agent: left " + typeName + " uninstrumented: " + throwable);
            }
        }
    }
}
