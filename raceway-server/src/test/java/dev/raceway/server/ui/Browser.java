package dev.raceway.server.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Debian Chromium driven through Debian's chromedriver. Both binaries are set explicitly so Selenium
 * Manager never downloads anything; the profile is a fresh temporary directory per browser.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");
    /** Generous: a loaded 2-core machine runs Chromium, the server and Maven at once. */
    static final Duration WAIT = Duration.ofSeconds(30);

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Path profile;

    Browser() {
        try {
            profile = Files.createTempDirectory("raceway-ui-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-extensions", "--user-data-dir=" + profile, "--window-size=1366,768",
                "--force-prefers-reduced-motion");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(service, options);
        fitViewport(1366, 768);
    }

    /** Sizes the window so the page itself (not the window frame) is a laptop screen of {@code w}×{@code h}. */
    private void fitViewport(int w, int h) {
        driver.manage().window().setSize(new Dimension(w, h));
        Number innerW = (Number) ((JavascriptExecutor) driver).executeScript("return window.innerWidth");
        Number innerH = (Number) ((JavascriptExecutor) driver).executeScript("return window.innerHeight");
        driver.manage().window().setSize(new Dimension(2 * w - innerW.intValue(), 2 * h - innerH.intValue()));
    }

    /** Whether this machine has the browser the tests need (installed by {@code .ci/install-deps}). */
    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /**
     * Skips the calling test class on a developer machine without Chromium, but fails it in CI ({@code CI} set),
     * where {@code .ci/install-deps} must have installed the browser: a silent skip there would hide the UI tests.
     */
    static void requireAvailable() {
        if (available()) {
            return;
        }
        String why = "chromium + chromedriver not installed (run .ci/install-deps)";
        if (System.getenv("CI") != null) {
            throw new IllegalStateException(why);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(false, why);
    }

    WebDriver driver() {
        return driver;
    }

    /** Loads {@code url} as a fresh page (also when only its fragment differs from the current one). */
    void open(String url) {
        driver.get("about:blank");
        driver.get(url);
    }

    /**
     * Polls {@code condition} until it yields a value. Pages re-render on auto-refresh, so an element found in one
     * poll may be replaced before it is read: a stale element just means "poll again".
     */
    <T> T waitUntil(String what, Function<WebDriver, T> condition) {
        WebDriverWait wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(100));
        wait.withMessage(() -> what + "\nbrowser console:\n" + consoleText());
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait.until(condition);
    }

    /** The text of the element {@code by} as rendered now, read in one poll (see {@link #waitUntil}). */
    String textOf(By by) {
        return waitUntil("text of " + by, d -> {
            List<WebElement> found = d.findElements(by);
            return found.isEmpty() ? null : found.get(0).getText();
        });
    }

    WebElement waitVisible(By by) {
        return waitUntil("visible: " + by, d -> {
            List<WebElement> found = d.findElements(by);
            return found.stream().filter(WebElement::isDisplayed).findFirst().orElse(null);
        });
    }

    List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Saves a PNG of the viewport under {@code target/ui-screenshots/} and returns its path. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Errors the page logged (uncaught exceptions, failed module loads), for assertions and failure messages. */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    private String consoleText() {
        try {
            return String.join("\n", driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .map(LogEntry::toString).toList());
        } catch (RuntimeException e) {
            return "(unavailable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a leftover temp profile is harmless
        }
    }
}
