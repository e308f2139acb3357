package dev.raceway.sdk;

import dev.raceway.sdk.internal.Transports;
import dev.raceway.sdk.okhttp.OkHttpTransport;
import dev.raceway.sdk.transport.EventTransport;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds a {@link RacewayClient} ({@link RacewayClient#builder(String, String)}). Every setting has a default,
 * named below and documented in docs/sdk.md; each setter refuses a bad value at once with an
 * {@link IllegalArgumentException} that names the setting, and {@link #build()} checks the settings that depend
 * on each other and the endpoint.
 */
public final class RacewayClientBuilder {
    /** The {@code module} of FunctionCall events. */
    public static final String DEFAULT_MODULE = "app";
    /** {@code metadata.environment} when {@code RACEWAY_ENVIRONMENT} is not set. */
    public static final String DEFAULT_ENVIRONMENT = "development";
    public static final int DEFAULT_BATCH_SIZE = 1000;
    public static final int DEFAULT_MAX_BATCH_BYTES = 1 << 20;
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_QUEUE_CAPACITY = 100_000;
    /** Two batches in flight: the next one is encoded while the previous one is on the wire. */
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 2;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** No bound on the attempts of one batch: {@link #DEFAULT_MAX_RETRY_TIME} decides when to give up. */
    public static final int DEFAULT_MAX_ATTEMPTS = Integer.MAX_VALUE;
    /** How long the sender keeps retrying while the server is away: longer than a restart or a redeploy. */
    public static final Duration DEFAULT_MAX_RETRY_TIME = Duration.ofSeconds(60);
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
    public static final Duration DEFAULT_FLUSH_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final String endpoint;
    private final String serviceName;
    private String apiKey;
    private String module = DEFAULT_MODULE;
    private String instanceId = defaultInstanceId();
    private String environment = envOr("RACEWAY_ENVIRONMENT", DEFAULT_ENVIRONMENT);
    private final Map<String, String> tags = new HashMap<>();
    private int batchSize = DEFAULT_BATCH_SIZE;
    private int maxBatchBytes = DEFAULT_MAX_BATCH_BYTES;
    private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private int maxConcurrentRequests = DEFAULT_MAX_CONCURRENT_REQUESTS;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration maxRetryTime = DEFAULT_MAX_RETRY_TIME;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private Duration flushTimeout = DEFAULT_FLUSH_TIMEOUT;
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
    private boolean gzip;
    private boolean enabled = true;
    private boolean captureLocation = true;
    private boolean shutdownHook;
    /** Null: {@link Transports#automatic()} decides at build time. */
    private EventTransport.Factory transport;

    RacewayClientBuilder(String endpoint, String serviceName) {
        this.endpoint = endpoint;
        this.serviceName = serviceName;
    }

    /** Sent as {@code Authorization: Bearer} and {@code X-Raceway-Key} [none]. */
    public RacewayClientBuilder apiKey(String key) {
        if (key != null && key.isBlank()) {
            throw new IllegalArgumentException("apiKey must not be blank (omit it instead)");
        }
        this.apiKey = key == null ? null : key.trim();
        return this;
    }

    public RacewayClientBuilder module(String module) {
        this.module = requireText(module, "module");
        return this;
    }

    /** [{@code $RACEWAY_INSTANCE_ID}, else {@code <host>-<pid>}]. */
    public RacewayClientBuilder instanceId(String id) {
        this.instanceId = requireText(id, "instanceId");
        return this;
    }

    /** [{@code $RACEWAY_ENVIRONMENT}, else {@value #DEFAULT_ENVIRONMENT}]. */
    public RacewayClientBuilder environment(String environment) {
        this.environment = requireText(environment, "environment");
        return this;
    }

    public RacewayClientBuilder tag(String key, String value) {
        tags.put(Objects.requireNonNull(key, "tag key"), Objects.requireNonNull(value, "tag value"));
        return this;
    }

    public RacewayClientBuilder tags(Map<String, String> more) {
        more.forEach(this::tag);
        return this;
    }

    public RacewayClientBuilder batchSize(int n) {
        this.batchSize = requirePositive(n, "batchSize");
        return this;
    }

    public RacewayClientBuilder maxBatchBytes(int n) {
        this.maxBatchBytes = requirePositive(n, "maxBatchBytes");
        return this;
    }

    public RacewayClientBuilder flushInterval(Duration d) {
        this.flushInterval = requirePositive(d, "flushInterval");
        return this;
    }

    public RacewayClientBuilder queueCapacity(int n) {
        this.queueCapacity = requirePositive(n, "queueCapacity");
        return this;
    }

    public RacewayClientBuilder connectTimeout(Duration d) {
        this.connectTimeout = requirePositive(d, "connectTimeout");
        return this;
    }

    public RacewayClientBuilder requestTimeout(Duration d) {
        this.requestTimeout = requirePositive(d, "requestTimeout");
        return this;
    }

    /** Batches in flight at once; see {@link RacewayConfig#maxConcurrentRequests()}. */
    public RacewayClientBuilder maxConcurrentRequests(int n) {
        this.maxConcurrentRequests = requirePositive(n, "maxConcurrentRequests");
        return this;
    }

    /** Send attempts per batch, the first included [unbounded: the retry time decides]. */
    public RacewayClientBuilder maxAttempts(int n) {
        this.maxAttempts = requirePositive(n, "maxAttempts");
        return this;
    }

    /**
     * How long to keep retrying while the server fails (refuses connections, answers 5xx, 429 or 408),
     * counted from the first failed attempt after the last success [60 s]. Meanwhile new events are queued
     * (up to {@link #queueCapacity(int)}); after it, batches that still fail are given up and counted as
     * {@link RacewayStats#failed()}.
     */
    public RacewayClientBuilder maxRetryTime(Duration d) {
        this.maxRetryTime = requirePositive(d, "maxRetryTime");
        return this;
    }

    public RacewayClientBuilder backoff(Duration initial, Duration max) {
        this.initialBackoff = requirePositive(initial, "initialBackoff");
        this.maxBackoff = requirePositive(max, "maxBackoff");
        return this;
    }

    public RacewayClientBuilder flushTimeout(Duration d) {
        this.flushTimeout = requirePositive(d, "flushTimeout");
        return this;
    }

    public RacewayClientBuilder closeTimeout(Duration d) {
        this.closeTimeout = requirePositive(d, "closeTimeout");
        return this;
    }

    public RacewayClientBuilder gzip(boolean on) {
        this.gzip = on;
        return this;
    }

    public RacewayClientBuilder enabled(boolean on) {
        this.enabled = on;
        return this;
    }

    public RacewayClientBuilder captureLocation(boolean on) {
        this.captureLocation = on;
        return this;
    }

    public RacewayClientBuilder shutdownHook(boolean on) {
        this.shutdownHook = on;
        return this;
    }

    /**
     * How batches reach the server [OkHttp when it is on the class path, else {@code java.net.http}]; e.g.
     * {@code JdkHttpTransport.factory(myHttpClient)}, or a fake in a test.
     */
    public RacewayClientBuilder transport(EventTransport.Factory factory) {
        this.transport = Objects.requireNonNull(factory, "transport");
        return this;
    }

    /**
     * Sends over OkHttp, with a client derived from {@code client} (its dispatcher and pool are shared). Needs
     * OkHttp on the class path.
     */
    public RacewayClientBuilder httpClient(okhttp3.OkHttpClient client) {
        return transport(OkHttpTransport.factory(client));
    }

    public RacewayClient build() {
        return new RacewayClient(this);
    }

    EventTransport.Factory transportFactory() {
        return transport != null ? transport : Transports.automatic();
    }

    RacewayConfig toConfig() {
        String base = normaliseEndpoint(endpoint);
        requireText(serviceName, "serviceName");
        if (queueCapacity < batchSize) {
            throw new IllegalArgumentException("queueCapacity (" + queueCapacity + ") must be at least batchSize ("
                    + batchSize + ")");
        }
        return new RacewayConfig(base, serviceName, Optional.ofNullable(apiKey), module, instanceId, environment,
                tags, batchSize, maxBatchBytes, flushInterval, queueCapacity, maxConcurrentRequests, connectTimeout,
                requestTimeout, maxAttempts, maxRetryTime, initialBackoff, maxBackoff, flushTimeout, closeTimeout,
                gzip, enabled, captureLocation, shutdownHook);
    }

    private static String normaliseEndpoint(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("endpoint must be an http(s) URL, got " + endpoint);
        }
        String e = endpoint.trim();
        while (e.endsWith("/")) {
            e = e.substring(0, e.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(e);
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException("endpoint is not a valid URL: " + endpoint, bad);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("endpoint must be an http(s) URL with a host, got " + endpoint);
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("endpoint must not have a query or fragment: " + endpoint);
        }
        return e;
    }

    private static String requireText(String s, String name) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return s;
    }

    private static int requirePositive(int n, String name) {
        if (n <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + n);
        }
        return n;
    }

    private static Duration requirePositive(Duration d, String name) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
        }
        return d;
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    /** {@code RACEWAY_INSTANCE_ID}, else {@code <host>-<pid>} as the Rust SDK does. */
    static String defaultInstanceId() {
        String fromEnv = System.getenv("RACEWAY_INSTANCE_ID");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        String host = envOr("HOSTNAME", envOr("COMPUTERNAME", "instance"));
        return host + "-" + ProcessHandle.current().pid();
    }
}
