package dev.raceway.sdk;

import java.net.http.HttpRequest;
import java.util.Objects;

/** Propagation for {@code java.net.http.HttpClient}: adds the Raceway headers to a request being built. */
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
}
