package dev.raceway.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.channel.socket.DuplexChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Turns an {@link ApiResponse} into a Netty response and writes it; safe to call from any thread. */
public final class ResponseWriter {
    private ResponseWriter() {
    }

    public static void send(ChannelHandlerContext ctx, boolean keepAlive, ApiResponse r) {
        FullHttpResponse res = build(r);
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(res);
        } else {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Answers a request whose body is still arriving (e.g. 413), then closes gently: a plain close with unread
     * input makes the kernel send a reset, which can destroy the response before the client reads it. Instead our
     * side is half-closed after the response, the rest of the body is read and discarded by the caller's pipeline,
     * and the connection is closed when the client closes it or after {@code linger} at the latest.
     */
    public static void sendAndLinger(ChannelHandlerContext ctx, ApiResponse r, Duration linger) {
        FullHttpResponse res = build(r);
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(res).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                f.channel().close();
                return;
            }
            if (f.channel() instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
            }
            f.channel().eventLoop().schedule(() -> f.channel().close(), linger.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    private static FullHttpResponse build(ApiResponse r) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, r.status(),
                Unpooled.wrappedBuffer(r.body()));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        res.headers().set("X-Content-Type-Options", "nosniff");
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            res.headers().set(h.getKey(), h.getValue());
        }
        return res;
    }
}
