package dev.raceway.server.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * CORS as configured: with {@code *} (or {@code [development] cors_allow_all}) any origin gets
 * {@code Access-Control-Allow-Origin: *}; with a list, a listed origin is echoed with {@code Vary: Origin} and other
 * origins get no CORS headers. Preflights are answered here, before authentication (browsers never send
 * credentials on a preflight), and allow {@code Authorization} explicitly — browsers do not let {@code *} cover it.
 */
final class CorsHandler extends ChannelDuplexHandler {
    static final String ALLOW_METHODS = "GET, POST, OPTIONS";
    static final String ALLOW_HEADERS = "Authorization, Content-Type, Content-Encoding, X-Raceway-Key, "
            + "traceparent, tracestate, raceway-clock";

    private final boolean allowAll;
    private final Set<String> origins;
    private Optional<String> allowOrigin = Optional.empty();

    CorsHandler(boolean allowAll, List<String> origins) {
        this.allowAll = allowAll || origins.contains("*");
        this.origins = Set.copyOf(origins);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        allowOrigin = allowed(origin);
        boolean preflight = req.method().equals(HttpMethod.OPTIONS) && origin != null
                && req.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
        if (!preflight) {
            ctx.fireChannelRead(msg);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        req.release();
        Optional<String> origin0 = allowOrigin;
        allowOrigin = Optional.empty();
        if (origin0.isEmpty()) {
            ResponseWriter.send(ctx, keepAlive, ApiResponse.error(HttpResponseStatus.FORBIDDEN,
                    "CORS origin not allowed: " + ApiRequest.abbreviate(origin)));
            return;
        }
        // Written from this handler's context, so write() below does not see it: set the origin here.
        ResponseWriter.send(ctx, keepAlive, new ApiResponse(HttpResponseStatus.NO_CONTENT, Map.of(
                "Access-Control-Allow-Origin", origin0.get(),
                "Vary", "Origin",
                "Access-Control-Allow-Methods", ALLOW_METHODS,
                "Access-Control-Allow-Headers", ALLOW_HEADERS,
                "Access-Control-Max-Age", "600"), ApiResponse.JSON, new byte[0]));
    }

    private Optional<String> allowed(String origin) {
        if (origin == null) {
            return Optional.empty();
        }
        if (allowAll) {
            return Optional.of("*");
        }
        return origins.contains(origin) ? Optional.of(origin) : Optional.empty();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse res) {
            if (!allowAll) {
                res.headers().add(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
            }
            allowOrigin.ifPresent(o -> {
                res.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, o);
                res.headers().set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, "Retry-After");
            });
            allowOrigin = Optional.empty();
        }
        ctx.write(msg, promise);
    }
}
