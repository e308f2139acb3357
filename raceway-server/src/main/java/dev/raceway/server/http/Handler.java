package dev.raceway.server.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A route's work. Runs on a worker thread, never on the event loop, so it may block on storage. */
@FunctionalInterface
public interface Handler {
    /** Answers {@code request}; its body may be read only until this returns (the router then releases it). */
    CompletionStage<ApiResponse> handle(ApiRequest request) throws Exception;

    /** A handler that answers directly. */
    static Handler sync(SyncHandler h) {
        return r -> CompletableFuture.completedFuture(h.handle(r));
    }

    @FunctionalInterface
    interface SyncHandler {
        ApiResponse handle(ApiRequest request) throws Exception;
    }
}
