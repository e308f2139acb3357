package dev.raceway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/** Two traces side by side: operations only in one, durations that differ, races only in one. */
class ComparePageTest extends BrowserTestBase {

    @SuppressWarnings("unchecked")
    private Map<String, String> rowStates() {
        return (Map<String, String>) browser.script("return Object.fromEntries([...document.querySelectorAll("
                + "'#compare-table tbody tr')].map(tr => [tr.dataset.signature, tr.dataset.state]))");
    }

    @Test
    void pickingTwoTracesInTheListComparesTheirStructureAndRaces() {
        browser.open(server.baseUrl() + "/#/traces");
        browser.waitUntil("rows", d -> d.findElements(By.cssSelector(
                ".compare-pick[data-trace-id='" + scenario.traceC + "']")).size() == 1);
        assertThat(browser.driver().findElement(By.id("compare-picked")).isEnabled()).isFalse();
        browser.driver().findElement(By.cssSelector(".compare-pick[data-trace-id='" + scenario.traceA + "']")).click();
        browser.driver().findElement(By.cssSelector(".compare-pick[data-trace-id='" + scenario.traceC + "']")).click();
        assertThat(browser.driver().getCurrentUrl()).doesNotContain("#/trace/"); // a pick is not a row click
        browser.driver().findElement(By.id("compare-picked")).click();
        browser.waitUntil("compare view", d -> d.getCurrentUrl().contains("#/compare/" + scenario.traceA + "/" + scenario.traceC));
        browser.waitUntil("compare table", d -> !d.findElements(By.cssSelector("#compare-table tbody tr")).isEmpty());

        Map<String, String> states = rowStates();
        assertThat(states).containsEntry("FunctionCall transfer()", "only-a")
                .containsEntry("HttpRequest POST /checkout", "only-b")
                .containsEntry("StateChange Write alice.balance", "only-a")
                .containsEntry("StateChange Write ledger.total", "only-b");
        String races = browser.driver().findElement(By.id("compare-races")).getText();
        assertThat(races).contains("Only in A: alice.balance").contains("Only in B: ledger.total");
        browser.screenshot("compare");
    }

    @Test
    void twoTracesOfTheSameRequestHaveTheSameStructure() {
        browser.open(server.baseUrl() + "/#/compare/" + scenario.traceA + "/" + scenario.traceB);
        browser.waitUntil("compare table", d -> !d.findElements(By.cssSelector("#compare-table tbody tr")).isEmpty());
        assertThat(rowStates().values()).containsOnly("same");
        assertThat(browser.driver().findElement(By.id("compare-summary")).getText())
                .startsWith("0 operations only in A, 0 only in B, 0 with different durations");
        assertThat(List.of(browser.driver().findElement(By.id("compare-races")).getText().split("\n")))
                .contains("In both: alice.balance");
    }
}
