package dev.raceway.server.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code [server] header_timeout_seconds}: once the first byte of a request (or of the TLS handshake) has arrived,
 * its complete head must follow within the deadline, or the connection is closed. Without it a client that trickles
 * one byte every few seconds keeps a connection forever, since each byte resets the idle timer. Two handlers share
 * one deadline: {@link #bytes()} sits in front of TLS and the codec and starts the clock on bytes; {@link #heads()}
 * sits behind the codec and stops it when a request head is decoded.
 */
final class HeaderDeadline {
    private final long millis;
    private final Runnable onExpiry;
    private ScheduledFuture<?> deadline;
    private long heads;
    private long answered;

    /** {@code onExpiry} counts a connection closed by the deadline. */
    HeaderDeadline(long seconds, Runnable onExpiry) {
        this.millis = TimeUnit.SECONDS.toMillis(seconds);
        this.onExpiry = onExpiry;
    }

    ChannelHandler bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (deadline == null && heads == answered) {
                    deadline = ctx.executor().schedule(() -> {
                        onExpiry.run();
                        ctx.close();
                    }, millis, TimeUnit.MILLISECONDS);
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                cancel();
                ctx.fireChannelInactive();
            }
        };
    }

    ChannelHandler heads() {
        return new ChannelDuplexHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpRequest) {
                    heads++;
                    cancel();
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (msg instanceof LastHttpContent) {
                    answered = Math.min(heads, answered + 1);
                }
                ctx.write(msg, promise);
            }
        };
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
