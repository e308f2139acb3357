package dev.raceway.server.http;

import java.util.Locale;

/**
 * Which paths need an API key (when auth is on) and count against the rate limit. Open: {@code /health} (load
 * balancers), {@code /auth/*} (the UI's login check), and the static UI files; everything the data flows through
 * ({@code /events}, OTLP's {@code /v1/traces}, {@code /status}, {@code /metrics}, {@code /api/*}) is protected.
 * CORS preflights are answered before this is consulted.
 */
public final class RoutePolicy {
    private RoutePolicy() {
    }

    /**
     * Whether a canonical path ({@link RequestTarget}) needs a key. Case-insensitive, so that {@code /API/traces}
     * is refused like {@code /api/traces} rather than reaching whatever else might answer it.
     */
    public static boolean isProtected(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        return under(p, "/events") || under(p, "/status") || under(p, "/metrics") || under(p, "/api")
                || under(p, "/v1");
    }

    /** API paths answer JSON errors; the rest is the UI's static file space. */
    public static boolean isApi(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        return isProtected(path) || under(p, "/health") || under(p, "/auth");
    }

    private static boolean under(String path, String prefix) {
        return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }
}
