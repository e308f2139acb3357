package dev.raceway.server.api;

import dev.raceway.server.http.ApiRequest;
import dev.raceway.server.http.ApiResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web UI, served from the classpath folder {@code web/} inside the jar. A GET for a path that is not a file
 * gets {@code index.html} (single-page-app routing) with status 200. Files that exist are cached in memory after
 * the first read (the jar does not change while running).
 */
final class StaticFiles {
    private static final String ROOT = "web";
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"), Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("ico", "image/x-icon"),
            Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"), Map.entry("map", "application/json"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("webmanifest", "application/manifest+json"));

    private final ConcurrentHashMap<String, byte[]> cache = new ConcurrentHashMap<>();

    ApiResponse serve(ApiRequest req) {
        String path = QueryStringDecoder.decodeComponent(req.path());
        if (path.contains("..") || path.contains("\\") || path.indexOf('\0') >= 0) {
            return ApiResponse.error(HttpResponseStatus.BAD_REQUEST, "invalid path");
        }
        String file = path.equals("/") || path.isEmpty() ? "/index.html" : path;
        Optional<byte[]> body = read(file);
        if (body.isEmpty()) {
            file = "/index.html";
            body = read(file);
        }
        if (body.isEmpty()) {
            return ApiResponse.error(HttpResponseStatus.NOT_FOUND, "the web UI is not part of this build");
        }
        String cacheControl = file.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache";
        return new ApiResponse(HttpResponseStatus.OK, Map.of("Cache-Control", cacheControl), type(file), body.get());
    }

    /** Only files that exist are cached: a client asking for random paths must not grow the cache. */
    private Optional<byte[]> read(String file) {
        byte[] cached = cache.get(file);
        if (cached != null) {
            return Optional.of(cached);
        }
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(ROOT + file)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] body = in.readAllBytes();
            cache.putIfAbsent(file, body);
            return Optional.of(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int cachedFiles() {
        return cache.size();
    }

    private static String type(String file) {
        int dot = file.lastIndexOf('.');
        String ext = dot < 0 ? "" : file.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }
}
