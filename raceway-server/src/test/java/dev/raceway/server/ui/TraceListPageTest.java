package dev.raceway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The trace list of the web UI, served by a real server loaded with the banking scenario. */
class TraceListPageTest extends BrowserTestBase {

    /** Read in one script call: the table may be re-rendered by auto-refresh between two WebDriver calls. */
    @SuppressWarnings("unchecked")
    private List<String> listedTraceIds() {
        return (List<String>) browser.script(
                "return [...document.querySelectorAll('#trace-table tbody tr')].map(tr => tr.dataset.traceId)");
    }

    /** The scenario's traces as listed (other tests may add traces of their own). */
    private List<String> listedScenarioTraceIds() {
        List<String> mine = List.of(UiServer.id(scenario.traceA), UiServer.id(scenario.traceB), UiServer.id(scenario.traceC));
        return listedTraceIds().stream().filter(mine::contains).toList();
    }

    private void openList(String hash) {
        browser.open(server.baseUrl() + "/" + hash);
        browser.waitUntil("trace rows listed", d -> d.findElements(By.cssSelector("#trace-table tbody tr")).size() >= 1);
    }

    @Test
    void listsEveryTraceNewestFirstWithEventAndServiceCounts() {
        openList("#/traces");
        browser.waitUntil("three traces", d -> listedScenarioTraceIds().size() == 3);

        // Trace C happened last, so it comes first.
        assertThat(listedScenarioTraceIds()).containsExactly(UiServer.id(scenario.traceC), UiServer.id(scenario.traceB),
                UiServer.id(scenario.traceA));
        WebElement rowC = browser.driver().findElement(By.cssSelector("tr[data-trace-id='" + scenario.traceC + "']"));
        List<WebElement> cells = rowC.findElements(By.tagName("td"));
        assertThat(cells.get(1).getText()).isEqualTo("POST /checkout");
        assertThat(cells.get(4).getText()).isEqualTo("7");
        assertThat(cells.get(5).getText()).contains("2").contains("gateway").contains("payments");
        WebElement rowA = browser.driver().findElement(By.cssSelector("tr[data-trace-id='" + scenario.traceA + "']"));
        assertThat(rowA.findElements(By.tagName("td")).get(4).getText()).isEqualTo("3");
        assertThat(browser.driver().findElement(By.cssSelector(".pager")).getText()).containsPattern("Page 1 of 1 · \\d+ traces");
        browser.screenshot("trace-list");
    }

    @Test
    void durationIsTheWallClockExtent() {
        openList("#/traces");
        browser.waitUntil("three traces", d -> listedScenarioTraceIds().size() == 3);
        // Trace C: the gateway request began 40 ms before its timestamp (20 ms), the response came at 60 ms.
        assertThat(cell(scenario.traceC, 3)).isEqualTo("80.0 ms");
        // Trace A: the transfer function ran 6 ms up to its timestamp (0 ms); the write came at 4 ms.
        assertThat(cell(scenario.traceA, 3)).isEqualTo("10.0 ms");
        assertThat(cell(scenario.traceA, 1)).isEqualTo("transfer");
    }

    private String cell(UUID trace, int index) {
        return (String) browser.script("return document.querySelectorAll(\"tr[data-trace-id='\" + arguments[0] + \"'] td\")[arguments[1]].textContent",
                trace.toString(), index);
    }

    @Test
    void searchBarFiltersOnOperationDurationAndRacesThroughTheServer() {
        openList("#/traces");
        browser.waitUntil("three traces", d -> listedScenarioTraceIds().size() == 3);
        browser.driver().findElement(By.id("filter-operation")).sendKeys("CHECKOUT");
        browser.waitUntil("only trace C", d -> listedTraceIds().equals(List.of(UiServer.id(scenario.traceC))));
        assertThat(browser.driver().getCurrentUrl()).contains("op=CHECKOUT");

        browser.driver().findElement(By.id("clear-filters")).click();
        browser.waitUntil("all again", d -> listedScenarioTraceIds().size() == 3);
        browser.driver().findElement(By.id("filter-min-ms")).sendKeys("50");
        browser.waitUntil("only the 80 ms trace", d -> listedTraceIds().equals(List.of(UiServer.id(scenario.traceC))));

        browser.driver().findElement(By.id("clear-filters")).click();
        browser.driver().findElement(By.id("filter-max-ms")).sendKeys("20");
        browser.driver().findElement(By.id("filter-races")).click();
        browser.waitUntil("the two short racing transfers", d -> listedScenarioTraceIds().size() == 2
                && !listedTraceIds().contains(UiServer.id(scenario.traceC)));

        browser.driver().findElement(By.id("clear-filters")).click();
        browser.driver().findElement(By.id("filter-since")).sendKeys("yesterday");
        browser.waitUntil("the server's reason", d -> d.findElement(By.id("filter-error")).getText().contains("RFC 3339"));
        browser.driver().findElement(By.id("clear-filters")).click();
        browser.waitUntil("reason gone", d -> d.findElement(By.id("filter-error")).getText().isEmpty());
    }

    @Test
    void scatterPlotShowsEachListedTraceAndOpensIt() {
        openList("#/traces");
        browser.waitUntil("three traces", d -> listedScenarioTraceIds().size() == 3);
        browser.waitUntil("a dot per row", d -> ((Number) browser.script(
                "return document.querySelectorAll('#duration-scatter .scatter-dot').length")).intValue()
                == listedTraceIds().size());
        browser.screenshot("trace-list-scatter");
        browser.script("document.querySelector(\"#duration-scatter .scatter-dot[data-trace-id='\" + arguments[0] + \"']\")"
                + ".dispatchEvent(new MouseEvent('click', {bubbles: true}))", scenario.traceC.toString());
        browser.waitUntil("trace C opened", d -> d.getCurrentUrl().contains("#/trace/" + scenario.traceC));
    }

