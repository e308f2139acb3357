package dev.raceway.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** A complete response: status, extra headers, body and its content type. */
public record ApiResponse(HttpResponseStatus status, Map<String, String> headers, String contentType, byte[] body) {
    public static final String JSON = "application/json; charset=utf-8";

    public ApiResponse {
        Objects.requireNonNull(status, "status");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
    }

    /** 200 with the success envelope around {@code data}. */
    public static ApiResponse ok(Object data) {
        return new ApiResponse(HttpResponseStatus.OK, Map.of(), JSON, Json.ok(data));
    }

    public static ApiResponse json(HttpResponseStatus status, byte[] body) {
        return new ApiResponse(status, Map.of(), JSON, body);
    }

    /** The error envelope with {@code status}. */
    public static ApiResponse error(HttpResponseStatus status, String message) {
        return new ApiResponse(status, Map.of(), JSON, Json.error(message));
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ApiResponse(status, h, contentType, body);
    }
}
