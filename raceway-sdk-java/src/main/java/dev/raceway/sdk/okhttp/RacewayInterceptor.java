package dev.raceway.sdk.okhttp;

import dev.raceway.core.propagation.RacewayClock;
import dev.raceway.core.propagation.TraceParent;
import dev.raceway.sdk.RacewayClient;
import dev.raceway.sdk.RacewayContext;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Adds the Raceway propagation headers to every call made inside a request context (add it with
 * {@code OkHttpClient.Builder.addInterceptor}), and merges the {@code raceway-clock} the callee returns on its
 * response into that context, so the caller's next events come after the callee's. Calls made outside a context
 * and Raceway's own traffic ({@code X-Raceway-Internal}) pass unchanged; a call that already carries a
 * {@code traceparent} keeps its headers (its response clock is still merged).
 */
public final class RacewayInterceptor implements Interceptor {
    private final RacewayClient client;

    public RacewayInterceptor(RacewayClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        Optional<RacewayContext> ctx = RacewayContext.current();
        if (ctx.isEmpty() || request.header("X-Raceway-Internal") != null) {
            return chain.proceed(request);
        }
        if (request.header(TraceParent.HEADER) == null) {
            Request.Builder b = request.newBuilder();
            client.propagationHeaders(ctx.get(), Map.of()).forEach(b::header);
            request = b.build();
        }
        Response response = chain.proceed(request);
        client.mergeResponseClock(ctx.get(), response.header(RacewayClock.HEADER));
        return response;
    }
}
