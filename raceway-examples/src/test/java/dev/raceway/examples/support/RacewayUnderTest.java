package dev.raceway.examples.support;

import dev.raceway.server.RacewayServer;
import dev.raceway.server.config.ServerConfiguration;

/** A real Raceway server in this JVM: memory backend, ephemeral port. */
public final class RacewayUnderTest implements AutoCloseable {
    private final RacewayServer server;
    private final RacewayApi api;

    private RacewayUnderTest(RacewayServer server) {
        this.server = server;
        this.api = new RacewayApi(server.baseUrl());
    }

    public static RacewayUnderTest start() throws InterruptedException {
        return new RacewayUnderTest(RacewayServer.start(ServerConfiguration.builder().server(s -> s.port(0)).build()));
    }

    /** The URL the SDK clients of the example apps report to. */
    public String url() {
        return server.baseUrl();
    }

    public RacewayApi api() {
        return api;
    }

    @Override
    public void close() {
        server.close();
    }
}