    @Test
    void marksTracesThatTakePartInARace() {
        openList("#/traces");
        for (var trace : List.of(scenario.traceA, scenario.traceB, scenario.traceC)) {
            browser.waitUntil("race badge of " + trace, d -> !d.findElements(
                    By.cssSelector("tr[data-trace-id='" + trace + "'] .race-badge")).isEmpty());
        }
        String badgeA = browser.driver().findElement(By.cssSelector("tr[data-trace-id='" + scenario.traceA + "'] .race-badge")).getText();
        assertThat(badgeA).matches("\\d+ races?");
    }

    @Test
    void raceBadgesFollowNewRacingTraces() throws Exception {
        openList("#/traces");
        By badgeOfA = By.cssSelector("tr[data-trace-id='" + scenario.traceA + "'] .race-badge");
        int before = raceCount(browser.textOf(badgeOfA));

        server.post(scenario.thirdTransferTrace(UUID.randomUUID()));

        // Trace A itself did not change, but it now also races with the new trace; auto-refresh shows it.
        browser.waitUntil("trace A's badge counts the new race", d -> {
            List<WebElement> badge = d.findElements(badgeOfA);
            return !badge.isEmpty() && raceCount(badge.get(0).getText()) > before;
        });
    }

    private static int raceCount(String badge) {
        return Integer.parseInt(badge.replaceAll("\\D+", ""));
    }

    @Test
    void filtersByServiceThroughTheServer() {
        openList("#/traces");
        browser.waitUntil("service options", d -> d.findElements(By.cssSelector("#service-filter option[value='payments']")).size() == 1);
        new Select(browser.driver().findElement(By.id("service-filter"))).selectByValue("payments");

        browser.waitUntil("only the payments trace", d -> listedTraceIds().equals(List.of(UiServer.id(scenario.traceC))));
        assertThat(browser.driver().getCurrentUrl()).contains("service=payments");
    }

    @Test
    void searchesByTraceIdPrefixAndOpensAFullId() {
        openList("#/traces");
        browser.waitUntil("three traces", d -> listedScenarioTraceIds().size() == 3);
        WebElement search = browser.driver().findElement(By.id("trace-search"));
        search.sendKeys(scenario.traceB.toString().substring(0, 8));
        browser.waitUntil("only trace B", d -> listedTraceIds().equals(List.of(UiServer.id(scenario.traceB))));

        search.clear();
        search.sendKeys(scenario.traceA.toString(), Keys.ENTER);
        browser.waitUntil("trace A opened", d -> d.getCurrentUrl().contains("#/trace/" + scenario.traceA));
    }

    @Test
    void opensATraceWithTheKeyboard() {
        openList("#/traces");
        browser.waitUntil("three traces", d -> listedScenarioTraceIds().size() == 3);
        WebElement rowC = browser.driver().findElement(By.cssSelector("tr[data-trace-id='" + scenario.traceC + "']"));
        rowC.sendKeys(Keys.ARROW_DOWN); // rows are focusable; arrows move between them
        WebElement focused = browser.driver().switchTo().activeElement();
        assertThat(focused.getAttribute("data-trace-id")).isEqualTo(scenario.traceB.toString());
        focused.sendKeys(Keys.ENTER);
        browser.waitUntil("trace B opened", d -> d.getCurrentUrl().contains("#/trace/" + scenario.traceB));
        assertThat(browser.waitVisible(By.id("trace-title")).getText()).contains(scenario.traceB.toString());
    }

    @Test
    void loadsFromAnyPathTheServerFallsBackFrom() {
        browser.open(server.baseUrl() + "/some/deep/path#/traces");
        browser.waitUntil("traces listed", d -> listedScenarioTraceIds().size() == 3);
    }

    @Test
    void switchesBetweenLightAndDarkThemes() {
        openList("#/traces");
        String lightBackground = (String) browser.script("return getComputedStyle(document.body).backgroundColor");
        browser.driver().findElement(By.id("theme-toggle")).click();
        browser.waitUntil("dark theme", d -> "dark".equals(browser.script("return document.documentElement.dataset.theme")));
        String darkBackground = (String) browser.script("return getComputedStyle(document.body).backgroundColor");
        assertThat(darkBackground).isNotEqualTo(lightBackground);
        browser.screenshot("trace-list-dark");
        browser.driver().findElement(By.id("theme-toggle")).click();
        browser.waitUntil("light theme", d -> "light".equals(browser.script("return document.documentElement.dataset.theme")));
    }

    @Test
    void autoRefreshShowsNewTracesAndKeepsTheFilter() throws Exception {
        openList("#/traces?service=gateway");
        browser.waitUntil("only the gateway trace", d -> listedTraceIds().equals(List.of(UiServer.id(scenario.traceC))));

        UUID late = UUID.randomUUID();
        server.post(scenario.singleEventTrace(late, "gateway"));

        // No user action: the list polls the server by itself (every 3 s).
        browser.waitUntil("the new trace appears", d -> listedTraceIds().contains(late.toString()));
        assertThat(listedTraceIds()).containsExactly(late.toString(), UiServer.id(scenario.traceC));
        assertThat(new Select(browser.driver().findElement(By.id("service-filter"))).getFirstSelectedOption()
                .getAttribute("value")).isEqualTo("gateway");
    }
}
