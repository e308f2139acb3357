package dev.raceway.server.api;

import dev.raceway.server.http.ApiKeys;
import dev.raceway.server.http.ApiRequest;
import dev.raceway.server.http.ApiResponse;
import dev.raceway.server.http.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;

/**
 * {@code /auth/check}, {@code /auth/login}, {@code /auth/logout} for the web UI. The UI authenticates with an API
 * key it sends on every request ({@code Authorization: Bearer}); there are no server-side sessions or cookies.
 * {@code check} tells the UI whether a key is required and whether the one it sent is valid; {@code login} checks
 * a key given as {@code {"api_key": "…"}}.
 */
final class AuthRoutes {
    private final boolean required;
    private final Optional<ApiKeys> keys;

    AuthRoutes(boolean required, Optional<ApiKeys> keys) {
        this.required = required;
        this.keys = keys;
    }

    ApiResponse check(ApiRequest req) {
        boolean authenticated = !required || ApiKeys.presented(req.headers()).map(this::valid).orElse(false);
        return ApiResponse.json(HttpResponseStatus.OK, Json.bytes(Json.obj("authenticated", authenticated,
                "auth_required", required)));
    }

    ApiResponse login(ApiRequest req) {
        if (!required) {
            return ApiResponse.json(HttpResponseStatus.OK, Json.bytes(Json.obj("success", true,
                    "message", "Authentication is not enabled")));
        }
        Optional<String> key = ApiKeys.presented(req.headers()).or(() -> apiKeyFromBody(req.body()));
        if (key.map(this::valid).orElse(false)) {
            return ApiResponse.json(HttpResponseStatus.OK, Json.bytes(Json.obj("success", true,
                    "message", "Login successful")));
        }
        return ApiResponse.json(HttpResponseStatus.UNAUTHORIZED, Json.bytes(Json.obj("success", false,
                "message", "Invalid API key")));
    }

    ApiResponse logout(ApiRequest req) {
        return ApiResponse.json(HttpResponseStatus.OK, Json.bytes(Json.obj("success", true,
                "message", "Logged out successfully")));
    }

    private boolean valid(String key) {
        return keys.map(k -> k.isValid(key)).orElse(false);
    }

    private static Optional<String> apiKeyFromBody(byte[] body) {
        if (body.length == 0 || body.length > 4096) {
            return Optional.empty();
        }
        try (var p = new com.fasterxml.jackson.core.JsonFactory().createParser(body)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String name = p.currentName();
                var t = p.nextToken();
                if (("api_key".equals(name) || "password".equals(name))
                        && t == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                    return Optional.of(p.getText());
                }
                p.skipChildren();
            }
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
