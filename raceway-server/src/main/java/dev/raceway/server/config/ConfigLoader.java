package dev.raceway.server.config;

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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Reads {@code raceway.toml}: checks every key against the schema (unknown keys and wrong types are errors naming
 * the key and its line), substitutes {@code ${VAR}} in strings (also {@code ${VAR:-default}}; {@code $${} is a
 * literal {@code ${}), applies the defaults of the configuration guide and validates the values.
 */
public final class ConfigLoader {
    /** The file looked for in the working directory when no path is given. */
    public static final String DEFAULT_FILE = "raceway.toml";

    static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error");

    private enum Type { STRING, INT, BOOL, STRING_ARRAY, TABLE }

    private static final Map<String, Type> SCHEMA = new LinkedHashMap<>();

    static {
        table("server", "host", Type.STRING, "port", Type.INT, "verbose", Type.BOOL, "cors_enabled", Type.BOOL,
                "cors_origins", Type.STRING_ARRAY, "rate_limit_enabled", Type.BOOL, "rate_limit_rpm", Type.INT,
                "auth_enabled", Type.BOOL, "api_keys", Type.STRING_ARRAY, "ui_password", Type.STRING,
                "max_body_bytes", Type.INT, "max_header_bytes", Type.INT, "max_uri_length", Type.INT,
                "idle_timeout_seconds", Type.INT, "worker_threads", Type.INT, "trust_forwarded_for", Type.BOOL,
                "warm_up", Type.BOOL, "header_timeout_seconds", Type.INT, "max_connections", Type.INT,
                "allowed_hosts", Type.STRING_ARRAY);
        table("server.tls", "cert_path", Type.STRING, "key_path", Type.STRING);
        table("storage", "backend", Type.STRING);
        table("storage.postgres", "connection_string", Type.STRING, "max_connections", Type.INT,
                "min_connections", Type.INT, "connection_timeout_seconds", Type.INT, "auto_migrate", Type.BOOL);
        table("storage.memory", "max_events", Type.INT, "max_bytes", Type.INT);
        table("engine", "buffer_size", Type.INT, "batch_size", Type.INT, "flush_interval_ms", Type.INT,
                "durable_ack", Type.BOOL, "durable_ack_timeout_ms", Type.INT, "shutdown_drain_timeout_ms", Type.INT,
                "full_buffer_wait_ms", Type.INT);
        table("race_detection", "enabled", Type.BOOL, "clock_skew_ms", Type.INT);
        table("anomaly_detection", "enabled", Type.BOOL);
        table("distributed_tracing", "enabled", Type.BOOL);
        table("logging", "level", Type.STRING, "include_modules", Type.BOOL);
        table("development", "cors_allow_all", Type.BOOL);
        table("retention", "max_age_hours", Type.INT);
        table("otlp", "port", Type.INT);
    }

    /** Every key the loader reads, as {@code table.key} (tables themselves excluded). */
    static java.util.List<String> knownKeys() {
        return SCHEMA.entrySet().stream().filter(e -> e.getValue() != Type.TABLE).map(Map.Entry::getKey).toList();
    }

    private static void table(String name, Object... keysAndTypes) {
        SCHEMA.put(name, Type.TABLE);
        for (int i = 0; i < keysAndTypes.length; i += 2) {
            SCHEMA.put(name + "." + keysAndTypes[i], (Type) keysAndTypes[i + 1]);
        }
    }

    private final Function<String, String> env;

    /** A loader reading environment variables through {@code env} (returns null when unset). */
    public ConfigLoader(Function<String, String> env) {
        this.env = env;
    }

    public static ConfigLoader withSystemEnv() {
        return new ConfigLoader(System::getenv);
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
        return new Loaded(RacewayConfig.defaults(), Optional.empty());
    }

    /** A configuration and the file it came from (empty when built-in defaults are used). */
    public record Loaded(RacewayConfig config, Optional<Path> source) {
    }

    public RacewayConfig load(Path file) {
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
    public RacewayConfig parse(String text, String source) {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            var e = toml.errors().get(0);
            throw new ConfigException(source + ":" + e.position().line() + ": invalid TOML: " + e.getMessage());
        }
        Values v = new Values(source);
        walk(toml, "", v);
        try {
            return build(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": " + e.getMessage(), e);
        }
    }

    private void walk(TomlTable table, String prefix, Values out) {
        for (String key : table.keySet()) {
            String full = prefix.isEmpty() ? key : prefix + "." + key;
            TomlPosition pos = table.inputPositionOf(List.of(key));
            int line = pos == null ? 0 : pos.line();
            Type type = SCHEMA.get(full);
            if (type == null) {
                throw new ConfigException(out.source + ":" + line + ": unknown key '" + full + "'"
                        + suggestion(full));
            }
            Object value = table.get(List.of(key));
            out.lines.put(full, line);
            switch (type) {
                case TABLE -> {
                    if (!(value instanceof TomlTable t)) {
                        throw wrongType(out.source, line, full, "a table [" + full + "]", value);
                    }
                    walk(t, full, out);
                }
                case STRING -> {
                    if (!(value instanceof String s)) {
                        throw wrongType(out.source, line, full, "a string", value);
                    }
                    out.values.put(full, substitute(s, out.source, line, full));
                }
                case INT -> {
                    if (!(value instanceof Long)) {
                        throw wrongType(out.source, line, full, "an integer", value);
                    }
                    out.values.put(full, value);
                }
                case BOOL -> {
                    if (!(value instanceof Boolean)) {
                        throw wrongType(out.source, line, full, "true or false", value);
                    }
                    out.values.put(full, value);
                }
                case STRING_ARRAY -> {
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
                    out.values.put(full, List.copyOf(items));
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    private static String suggestion(String key) {
        int dot = key.lastIndexOf('.');
        String section = dot < 0 ? "" : key.substring(0, dot);
        if (SCHEMA.get(section) == Type.TABLE) {
            List<String> known = new ArrayList<>();
            for (String k : SCHEMA.keySet()) {
                if (k.startsWith(section + ".") && k.indexOf('.', section.length() + 1) < 0) {
                    known.add(k.substring(section.length() + 1));
                }
            }
            return " (known keys of [" + section + "]: " + String.join(", ", known) + ")";
        }
        return "";
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

    /** Parsed values by dotted key, with the line each came from. */
    private static final class Values {
        final String source;
        final Map<String, Object> values = new LinkedHashMap<>();
        final Map<String, Integer> lines = new LinkedHashMap<>();

        Values(String source) {
            this.source = source;
        }

        ConfigException error(String key, String message) {
            Integer line = lines.get(key);
            return new ConfigException(source + (line == null ? "" : ":" + line) + ": '" + key + "' " + message);
        }

        String string(String key, String dflt) {
            return (String) values.getOrDefault(key, dflt);
        }

        boolean bool(String key, boolean dflt) {
            return (Boolean) values.getOrDefault(key, dflt);
        }

        long integer(String key, long dflt, long min, long max) {
            long v = (Long) values.getOrDefault(key, dflt);
            if (v < min || v > max) {
                throw error(key, "must be between " + min + " and " + max + ", got " + v);
            }
            return v;
        }

        @SuppressWarnings("unchecked")
        List<String> strings(String key, List<String> dflt) {
            return (List<String>) values.getOrDefault(key, dflt);
        }

        Optional<Object> get(String key) {
            return Optional.ofNullable(values.get(key));
        }
    }

    /** {@code server.ui_password}: optional, and never empty (an empty secret would be a login for anyone). */
    private static Optional<String> uiPassword(Values v) {
        if (v.get("server.ui_password").isEmpty()) {
            return Optional.empty();
        }
        String password = v.string("server.ui_password", "");
        if (password.isBlank()) {
            throw v.error("server.ui_password", "is empty (is an environment variable empty?); remove it or set it");
        }
        return Optional.of(password);
    }

    private RacewayConfig build(Values v) {
        ServerSettings d = ServerSettings.defaults();
        boolean authEnabled = v.bool("server.auth_enabled", false);
        List<String> apiKeys = v.strings("server.api_keys", List.of());
        if (authEnabled && apiKeys.isEmpty()) {
            throw v.error("server.api_keys", "must list at least one key when auth_enabled = true");
        }
        for (String k : apiKeys) {
            if (k.isBlank()) {
                throw v.error("server.api_keys", "contains an empty key (is an environment variable empty?)");
            }
        }
        boolean rateLimit = v.bool("server.rate_limit_enabled", false);
        int rpm = (int) v.integer("server.rate_limit_rpm", 1000, rateLimit ? 1 : 0, Integer.MAX_VALUE);
        Optional<TlsSettings> tls = Optional.empty();
        boolean hasCert = v.get("server.tls.cert_path").isPresent();
        boolean hasKey = v.get("server.tls.key_path").isPresent();
        if (hasCert != hasKey) {
            throw v.error(hasCert ? "server.tls.cert_path" : "server.tls.key_path",
                    "needs its partner: [server.tls] requires both cert_path and key_path");
        }
        if (hasCert) {
            Path cert = Path.of(v.string("server.tls.cert_path", ""));
            Path key = Path.of(v.string("server.tls.key_path", ""));
            if (!Files.isReadable(cert)) {
                throw v.error("server.tls.cert_path", "names a file that does not exist or is not readable: " + cert);
            }
            if (!Files.isReadable(key)) {
                throw v.error("server.tls.key_path", "names a file that does not exist or is not readable: " + key);
            }
            tls = Optional.of(new TlsSettings(cert, key));
        }
        String host = v.string("server.host", d.host());
        if (host.isBlank()) {
            throw v.error("server.host", "must not be empty");
        }
        ServerSettings server = new ServerSettings(host, (int) v.integer("server.port", d.port(), 0, 65535),
                v.bool("server.verbose", false), v.bool("server.cors_enabled", true),
                v.strings("server.cors_origins", d.corsOrigins()), rateLimit, rpm, authEnabled, apiKeys,
                v.integer("server.max_body_bytes", d.maxBodyBytes(), 1024, Integer.MAX_VALUE - 1024),
                (int) v.integer("server.max_header_bytes", d.maxHeaderBytes(), 1024, 1 << 20),
                (int) v.integer("server.max_uri_length", d.maxUriLength(), 256, 1 << 20),
                (int) v.integer("server.idle_timeout_seconds", d.idleTimeoutSeconds(), 1, 86_400),
                (int) v.integer("server.worker_threads", 0, 0, 1024),
                v.bool("server.trust_forwarded_for", false), tls,
                v.bool("server.warm_up", true),
                (int) v.integer("server.header_timeout_seconds", d.headerTimeoutSeconds(), 1, 3_600),
                (int) v.integer("server.max_connections", d.maxConnections(), 1, 1_000_000),
                v.strings("server.allowed_hosts", List.of()), uiPassword(v));

        String backend = v.string("storage.backend", "memory").toLowerCase(Locale.ROOT);
        StoreConfig storage = switch (backend) {
            case "memory" -> new MemoryStoreConfig(v.integer("storage.memory.max_events",
                    MemoryStoreConfig.DEFAULT_MAX_EVENTS, 1, Long.MAX_VALUE),
                    v.integer("storage.memory.max_bytes", MemoryStoreConfig.defaultMaxBytes(), 1 << 20,
                            Long.MAX_VALUE));
            case "postgres", "supabase" -> {
                String url = v.string("storage.postgres.connection_string", "");
                if (url.isBlank()) {
                    throw new ConfigException(v.source + ": storage.backend = \"" + backend
                            + "\" requires [storage.postgres] connection_string");
                }
                PostgresStoreConfig p = new PostgresStoreConfig(url,
                        (int) v.integer("storage.postgres.max_connections",
                                PostgresStoreConfig.DEFAULT_MAX_CONNECTIONS, 1, 10_000),
                        (int) v.integer("storage.postgres.min_connections",
                                PostgresStoreConfig.DEFAULT_MIN_CONNECTIONS, 0, 10_000),
                        (int) v.integer("storage.postgres.connection_timeout_seconds",
                                PostgresStoreConfig.DEFAULT_CONNECTION_TIMEOUT_SECONDS, 1, 3_600),
                        v.bool("storage.postgres.auto_migrate", true), false);
                yield backend.equals("supabase") ? p.asSupabase() : p;
            }
            default -> throw v.error("storage.backend", "must be \"memory\", \"postgres\" or \"supabase\", got \""
                    + backend + "\"");
        };

        EngineConfig engine = new EngineConfig(
                (int) v.integer("engine.buffer_size", EngineConfig.DEFAULT_BUFFER_SIZE, 1, 100_000_000),
                (int) v.integer("engine.batch_size", EngineConfig.DEFAULT_BATCH_SIZE, 1, 1_000_000),
                v.integer("engine.flush_interval_ms", EngineConfig.DEFAULT_FLUSH_INTERVAL_MS, 1, 3_600_000))
                .withFullBufferWait(v.integer("engine.full_buffer_wait_ms", EngineConfig.DEFAULT_FULL_BUFFER_WAIT_MS,
                        0, 60_000));
        Optional<Boolean> durable = v.get("engine.durable_ack").map(Boolean.class::cast);
        Duration ackTimeout = Duration.ofMillis(v.integer("engine.durable_ack_timeout_ms", 30_000, 1, 3_600_000));
        Duration drain = Duration.ofMillis(v.integer("engine.shutdown_drain_timeout_ms", 30_000, 0, 3_600_000));

        FeatureFlags features = new FeatureFlags(v.bool("race_detection.enabled", true),
                v.bool("anomaly_detection.enabled", true), v.bool("distributed_tracing.enabled", false),
                Duration.ofMillis(v.integer("race_detection.clock_skew_ms",
                        dev.raceway.core.causality.CausalityOptions.DEFAULT_CLOCK_SKEW.toMillis(), 0,
                        FeatureFlags.MAX_CLOCK_SKEW_MS)));

        String level = v.string("logging.level", "info").toLowerCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(level)) {
            throw v.error("logging.level", "must be one of trace, debug, info, warn, error; got \"" + level + "\"");
        }
        LoggingSettings logging = new LoggingSettings(level, v.bool("logging.include_modules", false));

        Optional<Duration> retention = v.get("retention.max_age_hours")
                .map(x -> Duration.ofHours(v.integer("retention.max_age_hours", 0, 1, 1_000_000)));

        OtlpSettings otlp = v.get("otlp.port").isPresent()
                ? OtlpSettings.onPort((int) v.integer("otlp.port", OtlpSettings.DEFAULT_PORT, 0, 65535))
                : OtlpSettings.disabled();

        return new RacewayConfig(server, storage, engine, durable, ackTimeout, features, logging,
                v.bool("development.cors_allow_all", false), retention, drain, otlp);
    }
}
