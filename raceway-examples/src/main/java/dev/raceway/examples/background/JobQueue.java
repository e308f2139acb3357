package dev.raceway.examples.background;

import dev.raceway.core.event.AccessType;
import dev.raceway.sdk.RacewayClient;
import dev.raceway.sdk.RacewayContext;
import io.opentelemetry.context.Scope;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pattern 1 of the SDK guide: a job queue drained by a background worker thread. A Raceway context is per thread,
 * so the worker has none of its own: the job must carry the context captured by the request handler, and the
 * worker must make it current while it processes the job.
 */
final class JobQueue implements AutoCloseable {
    /** How the handler hands its trace context to the worker. */
    enum Handoff {
        /** Right: the handler forks its context into the job; the worker makes it current. */
        CARRIED,
        /** Wrong: the job carries no context; the worker's tracking calls are silent no-ops. */
        DROPPED,
        /** Also wrong: the worker starts a context of its own; its events form a separate, unrelated trace. */
        NEW_TRACE
    }

    /** A unit of work and the context it should run in. */
    record Job(String id, String data, Optional<RacewayContext> context, Handoff handoff,
               CompletableFuture<String> result) {
    }

    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>(1_000);
    private final RacewayClient raceway;
    private final Thread worker;
    private final AtomicLong processed = new AtomicLong();

    JobQueue(RacewayClient raceway) {
        this.raceway = raceway;
        this.worker = new Thread(this::work, "job-worker");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Called by the request handler, on the request's thread. */
    CompletableFuture<String> submit(String id, String data, Handoff handoff) {
        Optional<RacewayContext> context = handoff == Handoff.CARRIED
                ? RacewayContext.current().map(RacewayContext::fork) // captured here, in the handler
                : Optional.empty();
        Job job = new Job(id, data, context, handoff, new CompletableFuture<>());
        if (!queue.offer(job)) {
            job.result().completeExceptionally(new IllegalStateException("job queue is full"));
        }
        return job.result();
    }

    @SuppressWarnings("try") // the scopes are used for their effect, not referenced
    private void work() {
        while (!Thread.currentThread().isInterrupted()) {
            Job job;
            try {
                job = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (job.context().isPresent()) {
                    try (Scope ignored = job.context().get().makeCurrent()) { // restored by the worker
                        process(job);
                    }
                } else if (job.handoff() == Handoff.NEW_TRACE) {
                    try (Scope ignored = raceway.newTrace().makeCurrent()) {
                        process(job);
                    }
                } else {
                    process(job); // no context on this thread: tracking calls do nothing
                }
            } catch (RuntimeException e) {
                job.result().completeExceptionally(e);
            }
        }
    }

    private void process(Job job) {
        raceway.trackFunctionCall("worker_process_job", Map.of("job_id", job.id(), "data", job.data()));
        long after = processed.incrementAndGet();
        long before = after - 1;
        // An AtomicLong increment is an atomic read-modify-write: it cannot lose an update, so it is no race.
        raceway.trackStateChange("jobs.processed", before, after, AccessType.AtomicRMW);
        job.result().complete("Processed: " + job.data());
    }

    @Override
    public void close() {
        worker.interrupt();
    }
}
