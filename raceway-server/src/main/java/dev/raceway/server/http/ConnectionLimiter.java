package dev.raceway.server.http;

import dev.raceway.server.metrics.ServerMetrics;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code [server] max_connections}: a connection beyond the cap is closed as soon as it is accepted, before it can
 * cost more than its socket, and counted; so idle or slow clients cannot take every file descriptor and leave
 * {@code /health} unanswered.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private final int max;
    private final ServerMetrics metrics;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionLimiter(int max, ServerMetrics metrics) {
        this.max = max;
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        int now = open.incrementAndGet();
        metrics.connectionOpened();
        if (now > max) {
            metrics.connectionRefused();
            ctx.close();
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open.decrementAndGet();
        metrics.connectionClosed();
        ctx.fireChannelInactive();
    }
}
