package dev.raceway.examples.background;

import dev.raceway.examples.common.ExampleArgs;
import dev.raceway.examples.common.JsonBodies;
import dev.raceway.examples.common.WebServer;
import dev.raceway.sdk.RacewayClient;
import dev.raceway.sdk.RacewayContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The SDK guide's two background-work patterns, each done right and done wrong:
 * <ul>
 *   <li>{@code POST /jobs/carried|dropped|new-trace} — a job queue with a worker thread (see {@link JobQueue});</li>
 *   <li>{@code POST /spawn/wrapped|plain} — a task spawned on an executor, wrapped by
 *       {@link RacewayContext#taskWrapping(ExecutorService)} or plain.</li>
 * </ul>
 * Each answer names the request's trace and the job id, so you can look for the worker's events.
 *
 * <pre>./raceway-examples/run background --port=3000</pre>
 */
public final class BackgroundApp implements AutoCloseable {
    private final RacewayClient raceway;
    private final WebServer server;
    private final JobQueue jobs;
    private final ExecutorService pool;

    private BackgroundApp(RacewayClient raceway, WebServer server, JobQueue jobs, ExecutorService pool) {
        this.raceway = raceway;
        this.server = server;
        this.jobs = jobs;
        this.pool = pool;
    }

    public static BackgroundApp start(String racewayUrl, int port) {
        RacewayClient raceway = RacewayClient.builder(racewayUrl, "background-jobs").build();
        JobQueue jobs = new JobQueue(raceway);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Map<String, HttpServlet> routes = WebServer.routes();
            routes.put("/jobs/*", new Jobs(raceway, jobs));
            routes.put("/spawn/*", new Spawn(raceway, pool, RacewayContext.taskWrapping(pool)));
            return new BackgroundApp(raceway, WebServer.start("127.0.0.1", port, raceway, routes), jobs, pool);
        } catch (RuntimeException e) {
            jobs.close();
            pool.shutdownNow();
            raceway.close();
            throw e;
        }
    }

    public URI baseUri() {
        return server.baseUri();
    }

    public RacewayClient raceway() {
        return raceway;
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            jobs.close();
            pool.shutdownNow();
            raceway.close();
        }
    }

    private static String traceId() {
        return RacewayContext.current().map(c -> c.traceId().toString()).orElse(null);
    }

    private static String variant(HttpServletRequest req) {
        return req.getPathInfo() == null ? "" : req.getPathInfo().substring(1);
    }

    /** Pattern 1: hand the job to the worker thread and wait for its answer. */
    private static final class Jobs extends HttpServlet {
        private final transient RacewayClient raceway;
        private final transient JobQueue jobs;

        Jobs(RacewayClient raceway, JobQueue jobs) {
            this.raceway = raceway;
            this.jobs = jobs;
        }

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            JobQueue.Handoff handoff = switch (variant(req)) {
                case "carried" -> JobQueue.Handoff.CARRIED;
                case "dropped" -> JobQueue.Handoff.DROPPED;
                case "new-trace" -> JobQueue.Handoff.NEW_TRACE;
                default -> null;
            };
            if (handoff == null) {
                JsonBodies.write(resp, 404, Map.of("error", "use /jobs/carried, /jobs/dropped or /jobs/new-trace"));
                return;
            }
            String jobId = UUID.randomUUID().toString();
            String data = req.getParameter("data") == null ? "report" : req.getParameter("data");
            raceway.trackFunctionCall("enqueue_job", Map.of("job_id", jobId, "handoff", variant(req)));
            try {
                String result = jobs.submit(jobId, data, handoff).get(30, TimeUnit.SECONDS);
                answer(resp, jobId, result);
            } catch (ExecutionException | TimeoutException | InterruptedException e) {
                JsonBodies.write(resp, 500, Map.of("error", "job failed: " + e));
            }
        }
    }

    /** Pattern 2: spawn a task on an executor and wait for it. */
    private static final class Spawn extends HttpServlet {
        private final transient RacewayClient raceway;
        private final transient ExecutorService plain;
        private final transient ExecutorService wrapped;

        Spawn(RacewayClient raceway, ExecutorService plain, ExecutorService wrapped) {
            this.raceway = raceway;
            this.plain = plain;
            this.wrapped = wrapped;
        }

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            ExecutorService executor = switch (variant(req)) {
                case "wrapped" -> wrapped;
                case "plain" -> plain;
                default -> null;
            };
            if (executor == null) {
                JsonBodies.write(resp, 404, Map.of("error", "use /spawn/wrapped or /spawn/plain"));
                return;
            }
            String jobId = UUID.randomUUID().toString();
            raceway.trackFunctionCall("handle_request", Map.of("job_id", jobId, "spawn", variant(req)));
            Future<String> task = executor.submit(() -> {
                raceway.trackFunctionCall("send_confirmation", Map.of("job_id", jobId));
                return "sent confirmation for " + jobId;
            });
            try {
                answer(resp, jobId, task.get(30, TimeUnit.SECONDS));
            } catch (ExecutionException | TimeoutException | InterruptedException e) {
                JsonBodies.write(resp, 500, Map.of("error", "task failed: " + e));
            }
        }
    }

    private static void answer(HttpServletResponse resp, String jobId, String result) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("job_id", jobId);
        out.put("result", result);
        out.put("trace_id", traceId());
        JsonBodies.write(resp, 200, out);
    }

    public static void main(String[] args) throws Exception {
        ExampleArgs.main("background", args, BackgroundApp::main, "raceway", "port");
    }

    private static void main(ExampleArgs a) throws InterruptedException {
        String racewayUrl = a.url("raceway", "http://127.0.0.1:8080");
        BackgroundApp app = start(racewayUrl, a.port("port", 3000));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "background-shutdown"));
        URI u = app.baseUri();
        System.out.printf("""
                Background-work example on %s, reporting to %s
                  job queue, context carried:  curl -s -X POST %s/jobs/carried
                  job queue, context dropped:  curl -s -X POST %s/jobs/dropped
                  job queue, worker's own trace: curl -s -X POST %s/jobs/new-trace
                  spawned task, wrapped executor: curl -s -X POST %s/spawn/wrapped
                  spawned task, plain executor:   curl -s -X POST %s/spawn/plain
                  then: curl -s %s/api/traces/<trace_id>   (look for worker_process_job / send_confirmation)
                Ctrl-C to stop.
                """, u, racewayUrl, u, u, u, u, u, racewayUrl);
        stopped.await();
    }
}
