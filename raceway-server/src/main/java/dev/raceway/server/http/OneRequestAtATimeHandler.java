package dev.raceway.server.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Lets one request per connection through at a time, and only while the client consumes the answers. Handlers
 * answer from worker threads, so without this two pipelined requests could be answered out of order. While a
 * request is in flight, and until its answer has been flushed to the socket (not merely written to the outbound
 * buffer) and the channel is writable again, the channel stops reading: a client that pipelines requests and never
 * reads the answers holds at most one answer in the server's memory. Requests already decoded wait here.
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
        if (!(msg instanceof FullHttpResponse)) {
            ctx.write(msg, promise);
            return;
        }
        ChannelPromise flushed = promise.unvoid();
        flushed.addListener(f -> {
            busy = false;
            next(ctx);
        });
        ctx.write(msg, flushed);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        next(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    private void next(ChannelHandlerContext ctx) {
        if (busy || !ctx.channel().isActive() || !ctx.channel().isWritable()) {
            return; // channelWritabilityChanged calls again once the client has read enough
        }
        FullHttpRequest next = waiting.poll();
        if (next != null) {
            busy = true;
            ctx.fireChannelRead(next);
        } else {
            ctx.channel().config().setAutoRead(true);
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
