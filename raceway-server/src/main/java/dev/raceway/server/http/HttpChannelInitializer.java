package dev.raceway.server.http;

import dev.raceway.server.metrics.ServerMetrics;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The pipeline, one handler per concern, in the order a request meets them: connection cap → header deadline
 * (bytes) → TLS → idle timeout → HTTP codec (line and header limits, strict framing) → header deadline (heads) →
 * framing checks → canonical request target → Host check (loopback only) → request deadline → response
 * compression → request decompression → body aggregation with limit → decoder errors → one request at a time →
 * metrics → CORS → auth → rate limit → router.
 */
public final class HttpChannelInitializer extends ChannelInitializer<SocketChannel> {

    /** What the pipeline needs from the server. */
    public record Settings(Optional<SslContext> ssl, int idleTimeoutSeconds, int headerTimeoutSeconds,
                           int maxConnections, int maxUriLength, int maxHeaderBytes, int maxBodyBytes,
                           boolean corsEnabled, boolean corsAllowAll, List<String> corsOrigins,
                           Optional<ApiKeys> auth, Optional<RateLimiter> rateLimiter, boolean trustForwardedFor,
                           Optional<List<String>> hostAllowList, boolean verbose) {
    }

    private final Settings settings;
    private final Router router;
    private final Handler fallback;
    private final Function<Lane, Executor> lanes;
    private final ServerMetrics metrics;
    private final Consumer<Throwable> onStorageError;
    private final ConnectionLimiter connections;
    private final TlsFailureLog tlsFailures;

    public HttpChannelInitializer(Settings settings, Router router, Handler fallback, Function<Lane, Executor> lanes,
                                  ServerMetrics metrics, Consumer<Throwable> onStorageError) {
        this.settings = settings;
        this.router = router;
        this.fallback = fallback;
        this.lanes = lanes;
        this.metrics = metrics;
        this.onStorageError = onStorageError;
        this.connections = new ConnectionLimiter(settings.maxConnections, metrics);
        this.tlsFailures = new TlsFailureLog(metrics);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("connections", connections);
        HeaderDeadline headerDeadline = new HeaderDeadline(settings.headerTimeoutSeconds, metrics::headerTimeout);
        p.addLast("headerDeadlineBytes", headerDeadline.bytes());
        settings.ssl.ifPresent(ssl -> {
            p.addLast("tls", ssl.newHandler(ch.alloc()));
            p.addLast("tlsFailures", tlsFailures);
        });
        p.addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeoutSeconds, TimeUnit.SECONDS));
        p.addLast("idleCloser", new IdleCloser());
        p.addLast("codec", new StrictHttpServerCodec(settings.maxUriLength, settings.maxHeaderBytes, 64 * 1024));
        p.addLast("headerDeadlineHeads", headerDeadline.heads());
        p.addLast("framing", new HttpFramingHandler());
        p.addLast("target", new RequestTargetHandler());
        settings.hostAllowList.ifPresent(hosts -> p.addLast("host", new HostCheckHandler(hosts)));
        p.addLast("deadline", new RequestDeadlineHandler(settings.idleTimeoutSeconds));
        p.addLast("compressor", new HttpContentCompressor(1024, StandardCompressionOptions.gzip(),
                StandardCompressionOptions.deflate()));
        p.addLast("decompressor", new HttpContentDecompressor(0));
        p.addLast("aggregator", new LimitedBodyAggregator(settings.maxBodyBytes));
        p.addLast("malformed", new MalformedRequestHandler());
        p.addLast("serial", new OneRequestAtATimeHandler());
        p.addLast("metrics", new RequestMetricsHandler(metrics, router, settings.verbose));
        if (settings.corsEnabled) {
            p.addLast("cors", new CorsHandler(settings.corsAllowAll, settings.corsOrigins));
        }
        settings.auth.ifPresent(keys -> p.addLast("auth", new AuthHandler(keys, metrics,
                settings.trustForwardedFor)));
        settings.rateLimiter.ifPresent(l -> p.addLast("rateLimit", new RateLimitHandler(l,
                settings.trustForwardedFor, settings.auth.isPresent())));
        p.addLast("router", new RouterHandler(router, fallback, lanes, metrics, settings.trustForwardedFor,
                onStorageError));
    }
}
