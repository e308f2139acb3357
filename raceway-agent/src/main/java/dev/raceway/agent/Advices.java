package dev.raceway.agent;

import dev.raceway.agent.bootstrap.Bridge;
import java.util.concurrent.CountedCompleter;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Byte Buddy advice, inlined into JDK and application classes. Advice code may only call the {@link Bridge} (the
 * one agent class instrumented JDK classes can see) and must never throw: every method suppresses its errors.
 */
final class Advices {
    private Advices() {
    }

    /** A {@code synchronized} method: the monitor is held between its entry and its exit (also by an exception). */
    static final class SynchronizedMethod {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This(optional = true) Object self, @Advice.Origin Class<?> type,
                          @Advice.Origin("#t.#m") String where) {
            Bridge.lockAcquired(self != null ? self : type, "Mutex", where);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This(optional = true) Object self, @Advice.Origin Class<?> type,
                         @Advice.Origin("#t.#m") String where) {
            Bridge.lockReleasing(self != null ? self : type, "Mutex", where);
        }
    }

    static final class ThreadStart {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Thread thread) {
            Bridge.threadStarting(thread);
        }
    }

    static final class ThreadJoin {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Thread thread) {
            if (!thread.isAlive()) {
                Bridge.threadJoined(thread);
            }
        }
    }

    // ---- java.util.concurrent.locks ----------------------------------------------------------------------------

    /** A lock constructed: ReentrantLock and StampedLock are their own lock, a read-write lock is its Sync. */
    static final class LockCreated {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object lock) {
            Bridge.lockCreated(lock);
        }
    }

    static final class ReadWriteLockCreated {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue("sync") Object sync) {
            Bridge.lockCreated(sync);
        }
    }

    static final class MutexLock {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object lock) {
            Bridge.lockAcquired(lock, "Mutex", "ReentrantLock.lock");
        }
    }

    static final class MutexTryLock {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object lock, @Advice.Return boolean got) {
            if (got) {
                Bridge.lockAcquired(lock, "Mutex", "ReentrantLock.tryLock");
            }
        }
    }

    static final class MutexUnlock {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This ReentrantLock lock) {
            if (lock.isHeldByCurrentThread()) {
                Bridge.lockReleasing(lock, "Mutex", "ReentrantLock.unlock");
            }
        }
    }

    static final class ReadLock {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue("sync") Object sync) {
            Bridge.lockAcquired(sync, "RwLock-Read", "ReentrantReadWriteLock.readLock");
        }
    }

    static final class ReadTryLock {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue("sync") Object sync, @Advice.Return boolean got) {
            if (got) {
                Bridge.lockAcquired(sync, "RwLock-Read", "ReentrantReadWriteLock.readLock");
            }
        }
    }

    static final class ReadUnlock {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("sync") Object sync) {
            Bridge.lockReleasing(sync, "RwLock-Read", "ReentrantReadWriteLock.readLock");
        }
    }

    static final class WriteLock {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue("sync") Object sync) {
            Bridge.lockAcquired(sync, "RwLock-Write", "ReentrantReadWriteLock.writeLock");
        }
    }

    static final class WriteTryLock {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue("sync") Object sync, @Advice.Return boolean got) {
            if (got) {
                Bridge.lockAcquired(sync, "RwLock-Write", "ReentrantReadWriteLock.writeLock");
            }
        }
    }

    static final class WriteUnlock {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This ReentrantReadWriteLock.WriteLock lock, @Advice.FieldValue("sync") Object sync) {
            if (lock.isHeldByCurrentThread()) {
                Bridge.lockReleasing(sync, "RwLock-Write", "ReentrantReadWriteLock.writeLock");
            }
        }
    }

    static final class StampedWrite {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object lock, @Advice.Return long stamp) {
            if (stamp != 0L) {
                Bridge.lockAcquired(lock, "RwLock-Write", "StampedLock.writeLock");
            }
        }
    }

    static final class StampedRead {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object lock, @Advice.Return long stamp) {
            if (stamp != 0L) {
                Bridge.lockAcquired(lock, "RwLock-Read", "StampedLock.readLock");
            }
        }
    }

    static final class StampedUnlockWrite {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object lock) {
            Bridge.lockReleasing(lock, "RwLock-Write", "StampedLock.unlockWrite");
        }
    }

    static final class StampedUnlockRead {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object lock) {
            Bridge.lockReleasing(lock, "RwLock-Read", "StampedLock.unlockRead");
        }
    }

    // ---- tasks and futures -------------------------------------------------------------------------------------

    /** A task object came into being (FutureTask, an async CompletableFuture stage) or was handed to execute(). */
    static final class TaskCreated {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object task) {
            Bridge.taskCreated(task);
        }
    }

    static final class TaskExecute {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object task) {
            Bridge.taskCreated(task);
        }
    }

    /** ForkJoinTask.fork: the task is handed off (the fork is captured before the task can run). */
    static final class Forked {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object task) {
            Bridge.taskCreated(task);
        }
    }

    /** JDK 19+'s ForkJoinPool.poolSubmit(boolean, task). */
    static final class PoolSubmit {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(1) Object task) {
            Bridge.taskCreated(task);
        }
    }

    /**
     * ForkJoinTask.doExec: the task runs in the context it was handed off in. (Its completion releases in
     * {@code setDone}, before a joiner can see it done.)
     */
    static final class ForkJoinExec {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This ForkJoinTask<?> task) {
            return Bridge.forkJoinStart(task);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            Bridge.taskEnd(token);
        }
    }

    /** ForkJoinTask.invokeAll returned: every task it was given is joined. */
    static final class JoinedAll {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.AllArguments Object[] arguments) {
            Bridge.joinedAll(arguments);
        }
    }

    /** CountedCompleter.tryComplete / propagateCompletion / firstComplete. */
    static final class CompleterCounted {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This CountedCompleter<?> task) {
            Bridge.completing(task);
        }
    }

    static final class TaskRun {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object task) {
            return Bridge.taskStart(task);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            Bridge.taskEnd(token);
        }
    }

    /** A future is being completed: whoever sees it done is ordered after this point. */
    static final class Completing {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object future) {
            Bridge.release(future);
        }
    }

    /** A wait for a future returned (with its value or its exception). */
    static final class Awaited {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object future) {
            Bridge.acquire(future);
        }
    }

    /** A dependent stage is attached: if the future is already done, the stage (and the caller) come after it. */
    static final class Attached {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object future) {
            Bridge.acquire(future);
        }
    }

    /**
     * A dependent stage of a CompletableFuture is created (UniCompletion: argument 2 is its source). It is created
     * after its creator saw whether the source was done, so acquiring here cannot miss a completion it observed.
     */
    static final class UniStageCreated {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(2) Object source) {
            Bridge.acquire(source);
        }
    }

    /**
     * A dependent stage is claimed to run (UniCompletion.claim, called only once its source is done): the thread
     * that claims it runs it or hands it to its executor, after the source's completion. The stage may have been
     * created before the source completed and claimed by its creator right after, so the acquire at creation is not
     * enough.
     */
    static final class StageClaimed {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("src") Object source) {
            Bridge.acquire(source);
        }
    }

    /**
     * A stage that needs both its sources fires (tryFire of BiApply, BiAccept, BiRun, BiRelay): the second source's
     * completion, for the same reason as {@link StageClaimed} (which acquires the first).
     */
    static final class BothFiring {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("snd") Object second) {
            Bridge.acquire(second);
        }
    }

    /** BiCompletion: argument 3 is the second source. */
    static final class BiStageCreated {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(3) Object second) {
            Bridge.acquire(second);
        }
    }

    // ---- requests ----------------------------------------------------------------------------------------------

    static final class Handler {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.Argument(0) Object request,
                            @Advice.Argument(value = 1, optional = true) Object response) {
            return Bridge.requestStart(request, response);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token, @Advice.Argument(0) Object request,
                         @Advice.Argument(value = 1, optional = true) Object response,
                         @Advice.Thrown Throwable thrown) {
            Bridge.requestEnd(token, request, response, thrown);
        }
    }

    static final class ResponseHeaders {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object exchange) {
            Bridge.beforeResponse(exchange);
        }
    }

    static final class Outgoing {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object connection) {
            Bridge.outgoing(connection);
        }
    }

    /** OkHttpClient.newCall(request): the call is made with a copy of the request that carries the headers. */
    static final class OkHttpNewCall {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC)
                          Object request) {
            request = Bridge.outgoing(request);
        }
    }

    /** HttpURLConnection.getInputStream returned: the response (and its clock) is there. */
    static final class ConnectionResponded {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object connection) {
            Bridge.responded(connection);
        }
    }

    /** HttpClient.send or OkHttp's RealCall.execute returned its response. */
    static final class ClientResponded {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return Object response) {
            Bridge.responded(response);
        }
    }
}
