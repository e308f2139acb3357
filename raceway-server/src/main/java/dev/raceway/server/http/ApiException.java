package dev.raceway.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A request that gets an error envelope with this status and message. */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient HttpResponseStatus status;

    public ApiException(HttpResponseStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(HttpResponseStatus.NOT_FOUND, message);
    }

    public HttpResponseStatus status() {
        return status;
    }

    public ApiResponse toResponse() {
        return ApiResponse.error(status, getMessage());
    }
}
