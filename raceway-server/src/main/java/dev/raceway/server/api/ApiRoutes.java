package dev.raceway.server.api;

import dev.raceway.server.http.ApiKeys;
import dev.raceway.server.http.ApiResponse;
import dev.raceway.server.http.Handler;
import dev.raceway.server.http.Lane;
import dev.raceway.server.http.Router;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;

/** Every route of the server with its worker {@link Lane}, and the static UI fallback (on the light lane). */
public final class ApiRoutes {
    private final Router router = new Router();
    private final Router otlpRouter = new Router();
    private final Handler fallback;

    public ApiRoutes(ServerContext ctx, Optional<ApiKeys> keys) {
        StatusHandlers status = new StatusHandlers(ctx, keys);
        TraceListHandlers lists = new TraceListHandlers(ctx);
        ServiceHandlers services = new ServiceHandlers(ctx);
        DistributedHandlers distributed = new DistributedHandlers(ctx);
        PerformanceHandler performance = new PerformanceHandler(ctx);
        AnalysisHandlers analysis = new AnalysisHandlers(ctx);
        AuthRoutes auth = new AuthRoutes(ctx.config().server().authEnabled(), keys,
                ctx.config().server().tls().isPresent(), ctx.config().server().uiPassword());
        StaticFiles files = new StaticFiles();

        OtlpTraceHandler otlp = new OtlpTraceHandler(ctx);
        otlpRouter.post("/v1/traces", Lane.INGEST, otlp);
        router.post("/events", Lane.INGEST, new IngestHandler(ctx))
                .post("/v1/traces", Lane.INGEST, otlp)
                .get("/health", Lane.LIGHT, Handler.sync(status::health))
                .get("/status", Handler.sync(status::status))
                .get("/metrics", Handler.sync(status::metrics))
                .get("/api/traces", Handler.sync(lists::traces))
                .get("/api/traces/:trace_id", Handler.sync(analysis::bundle))
                .get("/api/traces/:trace_id/critical-path", Handler.sync(analysis::criticalPath))
                .get("/api/traces/:trace_id/anomalies", Handler.sync(analysis::anomalies))
                .get("/api/traces/:trace_id/dependencies", Handler.sync(analysis::dependencies))
                .get("/api/traces/:trace_id/audit-trail/:variable", Handler.sync(analysis::auditTrail))
                .get("/api/traces/:trace_id/deadlocks", Handler.sync(analysis::traceDeadlocks))
                .get("/api/analyze/global", Handler.sync(analysis::globalAnalysis))
                .get("/api/analyze/deadlocks", Handler.sync(analysis::globalDeadlocks))
                .get("/api/services", Handler.sync(services::services))
                .get("/api/services/health", Handler.sync(services::health))
                .get("/api/services/:name/traces", Handler.sync(lists::serviceTraces))
                .get("/api/services/:name/dependencies", Handler.sync(services::dependencies))
                .get("/api/performance/metrics", Handler.sync(performance::metrics))
                .get("/api/distributed/edges", Handler.sync(distributed::edges))
                .get("/api/distributed/global-races", Handler.sync(distributed::globalRaces))
                .get("/api/distributed/hotspots", Handler.sync(distributed::hotspots))
                .get("/auth/check", Lane.LIGHT, Handler.sync(auth::check))
                .post("/auth/login", Lane.LIGHT, Handler.sync(auth::login))
                .post("/auth/logout", Lane.LIGHT, Handler.sync(auth::logout));
        fallback = Handler.sync(files::serve);
    }

    public Router router() {
        return router;
    }

    public Handler fallback() {
        return fallback;
    }

    /** The routes of the OTLP listener ({@code [otlp] port}): {@code POST /v1/traces} only. */
    public Router otlpRouter() {
        return otlpRouter;
    }

    /** What the OTLP listener answers for any other path: 404. */
    public Handler otlpFallback() {
        return Handler.sync(r -> ApiResponse.error(HttpResponseStatus.NOT_FOUND,
                "this port serves only POST /v1/traces (OTLP/HTTP)"));
    }
}
