package dev.raceway.server.config;

import static dev.raceway.server.config.ConfigKeys.Origin.ADDED;
import static dev.raceway.server.config.ConfigKeys.Origin.GUIDE;

import dev.raceway.core.causality.CausalityOptions;
import dev.raceway.server.config.ConfigKey.Type;
import dev.raceway.storage.MemoryStoreConfig;
import dev.raceway.storage.PostgresStoreConfig;
import dev.raceway.storage.ingest.EngineConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every key of {@code raceway.toml}, each declared once: section, name, type, default, accepted values and one line of
 * documentation. {@link ConfigLoader} reads exactly these keys, the settings records' builders start from these
 * defaults and validate with these ranges, and tests hold {@code raceway.toml.example} and the key table of
 * {@code docs/server.md} to this list. Storage and engine defaults are the storage module's named constants (it
 * cannot see this class); the table refers to them instead of repeating them.
 */
final class ConfigKeys {
    /** Whether a key is in the configuration guide of the reference implementation or an addition of this one. */
    enum Origin { GUIDE, ADDED }

    private static final List<ConfigKey<?>> DECLARED = new ArrayList<>();

    static final String SERVER = "server";
    static final String TLS = "server.tls";
    static final String STORAGE = "storage";
    static final String POSTGRES = "storage.postgres";
    static final String MEMORY = "storage.memory";
    static final String ENGINE = "engine";
    static final String RACES = "race_detection";
    static final String ANOMALIES = "anomaly_detection";
    static final String DISTRIBUTED = "distributed_tracing";
    static final String LOGGING = "logging";
    static final String DEVELOPMENT = "development";
    static final String RETENTION = "retention";
    static final String OTLP = "otlp";

    // [server]
    static final ConfigKey<String> SERVER_HOST = string(SERVER, "host", "127.0.0.1", GUIDE,
            "interface to bind; `0.0.0.0` for all interfaces; not empty");
    static final ConfigKey<Integer> SERVER_PORT = integer(SERVER, "port", 8080, 0, 65535, GUIDE,
            "0 picks a free port (printed at start-up)");
    static final ConfigKey<Boolean> SERVER_VERBOSE = bool(SERVER, "verbose", false, GUIDE,
            "log every request (method, path, status, time); `serve -v` turns it on too");
    static final ConfigKey<Boolean> SERVER_CORS_ENABLED = bool(SERVER, "cors_enabled", true, GUIDE,
            "send CORS headers");
    static final ConfigKey<List<String>> SERVER_CORS_ORIGINS = strings(SERVER, "cors_origins", List.of("*"), GUIDE,
            "`*` = any origin; otherwise exact origins, e.g. `[\"https://app.example.com\"]`");
    static final ConfigKey<Boolean> SERVER_RATE_LIMIT_ENABLED = bool(SERVER, "rate_limit_enabled", false, GUIDE,
            "token bucket per API key, else per client address");
    static final ConfigKey<Integer> SERVER_RATE_LIMIT_RPM = integer(SERVER, "rate_limit_rpm", 1000, 0,
            Integer.MAX_VALUE, GUIDE, "requests per minute per client (also the burst size); at least 1 when "
                    + "rate limiting is on");
    static final ConfigKey<Boolean> SERVER_AUTH_ENABLED = bool(SERVER, "auth_enabled", false, GUIDE,
            "require an API key on `/events`, `/status`, `/metrics` and `/api/*`");
    static final ConfigKey<List<String>> SERVER_API_KEYS = strings(SERVER, "api_keys", List.of(), GUIDE,
            "accepted keys, sent as `Authorization: Bearer <key>` or `X-Raceway-Key`; at least one, none empty, "
                    + "when auth is on; never printed");
    static final ConfigKey<String> SERVER_UI_PASSWORD = optionalString(SERVER, "ui_password", "none", ADDED,
            "`POST /auth/login` accepts it besides the API keys, for a browser session only (it is no API key); "
                    + "not empty; never printed");
    static final ConfigKey<Long> SERVER_MAX_BODY_BYTES = longInteger(SERVER, "max_body_bytes", 10L * 1024 * 1024,
            1024, Integer.MAX_VALUE - 1024, ADDED, "largest request body, counted after decompression (413 beyond)");
    static final ConfigKey<Integer> SERVER_MAX_HEADER_BYTES = integer(SERVER, "max_header_bytes", 16 * 1024, 1024,
            1 << 20, ADDED, "largest request header block (431 beyond)");
    static final ConfigKey<Integer> SERVER_MAX_URI_LENGTH = integer(SERVER, "max_uri_length", 8 * 1024, 256,
            1 << 20, ADDED, "longest request line, path and query included (414 beyond)");
    static final ConfigKey<Integer> SERVER_IDLE_TIMEOUT_SECONDS = integer(SERVER, "idle_timeout_seconds", 60, 1,
            86_400, ADDED, "connections on which nothing moves are closed, and each request must arrive completely "
                    + "within this time (slow clients)");
    static final ConfigKey<Integer> SERVER_WORKER_THREADS = integer(SERVER, "worker_threads", 0, 0, 1024, ADDED,
            "threads for storage reads, analyses and body decoding; 0 = max(4, 2×CPUs) (ingest and health/UI/auth "
                    + "have pools of their own)");
    static final ConfigKey<Boolean> SERVER_TRUST_FORWARDED_FOR = bool(SERVER, "trust_forwarded_for", false, ADDED,
            "rate-limit by the first `X-Forwarded-For` address (only behind a trusted proxy)");
    static final ConfigKey<Boolean> SERVER_WARM_UP = bool(SERVER, "warm_up", true, ADDED,
            "before listening, run the ingest path over synthetic events (once per JVM, at most 2 s; nothing reaches "
                    + "the store) so that the first traffic finds it compiled; `false` starts at once");
    static final ConfigKey<Integer> SERVER_HEADER_TIMEOUT_SECONDS = integer(SERVER, "header_timeout_seconds", 10, 1,
            3_600, ADDED, "a request's head must arrive within this long of its first byte, TLS handshake "
                    + "included (slowloris)");
    static final ConfigKey<Integer> SERVER_MAX_CONNECTIONS = integer(SERVER, "max_connections", 4096, 1, 1_000_000,
            ADDED, "open connections at most; beyond it a new connection is closed on accept (counted)");
    static final ConfigKey<List<String>> SERVER_ALLOWED_HOSTS = strings(SERVER, "allowed_hosts", List.of(), ADDED,
            "when bound to loopback, `Host` names accepted besides localhost/127.x/[::1] (DNS-rebinding protection)");

