package dev.raceway.sdk;

import dev.raceway.core.event.Event;
import dev.raceway.core.json.BatchDecodeResult;
import dev.raceway.core.json.EventJson;
import dev.raceway.core.json.MalformedBatchException;
import dev.raceway.sdk.transport.EventTarget;
import dev.raceway.sdk.transport.EventTransport;
import dev.raceway.sdk.transport.TransportAnswer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * A transport with no network, for tests of the client and the sender (zipkin-reporter's {@code FakeSender}):
 * decodes every body with the production decoder and keeps the events, answers from a script (an answer, or an
 * {@link IOException} to throw), then 200.
 */
public final class FakeTransport implements EventTransport {
    private static final byte[] OK = "{\"success\":true,\"data\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    private final Deque<Object> script = new ArrayDeque<>();
    private final List<Event> received = new ArrayList<>();
    private EventTarget target;
    private int posts;
    private boolean closed;

    /** Plugs this transport into a client: {@code builder.transport(fake.factory())}. */
    public EventTransport.Factory factory() {
        return t -> {
            synchronized (this) {
                target = t;
            }
            return this;
        };
    }

    /** Answers the next posts with these, in order: a {@link TransportAnswer}, or an {@link IOException} thrown. */
    public synchronized FakeTransport then(Object... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    @Override
    public TransportAnswer post(byte[] body) throws IOException {
        Object next;
        synchronized (this) {
            posts++;
            next = script.poll();
            if (!(next instanceof IOException) && (next == null || ((TransportAnswer) next).status() / 100 == 2)) {
                received.addAll(decode(body));
            }
        }
        if (next instanceof IOException e) {
            throw e;
        }
        return next == null ? TransportAnswer.of(200, OK) : (TransportAnswer) next;
    }

    private List<Event> decode(byte[] body) {
        try {
            byte[] json = target != null && "gzip".equals(target.headers().get("Content-Encoding"))
                    ? new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes() : body;
            BatchDecodeResult r = EventJson.decodeBatch(json);
            if (!r.rejections().isEmpty()) {
                throw new AssertionError("the SDK sent events the server would reject: " + r.rejections());
            }
            return r.events();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MalformedBatchException e) {
            throw new AssertionError("the SDK sent a malformed batch", e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    public synchronized List<Event> received() {
        return List.copyOf(received);
    }

    public synchronized int posts() {
        return posts;
    }

    public synchronized boolean closed() {
        return closed;
    }

    public synchronized EventTarget target() {
        return target;
    }
}
