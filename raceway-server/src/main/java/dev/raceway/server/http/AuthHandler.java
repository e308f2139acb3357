package dev.raceway.server.http;

import dev.raceway.server.metrics.ServerMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Optional;

/**
 * With {@code auth_enabled}, rejects requests to protected paths ({@link RoutePolicy}) without a valid key or session
 * cookie ({@link ApiKeys#accepts}): 401. Every wrong key presented, on any path, counts against the client's
 * address; beyond {@link ApiKeys#GUESSES_PER_MINUTE} wrong keys a minute that address gets 429 instead, so keys cannot be
 * guessed at network speed.
 */
final class AuthHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final ApiKeys keys;
    private final ServerMetrics metrics;
    private final boolean trustForwardedFor;

    AuthHandler(ApiKeys keys, ServerMetrics metrics, boolean trustForwardedFor) {
        super(false);
        this.keys = keys;
        this.metrics = metrics;
        this.trustForwardedFor = trustForwardedFor;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        String path = new QueryStringDecoder(req.uri()).rawPath();
        Optional<String> key = ApiKeys.presented(req.headers());
        boolean valid = keys.accepts(req.headers());
        boolean needed = RoutePolicy.isProtected(path);
        if (valid || (key.isEmpty() && !needed)) {
            ctx.fireChannelRead(req);
            return;
        }
        if (key.isPresent()) {
            RateLimiter.Decision d = keys.wrongKey(RateLimitHandler.clientAddress(ctx, req, trustForwardedFor));
            if (!d.allowed()) {
                metrics.authFailure();
                refuse(ctx, req, ApiResponse.error(HttpResponseStatus.TOO_MANY_REQUESTS,
                        "too many invalid API keys from this address").withHeader("Retry-After",
                        Long.toString(d.retryAfterSeconds())));
                return;
            }
        }
        if (!needed) {
            ctx.fireChannelRead(req); // e.g. /auth/check answers "not authenticated" itself
            return;
        }
        metrics.authFailure();
        refuse(ctx, req, ApiResponse.error(HttpResponseStatus.UNAUTHORIZED, "Unauthorized"));
    }

    private static void refuse(ChannelHandlerContext ctx, FullHttpRequest req, ApiResponse answer) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        req.release();
        ResponseWriter.send(ctx, keepAlive, answer);
    }
}
