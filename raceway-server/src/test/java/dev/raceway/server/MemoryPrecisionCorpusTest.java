package dev.raceway.server;

import dev.raceway.server.config.RacewayConfig;

class MemoryPrecisionCorpusTest extends PrecisionCorpusTest {
    @Override
    RacewayConfig config() {
        RacewayConfig d = RacewayConfig.defaults();
        return d.withServer(d.server().withPort(0));
    }
}
