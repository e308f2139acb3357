package dev.raceway.examples.banking;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raceway.examples.support.Browser;
import dev.raceway.examples.support.RacewayApi;
import dev.raceway.examples.support.RacewayUnderTest;
import dev.raceway.examples.support.Races;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The banking page's "Trigger race" button in a real browser, against a real Raceway server. */
class BankingPageBrowserTest {
    private RacewayUnderTest raceway;
    private Browser browser;

    @BeforeEach
    void start() throws InterruptedException {
        Browser.requireAvailable();
        raceway = RacewayUnderTest.start();
        browser = new Browser();
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (raceway != null) {
            raceway.close();
        }
    }

    @Test
    void triggerRaceButtonShowsTheLostUpdateAndLinksEachRequestToItsTraceInTheRacewayUi() {
        try (BankingApp app = BankingApp.start(raceway.url(), 0, TransferMode.RACY, Duration.ofMillis(300))) {
            browser.driver().get(app.baseUri() + "/");
            browser.waitUntil("mode shown", d -> d.findElement(By.id("mode")).getText().contains("racy"));
            browser.driver().findElement(By.id("race")).click();
            String verdict = browser.waitUntil("verdict shown",
                    d -> d.findElement(By.id("verdict")).getText().isEmpty() ? null
                            : d.findElement(By.id("verdict")).getText());
            assertThat(verdict).startsWith("Lost update: 5 transfers succeeded, alice should have 500 but has");

            List<WebElement> links = browser.driver().findElements(By.cssSelector("#traces li a:first-of-type"));
            assertThat(links).hasSize(5);
            List<String> traces = links.stream().map(WebElement::getText).toList();
            assertThat(links).allSatisfy(a -> assertThat(a.getAttribute("href"))
                    .isEqualTo(raceway.url() + "/#/trace/" + a.getText()));
            assertThat(app.raceway().flush()).isTrue();

            RacewayApi api = raceway.api();
            traces.forEach(t -> api.awaitTrace(t, 7));
            JsonNode global = api.globalAnalysis();
            assertThat(Races.crossTrace(global, "alice.balance", "CRITICAL", traces)).isNotEmpty();

            // Following a link opens that request's trace in the Raceway web UI, which lists its CRITICAL race on
            // alice.balance with the other transfers (a trace of one thread has no race of its own).
            browser.driver().get(links.get(0).getAttribute("href"));
            browser.waitUntil("trace view shows a CRITICAL race on alice.balance",
                    d -> d.getPageSource().contains("alice.balance") && d.getPageSource().contains("CRITICAL")
                            ? Boolean.TRUE : null);
        }
    }

    @Test
    void triggerRaceButtonInFixedModeAccountsForEveryTransfer() {
        try (BankingApp app = BankingApp.start(raceway.url(), 0, TransferMode.FIXED, Duration.ofMillis(20))) {
            browser.driver().get(app.baseUri() + "/");
            browser.waitUntil("mode shown", d -> d.findElement(By.id("mode")).getText().contains("fixed"));
            browser.driver().findElement(By.id("race")).click();
            String verdict = browser.waitUntil("verdict shown",
                    d -> d.findElement(By.id("verdict")).getText().isEmpty() ? null
                            : d.findElement(By.id("verdict")).getText());
            assertThat(verdict).isEqualTo("All 5 transfers accounted for.");
        }
    }
}
