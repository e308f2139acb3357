package dev.raceway.server.http;

import dev.raceway.server.metrics.ServerMetrics;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every answered request by route, method and status, with its latency, and writes the access log line when
 * {@code server.verbose} is on. Sits behind {@link OneRequestAtATimeHandler}, so one request per connection is open.
 */
final class RequestMetricsHandler extends ChannelDuplexHandler {
    private static final Logger ACCESS = LoggerFactory.getLogger("dev.raceway.server.access");

    private final ServerMetrics metrics;
    private final Router router;
    private final boolean verbose;
    private long startNanos;
    private String label = "other";
    private HttpMethod method = HttpMethod.GET;
    private String path = "";

    RequestMetricsHandler(ServerMetrics metrics, Router router, boolean verbose) {
        this.metrics = metrics;
        this.router = router;
        this.verbose = verbose;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest req) {
            startNanos = System.nanoTime();
            method = req.method();
            try {
                path = new QueryStringDecoder(req.uri()).rawPath();
            } catch (IllegalArgumentException e) {
                path = "";
            }
            label = router.label(method, path);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse res && startNanos != 0) {
            long nanos = System.nanoTime() - startNanos;
            startNanos = 0;
            int status = res.status().code();
            metrics.recordRequest(label, HttpFramingHandler.label(method), status, nanos);
            if (verbose) {
                ACCESS.info("{} {} -> {} ({} ms)", method, path, status, nanos / 1_000_000);
            }
        }
        ctx.write(msg, promise);
    }
}
