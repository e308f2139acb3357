package dev.raceway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;

/**
 * In Chromium, as the reference UI logs in: {@code POST /auth/login} with the key, then plain same-origin
 * {@code fetch}es without any key are authenticated by the session cookie, which scripts cannot read (HttpOnly);
 * {@code /auth/logout} ends it.
 */
class SessionCookieBrowserTest extends BrowserTestBase {
    private static final String KEY = "cookie-test-key-41c2";

    @Override
    protected Optional<String> apiKey() {
        return Optional.of(KEY);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> run(String body) {
        return (Map<String, Object>) ((JavascriptExecutor) browser.driver()).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "(async () => {" + body + "})().then(done, (e) => done({ error: String(e) }));", KEY);
    }

    @Test
    void loginSetsAnHttpOnlyCookieThatAuthenticatesLaterFetchesUntilLogout() {
        browser.open(server.baseUrl() + "/health");
        Map<String, Object> r = run("""
                const key = arguments[0];
                const before = (await fetch('/api/traces')).status;
                const login = await fetch('/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                                                            body: JSON.stringify({ api_key: key }) });
                const after = (await fetch('/api/traces')).status;
                const visible = document.cookie;
                const logout = (await fetch('/auth/logout', { method: 'POST' })).status;
                const afterLogout = (await fetch('/api/traces')).status;
                return { before, login: login.status, after, visible, logout, afterLogout };
                """);
        assertThat(r).containsEntry("before", 401L).containsEntry("login", 200L).containsEntry("after", 200L)
                .containsEntry("logout", 200L).containsEntry("afterLogout", 401L);
        assertThat((String) r.get("visible")).doesNotContain("raceway_session");
    }
}
