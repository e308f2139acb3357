package dev.raceway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** Races across traces, services and hotspots pages against a real server loaded with the banking scenario. */
class GlobalViewsPageTest extends BrowserTestBase {

    @Test
    void groupsCrossTraceRacesByVariableWithLinksToBothTraces() {
        browser.open(server.baseUrl() + "/#/races");
        WebElement group = browser.waitVisible(By.cssSelector(".var-group[data-variable='alice.balance']"));
        List<String> hrefs = group.findElements(By.cssSelector("a")).stream().map(a -> a.getAttribute("href")).toList();
        assertThat(hrefs).anyMatch(h -> h.contains("#/trace/" + scenario.traceA))
                .anyMatch(h -> h.contains("#/trace/" + scenario.traceB));
        assertThat(group.getText()).contains("CRITICAL").contains("across 2 traces");
        // The race inside trace C is reported too, marked as such.
        WebElement ledger = browser.waitVisible(By.cssSelector(".var-group[data-variable='ledger.total']"));
        assertThat(ledger.getText()).contains("inside one trace").contains("same trace");
        // Distinct races lead: one row per pair of code locations, saying how many are shown
        WebElement distinct = browser.waitVisible(By.id("distinct-race-table"));
        assertThat(distinct.getText()).contains("showing 3 of 3")
                .contains("BankingService.java:47 (Write)").contains("LedgerService.java:33 (Write)");
        browser.screenshot("races");
    }

    /** The analysis covers a time range: a relative one ending now, or one typed in; the server's refusal is shown. */
    @Test
    void narrowsTheRacesToATimeRange() {
        browser.open(server.baseUrl() + "/#/races?range=15m");
        browser.waitVisible(By.cssSelector(".var-group[data-variable='alice.balance']"));
        assertThat(browser.waitVisible(By.id("race-range-note")).getText()).contains("last 15 minutes");

        // A range before the scenario's traces: nothing to analyse, so no races.
        browser.open(server.baseUrl() + "/#/races?since=2001-01-01T00:00:00Z&until=2001-01-02T00:00:00Z");
        browser.waitUntil("empty range analysed", d -> d.findElement(By.id("race-range-note")).isDisplayed()
                && d.findElement(By.cssSelector(".view-races .page-body")).getText().contains("No races."));
        assertThat(browser.all(By.cssSelector(".var-group"))).isEmpty();
        assertThat(browser.driver().findElement(By.id("race-range")).getAttribute("value")).isEqualTo("custom");

        // A malformed time: the server's reason next to the range, not a blank page.
        WebElement since = browser.driver().findElement(By.id("race-since"));
        since.clear();
        since.sendKeys("yesterday");
        browser.driver().findElement(By.cssSelector(".range-custom button[type=submit]")).click();
        browser.waitUntil("reason shown", d -> d.findElement(By.id("race-range-error")).getText().contains("since"));

        // Back to all time: the races are there again, and the URL says so.
        new Select(browser.driver().findElement(By.id("race-range"))).selectByValue("");
        browser.waitVisible(By.cssSelector(".var-group[data-variable='alice.balance']"));
        assertThat(browser.driver().getCurrentUrl()).doesNotContain("since=");
    }

    @Test
    void listsServicesWithTheirHealth() {
        browser.open(server.baseUrl() + "/#/services");
        browser.waitUntil("three services", d -> d.findElements(By.cssSelector("#service-table tbody tr")).size() == 3);
        String table = browser.driver().findElement(By.id("service-table")).getText();
        assertThat(table).contains("banking-api").contains("gateway").contains("payments").contains("healthy");
        browser.screenshot("services");
    }

    @Test
    void showsTheMostContendedVariables() {
        browser.open(server.baseUrl() + "/#/hotspots");
        WebElement table = browser.waitVisible(By.id("hot-variables"));
        assertThat(table.getText()).contains("alice.balance").contains("ledger.total");
        browser.screenshot("hotspots");
    }
}
