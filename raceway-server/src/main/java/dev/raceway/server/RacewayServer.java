package dev.raceway.server;

import dev.raceway.server.api.ApiRoutes;
import dev.raceway.server.api.HealthProbe;
import dev.raceway.server.api.IngestWarmUp;
import dev.raceway.server.api.ServerContext;
import dev.raceway.server.config.ConfigException;
import dev.raceway.server.config.ServerConfiguration;
import dev.raceway.server.config.ServerSettings;
import dev.raceway.server.config.TlsMaterialCheck;
import dev.raceway.server.config.TlsSettings;
import dev.raceway.server.http.ApiKeys;
import dev.raceway.server.http.HostCheckHandler;
import dev.raceway.server.http.HttpChannelInitializer;
import dev.raceway.server.http.LaneExecutors;
import dev.raceway.server.http.RateLimiter;
import dev.raceway.server.metrics.ServerMetrics;
import dev.raceway.storage.EventStore;
import dev.raceway.storage.EventStores;
import dev.raceway.storage.RetentionResult;
import dev.raceway.storage.ingest.IngestMetrics;
import dev.raceway.storage.ingest.IngestPipeline;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Raceway server: storage, ingest pipeline and the Netty HTTP listener. {@link #start} returns once the
 * port is bound; {@link #close} shuts down gracefully (stop accepting, drain the pipeline, close storage).
 */
public final class RacewayServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RacewayServer.class);

    private final ServerConfiguration config;
    private final EventStore store;
    private final IngestPipeline pipeline;
    private final HealthProbe health;
    private final ServerMetrics metrics;
    private final EventLoopGroup boss;
    private final EventLoopGroup io;
    private final LaneExecutors workers;
    private final Optional<ScheduledExecutorService> retention;
    private final Channel channel;
    private final Optional<Channel> otlpChannel;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RacewayServer(ServerConfiguration config, EventStore store, IngestPipeline pipeline, HealthProbe health,
                          ServerMetrics metrics, EventLoopGroup boss, EventLoopGroup io, LaneExecutors workers,
                          Optional<ScheduledExecutorService> retention, Channel channel,
                          Optional<Channel> otlpChannel) {
        this.config = config;
        this.store = store;
        this.pipeline = pipeline;
        this.health = health;
        this.metrics = metrics;
        this.boss = boss;
        this.io = io;
        this.workers = workers;
        this.retention = retention;
        this.channel = channel;
        this.otlpChannel = otlpChannel;
        this.port = ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /**
     * Opens storage and binds the listener ({@code port = 0} picks a free port; see {@link #port()}).
     *
     * @throws ConfigException                         when TLS material cannot be loaded
     * @throws dev.raceway.storage.StorageException    when storage cannot be opened
     */
    public static RacewayServer start(ServerConfiguration config) throws InterruptedException {
        Optional<SslContext> ssl = config.server().tls().map(RacewayServer::sslContext);
        return start(config, EventStores.open(config.storage()), ssl);
    }

    /**
     * Starts on a store the caller opened (e.g. to share or wrap it); {@code config.storage()} is not used. The
     * server owns the store from now on and closes it in {@link #close()}.
     */
    public static RacewayServer start(ServerConfiguration config, EventStore store) throws InterruptedException {
        Optional<SslContext> ssl;
        try {
            ssl = config.server().tls().map(RacewayServer::sslContext);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return start(config, store, ssl);
    }

    private static RacewayServer start(ServerConfiguration config, EventStore store, Optional<SslContext> ssl)
            throws InterruptedException {
        ServerSettings s = config.server();
        if (s.warmUp()) {
            long started = System.nanoTime();
            long events = IngestWarmUp.runOnce(config);
            if (events > 0) {
                LOG.info("warmed up the ingest path with {} synthetic events in {} ms", events,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            }
        }
        IngestPipeline pipeline = IngestPipeline.start(store, config.engine());
        ServerMetrics metrics = new ServerMetrics();
        int threads = s.workerThreads() > 0 ? s.workerThreads()
                : Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        LaneExecutors workers = new LaneExecutors(threads);
        HealthProbe health = HealthProbe.start(store);
        ServerContext ctx = new ServerContext(config, store, health, pipeline, metrics, Instant.now(), version());
        Optional<ApiKeys> keys = s.authEnabled() ? Optional.of(new ApiKeys(s.apiKeys())) : Optional.empty();
        ApiRoutes routes = new ApiRoutes(ctx, keys);
        Optional<RateLimiter> limiter = s.rateLimitEnabled()
                ? Optional.of(new RateLimiter(s.rateLimitRpm(), 100_000, System::nanoTime)) : Optional.empty();
        HttpChannelInitializer.Settings hs = new HttpChannelInitializer.Settings(ssl, s.idleTimeoutSeconds(),
                s.headerTimeoutSeconds(), s.maxConnections(), s.maxUriLength(), s.maxHeaderBytes(),
                (int) s.maxBodyBytes(), s.corsEnabled(), config.corsAllowAll(), s.corsOrigins(), keys, limiter,
                s.trustForwardedFor(), HostCheckHandler.isLoopback(s.host()) ? Optional.of(s.allowedHosts())
                : Optional.empty(), s.verbose());

        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("raceway-accept", true),
                NioIoHandler.newFactory());
        EventLoopGroup io = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("raceway-io", true),
                NioIoHandler.newFactory());
        Channel channel = null;
        Optional<Channel> otlpChannel = Optional.empty();
        int boundPort = s.port();
        try {
            channel = new ServerBootstrap()
                    .group(boss, io)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new HttpChannelInitializer(hs, routes.router(), routes.fallback(), workers, metrics,
                            e -> metrics.recordStorageError()))
                    .bind(s.host(), s.port()).sync().channel();
            if (config.otlp().port().isPresent()) {
                boundPort = config.otlp().port().getAsInt();
                otlpChannel = Optional.of(new ServerBootstrap()
                        .group(boss, io)
                        .channel(NioServerSocketChannel.class)
                        .option(ChannelOption.SO_BACKLOG, 1024)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childHandler(new HttpChannelInitializer(hs, routes.otlpRouter(), routes.otlpFallback(),
                                workers, metrics, e -> metrics.recordStorageError()))
                        .bind(s.host(), boundPort).sync().channel());
            }
        } catch (Exception e) { // Netty rethrows a checked BindException undeclared, so catch everything here
            if (channel != null) {
                channel.close().awaitUninterruptibly();
            }
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.close();
            health.close();
            pipeline.close(Duration.ofSeconds(5));
            store.close();
            if (e instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("cannot listen on " + s.host() + ":" + boundPort + ": " + e.getMessage()
                    + (e instanceof java.net.BindException ? " (another process uses the port? set "
                    + (channel == null ? "[server] port" : "[otlp] port") + ")" : ""), e);
        }
        Optional<ScheduledExecutorService> retention = config.retentionMaxAge().map(maxAge -> {
            ScheduledExecutorService ses = Executors.newSingleThreadScheduledExecutor(
                    new DefaultThreadFactory("raceway-retention", true));
            ses.scheduleWithFixedDelay(() -> applyRetention(store, maxAge), 1, 60, TimeUnit.SECONDS);
            return ses;
        });
        RacewayServer server = new RacewayServer(config, store, pipeline, health, metrics, boss, io, workers,
                retention, channel, otlpChannel);
        LOG.info("Raceway {} listening on {}://{}:{} (storage: {}, durable ack: {}, auth: {})", version(),
                ssl.isPresent() ? "https" : "http", s.host(), server.port, store.backendName(),
                config.effectiveDurableAck() ? "on" : "off", s.authEnabled() ? "on" : "off");
        server.otlpPort().ifPresent(p -> LOG.info("OTLP/HTTP listener on {}://{}:{} (POST /v1/traces)",
                ssl.isPresent() ? "https" : "http", s.host(), p));
        return server;
    }

    private static void applyRetention(EventStore store, Duration maxAge) {
        try {
            RetentionResult r = store.deleteTracesOlderThan(Instant.now().minus(maxAge));
            if (r.tracesDeleted() > 0) {
                LOG.info("retention: deleted {} traces ({} events) older than {}", r.tracesDeleted(),
                        r.eventsDeleted(), maxAge);
            }
        } catch (RuntimeException e) {
            LOG.warn("retention run failed: {}", e.getMessage());
        }
    }

    private static SslContext sslContext(TlsSettings tls) {
        TlsMaterialCheck.check(tls, Clock.systemUTC()).ifPresent(LOG::warn);
        try {
            return SslContextBuilder.forServer(tls.certPath().toFile(), tls.keyPath().toFile()).build();
        } catch (Exception | Error e) {
            throw new ConfigException("[server.tls]: cannot load certificate " + tls.certPath() + " / key "
                    + tls.keyPath() + " (PEM certificate chain and PKCS#8 PEM key expected): " + e.getMessage(), e);
        }
    }

    /** The bound port. */
    public int port() {
        return port;
    }

    /** The bound port of the OTLP listener ({@code [otlp] port}), when there is one. */
    public java.util.OptionalInt otlpPort() {
        return otlpChannel.map(c -> java.util.OptionalInt.of(((InetSocketAddress) c.localAddress()).getPort()))
                .orElse(java.util.OptionalInt.empty());
    }

    /** {@code http://host:port} (or https) as a client would use it; {@code 0.0.0.0} is shown as 127.0.0.1. */
    public String baseUrl() {
        String host = config.server().host();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        }
        return (config.server().tls().isPresent() ? "https" : "http") + "://" + host + ":" + port;
    }

    public EventStore store() {
        return store;
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    public IngestMetrics ingestMetrics() {
        return pipeline.metrics();
    }

    public ServerConfiguration config() {
        return config;
    }

    /** Stops accepting, drains the pipeline within the configured deadline, closes storage. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        channel.close().awaitUninterruptibly();
        otlpChannel.ifPresent(c -> c.close().awaitUninterruptibly());
        long waiting = pipeline.metrics().queueDepth();
        long written = pipeline.metrics().written();
        boolean drained = pipeline.close(config.shutdownDrainTimeout());
        long flushed = pipeline.metrics().written() - written;
        if (drained) {
            LOG.info("shutdown: drained {} buffered events ({} written during shutdown)", waiting, flushed);
        } else {
            LOG.warn("shutdown: drain deadline passed; {} of {} buffered events were written", flushed, waiting);
        }
        retention.ifPresent(ScheduledExecutorService::shutdownNow);
        health.close();
        workers.shutdown(5);
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        store.close();
    }

    /** The version from the jar manifest, or the development version. */
    public static String version() {
        String v = RacewayServer.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
