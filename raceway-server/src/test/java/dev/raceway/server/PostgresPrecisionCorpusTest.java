package dev.raceway.server;

import dev.raceway.server.config.ServerConfiguration;
import dev.raceway.storage.testing.EmbeddedPg;

class PostgresPrecisionCorpusTest extends PrecisionCorpusTest {
    @Override
    ServerConfiguration config() {
        return ServerConfiguration.builder().server(s -> s.port(0)).storage(EmbeddedPg.config("precision_corpus"))
                .build();
    }
}
