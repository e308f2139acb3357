package dev.raceway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.server.config.ServerConfiguration;
import org.junit.jupiter.api.AfterEach;

/**
 * The server that hostile and broken input is sent to: a small body limit and a short idle timeout; after each test
 * it must still be healthy.
 */
abstract class HostileInputServer extends ServerPerClass {
    static final int BODY_LIMIT = 256 * 1024;

    @Override
    ServerConfiguration config() {
        return ServerConfiguration.builder()
                .server(s -> s.port(0).maxBodyBytes(BODY_LIMIT).idleTimeoutSeconds(2)).build();
    }

    @AfterEach
    void serverIsStillHealthy() {
        assertThat(http.get("/health").statusCode()).isEqualTo(200);
    }
}
