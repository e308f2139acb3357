package dev.raceway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.server.config.ServerConfiguration;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Browser login under auth, as the reference UI does it: {@code POST /auth/login} with a key sets an HttpOnly,
 * SameSite=Strict {@code raceway_session} cookie, the API accepts the cookie instead of a key, and
 * {@code /auth/logout} ends the session.
 */
class SessionLoginTest {
    static final String KEY = "session-test-key";
    static final String UI_PASSWORD = "ui-password-for-tests";

    RacewayServer server;
    Http http;

    @BeforeEach
    void start() throws Exception {
        server = RacewayServer.start(ServerConfiguration.builder()
                .server(s -> s.port(0).authEnabled(true).apiKeys(List.of(KEY)).uiPassword(UI_PASSWORD)).build());
        http = new Http(server.baseUrl());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The {@code name=value} part of the login's {@code Set-Cookie}. */
    private static String cookieOf(HttpResponse<String> login) {
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.split(";", 2)[0];
    }

    @Test
    void loginWithAKeySetsAStrictHttpOnlySessionCookieTheApiAccepts() {
        HttpResponse<String> login = http.postJson("/auth/login", "{\"api_key\":\"" + KEY + "\"}");
        assertThat(login.statusCode()).isEqualTo(200);
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("raceway_session=").contains("HttpOnly").contains("SameSite=Strict")
                .contains("Path=/").containsPattern("Max-Age=\\d+").doesNotContain(KEY);
        String cookie = cookieOf(login);

        assertThat(http.get("/api/traces").statusCode()).isEqualTo(401);
        assertThat(http.get("/api/traces", "Cookie", cookie).statusCode()).isEqualTo(200);
        assertThat(http.get("/status", "Cookie", "theme=dark; " + cookie).statusCode()).isEqualTo(200);
        assertThat(http.postJson("/events", "{\"events\":[]}", "Cookie", cookie).statusCode()).isEqualTo(200);
        assertThat(JsonTree.obj(http.get("/auth/check", "Cookie", cookie).body())).containsEntry("authenticated", true);
    }

    @Test
    void aKeyInTheAuthorizationHeaderLogsInToo() {
        HttpResponse<String> login = http.postJson("/auth/login", "{}", "Authorization", "Bearer " + KEY);
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(http.get("/api/traces", "Cookie", cookieOf(login)).statusCode()).isEqualTo(200);
    }

    @Test
    void theUiPasswordLogsInButIsNoApiKey() {
        HttpResponse<String> login = http.postJson("/auth/login", "{\"password\":\"" + UI_PASSWORD + "\"}");
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(http.get("/api/traces", "Cookie", cookieOf(login)).statusCode()).isEqualTo(200);
        assertThat(http.get("/api/traces", "Authorization", "Bearer " + UI_PASSWORD).statusCode()).isEqualTo(401);
        assertThat(http.postJson("/events", "{\"events\":[]}", "X-Raceway-Key", UI_PASSWORD).statusCode())
                .isEqualTo(401);
    }

    @Test
    void aWrongKeyGetsNoCookieAndAForgedCookieIsRefused() {
        HttpResponse<String> bad = http.postJson("/auth/login", "{\"api_key\":\"wrong\"}");
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(http.get("/api/traces", "Cookie", "raceway_session=forged").statusCode()).isEqualTo(401);
        assertThat(http.get("/api/traces", "Cookie", "raceway_session=").statusCode()).isEqualTo(401);
    }

    @Test
    void aWrongKeyBesideAValidCookieIsStillRefused() {
        String cookie = cookieOf(http.postJson("/auth/login", "{\"api_key\":\"" + KEY + "\"}"));
        // A presented key decides, as without cookies: a wrong one is not rescued by the session.
        assertThat(http.get("/api/traces", "Cookie", cookie, "Authorization", "Bearer wrong").statusCode())
                .isEqualTo(401);
    }

    @Test
    void logoutEndsTheSessionAndClearsTheCookie() {
        String cookie = cookieOf(http.postJson("/auth/login", "{\"api_key\":\"" + KEY + "\"}"));
        assertThat(http.get("/api/traces", "Cookie", cookie).statusCode()).isEqualTo(200);

        HttpResponse<String> logout = http.postJson("/auth/logout", "{}", "Cookie", cookie);
        assertThat(logout.statusCode()).isEqualTo(200);
        assertThat(logout.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("raceway_session=;")
                .contains("Max-Age=0");
        assertThat(http.get("/api/traces", "Cookie", cookie).statusCode()).isEqualTo(401);
    }
}
