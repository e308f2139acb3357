package dev.raceway.server.http;

import dev.raceway.core.event.Uuids;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * One request as a route handler sees it: the body is already read (and decompressed), path parameters are
 * percent-decoded. The body stays in Netty's buffers, which the router releases when {@link Handler#handle}
 * returns, so a handler reads it there and not in a later stage.
 */
public record ApiRequest(HttpMethod method, String path, Map<String, String> query, HttpHeaders headers,
                         ByteBuf content, Map<String, String> pathParams, String clientAddress) {

    /** The body's length in bytes. */
    public int bodyLength() {
        return content.readableBytes();
    }

    /** A copy of the body (for small bodies). */
    public byte[] body() {
        return ByteBufUtil.getBytes(content);
    }

    public Optional<String> queryParam(String name) {
        return Optional.ofNullable(query.get(name));
    }

    public String pathParam(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalStateException("route has no parameter " + name);
        }
        return v;
    }

    /** The {@code :trace_id} path parameter as a UUID, or 400 {@code Invalid trace ID format}. */
    public UUID traceId() {
        return Uuids.parse(pathParam("trace_id"))
                .orElseThrow(() -> ApiException.badRequest("Invalid trace ID format"));
    }

    /**
     * An optional integer query parameter within {@code [min, max]}; 400 naming the parameter when it is not an
     * integer or out of range.
     */
    public OptionalLong longParam(String name, long min, long max) {
        String raw = query.get(name);
        if (raw == null || raw.isEmpty()) {
            return OptionalLong.empty();
        }
        long v;
        try {
            v = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("query parameter '" + name + "' must be an integer, got '"
                    + abbreviate(raw) + "'");
        }
        if (v < min || v > max) {
            throw ApiException.badRequest("query parameter '" + name + "' must be between " + min + " and " + max
                    + ", got " + v);
        }
        return OptionalLong.of(v);
    }

    public int intParam(String name, int dflt, int min, int max) {
        return (int) longParam(name, min, max).orElse(dflt);
    }

    static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
