package dev.raceway.sdk;

import dev.raceway.core.event.Event;
import dev.raceway.core.json.BatchDecodeResult;
import dev.raceway.core.json.EventJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import okhttp3.Headers;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A scripted {@code POST /events} endpoint for tests of what the SDK sends and how it reacts to failures
 * (MockWebServer). Bodies are decoded with the production decoder, {@link EventJson#decodeBatch}, so a test also
 * proves the events are valid for the server. Scripted answers are used first, then 200.
 */
public final class RecordingSink implements AutoCloseable {
    public record Received(Headers headers, List<Event> events, int rejectedByDecoder, long atNanos) {
    }

    private final MockWebServer server = new MockWebServer();
    private final Deque<MockResponse> script = new ArrayDeque<>();
    private final List<Received> requests = new ArrayList<>();
    private final List<Event> accepted = new ArrayList<>();

    public RecordingSink() throws IOException {
        this(0);
    }

    public RecordingSink(int port) throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return handle(request);
            }
        });
        server.start(port);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getPort();
    }

    public int port() {
        return server.getPort();
    }

    /** Answers the next requests with these responses, in order. */
    public synchronized RecordingSink then(MockResponse... responses) {
        script.addAll(List.of(responses));
        return this;
    }

    private MockResponse handle(RecordedRequest request) {
        byte[] body = request.getBody().readByteArray();
        List<Event> events = List.of();
        int rejected = 0;
        try {
            if ("gzip".equalsIgnoreCase(request.getHeader("Content-Encoding"))) {
                body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
            }
            BatchDecodeResult r = EventJson.decodeBatch(body);
            events = r.events();
            rejected = r.rejections().size();
        } catch (Exception e) {
            rejected = -1;
        }
        synchronized (this) {
            requests.add(new Received(request.getHeaders(), events, rejected, System.nanoTime()));
            MockResponse scripted = script.poll();
            MockResponse answer = scripted != null ? scripted
                    : new MockResponse().setResponseCode(200)
                            .setBody("{\"success\":true,\"data\":\"Ingested " + events.size() + " events\"}");
            if (answer.getStatus().contains(" 2")) {
                accepted.addAll(events);
            }
            notifyAll();
            return answer;
        }
    }

    public synchronized List<Received> requests() {
        return List.copyOf(requests);
    }

    /** Events in requests answered with 2xx, in arrival order. */
    public synchronized List<Event> accepted() {
        return List.copyOf(accepted);
    }

    /** Waits until the accepted events satisfy {@code condition}, or fails after {@code seconds}. */
    public synchronized List<Event> awaitAccepted(Predicate<List<Event>> condition, long seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.test(accepted)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("condition not met within " + seconds + " s; accepted " + accepted.size()
                        + " events in " + requests.size() + " requests");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return List.copyOf(accepted);
    }

    public List<Event> awaitAccepted(int count, long seconds) throws InterruptedException {
        return awaitAccepted(l -> l.size() >= count, seconds);
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }
}
