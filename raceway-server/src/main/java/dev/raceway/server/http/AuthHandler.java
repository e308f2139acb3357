package dev.raceway.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * With {@code auth_enabled}, rejects requests to protected paths ({@link RoutePolicy}) without a valid key or session
 * cookie ({@link ApiKeys#accepts}): 401.
 */
final class AuthHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final ApiKeys keys;

    AuthHandler(ApiKeys keys) {
        super(false);
        this.keys = keys;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        String path = new QueryStringDecoder(req.uri()).rawPath();
        if (!RoutePolicy.isProtected(path) || keys.accepts(req.headers())) {
            ctx.fireChannelRead(req);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        req.release();
        ResponseWriter.send(ctx, keepAlive, ApiResponse.error(HttpResponseStatus.UNAUTHORIZED, "Unauthorized"));
    }
}
