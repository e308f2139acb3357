package dev.raceway.server.config;

import static dev.raceway.server.config.ConfigKeys.SERVER_ALLOWED_HOSTS;
import static dev.raceway.server.config.ConfigKeys.SERVER_API_KEYS;
import static dev.raceway.server.config.ConfigKeys.SERVER_AUTH_ENABLED;
import static dev.raceway.server.config.ConfigKeys.SERVER_CORS_ENABLED;
import static dev.raceway.server.config.ConfigKeys.SERVER_CORS_ORIGINS;
import static dev.raceway.server.config.ConfigKeys.SERVER_HEADER_TIMEOUT_SECONDS;
import static dev.raceway.server.config.ConfigKeys.SERVER_HOST;
import static dev.raceway.server.config.ConfigKeys.SERVER_IDLE_TIMEOUT_SECONDS;
import static dev.raceway.server.config.ConfigKeys.SERVER_MAX_BODY_BYTES;
import static dev.raceway.server.config.ConfigKeys.SERVER_MAX_CONNECTIONS;
import static dev.raceway.server.config.ConfigKeys.SERVER_MAX_HEADER_BYTES;
import static dev.raceway.server.config.ConfigKeys.SERVER_MAX_URI_LENGTH;
import static dev.raceway.server.config.ConfigKeys.SERVER_PORT;
import static dev.raceway.server.config.ConfigKeys.SERVER_RATE_LIMIT_ENABLED;
import static dev.raceway.server.config.ConfigKeys.SERVER_RATE_LIMIT_RPM;
import static dev.raceway.server.config.ConfigKeys.SERVER_TRUST_FORWARDED_FOR;
import static dev.raceway.server.config.ConfigKeys.SERVER_UI_PASSWORD;
import static dev.raceway.server.config.ConfigKeys.SERVER_VERBOSE;
import static dev.raceway.server.config.ConfigKeys.SERVER_WARM_UP;
import static dev.raceway.server.config.ConfigKeys.SERVER_WORKER_THREADS;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code [server]} and {@code [server.tls]}, validated: every number within its key's range, a host, at least one
 * (non-empty) API key when auth is on, a positive rate when rate limiting is on, no empty UI password. Build one with
 * {@link #builder()}, which starts from the defaults of {@link ConfigKeys}; the meaning of each component is the doc
 * line of its key there ({@code docs/server.md} shows them all).
 */
public record ServerSettings(String host, int port, boolean verbose, boolean corsEnabled, List<String> corsOrigins,
                             boolean rateLimitEnabled, int rateLimitRpm, boolean authEnabled, List<String> apiKeys,
                             long maxBodyBytes, int maxHeaderBytes, int maxUriLength, int idleTimeoutSeconds,
                             int workerThreads, boolean trustForwardedFor, Optional<TlsSettings> tls, boolean warmUp,
                             int headerTimeoutSeconds, int maxConnections, List<String> allowedHosts,
                             Optional<String> uiPassword) {

    public ServerSettings {
        Objects.requireNonNull(host, "host");
        corsOrigins = List.copyOf(corsOrigins);
        apiKeys = List.copyOf(apiKeys);
        Objects.requireNonNull(tls, "tls");
        allowedHosts = List.copyOf(allowedHosts);
        Objects.requireNonNull(uiPassword, "uiPassword");
        if (host.isBlank()) {
            throw SERVER_HOST.invalid("must not be empty");
        }
        SERVER_PORT.check(port);
        SERVER_RATE_LIMIT_RPM.check(rateLimitRpm);
        if (rateLimitEnabled && rateLimitRpm < 1) {
            throw SERVER_RATE_LIMIT_RPM.invalid("must be at least 1 when rate_limit_enabled = true, got "
                    + rateLimitRpm);
        }
        if (authEnabled && apiKeys.isEmpty()) {
            throw SERVER_API_KEYS.invalid("must list at least one key when auth_enabled = true");
        }
        if (apiKeys.stream().anyMatch(String::isBlank)) {
            throw SERVER_API_KEYS.invalid("contains an empty key (is an environment variable empty?)");
        }
        if (uiPassword.isPresent() && uiPassword.get().isBlank()) {
            throw SERVER_UI_PASSWORD.invalid("is empty (is an environment variable empty?); remove it or set it");
        }
        SERVER_MAX_BODY_BYTES.check(maxBodyBytes);
        SERVER_MAX_HEADER_BYTES.check(maxHeaderBytes);
        SERVER_MAX_URI_LENGTH.check(maxUriLength);
        SERVER_IDLE_TIMEOUT_SECONDS.check(idleTimeoutSeconds);
        SERVER_WORKER_THREADS.check(workerThreads);
        SERVER_HEADER_TIMEOUT_SECONDS.check(headerTimeoutSeconds);
        SERVER_MAX_CONNECTIONS.check(maxConnections);
    }

    /** Every default: 127.0.0.1:8080, CORS for any origin, no auth, no rate limit, no TLS. */
    public static ServerSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.verbose = verbose;
        b.corsEnabled = corsEnabled;
        b.corsOrigins = corsOrigins;
        b.rateLimitEnabled = rateLimitEnabled;
        b.rateLimitRpm = rateLimitRpm;
        b.authEnabled = authEnabled;
        b.apiKeys = apiKeys;
        b.maxBodyBytes = maxBodyBytes;
        b.maxHeaderBytes = maxHeaderBytes;
        b.maxUriLength = maxUriLength;
        b.idleTimeoutSeconds = idleTimeoutSeconds;
        b.workerThreads = workerThreads;
        b.trustForwardedFor = trustForwardedFor;
        b.tls = tls;
        b.warmUp = warmUp;
        b.headerTimeoutSeconds = headerTimeoutSeconds;
        b.maxConnections = maxConnections;
        b.allowedHosts = allowedHosts;
        b.uiPassword = uiPassword;
        return b;
    }

    @Override
    public String toString() {
        // Never print keys.
        return "ServerSettings[host=" + host + ", port=" + port + ", auth=" + authEnabled + " (" + apiKeys.size()
                + " keys" + (uiPassword.isPresent() ? ", ui password" : "") + "), cors=" + corsEnabled + " "
                + corsOrigins + ", rateLimit=" + rateLimitEnabled + "/" + rateLimitRpm + ", tls=" + tls.isPresent()
                + "]";
    }

    /** {@link ServerSettings} from the defaults of {@link ConfigKeys}; {@link #build()} validates. */
    public static final class Builder {
        private String host = SERVER_HOST.defaultValue();
        private int port = SERVER_PORT.defaultValue();
        private boolean verbose = SERVER_VERBOSE.defaultValue();
        private boolean corsEnabled = SERVER_CORS_ENABLED.defaultValue();
        private List<String> corsOrigins = SERVER_CORS_ORIGINS.defaultValue();
        private boolean rateLimitEnabled = SERVER_RATE_LIMIT_ENABLED.defaultValue();
        private int rateLimitRpm = SERVER_RATE_LIMIT_RPM.defaultValue();
        private boolean authEnabled = SERVER_AUTH_ENABLED.defaultValue();
        private List<String> apiKeys = SERVER_API_KEYS.defaultValue();
        private long maxBodyBytes = SERVER_MAX_BODY_BYTES.defaultValue();
        private int maxHeaderBytes = SERVER_MAX_HEADER_BYTES.defaultValue();
        private int maxUriLength = SERVER_MAX_URI_LENGTH.defaultValue();
        private int idleTimeoutSeconds = SERVER_IDLE_TIMEOUT_SECONDS.defaultValue();
        private int workerThreads = SERVER_WORKER_THREADS.defaultValue();
        private boolean trustForwardedFor = SERVER_TRUST_FORWARDED_FOR.defaultValue();
        private Optional<TlsSettings> tls = Optional.empty();
        private boolean warmUp = SERVER_WARM_UP.defaultValue();
        private int headerTimeoutSeconds = SERVER_HEADER_TIMEOUT_SECONDS.defaultValue();
        private int maxConnections = SERVER_MAX_CONNECTIONS.defaultValue();
        private List<String> allowedHosts = SERVER_ALLOWED_HOSTS.defaultValue();
        private Optional<String> uiPassword = Optional.empty();

        private Builder() {
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder verbose(boolean verbose) {
            this.verbose = verbose;
            return this;
        }

        public Builder corsEnabled(boolean corsEnabled) {
            this.corsEnabled = corsEnabled;
            return this;
        }

        public Builder corsOrigins(List<String> corsOrigins) {
            this.corsOrigins = List.copyOf(corsOrigins);
            return this;
        }

        public Builder rateLimitEnabled(boolean rateLimitEnabled) {
            this.rateLimitEnabled = rateLimitEnabled;
            return this;
        }

        public Builder rateLimitRpm(int rateLimitRpm) {
            this.rateLimitRpm = rateLimitRpm;
            return this;
        }

        public Builder authEnabled(boolean authEnabled) {
            this.authEnabled = authEnabled;
            return this;
        }

        public Builder apiKeys(List<String> apiKeys) {
            this.apiKeys = List.copyOf(apiKeys);
            return this;
        }

        public Builder maxBodyBytes(long maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        public Builder maxHeaderBytes(int maxHeaderBytes) {
            this.maxHeaderBytes = maxHeaderBytes;
            return this;
        }

        public Builder maxUriLength(int maxUriLength) {
            this.maxUriLength = maxUriLength;
            return this;
        }

        public Builder idleTimeoutSeconds(int idleTimeoutSeconds) {
            this.idleTimeoutSeconds = idleTimeoutSeconds;
            return this;
        }

        public Builder workerThreads(int workerThreads) {
            this.workerThreads = workerThreads;
            return this;
        }

        public Builder trustForwardedFor(boolean trustForwardedFor) {
            this.trustForwardedFor = trustForwardedFor;
            return this;
        }

        /** Serve HTTPS with this certificate and key. */
        public Builder tls(TlsSettings tls) {
            this.tls = Optional.of(tls);
            return this;
        }

        public Builder warmUp(boolean warmUp) {
            this.warmUp = warmUp;
            return this;
        }

        public Builder headerTimeoutSeconds(int headerTimeoutSeconds) {
            this.headerTimeoutSeconds = headerTimeoutSeconds;
            return this;
        }

        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        public Builder allowedHosts(List<String> allowedHosts) {
            this.allowedHosts = List.copyOf(allowedHosts);
            return this;
        }

        /** Let {@code POST /auth/login} accept this secret for a browser session. */
        public Builder uiPassword(String uiPassword) {
            this.uiPassword = Optional.of(uiPassword);
            return this;
        }

        public ServerSettings build() {
            return new ServerSettings(host, port, verbose, corsEnabled, corsOrigins, rateLimitEnabled, rateLimitRpm,
                    authEnabled, apiKeys, maxBodyBytes, maxHeaderBytes, maxUriLength, idleTimeoutSeconds,
                    workerThreads, trustForwardedFor, tls, warmUp, headerTimeoutSeconds, maxConnections,
                    allowedHosts, uiPassword);
        }
    }
}
