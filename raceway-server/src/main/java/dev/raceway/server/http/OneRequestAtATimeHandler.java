package dev.raceway.server.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Lets one request per connection through at a time. Handlers answer from worker threads, so without this two
 * pipelined requests could be answered out of order. While a request is in flight the channel stops reading
 * (back-pressure on a client that floods one connection); requests already decoded wait here.
 */
final class OneRequestAtATimeHandler extends ChannelDuplexHandler {
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private boolean busy;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (busy) {
            waiting.add(req);
            return;
        }
        busy = true;
        ctx.channel().config().setAutoRead(false);
        ctx.fireChannelRead(req);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean done = msg instanceof FullHttpResponse;
        ctx.write(msg, promise);
        if (done) {
            busy = false;
            FullHttpRequest next = waiting.poll();
            if (next != null) {
                busy = true;
                // Outside the write call stack, so the response is flushed first.
                ctx.executor().execute(() -> ctx.fireChannelRead(next));
            } else {
                ctx.channel().config().setAutoRead(true);
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        FullHttpRequest r;
        while ((r = waiting.poll()) != null) {
            ReferenceCountUtil.release(r);
        }
        ctx.fireChannelInactive();
    }
}