    // [server.tls]
    static final ConfigKey<String> TLS_CERT_PATH = optionalString(TLS, "cert_path", "none (plain HTTP)", ADDED,
            "native HTTPS: PEM certificate chain; needs `key_path`; must be readable");
    static final ConfigKey<String> TLS_KEY_PATH = optionalString(TLS, "key_path", "none (plain HTTP)", ADDED,
            "native HTTPS: PKCS#8 PEM private key of the certificate; needs `cert_path`; must be readable");

    // [storage]
    static final ConfigKey<String> STORAGE_BACKEND = choice(STORAGE, "backend", "memory",
            List.of("memory", "postgres", "supabase"), GUIDE,
            "where events are stored; `supabase` is PostgreSQL with TLS required and no server-side prepared "
                    + "statements");

    // [storage.postgres]
    static final ConfigKey<String> POSTGRES_CONNECTION_STRING = optionalString(POSTGRES, "connection_string",
            "none", GUIDE, "`postgresql://user:pass@host:port/db`; required by the postgres and supabase backends");
    static final ConfigKey<Integer> POSTGRES_MAX_CONNECTIONS = integer(POSTGRES, "max_connections",
            PostgresStoreConfig.DEFAULT_MAX_CONNECTIONS, 1, 10_000, GUIDE, "connection pool size at most");
    static final ConfigKey<Integer> POSTGRES_MIN_CONNECTIONS = integer(POSTGRES, "min_connections",
            PostgresStoreConfig.DEFAULT_MIN_CONNECTIONS, 0, 10_000, GUIDE,
            "idle connections kept open; at most `max_connections`");
    static final ConfigKey<Integer> POSTGRES_CONNECTION_TIMEOUT_SECONDS = integer(POSTGRES,
            "connection_timeout_seconds", PostgresStoreConfig.DEFAULT_CONNECTION_TIMEOUT_SECONDS, 1, 3_600, GUIDE,
            "longest wait for a pooled connection");
    static final ConfigKey<Boolean> POSTGRES_AUTO_MIGRATE = bool(POSTGRES, "auto_migrate", true, GUIDE,
            "create or upgrade the schema at start-up");

    // [storage.memory]
    static final ConfigKey<Long> MEMORY_MAX_EVENTS = longInteger(MEMORY, "max_events",
            MemoryStoreConfig.DEFAULT_MAX_EVENTS, 1, Long.MAX_VALUE, ADDED,
            "memory backend cap; beyond it whole traces are evicted, oldest first");
    static final ConfigKey<Long> MEMORY_MAX_BYTES = optionalLong(MEMORY, "max_bytes", "a quarter of `-Xmx`",
            1 << 20, Long.MAX_VALUE, ADDED, "byte budget of the memory store (encoded events and their index "
                    + "entries); beyond it the oldest traces are evicted; one event over a quarter of it is refused");

