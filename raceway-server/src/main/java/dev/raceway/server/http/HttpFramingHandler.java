package dev.raceway.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Strict HTTP/1.1 framing, so that no proxy in front of the server can read a request differently than the server
 * does (request smuggling): both {@code Content-Length} and {@code Transfer-Encoding} → 400 (the codec marks it,
 * see {@link StrictHttpServerCodec}); a transfer coding other than one {@code chunked} → 501; HTTP/1.1 without
 * exactly one {@code Host} → 400; a method outside the standard set → 501, so no client-chosen token is ever kept
 * (e.g. as a metrics label).
 */
final class HttpFramingHandler extends RequestHeadFilter {
    /** The methods of RFC 9110 and PATCH: the only method names the server ever records. */
    static final Set<HttpMethod> KNOWN_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
            HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.CONNECT, HttpMethod.OPTIONS, HttpMethod.TRACE,
            HttpMethod.PATCH);

    @Override
    Optional<ApiResponse> check(HttpRequest req) {
        if (req.decoderResult().cause() instanceof StrictHttpServerCodec.AmbiguousFramingException e) {
            return refuse(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
        if (!req.decoderResult().isSuccess()) {
            return Optional.empty(); // MalformedRequestHandler answers it
        }
        if (!KNOWN_METHODS.contains(req.method())) {
            return refuse(HttpResponseStatus.NOT_IMPLEMENTED, "method not implemented");
        }
        List<String> codings = req.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!codings.isEmpty() && !(codings.size() == 1
                && codings.get(0).trim().toLowerCase(Locale.ROOT).equals("chunked"))) {
            return refuse(HttpResponseStatus.NOT_IMPLEMENTED, "only Transfer-Encoding: chunked is supported");
        }
        int hosts = req.headers().getAll(HttpHeaderNames.HOST).size();
        if (req.protocolVersion().equals(HttpVersion.HTTP_1_1) && hosts != 1) {
            return refuse(HttpResponseStatus.BAD_REQUEST, hosts == 0 ? "HTTP/1.1 request without a Host header"
                    : "request has more than one Host header");
        }
        if (hosts > 1) {
            return refuse(HttpResponseStatus.BAD_REQUEST, "request has more than one Host header");
        }
        return Optional.empty();
    }

    private static Optional<ApiResponse> refuse(HttpResponseStatus status, String why) {
        return Optional.of(ApiResponse.error(status, why));
    }

    /** The metrics label of a method: its name when standard, else {@code other}. */
    static String label(HttpMethod method) {
        return KNOWN_METHODS.contains(method) ? method.name() : "other";
    }
}
