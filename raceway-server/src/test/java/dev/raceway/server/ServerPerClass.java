package dev.raceway.server;

import dev.raceway.server.config.ServerConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** One real server per test class, started from {@link #config()} before the first test and closed after the last. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerPerClass {
    RacewayServer server;
    Http http;

    /** The configuration of the server under test (port 0). */
    abstract ServerConfiguration config() throws Exception;

    @BeforeAll
    void startServer() throws Exception {
        server = RacewayServer.start(config());
        http = new Http(server.baseUrl());
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }
}
