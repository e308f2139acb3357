package dev.raceway.server.http;

import dev.raceway.server.metrics.ServerMetrics;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The pipeline, one handler per concern: TLS → idle timeout → HTTP codec (line and header limits) → request
 * deadline → response
 * compression → request decompression → body aggregation with limit → decoder errors → one request at a time →
 * metrics → CORS → auth → rate limit → router.
 */
public final class HttpChannelInitializer extends ChannelInitializer<SocketChannel> {

    /** What the pipeline needs from the server. */
    public record Settings(Optional<SslContext> ssl, int idleTimeoutSeconds, int maxUriLength, int maxHeaderBytes,
                           int maxBodyBytes, boolean corsEnabled, boolean corsAllowAll, List<String> corsOrigins,
                           Optional<ApiKeys> auth, Optional<RateLimiter> rateLimiter, boolean trustForwardedFor,
                           boolean verbose) {
    }

    private final Settings settings;
    private final Router router;
    private final Handler fallback;
    private final Executor workers;
    private final ServerMetrics metrics;
    private final Consumer<Throwable> onStorageError;

    public HttpChannelInitializer(Settings settings, Router router, Handler fallback, Executor workers,
                                  ServerMetrics metrics, Consumer<Throwable> onStorageError) {
        this.settings = settings;
        this.router = router;
        this.fallback = fallback;
        this.workers = workers;
        this.metrics = metrics;
        this.onStorageError = onStorageError;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        settings.ssl.ifPresent(ssl -> p.addLast("tls", ssl.newHandler(ch.alloc())));
        p.addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeoutSeconds, TimeUnit.SECONDS));
        p.addLast("idleCloser", new IdleCloser());
        p.addLast("codec", new HttpServerCodec(settings.maxUriLength, settings.maxHeaderBytes, 64 * 1024));
        p.addLast("deadline", new RequestDeadlineHandler(settings.idleTimeoutSeconds));
        p.addLast("compressor", new HttpContentCompressor(1024, StandardCompressionOptions.gzip(), StandardCompressionOptions.deflate()));
        p.addLast("decompressor", new HttpContentDecompressor());
        p.addLast("aggregator", new LimitedBodyAggregator(settings.maxBodyBytes));
        p.addLast("malformed", new MalformedRequestHandler());
        p.addLast("serial", new OneRequestAtATimeHandler());
        p.addLast("metrics", new RequestMetricsHandler(metrics, router, settings.verbose));
        if (settings.corsEnabled) {
            p.addLast("cors", new CorsHandler(settings.corsAllowAll, settings.corsOrigins));
        }
        settings.auth.ifPresent(keys -> p.addLast("auth", new AuthHandler(keys)));
        settings.rateLimiter.ifPresent(l -> p.addLast("rateLimit", new RateLimitHandler(l, settings.trustForwardedFor)));
        p.addLast("router", new RouterHandler(router, fallback, workers, settings.trustForwardedFor, onStorageError));
    }
}
