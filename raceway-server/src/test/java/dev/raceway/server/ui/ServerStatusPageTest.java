package dev.raceway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/** The top bar's server status follows the server: "Server up" turns red within 5 s of the server going away. */
class ServerStatusPageTest extends BrowserTestBase {
    @Test
    void serverUpTurnsRedWithinFiveSecondsOfTheServerGoingAway() {
        browser.open(server.baseUrl() + "/#/traces");
        browser.waitUntil("server up", d -> "up".equals(d.findElement(By.id("server-status")).getAttribute("data-state")));

        server.close();
        long stopped = System.nanoTime();
        server = null; // closed here, not again after the test
        browser.waitUntil("server down", d -> "down".equals(d.findElement(By.id("server-status")).getAttribute("data-state")));
        double seconds = (System.nanoTime() - stopped) / 1e9;
        assertThat(seconds).isLessThan(5.0);
        assertThat(browser.driver().findElement(By.id("server-status")).getText()).isEqualTo("Server unreachable");
        assertThat(browser.driver().findElement(By.id("server-status")).getCssValue("color")).isNotEqualTo(
                browser.driver().findElement(By.cssSelector("body")).getCssValue("color"));
    }
}
