package dev.raceway.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.raceway.server.config.ConfigException;
import dev.raceway.server.config.ConfigLoader;
import dev.raceway.server.config.ServerConfiguration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code serve -v --port --host} win over the file and change nothing else. */
class ServeOverridesTest {
    final ServerConfiguration fromFile = new ConfigLoader(name -> null).parse("""
            [server]
            host = "0.0.0.0"
            port = 9999
            max_connections = 12
            [engine]
            durable_ack = true
            """, "raceway.toml");

    @Test
    void theCommandLineWinsOverTheFileForHostPortAndVerbose() {
        ServerConfiguration c = RacewayCli.overridden(fromFile, true, Optional.of(0), Optional.of("127.0.0.1"));
        assertThat(c.server()).isEqualTo(fromFile.server().toBuilder().verbose(true).port(0).host("127.0.0.1")
                .build());
        assertThat(c.server().maxConnections()).isEqualTo(12);
        assertThat(c.toBuilder().server(fromFile.server()).build()).isEqualTo(fromFile);
    }

    @Test
    void withoutOptionsTheFileStands() {
        assertThat(RacewayCli.overridden(fromFile, false, Optional.empty(), Optional.empty())).isEqualTo(fromFile);
    }

    @Test
    void aBlankHostIsAConfigurationErrorNamingTheKey() {
        assertThatThrownBy(() -> RacewayCli.overridden(fromFile, false, Optional.empty(), Optional.of(" ")))
                .isInstanceOf(ConfigException.class).hasMessage("command line: 'server.host' must not be empty");
    }
}
