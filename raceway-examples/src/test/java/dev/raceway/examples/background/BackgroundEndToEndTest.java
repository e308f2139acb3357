package dev.raceway.examples.background;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raceway.examples.support.Http;
import dev.raceway.examples.support.RacewayApi;
import dev.raceway.examples.support.RacewayUnderTest;
import dev.raceway.examples.support.Races;
import dev.raceway.sdk.RacewayStats;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Background work against a real Raceway server: where the worker's events end up when the context is carried,
 * dropped, or replaced by a new trace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackgroundEndToEndTest {
    private RacewayUnderTest raceway;
    private RacewayApi api;
    private BackgroundApp app;

    @BeforeAll
    void start() throws InterruptedException {
        raceway = RacewayUnderTest.start();
        api = raceway.api();
        app = BackgroundApp.start(raceway.url(), 0);
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
        if (raceway != null) {
            raceway.close();
        }
    }

    @Test
    void jobWithCarriedContextIsProcessedInTheRequestTraceDescendingFromTheEnqueue() {
        JsonNode answer = post("/jobs/carried");
        // HttpRequest, enqueue_job, worker_process_job, Write jobs.processed, HttpResponse
        List<JsonNode> events = eventsOf(answer, 5);
        JsonNode enqueue = function(events, "enqueue_job").orElseThrow();
        JsonNode work = function(events, "worker_process_job").orElseThrow();
        assertThat(RacewayApi.kindBody(work).path("args").path("job_id").asText())
                .isEqualTo(answer.path("job_id").asText());
        assertThat(thread(work)).as("the worker is its own logical thread").isNotEqualTo(thread(enqueue));
        assertThat(ancestors(events, work)).as("worker event descends from the handler's enqueue")
                .contains(enqueue.path("id").asText());
    }

    @Test
    void jobWithoutContextLeavesNoTraceOfTheWorkerAnywhere() {
        long outsideBefore = app.raceway().stats().outsideContext();
        JsonNode answer = post("/jobs/dropped");
        assertThat(app.raceway().stats().outsideContext() - outsideBefore)
                .as("the worker's two tracking calls found no context: counted, not silent").isEqualTo(2);
        List<JsonNode> events = eventsOf(answer, 3);
        assertThat(events.stream().map(RacewayApi::kindName)).containsExactly("HttpRequest", "FunctionCall",
                "HttpResponse");
        assertThat(answer.path("result").asText()).startsWith("Processed:"); // the work itself was done
        everythingSentIsStored();
        assertThat(traceWithFunction("worker_process_job", answer.path("job_id").asText()))
                .as("the worker's tracking calls were no-ops: no event in any trace").isEmpty();
    }

    @Test
    void jobWhoseWorkerStartsItsOwnContextEndsUpInASeparateUnrelatedTrace() {
        JsonNode answer = post("/jobs/new-trace");
        List<JsonNode> events = eventsOf(answer, 3);
        assertThat(function(events, "worker_process_job")).isEmpty();
        everythingSentIsStored();
        String request = answer.path("trace_id").asText();
        String orphan = traceWithFunction("worker_process_job", answer.path("job_id").asText())
                .orElseThrow(() -> new AssertionError("worker events not found in any trace"));
        assertThat(orphan).isNotEqualTo(request);
        List<JsonNode> orphanEvents = RacewayApi.events(api.trace(orphan));
        assertThat(orphanEvents).hasSize(2).allSatisfy(e -> assertThat(e.path("trace_id").asText()).isEqualTo(orphan));
        assertThat(orphanEvents).anySatisfy(e -> assertThat(e.path("parent_id").isNull()).isTrue());
    }

    @Test
    void taskOnWrappedExecutorRunsInAForkOfTheRequestContext() {
        JsonNode answer = post("/spawn/wrapped");
        // HttpRequest, handle_request, send_confirmation, HttpResponse
        List<JsonNode> events = eventsOf(answer, 4);
        JsonNode handler = function(events, "handle_request").orElseThrow();
        JsonNode task = function(events, "send_confirmation").orElseThrow();
        assertThat(task.path("parent_id").asText()).isEqualTo(handler.path("id").asText());
        assertThat(thread(task)).isNotEqualTo(thread(handler));
    }

    @Test
    void theAtomicCounterIsTrackedAsAnAtomicUpdateAndNeverReportedAsARace() {
        // Two traces update jobs.processed: the carried job's and the worker's own trace.
        List<JsonNode> carried = eventsOf(post("/jobs/carried"), 5);
        post("/jobs/new-trace");
        everythingSentIsStored();
        JsonNode update = carried.stream().filter(e -> RacewayApi.kindName(e).equals("StateChange")).findFirst()
                .orElseThrow();
        assertThat(RacewayApi.kindBody(update).path("variable").asText()).isEqualTo("jobs.processed");
        assertThat(RacewayApi.kindBody(update).path("access_type").asText()).isEqualTo("AtomicRMW");
        assertThat(Races.onVariable(api.globalAnalysis(), "jobs.processed")).isEmpty();
    }

    @Test
    void taskOnPlainExecutorIsNotTracked() {
        JsonNode answer = post("/spawn/plain");
        List<JsonNode> events = eventsOf(answer, 3);
        assertThat(function(events, "send_confirmation")).isEmpty();
        everythingSentIsStored();
        assertThat(traceWithFunction("send_confirmation", answer.path("job_id").asText())).isEmpty();
    }

    private JsonNode post(String path) {
        RacewayApi.Answer a = Http.postJson(app.baseUri().resolve(path), Map.of());
        assertThat(a.status()).as("POST %s: %s", path, a.body()).isEqualTo(200);
        assertThat(a.body().path("trace_id").isTextual()).isTrue();
        return a.body();
    }

    /** Flushes, waits for the request trace to have {@code n} events, and returns them. */
    private List<JsonNode> eventsOf(JsonNode answer, int n) {
        assertThat(app.raceway().flush()).isTrue();
        String trace = answer.path("trace_id").asText();
        JsonNode bundle = api.awaitTrace(trace, n);
        List<JsonNode> events = RacewayApi.events(bundle);
        assertThat(events).as("events of %s", trace).hasSize(n);
        return events;
    }

    /**
     * Barrier for "absent" assertions: every event the client queued was accepted by the server, and the server
     * stores at least as many events as the client sent.
     */
    private void everythingSentIsStored() {
        RacewayStats stats = api.await("every queued event sent", () -> {
            app.raceway().flush();
            return app.raceway().stats();
        }, s -> s.sent() == s.queued());
        assertThat(stats.dropped() + stats.rejected() + stats.failed()).isZero();
        api.await("server stores everything sent", () -> api.data("/status").path("events_captured").asLong(),
                n -> n >= stats.sent());
    }

    /** The trace holding a FunctionCall {@code name} whose args name {@code jobId}. */
    private Optional<String> traceWithFunction(String name, String jobId) {
        for (String t : api.traceIds()) {
            for (JsonNode e : RacewayApi.events(api.trace(t))) {
                if (isFunction(e, name) && RacewayApi.kindBody(e).path("args").path("job_id").asText().equals(jobId)) {
                    return Optional.of(t);
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<JsonNode> function(List<JsonNode> events, String name) {
        return events.stream().filter(e -> isFunction(e, name)).findFirst();
    }

    private static boolean isFunction(JsonNode e, String name) {
        return RacewayApi.kindName(e).equals("FunctionCall")
                && RacewayApi.kindBody(e).path("function_name").asText().equals(name);
    }

    private static String thread(JsonNode e) {
        return e.path("metadata").path("thread_id").asText();
    }

    /** Ids of the parent chain above {@code e}. */
    private static List<String> ancestors(List<JsonNode> events, JsonNode e) {
        Map<String, JsonNode> byId = new HashMap<>();
        events.forEach(x -> byId.put(x.path("id").asText(), x));
        List<String> out = new java.util.ArrayList<>();
        JsonNode at = e;
        while (at != null && at.path("parent_id").isTextual() && out.size() <= events.size()) {
            String p = at.path("parent_id").asText();
            out.add(p);
            at = byId.get(p);
        }
        return out;
    }
}
