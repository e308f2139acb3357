package dev.raceway.server;

import dev.raceway.server.config.ServerConfiguration;
import dev.raceway.storage.testing.EmbeddedPg;

class PostgresOtlpIngestTest extends OtlpIngestContract {
    @Override
    ServerConfiguration config() {
        return ServerConfiguration.builder().server(s -> s.port(0)).storage(EmbeddedPg.config("server_otlp")).build();
    }
}