    // [engine]
    static final ConfigKey<Integer> ENGINE_BUFFER_SIZE = integer(ENGINE, "buffer_size",
            EngineConfig.DEFAULT_BUFFER_SIZE, 1, 100_000_000, GUIDE,
            "events buffered between HTTP and storage; when full, `POST /events` answers 503 + `Retry-After`");
    static final ConfigKey<Integer> ENGINE_BATCH_SIZE = integer(ENGINE, "batch_size", EngineConfig.DEFAULT_BATCH_SIZE,
            1, 1_000_000, GUIDE, "events per storage write (one transaction); at most `buffer_size`");
    static final ConfigKey<Long> ENGINE_FLUSH_INTERVAL_MS = longInteger(ENGINE, "flush_interval_ms",
            EngineConfig.DEFAULT_FLUSH_INTERVAL_MS, 1, 3_600_000, GUIDE, "longest wait for a batch to fill");
    static final ConfigKey<Boolean> ENGINE_DURABLE_ACK = optionalBool(ENGINE, "durable_ack",
            "on for postgres, off for memory", ADDED, "answer `POST /events` only after the events are stored "
                    + "(committed on PostgreSQL)");
    static final ConfigKey<Long> ENGINE_DURABLE_ACK_TIMEOUT_MS = longInteger(ENGINE, "durable_ack_timeout_ms", 30_000,
            1, 3_600_000, ADDED, "longest wait for that commit before answering 503 (a retry is safe: writes are "
                    + "idempotent)");
    static final ConfigKey<Long> ENGINE_SHUTDOWN_DRAIN_TIMEOUT_MS = longInteger(ENGINE, "shutdown_drain_timeout_ms",
            30_000, 0, 3_600_000, ADDED, "graceful shutdown waits this long for buffered events to be stored");
    static final ConfigKey<Long> ENGINE_FULL_BUFFER_WAIT_MS = longInteger(ENGINE, "full_buffer_wait_ms",
            EngineConfig.DEFAULT_FULL_BUFFER_WAIT_MS, 0, 60_000, ADDED, "when the buffer is full, `POST /events` "
                    + "waits this long for space before answering 503 + `Retry-After` (0: refuse at once; no wait "
                    + "while the store is down)");

    // [race_detection], [anomaly_detection], [distributed_tracing]
    static final ConfigKey<Boolean> RACES_ENABLED = bool(RACES, "enabled", true, GUIDE,
            "`false`: the race parts of responses are empty and `/api/analyze/global` says disabled");
    static final ConfigKey<Long> RACES_CLOCK_SKEW_MS = longInteger(RACES, "clock_skew_ms",
            CausalityOptions.DEFAULT_CLOCK_SKEW.toMillis(), 0, 86_400_000, ADDED,
            "how far two instances' clocks may disagree: their traces are ordered by time only when the gap "
                    + "exceeds this; one instance's timestamps are compared exactly "
                    + "([causality.md](causality.md) §4)");
    static final ConfigKey<Boolean> ANOMALIES_ENABLED = bool(ANOMALIES, "enabled", true, GUIDE,
            "`false`: no latency anomalies");
    static final ConfigKey<Boolean> DISTRIBUTED_ENABLED = bool(DISTRIBUTED, "enabled", false, GUIDE,
            "`true`: a trace's bundle also contains the traces linked to it by span edges");

    // [logging], [development]
    static final ConfigKey<String> LOGGING_LEVEL = choice(LOGGING, "level", "info",
            List.of("trace", "debug", "info", "warn", "error"), GUIDE, "log level of the server");
    static final ConfigKey<Boolean> LOGGING_INCLUDE_MODULES = bool(LOGGING, "include_modules", false, GUIDE,
            "include thread and logger name in each line");
    static final ConfigKey<Boolean> DEVELOPMENT_CORS_ALLOW_ALL = bool(DEVELOPMENT, "cors_allow_all", false, GUIDE,
            "any origin, whatever `cors_origins` says; not for production");

    // [retention], [otlp]
    static final ConfigKey<Long> RETENTION_MAX_AGE_HOURS = optionalLong(RETENTION, "max_age_hours", "none (keep)",
            1, 1_000_000, ADDED, "every minute, delete traces whose newest event is older than this");
    static final ConfigKey<Integer> OTLP_PORT = optionalInteger(OTLP, "port", "none (off)", 0, 65535, ADDED,
            "a second listener, on `server.host`, serving only `POST /v1/traces` (OTLP/HTTP; 4318 by convention, "
                    + "0 = a free port) with the server's TLS, limits and auth ([otel.md](otel.md))");

