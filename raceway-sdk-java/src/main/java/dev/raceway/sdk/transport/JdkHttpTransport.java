package dev.raceway.sdk.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Objects;

/**
 * The transport on the JDK's own {@link HttpClient}: no dependency, the default when OkHttp is not on the class
 * path. HTTP/1.1 (no {@code h2c} upgrade dance with a plain-HTTP server); POSTs are never retried by the client
 * itself, so the sender's policy is the only one. A client of its own is made on the first post (an
 * {@link HttpClient} starts a selector thread at once, and a Raceway client that never records starts no thread).
 */
public final class JdkHttpTransport implements EventTransport {
    private final EventTarget target;
    /** The application's client, or null: then {@link #own} is made on the first post and closed with us. */
    private final HttpClient given;
    private HttpClient own; // guarded by this

    private JdkHttpTransport(HttpClient given, EventTarget target) {
        this.given = given;
        this.target = target;
    }

    /** A transport on a client of its own, with the target's connect timeout. */
    public static EventTransport.Factory factory() {
        return target -> new JdkHttpTransport(null, target);
    }

    /** A transport on the application's own client (its executor, proxy, TLS settings); never closed by us. */
    public static EventTransport.Factory factory(HttpClient client) {
        Objects.requireNonNull(client, "client");
        return target -> new JdkHttpTransport(client, target);
    }

    private HttpClient http() {
        if (given != null) {
            return given;
        }
        synchronized (this) {
            if (own == null) {
                own = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(target.connectTimeout()).build();
            }
            return own;
        }
    }

    @Override
    public TransportAnswer post(byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.eventsUrl()).timeout(target.requestTimeout())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        target.headers().forEach(request::header);
        try {
            HttpResponse<InputStream> response = http().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                byte[] head = in.readNBytes(TransportAnswer.MAX_BODY_BYTES);
                return new TransportAnswer(response.statusCode(), response.headers().firstValue("Retry-After"),
                        head);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while posting events");
        }
    }

    /** Java 21 made {@link HttpClient} closeable (its threads stop); on 17 they are daemons that end with it. */
    @Override
    public synchronized void close() {
        if (own instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // nothing is in flight any more; a failure to release is no one's concern
            }
        }
    }

    @Override
    public String toString() {
        return "JdkHttpTransport[" + target.eventsUrl() + "]";
    }
}
