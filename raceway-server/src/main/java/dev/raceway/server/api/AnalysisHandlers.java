package dev.raceway.server.api;

import dev.raceway.server.http.ApiRequest;
import dev.raceway.server.http.ApiResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Routes backed by the analyses of {@code dev.raceway.core.analysis}: trace bundle, critical path, anomalies,
 * dependencies, audit trail, global analysis, deadlocks. Each loads from storage, runs the analysis and writes its
 * result; until an analysis is part of the build its route answers 501 (never made-up data).
 */
final class AnalysisHandlers {
    private final ServerContext ctx;

    AnalysisHandlers(ServerContext ctx) {
        this.ctx = ctx;
    }

    ApiResponse bundle(ApiRequest req) {
        req.traceId();
        return notAvailable("trace analysis");
    }

    ApiResponse criticalPath(ApiRequest req) {
        req.traceId();
        return notAvailable("critical path analysis");
    }

    ApiResponse anomalies(ApiRequest req) {
        req.traceId();
        return notAvailable("anomaly detection");
    }

    ApiResponse dependencies(ApiRequest req) {
        req.traceId();
        return notAvailable("dependency analysis");
    }

    ApiResponse auditTrail(ApiRequest req) {
        req.traceId();
        return notAvailable("audit trail");
    }

    ApiResponse traceDeadlocks(ApiRequest req) {
        req.traceId();
        return notAvailable("deadlock detection");
    }

    ApiResponse globalAnalysis(ApiRequest req) {
        return notAvailable("global race analysis");
    }

    ApiResponse globalDeadlocks(ApiRequest req) {
        return notAvailable("deadlock detection");
    }

    private static ApiResponse notAvailable(String what) {
        return ApiResponse.error(HttpResponseStatus.NOT_IMPLEMENTED, what + " is not available in this build");
    }

    ServerContext context() {
        return ctx;
    }
}