    /** Every key, in the order of {@code raceway.toml.example}. */
    static final List<ConfigKey<?>> ALL = List.copyOf(DECLARED);

    private static final Map<String, ConfigKey<?>> BY_PATH = new LinkedHashMap<>();
    private static final Set<String> SECTIONS = new LinkedHashSet<>();

    static {
        for (ConfigKey<?> key : ALL) {
            if (BY_PATH.put(key.path(), key) != null) {
                throw new IllegalStateException("config key declared twice: " + key);
            }
            for (String s = key.section(); !s.isEmpty(); s = parent(s)) {
                SECTIONS.add(s);
            }
        }
    }

    private ConfigKeys() {
    }

    /** {@code server} for {@code server.tls}; empty for a top-level table. */
    private static String parent(String section) {
        int dot = section.lastIndexOf('.');
        return dot < 0 ? "" : section.substring(0, dot);
    }

    /** The key {@code section.name}, if there is one. */
    static Optional<ConfigKey<?>> byPath(String path) {
        return Optional.ofNullable(BY_PATH.get(path));
    }

    /** Whether {@code path} is a table of the file ({@code server}, {@code server.tls}, …). */
    static boolean isSection(String path) {
        return SECTIONS.contains(path);
    }

    /** What a table may contain: its keys' names, then its sub-tables' names. */
    static List<String> namesIn(String section) {
        List<String> names = new ArrayList<>();
        ALL.stream().filter(k -> k.section().equals(section)).forEach(k -> names.add(k.name()));
        SECTIONS.stream().filter(s -> s.startsWith(section + ".") && s.indexOf('.', section.length() + 1) < 0)
                .forEach(s -> names.add(s.substring(section.length() + 1)));
        return names;
    }

    private static ConfigKey<String> string(String section, String name, String dflt, Origin origin, String doc) {
        return declare(section, name, Type.STRING, Optional.of(dflt), "", 0, 0, List.of(), origin, doc);
    }

    private static ConfigKey<String> optionalString(String section, String name, String absent, Origin origin,
                                                    String doc) {
        return declare(section, name, Type.STRING, Optional.empty(), absent, 0, 0, List.of(), origin, doc);
    }

    private static ConfigKey<String> choice(String section, String name, String dflt, List<String> choices,
                                            Origin origin, String doc) {
        return declare(section, name, Type.STRING, Optional.of(dflt), "", 0, 0, choices, origin, doc);
    }

    private static ConfigKey<Integer> integer(String section, String name, int dflt, long min, long max,
                                              Origin origin, String doc) {
        return declare(section, name, Type.INTEGER, Optional.of(dflt), "", min, max, List.of(), origin, doc);
    }

    private static ConfigKey<Integer> optionalInteger(String section, String name, String absent, long min, long max,
                                                      Origin origin, String doc) {
        return declare(section, name, Type.INTEGER, Optional.empty(), absent, min, max, List.of(), origin, doc);
    }

    private static ConfigKey<Long> longInteger(String section, String name, long dflt, long min, long max,
                                               Origin origin, String doc) {
        return declare(section, name, Type.LONG, Optional.of(dflt), "", min, max, List.of(), origin, doc);
    }

    private static ConfigKey<Long> optionalLong(String section, String name, String absent, long min, long max,
                                                Origin origin, String doc) {
        return declare(section, name, Type.LONG, Optional.empty(), absent, min, max, List.of(), origin, doc);
    }

    private static ConfigKey<Boolean> bool(String section, String name, boolean dflt, Origin origin, String doc) {
        return declare(section, name, Type.BOOLEAN, Optional.of(dflt), "", 0, 0, List.of(), origin, doc);
    }

    private static ConfigKey<Boolean> optionalBool(String section, String name, String absent, Origin origin,
                                                   String doc) {
        return declare(section, name, Type.BOOLEAN, Optional.empty(), absent, 0, 0, List.of(), origin, doc);
    }

    private static ConfigKey<List<String>> strings(String section, String name, List<String> dflt, Origin origin,
                                                   String doc) {
        return declare(section, name, Type.STRINGS, Optional.of(List.copyOf(dflt)), "", 0, 0, List.of(), origin,
                doc);
    }

    private static <T> ConfigKey<T> declare(String section, String name, Type type, Optional<T> dflt, String absent,
                                            long min, long max, List<String> choices, Origin origin, String doc) {
        ConfigKey<T> key = new ConfigKey<>(section, name, type, dflt, absent, min, max, choices, origin == GUIDE,
                doc);
        DECLARED.add(key);
        return key;
    }
}
