package dev.raceway.sdk.okhttp;

import dev.raceway.sdk.transport.EventTarget;
import dev.raceway.sdk.transport.EventTransport;
import dev.raceway.sdk.transport.TransportAnswer;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The transport on OkHttp: the default when OkHttp is on the class path (OkHttp is an optional dependency of the
 * SDK). The client is derived from the application's, when given, so its dispatcher and connection pool are
 * shared; OkHttp's own retry on connection failure is off, so the sender's policy is the only one.
 */
public final class OkHttpTransport implements EventTransport {
    private static final MediaType JSON = MediaType.get("application/json");

    private final OkHttpClient http;
    private final boolean ownsHttp;
    private final EventTarget target;

    private OkHttpTransport(OkHttpClient base, boolean ownsHttp, EventTarget target) {
        this.http = base.newBuilder()
                .connectTimeout(target.connectTimeout())
                .callTimeout(target.requestTimeout())
                .readTimeout(target.requestTimeout())
                .writeTimeout(target.requestTimeout())
                .retryOnConnectionFailure(false)
                .build();
        this.ownsHttp = ownsHttp;
        this.target = target;
    }

    /** A transport on an OkHttp client of its own (stopped when the client closes). */
    public static EventTransport.Factory factory() {
        return target -> new OkHttpTransport(new OkHttpClient(), true, target);
    }

    /** A transport derived from the application's client (its dispatcher and pool are shared, never stopped). */
    public static EventTransport.Factory factory(OkHttpClient client) {
        Objects.requireNonNull(client, "client");
        return target -> new OkHttpTransport(client, false, target);
    }

    @Override
    public TransportAnswer post(byte[] body) throws IOException {
        Request.Builder b = new Request.Builder().url(target.eventsUrl().toString());
        target.headers().forEach(b::header);
        try (Response response = http.newCall(b.post(RequestBody.create(body, JSON)).build()).execute()) {
            ResponseBody answer = response.body();
            byte[] head = answer == null ? new byte[0]
                    : answer.byteStream().readNBytes(TransportAnswer.MAX_BODY_BYTES);
            return new TransportAnswer(response.code(), Optional.ofNullable(response.header("Retry-After")), head);
        }
    }

    @Override
    public void close() {
        if (ownsHttp) {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    @Override
    public String toString() {
        return "OkHttpTransport[" + target.eventsUrl() + "]";
    }
}
