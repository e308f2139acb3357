package dev.raceway.server.http;

import dev.raceway.server.metrics.ServerMetrics;
import dev.raceway.storage.StorageException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the route and runs its handler on the worker pool of its {@link Lane} (never on the event loop); the
 * response is written back from the worker. Unknown paths: API paths get a 404 envelope, the rest goes to the static UI handler.
 */
final class RouterHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(RouterHandler.class);

    private final Router router;
    private final Handler fallback;
    private final Function<Lane, Executor> lanes;
    private final ServerMetrics metrics;
    private final boolean trustForwardedFor;
    private final Consumer<Throwable> onStorageError;

    RouterHandler(Router router, Handler fallback, Function<Lane, Executor> lanes,
                  ServerMetrics metrics, boolean trustForwardedFor, Consumer<Throwable> onStorageError) {
        this.router = router;
        this.fallback = fallback;
        this.lanes = lanes;
        this.metrics = metrics;
        this.trustForwardedFor = trustForwardedFor;
        this.onStorageError = onStorageError;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        QueryStringDecoder qs;
        Map<String, String> query = new HashMap<>();
        try {
            qs = new QueryStringDecoder(req.uri());
            for (Map.Entry<String, List<String>> e : qs.parameters().entrySet()) {
                if (!e.getValue().isEmpty()) {
                    query.put(e.getKey(), e.getValue().get(0));
                }
            }
        } catch (IllegalArgumentException e) {
            ResponseWriter.send(ctx, keepAlive, ApiResponse.error(HttpResponseStatus.BAD_REQUEST,
                    "malformed request target: " + e.getMessage()));
            return;
        }
        String path = qs.rawPath();
        HttpMethod method = req.method();
        Handler handler;
        Lane lane = Lane.LIGHT;
        Map<String, String> params = Map.of();
        Router.Match match = router.match(method, path);
        if (match instanceof Router.Match.Found f) {
            handler = f.route().handler();
            lane = f.route().lane();
            params = f.params();
        } else if (match instanceof Router.Match.MethodNotAllowed m) {
            ResponseWriter.send(ctx, keepAlive, ApiResponse.error(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "method " + method + " not allowed on " + ApiRequest.abbreviate(path)).withHeader("Allow",
                    m.allowed().stream().map(HttpMethod::name).distinct().collect(Collectors.joining(", "))));
            return;
        } else if (RoutePolicy.isApi(path)) {
            ResponseWriter.send(ctx, keepAlive, ApiResponse.error(HttpResponseStatus.NOT_FOUND,
                    "Not found: " + ApiRequest.abbreviate(path)));
            return;
        } else if (!method.equals(HttpMethod.GET)) {
            ResponseWriter.send(ctx, keepAlive, ApiResponse.error(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "method " + method + " not allowed on " + ApiRequest.abbreviate(path)).withHeader("Allow", "GET"));
            return;
        } else {
            handler = fallback;
        }
        // Retained for the worker (this method's caller releases the request when it returns); released when the
        // handler returns.
        ApiRequest request = new ApiRequest(method, path, query, req.headers(), req.content().retain(), params,
                RateLimitHandler.clientAddress(ctx, req, trustForwardedFor));
        Handler h = handler;
        try {
            lanes.apply(lane).execute(() -> run(ctx, keepAlive, h, request));
        } catch (RejectedExecutionException e) {
            request.content().release();
            ResponseWriter.send(ctx, keepAlive, ApiResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "server busy; retry shortly").withHeader("Retry-After", "1"));
        }
    }

    private void run(ChannelHandlerContext ctx, boolean keepAlive, Handler h, ApiRequest request) {
        CompletionStage<ApiResponse> response;
        try {
            response = h.handle(request);
        } catch (Throwable e) { // an Error too (out of memory): the client always gets an answer
            ResponseWriter.send(ctx, keepAlive, failure(e, request));
            return;
        } finally {
            // Handlers read the body inside handle(); a response that waits (a durable commit) need not hold it.
            request.content().release();
        }
        response.whenComplete((res, err) ->
                ResponseWriter.send(ctx, keepAlive, err == null ? res : failure(err, request)));
    }

    private ApiResponse failure(Throwable t, ApiRequest request) {
        Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (e instanceof ApiException a) {
            return a.toResponse();
        }
        if (e instanceof StorageException s) {
            onStorageError.accept(s);
            LOG.warn("storage error on {} {}: {}", request.method(), request.path(), s.getMessage());
            if (s.isTransient()) {
                return ApiResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "storage unavailable: "
                        + s.getMessage()).withHeader("Retry-After", "5");
            }
            return ApiResponse.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "storage error: " + s.getMessage());
        }
        if (e instanceof OutOfMemoryError) {
            metrics.handlerError();
            LOG.error("out of memory on {} {}: {}", request.method(), request.path(), e.getMessage());
            return ApiResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "server out of memory; retry later")
                    .withHeader("Retry-After", "5");
        }
        if (e instanceof Error) {
            metrics.handlerError();
        }
        LOG.error("unexpected failure on {} {}", request.method(), request.path(), e);
        return ApiResponse.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: "
                + e.getClass().getSimpleName());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException && !(cause instanceof io.netty.handler.ssl.NotSslRecordException)
                && !(cause.getCause() instanceof javax.net.ssl.SSLException)) {
            // e.g. a body that claims gzip but is not.
            ResponseWriter.send(ctx, false, ApiResponse.error(HttpResponseStatus.BAD_REQUEST,
                    "cannot decode request: " + (cause.getCause() != null ? cause.getCause().getMessage()
                            : cause.getMessage())));
            return;
        }
        if (!(cause instanceof IOException)) {
            LOG.warn("closing connection after an unexpected error", cause);
        }
        ctx.close();
    }
}
