package dev.raceway.server.config;

import static dev.raceway.server.config.ConfigKeys.*;

import dev.raceway.storage.MemoryStoreConfig;
import dev.raceway.storage.PostgresStoreConfig;
import dev.raceway.storage.StoreConfig;
import dev.raceway.storage.ingest.EngineConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Reads {@code raceway.toml}: checks every key against {@link ConfigKeys} (unknown keys, wrong types and values out
 * of range are errors naming the key and its line), substitutes {@code ${VAR}} in strings (also
 * {@code ${VAR:-default}}; {@code $${} is a literal {@code ${}) and hands the values the file sets to the settings
 * builders, which hold the defaults; the settings records validate the rest.
 */
public final class ConfigLoader {
    /** The file looked for in the working directory when no path is given. */
    public static final String DEFAULT_FILE = "raceway.toml";

    private final Function<String, String> env;

    /** A loader reading environment variables through {@code env} (returns null when unset). */
    public ConfigLoader(Function<String, String> env) {
        this.env = env;
    }

    /**
     * The configuration to use: {@code explicitPath} if given (must exist), else {@code $RACEWAY_CONFIG} if set
     * (must exist), else {@code ./raceway.toml} if present, else the defaults.
     */
    public Loaded locateAndLoad(Optional<Path> explicitPath) {
        if (explicitPath.isPresent()) {
            return new Loaded(load(explicitPath.get()), Optional.of(explicitPath.get()));
        }
        String fromEnv = env.apply("RACEWAY_CONFIG");
        if (fromEnv != null && !fromEnv.isBlank()) {
            Path p = Path.of(fromEnv);
            return new Loaded(load(p), Optional.of(p));
        }
        Path local = Path.of(DEFAULT_FILE);
        if (Files.isRegularFile(local)) {
            return new Loaded(load(local), Optional.of(local));
        }
        return new Loaded(ServerConfiguration.defaults(), Optional.empty());
    }

    /** A configuration and the file it came from (empty when built-in defaults are used). */
    public record Loaded(ServerConfiguration config, Optional<Path> source) {
    }

    public ServerConfiguration load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": configuration file not found");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Parses TOML text; {@code source} names it in error messages. */
    public ServerConfiguration parse(String text, String source) {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            var e = toml.errors().get(0);
            throw new ConfigException(source + ":" + e.position().line() + ": invalid TOML: " + e.getMessage());
        }
        Values v = new Values(source);
        try {
            walk(toml, "", v);
            return build(v);
        } catch (ConfigKey.InvalidValue e) {
            throw v.error(e);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": " + e.getMessage(), e);
        }
    }

    private void walk(TomlTable table, String prefix, Values out) {
        for (String name : table.keySet()) {
            String full = prefix.isEmpty() ? name : prefix + "." + name;
            TomlPosition pos = table.inputPositionOf(List.of(name));
            int line = pos == null ? 0 : pos.line();
            Object value = table.get(List.of(name));
            out.lines.put(full, line);
            if (ConfigKeys.isSection(full)) {
                if (!(value instanceof TomlTable t)) {
                    throw wrongType(out.source, line, full, "a table [" + full + "]", value);
                }
                walk(t, full, out);
                continue;
            }
            ConfigKey<?> key = ConfigKeys.byPath(full).orElseThrow(() -> new ConfigException(out.source + ":" + line
                    + ": unknown key '" + full + "'" + suggestion(prefix)));
            Object parsed = switch (key.type()) {
                case STRING -> {
                    if (!(value instanceof String s)) {
                        throw wrongType(out.source, line, full, "a string", value);
                    }
                    yield substitute(s, out.source, line, full);
                }
                case INTEGER, LONG -> {
                    if (!(value instanceof Long)) {
                        throw wrongType(out.source, line, full, "an integer", value);
                    }
                    yield value;
                }
                case BOOLEAN -> {
                    if (!(value instanceof Boolean)) {
                        throw wrongType(out.source, line, full, "true or false", value);
                    }
                    yield value;
                }
                case STRINGS -> {
                    if (!(value instanceof TomlArray a)) {
                        throw wrongType(out.source, line, full, "an array of strings", value);
                    }
                    List<String> items = new ArrayList<>();
                    for (int i = 0; i < a.size(); i++) {
                        if (!(a.get(i) instanceof String s)) {
                            throw wrongType(out.source, line, full + "[" + i + "]", "a string", a.get(i));
                        }
                        items.add(substitute(s, out.source, line, full));
                    }
                    yield List.copyOf(items);
                }
            };
            out.values.put(full, key.fromToml(parsed));
        }
    }

    private static String suggestion(String section) {
        return ConfigKeys.isSection(section)
                ? " (known keys of [" + section + "]: " + String.join(", ", ConfigKeys.namesIn(section)) + ")"
                : "";
    }

    private static ConfigException wrongType(String source, int line, String key, String expected, Object actual) {
        return new ConfigException(source + ":" + line + ": '" + key + "' must be " + expected + ", got "
                + describe(actual));
    }

    private static String describe(Object v) {
        if (v instanceof String s) {
            return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
        }
        if (v instanceof Long l) {
            return "the integer " + l;
        }
        if (v instanceof Double d) {
            return "the number " + d;
        }
        if (v instanceof Boolean b) {
            return b.toString();
        }
        if (v instanceof TomlArray) {
            return "an array";
        }
        if (v instanceof TomlTable) {
            return "a table";
        }
        return v == null ? "nothing" : v.getClass().getSimpleName();
    }

    /** Replaces {@code ${NAME}} and {@code ${NAME:-default}}; {@code $${} stays a literal {@code ${}. */
    String substitute(String s, String source, int line, String key) {
        if (s.indexOf('$') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '$' && s.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (c == '$' && s.startsWith("${", i)) {
                int end = s.indexOf('}', i + 2);
                if (end < 0) {
                    throw new ConfigException(source + ":" + line + ": '" + key + "': unterminated ${ in value");
                }
                String expr = s.substring(i + 2, end);
                String name = expr;
                String fallback = null;
                int sep = expr.indexOf(":-");
                if (sep >= 0) {
                    name = expr.substring(0, sep);
                    fallback = expr.substring(sep + 2);
                }
                if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw new ConfigException(source + ":" + line + ": '" + key + "': invalid variable name '"
                            + name + "' in ${...}");
                }
                String value = env.apply(name);
                if (value == null || (value.isEmpty() && fallback != null)) {
                    if (fallback == null) {
                        throw new ConfigException(source + ":" + line + ": '" + key + "' uses environment variable "
                                + name + ", which is not set");
                    }
                    value = fallback;
                }
                out.append(value);
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Parsed, checked values by {@code section.name}, with the line each came from. */
    private static final class Values {
        final String source;
        final Map<String, Object> values = new LinkedHashMap<>();
        final Map<String, Integer> lines = new LinkedHashMap<>();

        Values(String source) {
            this.source = source;
        }

        /** The error naming the file and the line of the key {@code e} is about (if the file sets it). */
        ConfigException error(ConfigKey.InvalidValue e) {
            Integer line = lines.get(e.key());
            return new ConfigException(source + (line == null ? "" : ":" + line) + ": " + e.getMessage(), e);
        }

        /** The value the file sets, if it sets the key. */
        <T> Optional<T> optional(ConfigKey<T> key) {
            @SuppressWarnings("unchecked") // walk() stored what key.fromToml returned
            T value = (T) values.get(key.path());
            return Optional.ofNullable(value);
        }

        /** The value the file sets, else the key's default. */
        <T> T get(ConfigKey<T> key) {
            return optional(key).orElseGet(key::defaultValue);
        }

        /** Hands the value to {@code setter} if the file sets the key (builders hold the defaults). */
        <T> void ifSet(ConfigKey<T> key, Consumer<? super T> setter) {
            optional(key).ifPresent(setter);
        }
    }

    private ServerConfiguration build(Values v) {
        ServerConfiguration.Builder config = ServerConfiguration.builder()
                .server(server(v))
                .storage(storage(v))
                .engine(new EngineConfig(v.get(ENGINE_BUFFER_SIZE), v.get(ENGINE_BATCH_SIZE),
                        v.get(ENGINE_FLUSH_INTERVAL_MS)).withFullBufferWait(v.get(ENGINE_FULL_BUFFER_WAIT_MS)))
                .features(new FeatureFlags(v.get(RACES_ENABLED), v.get(ANOMALIES_ENABLED), v.get(DISTRIBUTED_ENABLED),
                        Duration.ofMillis(v.get(RACES_CLOCK_SKEW_MS))))
                .logging(new LoggingSettings(v.get(LOGGING_LEVEL), v.get(LOGGING_INCLUDE_MODULES)))
                .corsAllowAll(v.get(DEVELOPMENT_CORS_ALLOW_ALL))
                .durableAckTimeout(Duration.ofMillis(v.get(ENGINE_DURABLE_ACK_TIMEOUT_MS)))
                .shutdownDrainTimeout(Duration.ofMillis(v.get(ENGINE_SHUTDOWN_DRAIN_TIMEOUT_MS)));
        v.ifSet(ENGINE_DURABLE_ACK, config::durableAck);
        v.ifSet(RETENTION_MAX_AGE_HOURS, hours -> config.retentionMaxAge(Duration.ofHours(hours)));
        v.ifSet(OTLP_PORT, port -> config.otlp(OtlpSettings.onPort(port)));
        return config.build();
    }

    private static ServerSettings server(Values v) {
        ServerSettings.Builder s = ServerSettings.builder();
        v.ifSet(SERVER_HOST, s::host);
        v.ifSet(SERVER_PORT, s::port);
        v.ifSet(SERVER_VERBOSE, s::verbose);
        v.ifSet(SERVER_CORS_ENABLED, s::corsEnabled);
        v.ifSet(SERVER_CORS_ORIGINS, s::corsOrigins);
        v.ifSet(SERVER_RATE_LIMIT_ENABLED, s::rateLimitEnabled);
        v.ifSet(SERVER_RATE_LIMIT_RPM, s::rateLimitRpm);
        v.ifSet(SERVER_AUTH_ENABLED, s::authEnabled);
        v.ifSet(SERVER_API_KEYS, s::apiKeys);
        v.ifSet(SERVER_UI_PASSWORD, s::uiPassword);
        v.ifSet(SERVER_MAX_BODY_BYTES, s::maxBodyBytes);
        v.ifSet(SERVER_MAX_HEADER_BYTES, s::maxHeaderBytes);
        v.ifSet(SERVER_MAX_URI_LENGTH, s::maxUriLength);
        v.ifSet(SERVER_IDLE_TIMEOUT_SECONDS, s::idleTimeoutSeconds);
        v.ifSet(SERVER_WORKER_THREADS, s::workerThreads);
        v.ifSet(SERVER_TRUST_FORWARDED_FOR, s::trustForwardedFor);
        v.ifSet(SERVER_WARM_UP, s::warmUp);
        v.ifSet(SERVER_HEADER_TIMEOUT_SECONDS, s::headerTimeoutSeconds);
        v.ifSet(SERVER_MAX_CONNECTIONS, s::maxConnections);
        v.ifSet(SERVER_ALLOWED_HOSTS, s::allowedHosts);
        tls(v).ifPresent(s::tls);
        return s.build();
    }

    /** {@code [server.tls]}: both files or neither, and both readable now (not at the first handshake). */
    private static Optional<TlsSettings> tls(Values v) {
        Optional<String> cert = v.optional(TLS_CERT_PATH);
        Optional<String> key = v.optional(TLS_KEY_PATH);
        if (cert.isPresent() != key.isPresent()) {
            throw (cert.isPresent() ? TLS_CERT_PATH : TLS_KEY_PATH)
                    .invalid("needs its partner: [server.tls] requires both cert_path and key_path");
        }
        if (cert.isEmpty()) {
            return Optional.empty();
        }
        Path certPath = readable(TLS_CERT_PATH, cert.get());
        return Optional.of(new TlsSettings(certPath, readable(TLS_KEY_PATH, key.get())));
    }

    private static Path readable(ConfigKey<String> key, String file) {
        Path path = Path.of(file);
        if (!Files.isReadable(path)) {
            throw key.invalid("names a file that does not exist or is not readable: " + path);
        }
        return path;
    }

    private static StoreConfig storage(Values v) {
        String backend = v.get(STORAGE_BACKEND);
        if (backend.equals("memory")) {
            return new MemoryStoreConfig(v.get(MEMORY_MAX_EVENTS),
                    v.optional(MEMORY_MAX_BYTES).orElseGet(MemoryStoreConfig::defaultMaxBytes));
        }
        String url = v.optional(POSTGRES_CONNECTION_STRING).orElse("");
        if (url.isBlank()) {
            throw new ConfigException(v.source + ": storage.backend = \"" + backend
                    + "\" requires [storage.postgres] connection_string");
        }
        return new PostgresStoreConfig(url, v.get(POSTGRES_MAX_CONNECTIONS), v.get(POSTGRES_MIN_CONNECTIONS),
                v.get(POSTGRES_CONNECTION_TIMEOUT_SECONDS), v.get(POSTGRES_AUTO_MIGRATE), backend.equals("supabase"));
    }
}
