package dev.raceway.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key table is the only declaration: the loader reads every key, the records' defaults and checks are its. */
class ConfigKeysTest {
    final ConfigLoader loader = new ConfigLoader(name -> null);

    @Test
    void everyDeclaredKeyReachesTheConfiguration(@TempDir Path dir) throws IOException {
        String certA = Files.writeString(dir.resolve("a.pem"), "a").toString();
        String certB = Files.writeString(dir.resolve("b.pem"), "b").toString();
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            Map<String, String> base = new LinkedHashMap<>();
            if (key.section().startsWith("storage")) {
                base.put("storage.postgres.connection_string", "\"postgresql://h/db\"");
            }
            if (key.section().equals(ConfigKeys.POSTGRES)) {
                base.put("storage.backend", "\"postgres\"");
            }
            if (key.section().equals(ConfigKeys.TLS)) {
                base.put("server.tls.cert_path", toml(certA));
                base.put("server.tls.key_path", toml(certA));
            }
            if (key == ConfigKeys.SERVER_AUTH_ENABLED) {
                base.put("server.api_keys", "[\"k\"]");
            }
            Map<String, String> changed = new LinkedHashMap<>(base);
            changed.put(key.path(), key.section().equals(ConfigKeys.TLS) ? toml(certB) : otherThanDefault(key));
            ServerConfiguration before = loader.parse(file(base), "base.toml");
            ServerConfiguration after = loader.parse(file(changed), "changed.toml");
            assertThat(after).as("setting %s = %s changes the configuration", key, changed.get(key.path()))
                    .isNotEqualTo(before);
        }
    }

    @Test
    void theRecordsStartFromTheDeclaredDefaults() throws ReflectiveOperationException {
        ServerSettings server = ServerSettings.builder().build();
        int checked = 0;
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            if (!key.section().equals(ConfigKeys.SERVER)) {
                continue;
            }
            RecordComponent component = component(ServerSettings.class, camel(key.name()));
            Object value = component.getAccessor().invoke(server);
            assertThat(value).as("ServerSettings.%s", component.getName())
                    .isEqualTo(key.isOptional() ? Optional.empty() : key.defaultValue());
            checked++;
        }
        assertThat(checked).isEqualTo(ServerSettings.class.getRecordComponents().length - 1); // all but tls
        assertThat(ServerConfiguration.defaults()).isEqualTo(loader.parse("", "empty.toml"));
        assertThat(ServerConfiguration.defaults().durableAckTimeout().toMillis())
                .isEqualTo(ConfigKeys.ENGINE_DURABLE_ACK_TIMEOUT_MS.defaultValue());
        assertThat(FeatureFlags.defaults().clockSkew().toMillis())
                .isEqualTo(ConfigKeys.RACES_CLOCK_SKEW_MS.defaultValue());
    }

    @Test
    void theRecordsRefuseWhatTheFileWouldAndNameTheKey() {
        assertThatThrownBy(() -> ServerSettings.builder().port(70_000).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'server.port' must be between 0 and 65535, got 70000");
        assertThatThrownBy(() -> ServerSettings.builder().authEnabled(true).build())
                .hasMessageContaining("'server.api_keys' must list at least one key");
        assertThatThrownBy(() -> ServerSettings.builder().rateLimitEnabled(true).rateLimitRpm(0).build())
                .hasMessageContaining("'server.rate_limit_rpm'");
        assertThatThrownBy(() -> ServerSettings.builder().host(" ").build()).hasMessageContaining("'server.host'");
        assertThatThrownBy(() -> ServerSettings.builder().uiPassword("").build())
                .hasMessageContaining("'server.ui_password'");
        assertThatThrownBy(() -> ServerSettings.builder().maxConnections(0).build())
                .hasMessageContaining("'server.max_connections'");
        assertThatThrownBy(() -> new LoggingSettings("loud", false)).hasMessageContaining("'logging.level'");
        assertThatThrownBy(() -> OtlpSettings.onPort(-1)).hasMessageContaining("'otlp.port'");
        assertThatThrownBy(() -> new FeatureFlags(true, true, false, java.time.Duration.ofDays(2)))
                .hasMessageContaining("'race_detection.clock_skew_ms'");
        assertThatThrownBy(() -> ServerConfiguration.builder().durableAckTimeout(java.time.Duration.ZERO).build())
                .hasMessageContaining("'engine.durable_ack_timeout_ms'");
    }

    @Test
    void aBuilderFromSettingsKeepsThemAndChangesOnlyWhatItIsTold() {
        ServerSettings custom = ServerSettings.builder().host("0.0.0.0").authEnabled(true).apiKeys(List.of("k"))
                .uiPassword("pw").tls(new TlsSettings(Path.of("c"), Path.of("k"))).maxBodyBytes(4096).build();
        assertThat(custom.toBuilder().build()).isEqualTo(custom);
        ServerConfiguration config = ServerConfiguration.builder().server(custom).durableAck(true).build();
        ServerConfiguration moved = config.toBuilder().server(s -> s.port(0)).build();
        assertThat(moved.server()).isEqualTo(custom.toBuilder().port(0).build());
        assertThat(moved.toBuilder().server(s -> s.port(custom.port())).build()).isEqualTo(config);
    }

    @Test
    void unknownKeysListWhatTheirTableHolds() {
        assertThat(ConfigKeys.namesIn(ConfigKeys.SERVER)).startsWith("host", "port").endsWith("allowed_hosts", "tls");
        assertThat(ConfigKeys.namesIn(ConfigKeys.STORAGE)).containsExactly("backend", "postgres", "memory");
        assertThatThrownBy(() -> loader.parse("[server.tls]\ncert = \"x\"\n", "t.toml"))
                .hasMessage("t.toml:2: unknown key 'server.tls.cert' (known keys of [server.tls]: cert_path, key_path)");
    }

    private static String otherThanDefault(ConfigKey<?> key) {
        return switch (key.type()) {
            case INTEGER, LONG -> {
                if (key.isOptional()) {
                    yield Long.toString(key.min() + 1);
                }
                long d = ((Number) key.defaultValue()).longValue();
                yield Long.toString(d + 1 <= key.max() ? d + 1 : d - 1);
            }
            case BOOLEAN -> key.isOptional() ? "true" : Boolean.toString(!(Boolean) key.defaultValue());
            case STRING -> {
                if (!key.choices().isEmpty()) {
                    yield toml(key.choices().stream().filter(c -> !c.equals(key.defaultValue())).findFirst()
                            .orElseThrow());
                }
                yield key == ConfigKeys.POSTGRES_CONNECTION_STRING ? toml("postgresql://h/other") : toml("0.0.0.0");
            }
            case STRINGS -> "[\"changed\"]";
        };
    }

    /** The file setting {@code values} ({@code section.name} to a TOML literal). */
    private static String file(Map<String, String> values) {
        Map<String, StringBuilder> sections = new LinkedHashMap<>();
        values.forEach((path, literal) -> {
            String section = path.substring(0, path.lastIndexOf('.'));
            sections.computeIfAbsent(section, s -> new StringBuilder("[" + s + "]\n"))
                    .append(path.substring(path.lastIndexOf('.') + 1)).append(" = ").append(literal).append('\n');
        });
        return String.join("", sections.values());
    }

    private static String toml(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String camel(String snake) {
        StringBuilder out = new StringBuilder();
        for (String part : snake.split("_")) {
            out.append(out.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return out.toString();
    }

    private static RecordComponent component(Class<?> record, String name) {
        for (RecordComponent c : record.getRecordComponents()) {
            if (c.getName().equals(name)) {
                return c;
            }
        }
        throw new AssertionError(record.getSimpleName() + " has no component " + name);
    }
}
