package dev.raceway.examples.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The Raceway server's HTTP API as the tests (and a user with curl) see it: every call is a real HTTP request and
 * answers the {@code data} of the {@code {"success","data","error"}} envelope.
 */
public final class RacewayApi {
    /** How long a test waits for data to show up; generous for a loaded 2-core machine. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final String baseUrl;
    private final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(20)).build();

    RacewayApi(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** A response: its status and its parsed body. */
    public record Answer(int status, JsonNode body) {
        public JsonNode data() {
            return body.path("data");
        }

        public boolean ok() {
            return status == 200 && body.path("success").asBoolean(false);
        }
    }

    public Answer get(String path) {
        Request request = new Request.Builder().url(baseUrl + path).build();
        try (Response response = http.newCall(request).execute()) {
            String text = response.body().string();
            JsonNode body;
            try {
                body = MAPPER.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("GET " + path + " answered " + response.code() + " with non-JSON: " + text);
            }
            return new Answer(response.code(), body);
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " failed: " + e, e);
        }
    }

    /** The {@code data} of a successful GET; fails the test with the server's error otherwise. */
    public JsonNode data(String path) {
        Answer a = get(path);
        if (!a.ok()) {
            throw new AssertionError("GET " + path + " answered " + a.status() + ": " + a.body());
        }
        return a.data();
    }

    public JsonNode trace(String traceId) {
        return data("/api/traces/" + traceId);
    }

    public JsonNode auditTrail(String traceId, String variable) {
        return data("/api/traces/" + traceId + "/audit-trail/" + URLEncoder.encode(variable, StandardCharsets.UTF_8));
    }

    public JsonNode globalAnalysis() {
        return data("/api/analyze/global");
    }

    /** The ids of every stored trace (all pages). */
    public List<String> traceIds() {
        List<String> ids = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode d = data("/api/traces?page=" + page + "&page_size=100");
            d.path("traces").forEach(t -> ids.add(t.path("trace_id").asText()));
            if (page >= d.path("total_pages").asInt(0)) {
                return ids;
            }
        }
    }

    /** Number of events the server has stored for a trace, from the trace list (0 while it is not listed). */
    public int storedEvents(String traceId) {
        for (int page = 1; ; page++) {
            JsonNode d = data("/api/traces?page=" + page + "&page_size=100");
            for (JsonNode t : d.path("traces")) {
                if (t.path("trace_id").asText().equals(traceId)) {
                    return t.path("event_count").asInt();
                }
            }
            if (page >= d.path("total_pages").asInt(0)) {
                return 0;
            }
        }
    }

    /**
     * Polls {@code probe} until its value passes {@code done}, then returns that value; fails with the last value
     * seen after {@link #PATIENCE}. Use it for everything that arrives asynchronously (SDK flush, ingest).
     */
    public <T> T await(String what, java.util.function.Supplier<T> probe, Predicate<? super T> done) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        T last = null;
        RuntimeException lastError = null;
        while (true) {
            try {
                last = probe.get();
                lastError = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (RuntimeException | AssertionError e) {
                lastError = e instanceof RuntimeException r ? r : new RuntimeException(e);
            }
            if (System.nanoTime() > deadline) {
                AssertionError failure = new AssertionError("gave up after " + PATIENCE + " waiting for " + what
                        + "; last seen: " + last);
                if (lastError != null) {
                    failure.initCause(lastError);
                }
                throw failure;
            }
            try {
                Thread.sleep(50); // poll interval while waiting for a condition, not a fixed delay
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /** Waits until the server has stored at least {@code events} events of {@code traceId}, then returns its bundle. */
    public JsonNode awaitTrace(String traceId, int events) {
        await("trace " + traceId + " with at least " + events + " events", () -> storedEvents(traceId),
                n -> n >= events);
        return trace(traceId);
    }

    /** Events of a trace bundle as a list. */
    public static List<JsonNode> events(JsonNode bundle) {
        List<JsonNode> out = new ArrayList<>();
        bundle.path("events").forEach(out::add);
        return out;
    }

    /** The single key of an externally tagged event kind, e.g. {@code StateChange}. */
    public static String kindName(JsonNode event) {
        return event.path("kind").fieldNames().next();
    }

    public static JsonNode kindBody(JsonNode event) {
        return event.path("kind").path(kindName(event));
    }

    public static Optional<JsonNode> find(Iterable<JsonNode> nodes, Function<JsonNode, Boolean> match) {
        for (JsonNode n : nodes) {
            if (match.apply(n)) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }
}
