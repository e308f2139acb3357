package dev.raceway.server;

import dev.raceway.server.config.ServerConfiguration;

class MemoryOtlpIngestTest extends OtlpIngestContract {
    @Override
    ServerConfiguration config() {
        return ServerConfiguration.builder().server(s -> s.port(0)).build();
    }
}
