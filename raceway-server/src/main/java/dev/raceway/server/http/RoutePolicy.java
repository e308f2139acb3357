package dev.raceway.server.http;

/**
 * Which paths need an API key (when auth is on) and count against the rate limit. Open: {@code /health} (load
 * balancers), {@code /auth/*} (the UI's login check), and the static UI files; everything the data flows through
 * ({@code /events}, OTLP's {@code /v1/traces}, {@code /status}, {@code /metrics}, {@code /api/*}) is protected.
 * CORS preflights are answered before this is consulted.
 */
public final class RoutePolicy {
    private RoutePolicy() {
    }

    public static boolean isProtected(String path) {
        return path.equals("/events") || path.startsWith("/events/")
                || path.equals("/v1") || path.startsWith("/v1/") // OTLP ingest: /v1/traces
                || path.equals("/status") || path.equals("/metrics")
                || path.equals("/api") || path.startsWith("/api/");
    }

    /** API paths answer JSON errors; the rest is the UI's static file space. */
    public static boolean isApi(String path) {
        return isProtected(path) || path.equals("/health") || path.startsWith("/auth/");
    }
}
