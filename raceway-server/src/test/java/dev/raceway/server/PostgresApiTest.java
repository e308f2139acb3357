package dev.raceway.server;

import dev.raceway.storage.testing.EmbeddedPg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.server.config.ServerConfiguration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PostgresApiTest extends ApiContractTest {
    @Override
    ServerConfiguration config() {
        return ServerConfiguration.builder().server(s -> s.port(0)).storage(EmbeddedPg.config("server_api")).build();
    }

    @Test
    void durableAcknowledgementIsTheDefaultSoA200MeansStored() {
        assertThat(server.config().effectiveDurableAck()).isTrue();
        String svc = service();
        UUID trace = UUID.randomUUID();
        assertThat(http.postJson("/events", Events.body(Events.trace(trace, 5, svc))).statusCode()).isEqualTo(200);
        // No polling: the 200 came after the commit.
        assertThat(traceCount(svc)).isEqualTo(1);
        assertThat(server.store().traceEvents(trace)).hasSize(5);
    }
}
