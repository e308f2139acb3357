package dev.raceway.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.Optional;

/**
 * A check on a request's head, made before its body is read: a refused request is answered (the connection is
 * closed, since what follows on it cannot be trusted) and every later message of the connection is discarded.
 */
abstract class RequestHeadFilter extends ChannelInboundHandlerAdapter {
    private boolean refused;

    /**
     * The answer refusing this request, or empty to let it through (the check may rewrite it). Also called for
     * requests the decoder failed, which a check normally lets through.
     */
    abstract Optional<ApiResponse> check(HttpRequest req);

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest req) {
            Optional<ApiResponse> refusal = check(req);
            if (refusal.isPresent()) {
                refused = true;
                ReferenceCountUtil.release(msg);
                ctx.channel().config().setAutoRead(false);
                ResponseWriter.send(ctx, false, refusal.get());
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }
}
