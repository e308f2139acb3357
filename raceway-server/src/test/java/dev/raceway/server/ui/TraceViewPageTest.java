package dev.raceway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** The trace view against a real server loaded with the banking scenario. */
class TraceViewPageTest extends BrowserTestBase {
    /** The screenshot the README shows; refreshed only on request ({@code -Draceway.ui.readmeImage=true}). */
    private static final Path README_IMAGE = Path.of("..", "docs", "images", "trace-view.png");


    /** No uncaught script error on any page (network errors such as the deliberate 404 are not script errors). */
    @AfterEach
    void noScriptErrors() {
        if (browser != null) {
            assertThat(browser.consoleErrors()).filteredOn(m -> !m.contains("Failed to load resource")).isEmpty();
        }
    }

    private void openTrace(UUID trace, String rest) {
        browser.open(server.baseUrl() + "/#/trace/" + trace + rest);
        browser.waitUntil("timeline of " + trace, d -> !d.findElements(By.cssSelector("svg.timeline .ev")).isEmpty());
    }

    private WebElement marker(UUID event) {
        return browser.driver().findElement(By.cssSelector("svg.timeline .ev[data-event-id='" + event + "']"));
    }

    private Set<String> classesOf(WebElement e) {
        return Set.of(e.getAttribute("class").split("\\s+"));
    }

    @Test
    void showsTheLostUpdateOnAliceBalanceAsARaceWithTheOtherTrace() {
        openTrace(scenario.traceA, "");
        WebElement race = browser.waitVisible(By.cssSelector("#cross-races .race-item[data-variable='alice.balance']"));
        assertThat(race.getText()).contains("alice.balance").contains("CRITICAL");
        List<String> links = race.findElements(By.cssSelector("a.other-trace-link")).stream()
                .map(a -> a.getAttribute("href")).toList();
        assertThat(links).isNotEmpty().allSatisfy(href -> assertThat(href).contains("#/trace/" + scenario.traceB));

        // Both of trace A's accesses race with trace B; the write is the lost update.
        assertThat(classesOf(marker(scenario.writeA))).contains("race", "race-critical");
        assertThat(classesOf(marker(scenario.readA))).contains("race");
        assertThat(classesOf(marker(scenario.transferA))).doesNotContain("race");
        browser.screenshot("trace-view-cross-trace-race");

        // Following the link opens the other trace with its side of the race selected.
        race.findElement(By.cssSelector("a.other-trace-link")).click();
        browser.waitUntil("trace B opened", d -> d.getCurrentUrl().contains("#/trace/" + scenario.traceB));
        browser.waitUntil("trace B's race listed", d -> !d.findElements(
                By.cssSelector("#cross-races .race-item[data-variable='alice.balance']")).isEmpty());
    }

    @Test
    void highlightsARaceInsideOneTraceOnBothEvents() {
        openTrace(scenario.traceC, "");
        WebElement race = browser.waitVisible(By.cssSelector("#local-races .race-item[data-variable='ledger.total']"));
        assertThat(race.getText()).contains("CRITICAL").contains("pay-7").contains("pay-8");
        assertThat(classesOf(marker(scenario.ledgerWrite7))).contains("race", "race-critical");
        assertThat(classesOf(marker(scenario.ledgerWrite8))).contains("race", "race-critical");
        assertThat(classesOf(marker(scenario.update))).doesNotContain("race");
    }

