package dev.raceway.examples.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExampleArgsTest {
    @Test
    void optionBeatsEnvironmentBeatsDefault() {
        ExampleArgs a = ExampleArgs.parse(new String[] {"--port=3100"}, Map.of("PORT", "3200", "LATENCY_MS", "7"),
                "port", "latency-ms", "mode");
        assertThat(a.integer("port", 3000)).isEqualTo(3100);
        assertThat(a.integer("latency-ms", 100)).isEqualTo(7);
        assertThat(a.string("mode", "racy")).isEqualTo("racy");
    }

    @Test
    void unknownOptionIsRejectedNamingTheKnownOnes() {
        assertThatThrownBy(() -> ExampleArgs.parse(new String[] {"--prot=1"}, Map.of(), "port"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown option --prot")
                .hasMessageContaining("--port");
    }

    @Test
    void argumentWithoutNameValueFormIsRejected() {
        assertThatThrownBy(() -> ExampleArgs.parse(new String[] {"racy"}, Map.of(), "mode"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected --name=value");
    }

    @Test
    void nonNumericIntegerIsRejectedWithTheValue() {
        ExampleArgs a = ExampleArgs.parse(new String[] {"--port=eighty"}, Map.of(), "port");
        assertThatThrownBy(() -> a.integer("port", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--port must be an integer, got 'eighty'");
    }
}
