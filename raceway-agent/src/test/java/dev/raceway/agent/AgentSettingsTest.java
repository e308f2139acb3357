package dev.raceway.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentSettingsTest {
    private final Map<String, String> props = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();

    private AgentSettings load() throws AgentSettings.InvalidSetting {
        return AgentSettings.load(props::get, env::get);
    }

    @Test
    void systemPropertiesWinOverTheEnvironmentAndEverythingElseHasADefault() throws Exception {
        props.put("raceway.endpoint", "http://127.0.0.1:8080");
        env.put("RACEWAY_ENDPOINT", "http://elsewhere:1");
        env.put("RACEWAY_SERVICE_NAME", "bank");
        env.put("RACEWAY_PACKAGES", "com.acme.bank, com.acme.shared");
        env.put("RACEWAY_API_KEY", "k");
        AgentSettings s = load();
        assertThat(s.endpoint()).isEqualTo("http://127.0.0.1:8080");
        assertThat(s.serviceName()).isEqualTo("bank");
        assertThat(s.packages()).containsExactly("com.acme.bank", "com.acme.shared");
        assertThat(s.apiKey()).contains("k");
        assertThat(s.sample()).isEqualTo(1.0);
        assertThat(s.arrays()).isFalse();
        assertThat(s.siteLimit()).isEqualTo(1000);
    }

    @Test
    void packagesMatchWholeNameSegments() throws Exception {
        props.put("raceway.endpoint", "http://h:1");
        props.put("raceway.packages", "com.acme");
        AgentSettings s = load();
        assertThat(s.tracks("com.acme.Bank")).isTrue();
        assertThat(s.tracks("com.acme.sub.Bank")).isTrue();
        assertThat(s.tracks("com.acmeco.Bank")).isFalse();
        assertThat(s.apiKey()).isEqualTo(Optional.empty());
        assertThat(new AgentSettings("http://h:1", "s", List.of(), Optional.empty(), 1, false, 1, 1000, false)
                .tracks("com.acme.Bank")).isFalse();
    }

    @Test
    void everyBadSettingIsRefusedWithItsName() {
        assertThatThrownBy(this::load).hasMessageContaining("raceway.endpoint");
        props.put("raceway.endpoint", "localhost:8080");
        assertThatThrownBy(this::load).hasMessageContaining("raceway.endpoint must be an http(s) URL");
        props.put("raceway.endpoint", "http://h:1");
        props.put("raceway.sample", "0");
        assertThatThrownBy(this::load).hasMessageContaining("raceway.sample must be in (0, 1]");
        props.put("raceway.sample", "lots");
        assertThatThrownBy(this::load).hasMessageContaining("raceway.sample must be a number");
        props.remove("raceway.sample");
        props.put("raceway.arrays", "maybe");
        assertThatThrownBy(this::load).hasMessageContaining("raceway.arrays must be true or false");
        props.remove("raceway.arrays");
        props.put("raceway.packages", "java.util");
        assertThatThrownBy(this::load).hasMessageContaining("modelled, not instrumented");
        props.put("raceway.packages", "com..acme");
        assertThatThrownBy(this::load).hasMessageContaining("package names");
    }
}
