package dev.raceway.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A request must arrive completely within the deadline from its first line; otherwise the connection is closed.
 * The idle timeout alone would let a client that trickles one byte at a time hold a connection forever.
 */
final class RequestDeadlineHandler extends ChannelInboundHandlerAdapter {
    private final long seconds;
    private ScheduledFuture<?> deadline;

    RequestDeadlineHandler(long seconds) {
        this.seconds = seconds;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest && deadline == null) {
            deadline = ctx.executor().schedule(() -> {
                ctx.close();
            }, seconds, TimeUnit.SECONDS);
        }
        if (msg instanceof LastHttpContent && deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        ctx.fireChannelInactive();
    }
}
