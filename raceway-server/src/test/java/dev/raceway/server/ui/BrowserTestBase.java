package dev.raceway.server.ui;

import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One real server loaded with the banking scenario and one headless browser per test class: starting Chromium
 * and the server costs seconds, so the tests of a class share them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrowserTestBase {
    protected final BankingScenario scenario = new BankingScenario();
    protected UiServer server;
    protected Browser browser;

    /** The API key the server requires, if any. */
    protected Optional<String> apiKey() {
        return Optional.empty();
    }

    @BeforeAll
    void startServerAndBrowser() throws Exception {
        Browser.requireAvailable();
        server = UiServer.start(apiKey());
        server.load(scenario);
        browser = new Browser();
    }

    @AfterAll
    void stopServerAndBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
