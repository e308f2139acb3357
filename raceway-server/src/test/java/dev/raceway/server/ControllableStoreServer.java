package dev.raceway.server;

import dev.raceway.server.config.ServerConfiguration;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterEach;

/**
 * A real server per test over a {@link ControllableStore}, started by {@link #start} with the test's configuration
 * (on port 0); after each test the store's gate is opened, its outage ended and the server closed.
 */
abstract class ControllableStoreServer {
    final ControllableStore store = new ControllableStore();
    RacewayServer server;
    Http http;

    void start(ServerConfiguration config) throws Exception {
        server = RacewayServer.start(config.toBuilder().server(s -> s.port(0)).build(), store);
        http = new Http(server.baseUrl());
    }

    @AfterEach
    void stop() {
        Semaphore gate = store.writeGate;
        if (gate != null) {
            gate.release(1000);
        }
        store.failWrites = false;
        if (server != null) {
            server.close();
        }
    }
}
