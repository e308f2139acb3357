package dev.raceway.sdk;

import dev.raceway.core.propagation.RacewayClock;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Propagation for {@code java.net.http.HttpClient}: adds the Raceway headers to a request being built, and merges
 * the callee's response clock back into the caller's context ({@link #received}), or does both around a call
 * ({@link #send}, {@link #sendAsync}).
 */
public final class HttpClientPropagation {
    private HttpClientPropagation() {
    }

    /**
     * Adds {@code traceparent}, {@code tracestate} and {@code raceway-clock} of the current context to
     * {@code request}; outside a context the builder is returned unchanged.
     */
    public static HttpRequest.Builder propagate(RacewayClient client, HttpRequest.Builder request) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(request, "request");
        client.currentPropagationHeaders().ifPresent(h -> h.forEach(request::setHeader));
        return request;
    }

    /**
     * Merges the {@code raceway-clock} of a callee's response into the current context (when there is one and
     * the header is valid for its trace), so the caller's next events come after the callee's; returns
     * {@code response}.
     */
    public static <T> HttpResponse<T> received(RacewayClient client, HttpResponse<T> response) {
        return received(client, RacewayContext.currentOrNull(), response);
    }

    private static <T> HttpResponse<T> received(RacewayClient client, RacewayContext ctx, HttpResponse<T> response) {
        if (ctx != null && response != null) {
            client.mergeResponseClock(ctx, response.headers().firstValue(RacewayClock.HEADER).orElse(null));
        }
        return response;
    }

    /** Sends {@code request} with the propagation headers and merges the response clock into the current context. */
    public static <T> HttpResponse<T> send(RacewayClient client, HttpClient http, HttpRequest.Builder request,
                                           HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        Objects.requireNonNull(http, "http");
        RacewayContext ctx = RacewayContext.currentOrNull();
        HttpResponse<T> response = http.send(propagate(client, request).build(), body);
        return received(client, ctx, response);
    }

    /**
     * Sends {@code request} asynchronously with the propagation headers; when the response arrives, its clock is
     * merged into the context that was current at this call (on whichever thread completes the call).
     */
    public static <T> CompletableFuture<HttpResponse<T>> sendAsync(RacewayClient client, HttpClient http,
                                                                  HttpRequest.Builder request,
                                                                  HttpResponse.BodyHandler<T> body) {
        Objects.requireNonNull(http, "http");
        RacewayContext ctx = RacewayContext.currentOrNull();
        return http.sendAsync(propagate(client, request).build(), body).thenApply(r -> received(client, ctx, r));
    }
}
