package dev.raceway.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;

/**
 * Rate-limits protected paths per verified API key (hashed; the key itself is not kept), else per client address;
 * the address comes from {@code X-Forwarded-For} only with {@code server.trust_forwarded_for}. Runs after
 * authentication, so rejected requests do not use up a client's tokens. A key chooses a bucket only when
 * authentication verified it: without auth, a client presenting a new random key per request would otherwise get a
 * new bucket each time. 429 with {@code Retry-After}.
 */
final class RateLimitHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final RateLimiter limiter;
    private final boolean trustForwardedFor;
    private final boolean keysVerified;

    RateLimitHandler(RateLimiter limiter, boolean trustForwardedFor, boolean keysVerified) {
        super(false);
        this.limiter = limiter;
        this.trustForwardedFor = trustForwardedFor;
        this.keysVerified = keysVerified;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        String path = new QueryStringDecoder(req.uri()).rawPath();
        if (!RoutePolicy.isProtected(path)) {
            ctx.fireChannelRead(req);
            return;
        }
        RateLimiter.Decision d = limiter.acquire(clientKey(ctx, req));
        if (d.allowed()) {
            ctx.fireChannelRead(req);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        req.release();
        ResponseWriter.send(ctx, keepAlive, ApiResponse.error(HttpResponseStatus.TOO_MANY_REQUESTS,
                "Too Many Requests").withHeader("Retry-After", Long.toString(d.retryAfterSeconds())));
    }

    private String clientKey(ChannelHandlerContext ctx, FullHttpRequest req) {
        Optional<String> key = keysVerified ? ApiKeys.presented(req.headers()) : Optional.empty();
        if (key.isPresent()) {
            return "key:" + java.util.HexFormat.of().formatHex(ApiKeys.digest(key.get()), 0, 16);
        }
        return "addr:" + clientAddress(ctx, req, trustForwardedFor);
    }

    static String clientAddress(ChannelHandlerContext ctx, FullHttpRequest req, boolean trustForwardedFor) {
        if (trustForwardedFor) {
            String xff = req.headers().get("X-Forwarded-For");
            if (xff != null && !xff.isBlank()) {
                return xff.split(",", 2)[0].trim();
            }
        }
        SocketAddress a = ctx.channel().remoteAddress();
        if (a instanceof InetSocketAddress i && i.getAddress() != null) {
            return i.getAddress().getHostAddress();
        }
        return String.valueOf(a);
    }
}
