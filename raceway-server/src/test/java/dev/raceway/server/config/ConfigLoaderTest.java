package dev.raceway.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.raceway.storage.MemoryStoreConfig;
import dev.raceway.storage.PostgresStoreConfig;
import dev.raceway.storage.ingest.EngineConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    final Map<String, String> env = new java.util.HashMap<>(Map.of("RACEWAY_API_KEY", "k-123", "DB_PASSWORD", "pw"));
    final ConfigLoader loader = new ConfigLoader(env::get);

    ServerConfiguration parse(String toml) {
        return loader.parse(toml, "raceway.toml");
    }

    @Test
    void clockSkewIsReadValidatedAndDefaultsTo50Ms() {
        assertThat(parse("").features().clockSkew()).isEqualTo(java.time.Duration.ofMillis(50));
        assertThat(parse("[race_detection]\nclock_skew_ms = 0\n").features().clockSkew()).isZero();
        assertThat(parse("[race_detection]\nclock_skew_ms = 250\n").features().causality().clockSkew())
                .isEqualTo(java.time.Duration.ofMillis(250));
        assertThatThrownBy(() -> parse("[race_detection]\nclock_skew_ms = -1\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'race_detection.clock_skew_ms'")
                .hasMessageContaining("between 0 and 86400000");
        assertThatThrownBy(() -> parse("[race_detection]\nclock_skew_ms = \"50ms\"\n"))
                .hasMessageContaining("must be an integer");
    }

    @Test
    void emptyFileGivesTheDefaultsOfTheGuide() {
        ServerConfiguration c = parse("");
        assertThat(c.server().host()).isEqualTo("127.0.0.1");
        assertThat(c.server().port()).isEqualTo(8080);
        assertThat(c.server().corsEnabled()).isTrue();
        assertThat(c.server().corsOrigins()).containsExactly("*");
        assertThat(c.server().rateLimitEnabled()).isFalse();
        assertThat(c.server().rateLimitRpm()).isEqualTo(1000);
        assertThat(c.server().authEnabled()).isFalse();
        assertThat(c.server().apiKeys()).isEmpty();
        assertThat(c.storage()).isEqualTo(MemoryStoreConfig.defaults());
        assertThat(c.engine().bufferSize()).isEqualTo(10_000);
        assertThat(c.engine().batchSize()).isEqualTo(100);
        assertThat(c.engine().flushIntervalMs()).isEqualTo(100);
        assertThat(c.features()).isEqualTo(new FeatureFlags(true, true, false));
        assertThat(c.logging()).isEqualTo(new LoggingSettings("info", false));
        assertThat(c.corsAllowAll()).isFalse();
        assertThat(c.effectiveDurableAck()).isFalse();
        assertThat(c).isEqualTo(ServerConfiguration.defaults());
    }

    @Test
    void productionExampleOfTheGuideWithEnvironmentSubstitution() {
        ServerConfiguration c = parse("""
                [server]
                host = "0.0.0.0"
                port = 8080
                auth_enabled = true
                api_keys = ["${RACEWAY_API_KEY}"]  # From environment
                cors_enabled = true
                cors_origins = ["https://app.company.com"]
                rate_limit_enabled = true
                rate_limit_rpm = 10000

                [storage]
                backend = "postgres"

                [storage.postgres]
                connection_string = "postgresql://raceway:${DB_PASSWORD}@db:5432/raceway"
                max_connections = 20
                auto_migrate = true

                [engine]
                buffer_size = 50000
                batch_size = 500

                [race_detection]
                enabled = true

                [anomaly_detection]
                enabled = true

                [distributed_tracing]
                enabled = true

                [logging]
                level = "info"
                include_modules = false
                """);
        assertThat(c.server().apiKeys()).containsExactly("k-123");
        assertThat(c.server().host()).isEqualTo("0.0.0.0");
        assertThat(c.server().rateLimitRpm()).isEqualTo(10_000);
        PostgresStoreConfig pg = (PostgresStoreConfig) c.storage();
        assertThat(pg.connectionString()).isEqualTo("postgresql://raceway:pw@db:5432/raceway");
        assertThat(pg.maxConnections()).isEqualTo(20);
        assertThat(pg.minConnections()).isEqualTo(2);
        assertThat(pg.supabase()).isFalse();
        assertThat(c.engine().bufferSize()).isEqualTo(50_000);
        assertThat(c.features().distributedTracing()).isTrue();
        assertThat(c.effectiveDurableAck()).isTrue();
    }

    @Test
    void missingEnvironmentVariableIsAnErrorNamingIt() {
        assertThatThrownBy(() -> parse("[server]\n\napi_keys = [\"${NOT_SET_ANYWHERE}\"]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("raceway.toml:3: 'server.api_keys' uses environment variable NOT_SET_ANYWHERE, "
                        + "which is not set");
    }

    @Test
    void substitutionSupportsDefaultsAndEscapes() {
        ServerConfiguration c = parse("""
                [server]
                host = "${BIND_HOST:-0.0.0.0}"
                [storage]
                backend = "postgres"
                [storage.postgres]
                connection_string = "postgresql://u:$${literal}@h/${DB_PASSWORD}"
                """);
        assertThat(c.server().host()).isEqualTo("0.0.0.0");
        assertThat(((PostgresStoreConfig) c.storage()).connectionString()).isEqualTo("postgresql://u:${literal}@h/pw");
        assertThatThrownBy(() -> parse("[server]\nhost = \"${BROKEN\"\n")).hasMessageContaining("unterminated");
    }

    @Test
    void unknownKeysAreReportedWithKeyAndLine() {
        assertThatThrownBy(() -> parse("[server]\nhost = \"x\"\nprot = 8080\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("raceway.toml:3: unknown key 'server.prot'")
                .hasMessageContaining("port");
        assertThatThrownBy(() -> parse("[serverz]\nport = 1\n")).hasMessageStartingWith("raceway.toml:1: unknown key 'serverz'");
    }

    @Test
    void wrongTypesAreReportedWithKeyLineAndWhatWasFound() {
        assertThatThrownBy(() -> parse("[server]\nport = \"8080\"\n"))
                .hasMessage("raceway.toml:2: 'server.port' must be an integer, got the string \"8080\"");
        assertThatThrownBy(() -> parse("[server]\nauth_enabled = 1\n"))
                .hasMessage("raceway.toml:2: 'server.auth_enabled' must be true or false, got the integer 1");
        assertThatThrownBy(() -> parse("[server]\napi_keys = \"k\"\n"))
                .hasMessageContaining("'server.api_keys' must be an array of strings");
        assertThatThrownBy(() -> parse("[server]\ncors_origins = [\"a\", 1]\n"))
                .hasMessageContaining("'server.cors_origins[1]' must be a string");
        assertThatThrownBy(() -> parse("server = 3\n")).hasMessageContaining("'server' must be a table");
    }

    @Test
    void invalidValuesAreReported() {
        assertThatThrownBy(() -> parse("[storage]\nbackend = \"mysql\"\n")).hasMessageContaining("storage.backend");
        assertThatThrownBy(() -> parse("[storage]\nbackend = \"postgres\"\n"))
                .hasMessageContaining("connection_string");
        assertThatThrownBy(() -> parse("[server]\nport = 70000\n")).hasMessageContaining("'server.port' must be "
                + "between 0 and 65535");
        assertThatThrownBy(() -> parse("[server]\nauth_enabled = true\n"))
                .hasMessageContaining("'server.api_keys' must list at least one key");
        assertThatThrownBy(() -> parse("[server]\nrate_limit_enabled = true\nrate_limit_rpm = 0\n"))
                .hasMessageContaining("rate_limit_rpm");
        assertThatThrownBy(() -> parse("[logging]\nlevel = \"loud\"\n")).hasMessageContaining("logging.level");
        assertThatThrownBy(() -> parse("[engine]\nbatch_size = 500\nbuffer_size = 100\n"))
                .hasMessageContaining("batch_size");
        assertThatThrownBy(() -> parse("[engine]\nfull_buffer_wait_ms = -1\n"))
                .hasMessageContaining("'engine.full_buffer_wait_ms' must be between 0 and 60000");
        assertThatThrownBy(() -> parse("[server\nport = 1")).hasMessageStartingWith("raceway.toml:1: invalid TOML");
        env.put("EMPTY", "");
        assertThatThrownBy(() -> parse("[server]\nauth_enabled = true\napi_keys = [\"${EMPTY}\"]\n"))
                .hasMessageContaining("empty key");
        assertThatThrownBy(() -> parse("[server]\nui_password = \"${EMPTY}\"\n"))
                .hasMessageContaining("'server.ui_password'").hasMessageContaining("is empty");
    }

    @Test
    void extraKeysAreRead() {
        ServerConfiguration c = parse("""
                [server]
                max_body_bytes = 2048
                idle_timeout_seconds = 5
                trust_forwarded_for = true
                warm_up = false
                ui_password = "open sesame"
                [storage]
                backend = "supabase"
                [storage.postgres]
                connection_string = "postgresql://x/y"
                [storage.memory]
                max_events = 5
                [engine]
                durable_ack = false
                durable_ack_timeout_ms = 1500
                full_buffer_wait_ms = 0
                [retention]
                max_age_hours = 48
                [development]
                cors_allow_all = true
                """);
        assertThat(c.server().maxBodyBytes()).isEqualTo(2048);
        assertThat(c.server().idleTimeoutSeconds()).isEqualTo(5);
        assertThat(c.server().trustForwardedFor()).isTrue();
        assertThat(c.server().warmUp()).isFalse();
        assertThat(c.server().uiPassword()).contains("open sesame");
        assertThat(c.server().toString()).doesNotContain("open sesame");
        assertThat(parse("").server().uiPassword()).isEmpty();
        assertThat(ServerConfiguration.defaults().server().warmUp()).isTrue();
        assertThat(parse("").server().warmUp()).isTrue();
        assertThat(((PostgresStoreConfig) c.storage()).supabase()).isTrue();
        assertThat(c.effectiveDurableAck()).isFalse();
        assertThat(c.durableAckTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.engine().fullBufferWaitMs()).isZero();
        assertThat(ServerConfiguration.defaults().engine().fullBufferWaitMs())
                .isEqualTo(EngineConfig.DEFAULT_FULL_BUFFER_WAIT_MS);
        assertThat(c.retentionMaxAge()).contains(Duration.ofHours(48));
        assertThat(c.corsAllowAll()).isTrue();
    }

    @Test
    void tlsNeedsBothReadableFiles(@TempDir Path dir) throws IOException {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        Path key = Files.writeString(dir.resolve("key.pem"), "y");
        ServerConfiguration c = parse("[server.tls]\ncert_path = \"" + cert + "\"\nkey_path = \"" + key + "\"\n");
        assertThat(c.server().tls()).contains(new TlsSettings(cert, key));
        assertThatThrownBy(() -> parse("[server.tls]\ncert_path = \"" + cert + "\"\n"))
                .hasMessageContaining("requires both cert_path and key_path");
        assertThatThrownBy(() -> parse("[server.tls]\ncert_path = \"" + cert + "\"\nkey_path = \"" + dir.resolve("no")
                + "\"\n")).hasMessageContaining("server.tls.key_path").hasMessageContaining("does not exist");
    }

    @Test
    void lookupPrefersExplicitPathThenEnvironmentThenDefaults(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("custom.toml"), "[server]\nport = 9999\n");
        assertThat(loader.locateAndLoad(Optional.of(file)).config().server().port()).isEqualTo(9999);
        assertThatThrownBy(() -> loader.locateAndLoad(Optional.of(dir.resolve("missing.toml"))))
                .hasMessageContaining("not found");
        env.put("RACEWAY_CONFIG", file.toString());
        ConfigLoader.Loaded fromEnv = loader.locateAndLoad(Optional.empty());
        assertThat(fromEnv.source()).contains(file);
        env.remove("RACEWAY_CONFIG");
        // The test's working directory has no raceway.toml.
        assertThat(loader.locateAndLoad(Optional.empty()).source()).isEmpty();
    }

    @Test
    void theAnnotatedExampleFileParsesToTheDefaults() {
        Path example = Path.of("..", "raceway.toml.example");
        assertThat(loader.load(example)).isEqualTo(ServerConfiguration.defaults());
    }

    @Test
    void theAnnotatedExampleFileShowsEveryKeyWithItsDefault() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "raceway.toml.example"));
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            int header = -1;
            for (int i = 0; i < lines.size() && header < 0; i++) {
                if (lines.get(i).matches("#?\\s*\\[" + Pattern.quote(key.section()) + "\\]\\s*(#.*)?")) {
                    header = i;
                }
            }
            assertThat(header).as("section [%s] for %s", key.section(), key).isNotNegative();
            Optional<String> shown = Optional.empty();
            for (int i = header + 1; i < lines.size() && !lines.get(i).matches("#?\\s*\\[.*\\]\\s*(#.*)?"); i++) {
                Matcher m = Pattern.compile("#?\\s*" + key.name() + "\\s*=\\s*(.*?)\\s*(#.*)?").matcher(lines.get(i));
                if (m.matches()) {
                    shown = Optional.of(m.group(1));
                }
            }
            assertThat(shown).as("%s in raceway.toml.example", key).isPresent();
            if (!key.isOptional()) {
                assertThat(shown.get()).as("%s's default in raceway.toml.example", key)
                        .isEqualTo(key.defaultToml().orElseThrow());
            }
        }
    }

    @Test
    void apiKeysNeverAppearInToString() {
        ServerConfiguration c = parse("[server]\nauth_enabled = true\napi_keys = [\"${RACEWAY_API_KEY}\"]\n");
        assertThat(c.toString()).doesNotContain("k-123");
        assertThat(List.of(c.server().toString())).noneMatch(s -> s.contains("k-123"));
    }
}
