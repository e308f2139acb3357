package dev.raceway.server.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code [server]}.
 *
 * @param maxBodyBytes        largest request body after decompression (413 beyond)
 * @param maxHeaderBytes      largest header block (431 beyond)
 * @param maxUriLength        longest request line, path and query included (414 beyond)
 * @param idleTimeoutSeconds  a connection that sends or receives nothing for this long is closed (slow clients)
 * @param workerThreads       threads that run storage reads and analyses (0 = automatic)
 * @param trustForwardedFor   take the client address for rate limiting from {@code X-Forwarded-For} (only behind a
 *                            trusted proxy)
 * @param warmUp              run the ingest path over synthetic batches before listening, once per JVM, so that
 *                            the first traffic finds it compiled (see {@code IngestWarmUp})
 * @param headerTimeoutSeconds a request's head must arrive within this many seconds of its first byte
 * @param maxConnections      open connections at most; beyond it new connections are closed at once (counted)
 * @param allowedHosts        {@code Host} names accepted besides loopback ones when bound to loopback (DNS
 *                            rebinding protection)
 * @param uiPassword          {@code ui_password}: a secret {@code POST /auth/login} accepts besides the API keys, for a
 *                            browser session only (never as a key on API requests)
 */
public record ServerSettings(String host, int port, boolean verbose, boolean corsEnabled, List<String> corsOrigins,
                             boolean rateLimitEnabled, int rateLimitRpm, boolean authEnabled, List<String> apiKeys,
                             long maxBodyBytes, int maxHeaderBytes, int maxUriLength, int idleTimeoutSeconds,
                             int workerThreads, boolean trustForwardedFor, Optional<TlsSettings> tls, boolean warmUp,
                             int headerTimeoutSeconds, int maxConnections, List<String> allowedHosts,
                             Optional<String> uiPassword) {
    public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;
    public static final int DEFAULT_HEADER_TIMEOUT_SECONDS = 10;
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;

    public ServerSettings {
        Objects.requireNonNull(host, "host");
        corsOrigins = List.copyOf(corsOrigins);
        apiKeys = List.copyOf(apiKeys);
        Objects.requireNonNull(tls, "tls");
        allowedHosts = List.copyOf(allowedHosts);
        Objects.requireNonNull(uiPassword, "uiPassword");
        if (headerTimeoutSeconds < 1) {
            throw new IllegalArgumentException("server.header_timeout_seconds must be >= 1, got "
                    + headerTimeoutSeconds);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("server.max_connections must be >= 1, got " + maxConnections);
        }
    }

    public static ServerSettings defaults() {
        return new ServerSettings("127.0.0.1", 8080, false, true, List.of("*"), false, 1000, false, List.of(),
                DEFAULT_MAX_BODY_BYTES, 16 * 1024, 8 * 1024, 60, 0, false, Optional.empty(), true,
                DEFAULT_HEADER_TIMEOUT_SECONDS, DEFAULT_MAX_CONNECTIONS, List.of(), Optional.empty());
    }

    public ServerSettings withPort(int newPort) {
        return new ServerSettings(host, newPort, verbose, corsEnabled, corsOrigins, rateLimitEnabled, rateLimitRpm,
                authEnabled, apiKeys, maxBodyBytes, maxHeaderBytes, maxUriLength, idleTimeoutSeconds, workerThreads,
                trustForwardedFor, tls, warmUp, headerTimeoutSeconds, maxConnections, allowedHosts, uiPassword);
    }

    public ServerSettings withHost(String newHost) {
        return new ServerSettings(newHost, port, verbose, corsEnabled, corsOrigins, rateLimitEnabled, rateLimitRpm,
                authEnabled, apiKeys, maxBodyBytes, maxHeaderBytes, maxUriLength, idleTimeoutSeconds, workerThreads,
                trustForwardedFor, tls, warmUp, headerTimeoutSeconds, maxConnections, allowedHosts, uiPassword);
    }

    public ServerSettings withUiPassword(Optional<String> password) {
        return new ServerSettings(host, port, verbose, corsEnabled, corsOrigins, rateLimitEnabled, rateLimitRpm,
                authEnabled, apiKeys, maxBodyBytes, maxHeaderBytes, maxUriLength, idleTimeoutSeconds, workerThreads,
                trustForwardedFor, tls, warmUp, headerTimeoutSeconds, maxConnections, allowedHosts, password);
    }

    public ServerSettings withAuth(boolean enabled, List<String> keys) {
        return new ServerSettings(host, port, verbose, corsEnabled, corsOrigins, rateLimitEnabled, rateLimitRpm,
                enabled, keys, maxBodyBytes, maxHeaderBytes, maxUriLength, idleTimeoutSeconds, workerThreads,
                trustForwardedFor, tls, warmUp, headerTimeoutSeconds, maxConnections, allowedHosts, uiPassword);
    }

    public ServerSettings withCors(boolean enabled, List<String> origins) {
        return new ServerSettings(host, port, verbose, enabled, origins, rateLimitEnabled, rateLimitRpm, authEnabled,
                apiKeys, maxBodyBytes, maxHeaderBytes, maxUriLength, idleTimeoutSeconds, workerThreads,
                trustForwardedFor, tls, warmUp, headerTimeoutSeconds, maxConnections, allowedHosts, uiPassword);
    }

    public ServerSettings withRateLimit(boolean enabled, int rpm) {
        return new ServerSettings(host, port, verbose, corsEnabled, corsOrigins, enabled, rpm, authEnabled, apiKeys,
                maxBodyBytes, maxHeaderBytes, maxUriLength, idleTimeoutSeconds, workerThreads, trustForwardedFor,
                tls, warmUp, headerTimeoutSeconds, maxConnections, allowedHosts, uiPassword);
    }

    public ServerSettings withMaxBodyBytes(long bytes) {
        return new ServerSettings(host, port, verbose, corsEnabled, corsOrigins, rateLimitEnabled, rateLimitRpm,
                authEnabled, apiKeys, bytes, maxHeaderBytes, maxUriLength, idleTimeoutSeconds, workerThreads,
                trustForwardedFor, tls, warmUp, headerTimeoutSeconds, maxConnections, allowedHosts, uiPassword);
    }

    public ServerSettings withIdleTimeoutSeconds(int seconds) {
        return new ServerSettings(host, port, verbose, corsEnabled, corsOrigins, rateLimitEnabled, rateLimitRpm,
                authEnabled, apiKeys, maxBodyBytes, maxHeaderBytes, maxUriLength, seconds, workerThreads,
                trustForwardedFor, tls, warmUp, headerTimeoutSeconds, maxConnections, allowedHosts, uiPassword);
    }

    public ServerSettings withWorkerThreads(int threads) {
        return new ServerSettings(host, port, verbose, corsEnabled, corsOrigins, rateLimitEnabled, rateLimitRpm,
                authEnabled, apiKeys, maxBodyBytes, maxHeaderBytes, maxUriLength, idleTimeoutSeconds, threads,
                trustForwardedFor, tls, warmUp, headerTimeoutSeconds, maxConnections, allowedHosts, uiPassword);
    }

    public ServerSettings withTls(Optional<TlsSettings> newTls) {
        return new ServerSettings(host, port, verbose, corsEnabled, corsOrigins, rateLimitEnabled, rateLimitRpm,
                authEnabled, apiKeys, maxBodyBytes, maxHeaderBytes, maxUriLength, idleTimeoutSeconds, workerThreads,
                trustForwardedFor, newTls, warmUp, headerTimeoutSeconds, maxConnections, allowedHosts, uiPassword);
    }

    public ServerSettings withVerbose(boolean on) {
        return new ServerSettings(host, port, on, corsEnabled, corsOrigins, rateLimitEnabled, rateLimitRpm,
                authEnabled, apiKeys, maxBodyBytes, maxHeaderBytes, maxUriLength, idleTimeoutSeconds, workerThreads,
                trustForwardedFor, tls, warmUp, headerTimeoutSeconds, maxConnections, allowedHosts, uiPassword);
    }

    public ServerSettings withWarmUp(boolean on) {
        return new ServerSettings(host, port, verbose, corsEnabled, corsOrigins, rateLimitEnabled, rateLimitRpm,
                authEnabled, apiKeys, maxBodyBytes, maxHeaderBytes, maxUriLength, idleTimeoutSeconds, workerThreads,
                trustForwardedFor, tls, on, headerTimeoutSeconds, maxConnections, allowedHosts, uiPassword);
    }

    public ServerSettings withConnectionLimits(int headerTimeout, int connections) {
        return new ServerSettings(host, port, verbose, corsEnabled, corsOrigins, rateLimitEnabled, rateLimitRpm,
                authEnabled, apiKeys, maxBodyBytes, maxHeaderBytes, maxUriLength, idleTimeoutSeconds, workerThreads,
                trustForwardedFor, tls, warmUp, headerTimeout, connections, allowedHosts, uiPassword);
    }

    public ServerSettings withAllowedHosts(List<String> hosts) {
        return new ServerSettings(host, port, verbose, corsEnabled, corsOrigins, rateLimitEnabled, rateLimitRpm,
                authEnabled, apiKeys, maxBodyBytes, maxHeaderBytes, maxUriLength, idleTimeoutSeconds, workerThreads,
                trustForwardedFor, tls, warmUp, headerTimeoutSeconds, maxConnections, hosts, uiPassword);
    }

    @Override
    public String toString() {
        // Never print keys.
        return "ServerSettings[host=" + host + ", port=" + port + ", auth=" + authEnabled + " (" + apiKeys.size()
                + " keys" + (uiPassword.isPresent() ? ", ui password" : "") + "), cors=" + corsEnabled + " " + corsOrigins + ", rateLimit=" + rateLimitEnabled + "/"
                + rateLimitRpm + ", tls=" + tls.isPresent() + "]";
    }
}
