package dev.raceway.server.http;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;

/**
 * Replaces the request target with its canonical form ({@link RequestTarget}) before anything else looks at it, so
 * routing, authentication, rate limiting and metrics see one path; a target that has none is a 400.
 */
final class RequestTargetHandler extends RequestHeadFilter {
    @Override
    Optional<ApiResponse> check(HttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            return Optional.empty(); // MalformedRequestHandler answers it
        }
        try {
            req.setUri(RequestTarget.canonical(req.uri()));
            return Optional.empty();
        } catch (RequestTarget.InvalidTargetException e) {
            return Optional.of(ApiResponse.error(HttpResponseStatus.BAD_REQUEST, e.getMessage()));
        }
    }
}
