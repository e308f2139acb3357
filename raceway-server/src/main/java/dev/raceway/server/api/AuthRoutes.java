package dev.raceway.server.api;

import dev.raceway.server.http.ApiKeys;
import dev.raceway.server.http.ApiRequest;
import dev.raceway.server.http.ApiResponse;
import dev.raceway.server.http.Json;
import dev.raceway.server.http.Sessions;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;

/**
 * {@code /auth/check}, {@code /auth/login}, {@code /auth/logout} for the web UI. A client authenticates with an API
 * key on every request ({@code Authorization: Bearer}), or, as a browser, logs in once: {@code login} checks a key
 * (header, or {@code {"api_key": "…"}} / {@code {"password": "…"}} in the body) or the configured {@code ui_password}
 * (which is good for a session only, never as a key on API requests) and answers with an HttpOnly,
 * SameSite=Strict {@code raceway_session} cookie ({@link Sessions}) that the API then accepts until it expires or
 * {@code logout} ends it. {@code check} tells whether a key is required and whether the request is authenticated
 * (key or session).
 */
final class AuthRoutes {
    private final boolean required;
    private final Optional<ApiKeys> keys;
    private final boolean secureCookies;
    /** The ui_password, checked like a key (digest comparison), but only here. */
    private final Optional<ApiKeys> uiPassword;

    AuthRoutes(boolean required, Optional<ApiKeys> keys, boolean secureCookies, Optional<String> uiPassword) {
        this.required = required;
        this.keys = keys;
        this.secureCookies = secureCookies;
        this.uiPassword = uiPassword.map(p -> new ApiKeys(java.util.List.of(p)));
    }

    ApiResponse check(ApiRequest req) {
        boolean authenticated = !required || keys.map(k -> k.accepts(req.headers())).orElse(false);
        return ApiResponse.json(HttpResponseStatus.OK, Json.bytes(Json.obj("authenticated", authenticated,
                "auth_required", required)));
    }

    ApiResponse login(ApiRequest req) {
        if (!required || keys.isEmpty()) {
            return ApiResponse.json(HttpResponseStatus.OK, Json.bytes(Json.obj("success", true,
                    "message", "Authentication is not enabled")));
        }
        Optional<String> inHeader = ApiKeys.presented(req.headers());
        Optional<String> key = inHeader.or(() -> apiKeyFromBody(req.body()));
        if (key.map(k -> valid(k) || uiPassword.map(p -> p.isValid(k)).orElse(false)).orElse(false)) {
            Sessions sessions = keys.get().sessions();
            String token = sessions.create();
            return ApiResponse.json(HttpResponseStatus.OK, Json.bytes(Json.obj("success", true,
                    "message", "Login successful", "expires_in_seconds", sessions.ttl().toSeconds())))
                    .withHeader("Set-Cookie", sessions.setCookie(token, secureCookies))
                    .withHeader("Cache-Control", "no-store");
        }
        if (key.isPresent() && inHeader.isEmpty()) { // a key in a header was counted by the auth handler
            var d = keys.get().wrongKey(req.clientAddress());
            if (!d.allowed()) {
                return ApiResponse.error(HttpResponseStatus.TOO_MANY_REQUESTS,
                        "too many invalid API keys from this address")
                        .withHeader("Retry-After", Long.toString(d.retryAfterSeconds()));
            }
        }
        return ApiResponse.json(HttpResponseStatus.UNAUTHORIZED, Json.bytes(Json.obj("success", false,
                "message", "Invalid API key")));
    }

    ApiResponse logout(ApiRequest req) {
        keys.ifPresent(k -> Sessions.presented(req.headers()).ifPresent(k.sessions()::end));
        return ApiResponse.json(HttpResponseStatus.OK, Json.bytes(Json.obj("success", true,
                "message", "Logged out successfully")))
                .withHeader("Set-Cookie", Sessions.clearCookie(secureCookies));
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
