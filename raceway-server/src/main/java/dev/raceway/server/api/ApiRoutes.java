package dev.raceway.server.api;

import dev.raceway.server.http.ApiKeys;
import dev.raceway.server.http.Handler;
import dev.raceway.server.http.Router;
import java.util.Optional;

/** Every route of the server, and the static UI fallback. */
public final class ApiRoutes {
    private final Router router = new Router();
    private final Handler fallback;

    public ApiRoutes(ServerContext ctx, Optional<ApiKeys> keys) {
        StatusHandlers status = new StatusHandlers(ctx);
        TraceListHandlers lists = new TraceListHandlers(ctx);
        ServiceHandlers services = new ServiceHandlers(ctx);
        DistributedHandlers distributed = new DistributedHandlers(ctx);
        PerformanceHandler performance = new PerformanceHandler(ctx);
        AnalysisHandlers analysis = new AnalysisHandlers(ctx);
        AuthRoutes auth = new AuthRoutes(ctx.config().server().authEnabled(), keys,
                ctx.config().server().tls().isPresent(), ctx.config().server().uiPassword());
        StaticFiles files = new StaticFiles();

        router.post("/events", new IngestHandler(ctx))
                .get("/health", Handler.sync(status::health))
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
                .get("/auth/check", Handler.sync(auth::check))
                .post("/auth/login", Handler.sync(auth::login))
                .post("/auth/logout", Handler.sync(auth::logout));
        fallback = Handler.sync(files::serve);
    }

    public Router router() {
        return router;
    }

    public Handler fallback() {
        return fallback;
    }
}
