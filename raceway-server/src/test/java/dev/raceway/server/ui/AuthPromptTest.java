package dev.raceway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The web UI against a server with {@code auth_enabled = true}: it asks for a key, says clearly when the key is
 * wrong, loads data with the right one and keeps it for the browser session. One browser, steps in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthPromptTest extends BrowserTestBase {
    private static final String KEY = "ui-test-key-7f3a";

    @Override
    protected Optional<String> apiKey() {
        return Optional.of(KEY);
    }

    private WebElement dialog() {
        return browser.driver().findElement(By.id("auth-dialog"));
    }

    private boolean dialogOpen() {
        return dialog().getAttribute("open") != null;
    }

    @Test
    @Order(1)
    void theServerReallyRequiresAKey() throws Exception {
        assertThat(server.statusWithoutKey("/api/traces")).isEqualTo(401);
        assertThat(server.statusWithoutKey("/")).isEqualTo(200); // the UI itself is open
    }

    @Test
    @Order(2)
    void asksForAnApiKeyWhenTheServerAnswers401() {
        browser.open(server.baseUrl() + "/#/traces");
        browser.waitUntil("key prompt shown", d -> dialogOpen());
        assertThat(browser.waitVisible(By.id("auth-title")).getText()).isEqualTo("API key required");
        assertThat(browser.all(By.cssSelector("#trace-table tbody tr"))).isEmpty();
        browser.screenshot("auth-prompt");
    }

    @Test
    @Order(3)
    void aWrongKeyShowsAClearMessageAndKeepsThePromptOpen() {
        WebElement input = browser.waitVisible(By.id("auth-key"));
        input.sendKeys("not-the-key");
        browser.driver().findElement(By.id("auth-submit")).click();

        WebElement error = browser.waitVisible(By.id("auth-error"));
        assertThat(error.getText()).contains("Wrong API key").contains("401");
        assertThat(dialogOpen()).isTrue();
        assertThat(browser.script("return sessionStorage.getItem('raceway.apiKey')")).isNull();
        browser.screenshot("auth-wrong-key");
    }

    @Test
    @Order(4)
    void theRightKeyLoadsTheTraces() {
        WebElement input = browser.waitVisible(By.id("auth-key"));
        input.clear();
        input.sendKeys(KEY);
        browser.driver().findElement(By.id("auth-submit")).click();

        browser.waitUntil("prompt closed", d -> !dialogOpen());
        browser.waitUntil("traces listed", d -> d.findElements(By.cssSelector("#trace-table tbody tr")).size() == 3);
        assertThat(browser.all(By.cssSelector("tr[data-trace-id='" + scenario.traceA + "']"))).hasSize(1);
    }

    @Test
    @Order(5)
    void theKeyIsKeptForTheBrowserSessionAndSentOnEveryCall() {
        browser.open(server.baseUrl() + "/#/traces?service=payments"); // a new page load in the same tab
        browser.waitUntil("traces listed or prompt shown", d -> dialogOpen()
                || d.findElements(By.cssSelector("#trace-table tbody tr")).size() == 1);
        assertThat(dialogOpen()).as("no second prompt").isFalse();
        assertThat(browser.script("return sessionStorage.getItem('raceway.apiKey')")).isEqualTo(KEY);
    }

    @Test
    @Order(6)
    void forgettingTheKeyAsksAgain() {
        browser.open(server.baseUrl() + "/#/traces");
        browser.waitUntil("traces listed", d -> d.findElements(By.cssSelector("#trace-table tbody tr")).size() == 3);
        browser.waitVisible(By.id("forget-key")).click();
        browser.waitUntil("key prompt shown again", d -> dialogOpen());
        assertThat(browser.script("return sessionStorage.getItem('raceway.apiKey')")).isNull();
    }
}
