package dev.raceway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.server.config.ServerConfiguration;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Authentication, CORS and rate limiting over real HTTP. */
class SecurityTest {
    static final String KEY = "s3cret-key-for-tests";

    RacewayServer server;
    Http http;

    void start(ServerConfiguration config) throws Exception {
        server = RacewayServer.start(config.toBuilder().server(s -> s.port(0)).build());
        http = new Http(server.baseUrl());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    static ServerConfiguration withAuth() {
        return ServerConfiguration.builder().server(s -> s.authEnabled(true).apiKeys(List.of("other-key", KEY)))
                .build();
    }

    @Nested
    class WithAuth {
        @Test
        void protectedRoutesNeedAValidKey() throws Exception {
            start(withAuth());
            for (String path : List.of("/status", "/metrics", "/api/traces", "/api/services",
                    "/api/traces/" + UUID.randomUUID())) {
                HttpResponse<String> r = http.get(path);
                assertThat(r.statusCode()).as(path).isEqualTo(401);
                assertThat(JsonTree.obj(r.body())).containsEntry("error", "Unauthorized")
                        .containsEntry("success", false);
                assertThat(http.get(path, "Authorization", "Bearer wrong").statusCode()).as(path).isEqualTo(401);
            }
            assertThat(http.postJson("/events", "{\"events\":[]}").statusCode()).isEqualTo(401);
            assertThat(http.postJson("/events", "{\"events\":[]}", "X-Raceway-Key", KEY).statusCode())
                    .isEqualTo(200);
        }

        @Test
        void keyIsAcceptedAsBearerLowercaseBearerOrXRacewayKey() throws Exception {
            start(withAuth());
            assertThat(http.get("/api/traces", "Authorization", "Bearer " + KEY).statusCode()).isEqualTo(200);
            assertThat(http.get("/api/traces", "Authorization", "bearer " + KEY + "  ").statusCode())
                    .isEqualTo(200);
            assertThat(http.get("/api/traces", "X-Raceway-Key", KEY).statusCode()).isEqualTo(200);
            assertThat(http.get("/api/traces", "X-Raceway-Key", "other-key").statusCode()).isEqualTo(200);
            // A present Bearer header wins even when wrong.
            assertThat(http.get("/api/traces", "Authorization", "Bearer nope", "X-Raceway-Key", KEY).statusCode())
                    .isEqualTo(401);
            assertThat(http.get("/api/traces", "Authorization", "Bearer ").statusCode()).isEqualTo(401);
            assertThat(http.get("/api/traces", "Authorization", "Basic " + KEY).statusCode()).isEqualTo(401);
        }

        @Test
        void healthUiAndAuthCheckStayOpen() throws Exception {
            start(withAuth());
            assertThat(http.get("/health").statusCode()).isEqualTo(200);
            assertThat(http.get("/").statusCode()).isEqualTo(200);
            assertThat(http.get("/some/ui/page").statusCode()).isEqualTo(200);
            assertThat(JsonTree.obj(http.get("/auth/check").body())).containsEntry("auth_required", true)
                    .containsEntry("authenticated", false);
            assertThat(JsonTree.obj(http.get("/auth/check", "Authorization", "Bearer " + KEY).body()))
                    .containsEntry("authenticated", true);
            assertThat(http.postJson("/auth/login", "{\"api_key\":\"" + KEY + "\"}").statusCode()).isEqualTo(200);
            assertThat(http.postJson("/auth/login", "{\"api_key\":\"bad\"}").statusCode()).isEqualTo(401);
        }

        @Test
        void preflightIsAnsweredWithoutAKeyAndAllowsAuthorization() throws Exception {
            start(withAuth());
            HttpResponse<String> r = http.request("OPTIONS", "/api/traces", "Origin", "https://ui.example.com",
                    "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization");
            assertThat(r.statusCode()).isEqualTo(204);
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
            assertThat(r.headers().firstValue("Access-Control-Allow-Headers").orElse(""))
                    .contains("Authorization").contains("X-Raceway-Key").contains("Content-Type")
                    .contains("Content-Encoding").doesNotContain("*");
            assertThat(r.headers().firstValue("Access-Control-Allow-Methods").orElse(""))
                    .contains("GET").contains("POST").contains("OPTIONS");
        }
    }

    @Nested
    class Cors {
        @Test
        void listedOriginIsEchoedWithVaryAndOthersGetNothing() throws Exception {
            start(ServerConfiguration.builder().server(s -> s.corsOrigins(List.of("https://app.example.com"))).build());
            HttpResponse<String> ok = http.get("/api/traces", "Origin", "https://app.example.com");
            assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.com");
            assertThat(ok.headers().allValues("Vary")).contains("origin");
            HttpResponse<String> other = http.get("/api/traces", "Origin", "https://evil.example.com");
            assertThat(other.statusCode()).isEqualTo(200);
            assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            HttpResponse<String> pre = http.request("OPTIONS", "/events", "Origin", "https://evil.example.com",
                    "Access-Control-Request-Method", "POST");
            assertThat(pre.statusCode()).isEqualTo(403);
            HttpResponse<String> good = http.request("OPTIONS", "/events", "Origin", "https://app.example.com",
                    "Access-Control-Request-Method", "POST");
            assertThat(good.statusCode()).isEqualTo(204);
            assertThat(good.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.com");
        }

        @Test
        void wildcardAllowsAnyOriginAndDevelopmentOverrideToo() throws Exception {
            start(ServerConfiguration.defaults());
            assertThat(http.get("/api/traces", "Origin", "https://x.example").headers()
                    .firstValue("Access-Control-Allow-Origin")).contains("*");
            server.close();
            start(ServerConfiguration.builder().server(s -> s.corsOrigins(List.of("https://only.example")))
                    .corsAllowAll(true).build());
            assertThat(http.get("/api/traces", "Origin", "https://x.example").headers()
                    .firstValue("Access-Control-Allow-Origin")).contains("*");
        }

        @Test
        void disabledCorsSendsNoHeaders() throws Exception {
            start(ServerConfiguration.builder().server(s -> s.corsEnabled(false)).build());
            HttpResponse<String> r = http.get("/api/traces", "Origin", "https://x.example");
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            assertThat(http.request("OPTIONS", "/api/traces", "Origin", "https://x.example",
                    "Access-Control-Request-Method", "GET").statusCode()).isEqualTo(405);
        }
    }

    @Nested
    class RateLimiting {
        @Test
        void clientOverItsBudgetGets429WithRetryAfterWhileOthersProceed() throws Exception {
            start(ServerConfiguration.builder().server(s -> s.rateLimitEnabled(true).rateLimitRpm(5)).build());
            for (int i = 0; i < 5; i++) {
                assertThat(http.get("/api/traces", "X-Raceway-Key", "client-a").statusCode()).isEqualTo(200);
            }
            HttpResponse<String> limited = http.get("/api/traces", "X-Raceway-Key", "client-a");
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(JsonTree.obj(limited.body())).containsEntry("error", "Too Many Requests");
            assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow()))
                    .isBetween(1L, 12L);
            // Without auth a key is not verified, so another key does not get a bucket of its own; health is not
            // limited.
            assertThat(http.get("/api/traces", "X-Raceway-Key", "client-b").statusCode()).isEqualTo(429);
            assertThat(http.get("/api/traces").statusCode()).isEqualTo(429);
            assertThat(http.get("/health").statusCode()).isEqualTo(200);
        }

        @Test
        void verifiedKeysHaveBucketsOfTheirOwn() throws Exception {
            ServerConfiguration a = withAuth();
            start(a.toBuilder().server(s -> s.rateLimitEnabled(true).rateLimitRpm(5)).build());
            for (int i = 0; i < 5; i++) {
                assertThat(http.get("/api/traces", "X-Raceway-Key", KEY).statusCode()).isEqualTo(200);
            }
            assertThat(http.get("/api/traces", "X-Raceway-Key", KEY).statusCode()).isEqualTo(429);
            assertThat(http.get("/api/traces", "X-Raceway-Key", "other-key").statusCode()).isEqualTo(200);
        }
    }
}
