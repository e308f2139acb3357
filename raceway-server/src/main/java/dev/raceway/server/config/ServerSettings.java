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
 * @param workerThreads       threads that run storage reads, analyses and body decoding (0 = automatic)
 * @param trustForwardedFor   take the client address for rate limiting from {@code X-Forwarded-For} (only behind a
 *                            trusted proxy)
 * @param warmUp              run the ingest path over synthetic batches before listening, once per JVM, so that
 *                            the first traffic finds it compiled (see {@code IngestWarmUp})
 * @param uiPassword          {@code ui_password}: a secret {@code POST /auth/login} accepts besides the API keys, for a
 *                            browser session only (never as a key on API requests)
 */
public record ServerSettings(String host, int port, boolean verbose, boolean corsEnabled, List<String> corsOrigins,
                             boolean rateLimitEnabled, int rateLimitRpm, boolean authEnabled, List<String> apiKeys,
                             long maxBodyBytes, int maxHeaderBytes, int maxUriLength, int idleTimeoutSeconds,
                             int workerThreads, boolean trustForwardedFor, Optional<TlsSettings> tls,
                             boolean warmUp, Optional<String> uiPassword) {
    public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;

    public ServerSettings {
        Objects.requireNonNull(host, "host");
        corsOrigins = List.copyOf(corsOrigins);
        apiKeys = List.copyOf(apiKeys);
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(uiPassword, "uiPassword");
    }

    public static ServerSettings defaults() {
        return new ServerSettings("127.0.0.1", 8080, false, true, List.of("*"), false, 1000, false, List.of(),
                DEFAULT_MAX_BODY_BYTES, 16 * 1024, 8 * 1024, 60, 0, false, Optional.empty(), true, Optional.empty());
    }

    public ServerSettings withPort(int newPort) {
        return new ServerSettings(host, newPort, verbose, corsEnabled, corsOrigins, rateLimitEnabled, rateLimitRpm,
                authEnabled, apiKeys, maxBodyBytes, maxHeaderBytes, maxUriLength, idleTimeoutSeconds, workerThreads,
                trustForwardedFor, tls, warmUp, uiPassword);
    }

    public ServerSettings withHost(String newHost) {
        return new ServerSettings(newHost, port, verbose, corsEnabled, corsOrigins, rateLimitEnabled, rateLimitRpm,
                authEnabled, apiKeys, maxBodyBytes, maxHeaderBytes, maxUriLength, idleTimeoutSeconds, workerThreads,
                trustForwardedFor, tls, warmUp, uiPassword);
    }

    public ServerSettings withUiPassword(Optional<String> password) {
        return new ServerSettings(host, port, verbose, corsEnabled, corsOrigins, rateLimitEnabled, rateLimitRpm,
                authEnabled, apiKeys, maxBodyBytes, maxHeaderBytes, maxUriLength, idleTimeoutSeconds, workerThreads,
                trustForwardedFor, tls, warmUp, password);
    }

    public ServerSettings withAuth(boolean enabled, List<String> keys) {
        return new ServerSettings(host, port, verbose, corsEnabled, corsOrigins, rateLimitEnabled, rateLimitRpm,
                enabled, keys, maxBodyBytes, maxHeaderBytes, maxUriLength, idleTimeoutSeconds, workerThreads,
                trustForwardedFor, tls, warmUp, uiPassword);
    }

    public ServerSettings withCors(boolean enabled, List<String> origins) {
        return new ServerSettings(host, port, verbose, enabled, origins, rateLimitEnabled, rateLimitRpm,
                authEnabled, apiKeys, maxBodyBytes, maxHeaderBytes, maxUriLength, idleTimeoutSeconds, workerThreads,
                trustForwardedFor, tls, warmUp, uiPassword);
    }

    public ServerSettings withRateLimit(boolean enabled, int rpm) {
        return new ServerSettings(host, port, verbose, corsEnabled, corsOrigins, enabled, rpm,
                authEnabled, apiKeys, maxBodyBytes, maxHeaderBytes, maxUriLength, idleTimeoutSeconds, workerThreads,
                trustForwardedFor, tls, warmUp, uiPassword);
    }

    public ServerSettings withMaxBodyBytes(long bytes) {
        return new ServerSettings(host, port, verbose, corsEnabled, corsOrigins, rateLimitEnabled, rateLimitRpm,
                authEnabled, apiKeys, bytes, maxHeaderBytes, maxUriLength, idleTimeoutSeconds, workerThreads,
                trustForwardedFor, tls, warmUp, uiPassword);
    }

    public ServerSettings withIdleTimeoutSeconds(int seconds) {
        return new ServerSettings(host, port, verbose, corsEnabled, corsOrigins, rateLimitEnabled, rateLimitRpm,
                authEnabled, apiKeys, maxBodyBytes, maxHeaderBytes, maxUriLength, seconds, workerThreads,
                trustForwardedFor, tls, warmUp, uiPassword);
    }

    public ServerSettings withTls(Optional<TlsSettings> newTls) {
        return new ServerSettings(host, port, verbose, corsEnabled, corsOrigins, rateLimitEnabled, rateLimitRpm,
                authEnabled, apiKeys, maxBodyBytes, maxHeaderBytes, maxUriLength, idleTimeoutSeconds, workerThreads,
                trustForwardedFor, newTls, warmUp, uiPassword);
    }

    public ServerSettings withVerbose(boolean on) {
        return new ServerSettings(host, port, on, corsEnabled, corsOrigins, rateLimitEnabled, rateLimitRpm,
                authEnabled, apiKeys, maxBodyBytes, maxHeaderBytes, maxUriLength, idleTimeoutSeconds, workerThreads,
                trustForwardedFor, tls, warmUp, uiPassword);
    }

    public ServerSettings withWarmUp(boolean on) {
        return new ServerSettings(host, port, verbose, corsEnabled, corsOrigins, rateLimitEnabled, rateLimitRpm,
                authEnabled, apiKeys, maxBodyBytes, maxHeaderBytes, maxUriLength, idleTimeoutSeconds, workerThreads,
                trustForwardedFor, tls, on, uiPassword);
    }

    @Override
    public String toString() {
        // Never print keys.
        return "ServerSettings[host=" + host + ", port=" + port + ", auth=" + authEnabled + " (" + apiKeys.size()
                + " keys" + (uiPassword.isPresent() ? ", ui password" : "") + "), cors=" + corsEnabled + " " + corsOrigins + ", rateLimit=" + rateLimitEnabled + "/"
                + rateLimitRpm + ", tls=" + tls.isPresent() + "]";
    }
}
