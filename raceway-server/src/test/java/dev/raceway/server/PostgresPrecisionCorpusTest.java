package dev.raceway.server;

import dev.raceway.server.config.RacewayConfig;
import dev.raceway.storage.testing.EmbeddedPg;

class PostgresPrecisionCorpusTest extends PrecisionCorpusTest {
    @Override
    RacewayConfig config() {
        RacewayConfig d = RacewayConfig.defaults();
        return d.withServer(d.server().withPort(0)).withStorage(EmbeddedPg.config("precision_corpus"));
    }
}
