package dev.raceway.sdk.transport;

import java.io.IOException;

/**
 * Carries one encoded batch to the server: a {@code POST} of {@link EventTarget#eventsUrl()} with the target's
 * headers, answered by the server's status, {@code Retry-After} and body. The SDK's sender decides everything
 * else — batching, splitting, compression, retries, accounting — so a transport is only an HTTP call
 * (zipkin-reporter's {@code BytesMessageSender} plays the same part).
 *
 * <p>Implementations: {@link JdkHttpTransport} on {@code java.net.http} (no dependency), and
 * {@code dev.raceway.sdk.okhttp.OkHttpTransport} when OkHttp is on the class path (then the default). A test or a
 * benchmark may plug in its own with {@code RacewayClientBuilder.transport(...)}.
 *
 * <p>Called from the SDK's sender threads, several at once (up to {@code maxConcurrentRequests}); must be
 * thread-safe. An interrupted call should end promptly with an {@link IOException} (the client is closing).
 */
public interface EventTransport extends AutoCloseable {

    /**
     * Posts {@code body} (already compressed when the target says so) and returns the answer.
     *
     * @throws IOException when no answer arrived (refused connection, timeout, reset): the sender retries
     */
    TransportAnswer post(byte[] body) throws IOException;

    /** Releases what the transport owns (connections, threads). Called once, when the client has closed. */
    @Override
    default void close() {
    }

    /** Makes the transport of a client once the client's settings are known. */
    @FunctionalInterface
    interface Factory {
        EventTransport create(EventTarget target);
    }
}
