package dev.raceway.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code [otlp]}: off unless a port is set; the port is checked like every other number. */
class OtlpConfigTest {
    final ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get);

    @Test
    void theOtlpListenerIsOffByDefaultAndOnWithAPort() {
        assertThat(loader.parse("", "t.toml").otlp()).isEqualTo(OtlpSettings.disabled());
        assertThat(ServerConfiguration.defaults().otlp()).isEqualTo(OtlpSettings.disabled());
        assertThat(loader.parse("[otlp]\nport = 4318\n", "t.toml").otlp()).isEqualTo(OtlpSettings.onPort(4318));
    }

    @Test
    void aBadPortOrUnknownKeyNamesTheKey() {
        assertThatThrownBy(() -> loader.parse("[otlp]\nport = 70000\n", "t.toml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("otlp.port");
        assertThatThrownBy(() -> loader.parse("[otlp]\nendpoint = \"x\"\n", "t.toml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("endpoint");
    }
}
