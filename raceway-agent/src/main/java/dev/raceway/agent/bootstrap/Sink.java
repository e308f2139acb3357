package dev.raceway.agent.bootstrap;

/**
 * The agent's side of {@link Bridge}: implemented by the agent (loaded by the system class loader) and installed
 * once the agent is ready. Only {@code java.*} types cross this interface, because instrumented JDK classes see
 * nothing but the bootstrap class path.
 */
public interface Sink {
    /** A field read (value after it) or write (value before it) that passed the owner fast path. */
    void field(int site, Object owner, boolean write, Object value);

    void array(int site, Object array, int index, boolean write);

    void monitorEntered(Object monitor, int site);

    void monitorExiting(Object monitor, int site);

    /** An {@code Atomic*} call at an instrumented site, before ({@code after == false}) or after it ran. */
    void atomic(int site, Object atomic, boolean after);

    /**
     * A VarHandle operation on a field of {@code holder} at an instrumented site ({@code value}: the value read,
     * written, or added).
     */
    void varHandle(int site, Object holder, Object value);

    /** A java.util.concurrent lock was constructed (the agent looks at who constructs it). */
    void lockCreated(Object lock);

    void lockAcquired(Object lock, String lockType, String where);

    void lockReleasing(Object lock, String lockType, String where);

    void threadStarting(Thread thread);

    void threadJoined(Thread thread);

    /** A task object (FutureTask, an async CompletableFuture stage, an executed Runnable) was handed off. */
    void taskCreated(Object task);

    /** Returns a token for {@link #taskEnd}, or null when the task is not the agent's to run in a context. */
    Object taskStart(Object task);

    void taskEnd(Object token);

    /** {@code key} (a future, a stage) is being completed by this thread: whoever sees it completed is after this. */
    void release(Object key);

    /** A thread learnt that {@code key} (a future, a stage) was completed: it is ordered after the completion. */
    void acquire(Object key);

    /**
     * A CountedCompleter is about to decrement its completer's pending count, or to find it zero and complete it
     * (and so on up the chain): each pending-count update is a read-modify-write, ordering whoever completes a
     * level after everyone who counted down at it.
     */
    void completing(java.util.concurrent.CountedCompleter<?> task);

    /** An incoming request: returns a token for {@link #requestEnd}, or null when it is not traced here. */
    Object requestStart(Object request, Object response);

    void requestEnd(Object token, Object request, Object response, Throwable thrown);

    /** The response is about to be committed: the response clock can still be added. */
    void beforeResponse(Object exchange);

    /**
     * An outgoing call is about to be made with {@code request} (an HttpURLConnection, an HttpClient request
     * builder, an OkHttp request): returns what to send, a copy with the propagation headers when the request is
     * immutable (OkHttp), else {@code request} itself.
     */
    Object outgoing(Object request);

    /** An outgoing call's response arrived (an HttpURLConnection, an HttpResponse, an OkHttp response). */
    void responded(Object response);
}
