package dev.raceway.sdk.okhttp;

import dev.raceway.core.propagation.TraceParent;
import dev.raceway.sdk.RacewayClient;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Adds the Raceway propagation headers to every call made inside a request context (add it with
 * {@code OkHttpClient.Builder.addInterceptor}). Calls made outside a context, calls that already carry a
 * {@code traceparent}, and Raceway's own traffic ({@code X-Raceway-Internal}) pass unchanged.
 */
public final class RacewayInterceptor implements Interceptor {
    private final RacewayClient client;

    public RacewayInterceptor(RacewayClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        if (request.header(TraceParent.HEADER) != null || request.header("X-Raceway-Internal") != null) {
            return chain.proceed(request);
        }
        Optional<Map<String, String>> headers = client.currentPropagationHeaders();
        if (headers.isEmpty()) {
            return chain.proceed(request);
        }
        Request.Builder b = request.newBuilder();
        headers.get().forEach(b::header);
        return chain.proceed(b.build());
    }
}
