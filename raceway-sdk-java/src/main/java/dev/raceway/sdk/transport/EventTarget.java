package dev.raceway.sdk.transport;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how a transport posts batches: the URL, the headers of every request (content type, encoding, the
 * API key, {@value #INTERNAL_HEADER}) and the client's timeouts.
 *
 * @param eventsUrl      {@code {endpoint}/events}
 * @param headers        set on every request, in this order
 * @param connectTimeout longest wait for a connection
 * @param requestTimeout longest wait for a whole request (sending the body and reading the answer)
 */
public record EventTarget(URI eventsUrl, Map<String, String> headers, Duration connectTimeout,
                          Duration requestTimeout) {
    /** Marks the SDK's own traffic, so instrumented servers and the agent do not trace it. */
    public static final String INTERNAL_HEADER = "X-Raceway-Internal";

    public EventTarget {
        Objects.requireNonNull(eventsUrl, "eventsUrl");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
    }
}
