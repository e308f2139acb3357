package dev.raceway.benchmarks.sdk;

import dev.raceway.sdk.transport.EventTransport;
import dev.raceway.sdk.transport.TransportAnswer;
import java.nio.charset.StandardCharsets;

/** A transport that accepts every batch at once without a network: the sender's background work stays, I/O goes. */
final class NoopTransport implements EventTransport {
    private static final byte[] OK = "{\"success\":true,\"data\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    static EventTransport.Factory factory() {
        return target -> new NoopTransport();
    }

    @Override
    public TransportAnswer post(byte[] body) {
        return TransportAnswer.of(200, OK);
    }
}
