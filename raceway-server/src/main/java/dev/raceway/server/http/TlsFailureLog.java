package dev.raceway.server.http;

import dev.raceway.server.metrics.ServerMetrics;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts failed TLS handshakes ({@code raceway_tls_handshake_failures_total}) and logs them as one line at most every
 * {@link #LOG_EVERY_NANOS}, with the number left unlogged since; without it each failed handshake (a port scanner,
 * a plain-HTTP client) wrote a warning with a full stack trace.
 */
@ChannelHandler.Sharable
final class TlsFailureLog extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(TlsFailureLog.class);
    static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final ServerMetrics metrics;
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private final AtomicLong unlogged = new AtomicLong();

    TlsFailureLog(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
            metrics.tlsHandshakeFailure();
            long now = System.nanoTime();
            long last = lastLogged.get();
            if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
                long more = unlogged.getAndSet(0);
                LOG.warn("TLS handshake with {} failed: {}{}", ctx.channel().remoteAddress(),
                        done.cause() == null ? "unknown" : done.cause().getMessage(),
                        more == 0 ? "" : " (" + more + " more failures since the last message)");
            } else {
                unlogged.incrementAndGet();
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof SSLException || (cause instanceof DecoderException
                && cause.getCause() instanceof SSLException)) {
            ctx.close(); // counted and logged through the handshake event
            return;
        }
        ctx.fireExceptionCaught(cause);
    }
}