    @Test
    void highlightsTheCriticalPathAcrossBothServicesWithItsShare() throws Exception {
        openTrace(scenario.traceC, "?tab=critical&event=" + scenario.ledgerWrite7);
        List<String> steps = browser.waitUntil("critical path steps", d -> {
            List<String> ids = d.findElements(By.cssSelector("#critical-path li")).stream()
                    .map(li -> li.getAttribute("data-event-id")).toList();
            return ids.isEmpty() ? null : ids;
        });
        JsonNode path = server.get("/api/traces/" + scenario.traceC + "/critical-path").path("data");
        List<String> apiPath = new java.util.ArrayList<>();
        path.path("path").forEach(step -> apiPath.add(step.path("id").asText()));
        assertThat(steps).containsExactlyElementsOf(apiPath);
        // It runs from the gateway request through the payments call into the database query.
        assertThat(steps).containsSubsequence(scenario.criticalPathThrough.stream().map(UUID::toString).toList());
        Set<String> highlighted = browser.all(By.cssSelector("svg.timeline .ev.crit")).stream()
                .map(e -> e.getAttribute("data-event-id")).collect(Collectors.toSet());
        assertThat(highlighted).containsExactlyInAnyOrderElementsOf(apiPath);

        double share = path.path("percentage_of_wall").asDouble();
        String summary = browser.driver().findElement(By.id("critical-summary")).getText();
        assertThat(summary).contains(apiPath.size() + " events").contains(percent(share) + " of the trace");
        assertThat(browser.driver().findElement(By.cssSelector(".stat-crit")).getText()).contains(percent(share));

        // One lane per service/thread: gateway gw-1, payments pay-7 and pay-8.
        List<String> lanes = browser.all(By.cssSelector("svg.timeline .lane-service")).stream().map(WebElement::getText).toList();
        assertThat(lanes).containsExactly("gateway", "payments", "payments");
        browser.waitVisible(By.cssSelector("#event-details .details"));
        Path shot = browser.screenshot("trace-view");
        if (Boolean.getBoolean("raceway.ui.readmeImage")) {
            Files.createDirectories(README_IMAGE.getParent());
            Files.copy(shot, README_IMAGE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void aDurationEndsAtItsEventsTimestampAndTheTraceLastsItsWallClockExtent() throws Exception {
        openTrace(scenario.traceC, "");
        // The payments call is recorded when it ends, 30 ms after it began: its bar ends at its marker.
        Map<?, ?> geometry = (Map<?, ?>) browser.script("""
                const bar = document.querySelector("svg.timeline .ev-dur[data-event-id='" + arguments[0] + "']");
                const marker = document.querySelector("svg.timeline .ev[data-event-id='" + arguments[0] + "']");
                const x = Number(/translate\\(([-0-9.]+)/.exec(marker.getAttribute('transform'))[1]);
                return { barStart: Number(bar.getAttribute('x')), barEnd: Number(bar.getAttribute('x')) + Number(bar.getAttribute('width')), marker: x };
                """, scenario.charge.toString());
        double barStart = ((Number) geometry.get("barStart")).doubleValue();
        double barEnd = ((Number) geometry.get("barEnd")).doubleValue();
        double markerX = ((Number) geometry.get("marker")).doubleValue();
        assertThat(barEnd).isCloseTo(markerX, org.assertj.core.data.Offset.offset(1.0));
        assertThat(barStart).isLessThan(markerX - 10);
        // From the gateway request's start (20 ms before its timestamp) to the response: 80 ms, as the list says.
        assertThat(browser.driver().findElement(By.cssSelector(".view-trace")).getText()).contains("80.0 ms");
        JsonNode cp = server.get("/api/traces/" + scenario.traceC + "/critical-path").path("data");
        assertThat(cp.path("trace_wall_duration_ms").asDouble()).isEqualTo(80.0);
        assertThat(cp.path("percentage_of_wall").asDouble()).isLessThanOrEqualTo(100.0);
    }

    @Test
    void raceNotesShowValuesAsJson() {
        openTrace(scenario.traceC, "?tab=races");
        String notes = (String) browser.script("const pre = document.querySelector('.raw-notes pre'); return pre ? pre.textContent : null;");
        assertThat(notes).isNotNull().contains("WRITE: 5 → ").doesNotContain("Some(").doesNotContain("Number(");
    }

    /** The UI's percentage format (format.js formatPercent). */
    private static String percent(double v) {
        return (v >= 10 ? String.format(java.util.Locale.ROOT, "%.0f", v) : String.format(java.util.Locale.ROOT, "%.1f", v)) + "%";
    }

    @Test
    void theAuditTrailMarksTheRacingAccess() {
        openTrace(scenario.traceC, "/audit/ledger.total");
        browser.waitUntil("audit rows", d -> d.findElements(By.cssSelector("#audit-table tbody tr")).size() == 2);
        WebElement first = browser.driver().findElement(By.cssSelector("#audit-table tr[data-event-id='" + scenario.ledgerWrite8 + "']"));
        WebElement second = browser.driver().findElement(By.cssSelector("#audit-table tr[data-event-id='" + scenario.ledgerWrite7 + "']"));
        assertThat(second.getAttribute("data-race")).isEqualTo("true");
        assertThat(second.getText()).contains("RACE").contains("pay-7").contains("5 → 7");
        assertThat(first.getText()).contains("pay-8").contains("5 → 6");
        assertThat(browser.driver().findElement(By.id("audit-title")).getText()).contains("ledger.total");
        browser.screenshot("audit-trail");
    }

    @Test
    void theAuditTrailOfTheLostUpdateMarksTheWriteThatRacesWithTheOtherTrace() {
        openTrace(scenario.traceA, "/audit/alice.balance");
        browser.waitUntil("audit rows", d -> d.findElements(By.cssSelector("#audit-table tbody tr")).size() == 2);
        WebElement write = browser.driver().findElement(By.cssSelector("#audit-table tr[data-event-id='" + scenario.writeA + "']"));
        assertThat(write.getAttribute("data-race")).isEqualTo("true");
        assertThat(write.getText()).contains("Write").contains("1000 → 900").contains("RACE");
    }

    @Test
    void choosingAVariableOpensItsAuditTrail() {
        openTrace(scenario.traceC, "?tab=variables");
        WebElement row = browser.waitVisible(By.cssSelector("#variable-table tr[data-variable='ledger.total']"));
        row.sendKeys(Keys.ENTER);
        browser.waitUntil("audit route", d -> d.getCurrentUrl().contains("/audit/ledger.total"));
        browser.waitUntil("audit rows", d -> d.findElements(By.cssSelector("#audit-table tbody tr")).size() == 2);
    }

    @Test
    void anEventOpensItsDetailsFromTheKeyboard() {
        openTrace(scenario.traceA, "");
        WebElement write = marker(scenario.writeA);
        write.sendKeys(Keys.ENTER);
        WebElement details = browser.waitUntil("details of the write", d -> {
            List<WebElement> found = d.findElements(By.cssSelector("#event-details .details[data-event-id='" + scenario.writeA + "']"));
            return found.isEmpty() ? null : found.get(0);
        });
        String text = details.getText();
        assertThat(text).contains("StateChange").contains("alice.balance").contains("Write").contains("1000")
                .contains("900").contains("http-1").contains("banking-api").contains("CLOCK VECTOR").contains("LOCK SET");
        assertThat(classesOf(marker(scenario.writeA))).contains("selected");
        assertThat(browser.driver().getCurrentUrl()).contains("event=" + scenario.writeA);
        assertThat(details.findElement(By.cssSelector("a.audit-link")).getAttribute("href"))
                .contains("#/trace/" + scenario.traceA + "/audit/alice.balance");
    }

    @Test
    void exportsTheTraceAsJson() throws Exception {
        openTrace(scenario.traceC, "");
        // Capture the Blob the Export button hands to the browser's download machinery.
        browser.script("window.__exported = null; const original = URL.createObjectURL;"
                + "URL.createObjectURL = (blob) => { window.__exported = blob; return original(blob); };");
        browser.driver().findElement(By.id("export-json")).click();
        String text = (String) ((JavascriptExecutor) browser.driver()).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "const wait = () => window.__exported ? window.__exported.text().then(done) : setTimeout(wait, 20);"
                        + "wait();");
        JsonNode exported = new ObjectMapper().readTree(text);
        assertThat(exported.path("trace_id").asText()).isEqualTo(scenario.traceC.toString());
        assertThat(exported.path("events")).hasSize(7);
        assertThat(exported.has("critical_path")).isTrue();
    }

    @Test
    void showsMarkupInTraceDataAsTextAndNeverRunsIt() throws Exception {
        UUID trace = UUID.randomUUID();
        server.post(scenario.markupTrace(trace));
        browser.open(server.baseUrl() + "/#/trace/" + trace + "?tab=events");
        browser.waitUntil("events listed", d -> d.findElements(By.cssSelector("#event-table tbody tr")).size() == 2);
        String table = browser.driver().findElement(By.id("event-table")).getText();
        assertThat(table).contains("<img src=x onerror=\"window.__injected=1\">");
        browser.all(By.cssSelector("#event-table tbody tr")).get(1).click();
        browser.waitUntil("details", d -> d.findElement(By.id("event-details")).getText().contains("<script>"));
        assertThat(browser.all(By.cssSelector("main img, #event-details script, main script"))).isEmpty();
        assertThat(browser.script("return window.__injected === undefined")).isEqualTo(true);
    }

    @Test
    void showsALockOrderCycleAsAPotentialDeadlock() throws Exception {
        UUID trace = UUID.randomUUID();
        server.post(scenario.lockOrderTrace(trace));
        server.awaitTrace(trace, 9);
        assertThat(server.get("/api/traces/" + trace + "/deadlocks").path("data").path("deadlock_count").asInt())
                .as("the server finds the cycle").isEqualTo(1);
        openTrace(trace, "?tab=deadlocks");
        WebElement finding = browser.waitVisible(By.cssSelector("#deadlock-list .race-item"));
        assertThat(finding.getText()).contains("accounts").contains("ledger").contains("t-1").contains("t-2")
                .contains("Settle.java:21").contains("Audit.java:31");
        assertThat(browser.driver().findElement(By.cssSelector(".trace-summary")).getText()).contains("1\ndeadlock risks");
        browser.screenshot("trace-view-deadlock");
    }

    @Test
    void listsALatencyAnomalyAgainstTheBaseline() throws Exception {
        UUID trace = UUID.randomUUID();
        UUID slow = UUID.randomUUID();
        server.post(scenario.latencyTraces(trace, slow));
        server.awaitTrace(trace, 1);
        openTrace(trace, "?tab=anomalies");
        WebElement row = browser.waitVisible(By.cssSelector("#anomaly-table tr[data-event-id='" + slow + "']"));
        assertThat(row.getText()).contains("Critical").contains("FunctionCall(lookup)").contains("300 ms");
        row.click();
        browser.waitUntil("details of the slow call", d -> !d.findElements(
                By.cssSelector("#event-details .details[data-event-id='" + slow + "']")).isEmpty());
        assertThat(browser.driver().findElement(By.cssSelector(".trace-summary")).getText()).contains("1\nanomalies");
    }

    @Test
    void unknownTraceShowsTheServersReason() {
        browser.open(server.baseUrl() + "/#/trace/" + UUID.randomUUID());
        WebElement error = browser.waitVisible(By.cssSelector(".notice-error"));
        assertThat(error.getText()).containsIgnoringCase("not found");
    }
}
