package dev.raceway.server.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Matches a method and path to a route. Patterns are {@code /}-separated; a segment {@code :name} matches any one
 * non-empty segment and is passed percent-decoded. Paths that match a pattern with another method give
 * {@link Match.MethodNotAllowed}.
 */
public final class Router {
    private final List<Route> routes = new ArrayList<>();

    /** A registered route; {@code pattern} doubles as its metrics label. */
    public record Route(HttpMethod method, String pattern, String[] segments, Lane lane, Handler handler) {
    }

    public sealed interface Match {
        record Found(Route route, Map<String, String> params) implements Match {
        }

        record MethodNotAllowed(List<HttpMethod> allowed) implements Match {
        }

        record NotFound() implements Match {
        }
    }

    public Router add(HttpMethod method, String pattern, Lane lane, Handler handler) {
        routes.add(new Route(method, pattern, split(pattern), lane, handler));
        return this;
    }

    /** A GET route on the {@link Lane#QUERY} lane. */
    public Router get(String pattern, Handler handler) {
        return add(HttpMethod.GET, pattern, Lane.QUERY, handler);
    }

    public Router get(String pattern, Lane lane, Handler handler) {
        return add(HttpMethod.GET, pattern, lane, handler);
    }

    public Router post(String pattern, Lane lane, Handler handler) {
        return add(HttpMethod.POST, pattern, lane, handler);
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    public Match match(HttpMethod method, String path) {
        String[] parts = split(path);
        List<HttpMethod> allowed = new ArrayList<>();
        for (Route r : routes) {
            Optional<Map<String, String>> params = bind(r.segments, parts);
            if (params.isEmpty()) {
                continue;
            }
            if (r.method.equals(method)) {
                return new Match.Found(r, params.get());
            }
            allowed.add(r.method);
        }
        return allowed.isEmpty() ? new Match.NotFound() : new Match.MethodNotAllowed(allowed);
    }

    /** The label of the route a path belongs to, for metrics ({@code other} when none). */
    public String label(HttpMethod method, String path) {
        return match(method, path) instanceof Match.Found f ? f.route().pattern() : "other";
    }

    private static Optional<Map<String, String>> bind(String[] pattern, String[] parts) {
        if (pattern.length != parts.length) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith(":")) {
                if (parts[i].isEmpty()) {
                    return Optional.empty();
                }
                params.put(p.substring(1), decode(parts[i]));
            } else if (!p.equals(parts[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    /** Percent-decodes a segment; a malformed escape leaves it as sent (the handler then rejects the value). */
    private static String decode(String segment) {
        try {
            return QueryStringDecoder.decodeComponent(segment);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }

    private static String[] split(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty() || p.equals("/")) {
            return new String[0];
        }
        return (p.startsWith("/") ? p.substring(1) : p).split("/", -1);
    }
}
