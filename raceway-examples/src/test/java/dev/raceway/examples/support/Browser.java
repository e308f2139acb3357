package dev.raceway.examples.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium through Debian's chromedriver, both named explicitly so that Selenium Manager never
 * downloads anything. A fresh temporary profile per browser.
 */
public final class Browser implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriverService service;
    private final ChromeDriver driver;

    public Browser() {
        Path profile;
        try {
            profile = Files.createTempDirectory("raceway-examples-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-extensions", "--user-data-dir=" + profile, "--window-size=1366,768");
        driver = new ChromeDriver(service, options);
    }

    /** Whether this machine has the browser (installed by {@code .ci/install-deps}). */
    public static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** Skips without a browser on a developer machine; fails in CI ({@code CI} set), where one must be installed. */
    public static void requireAvailable() {
        if (available()) {
            return;
        }
        String why = "chromium + chromedriver not installed (run .ci/install-deps)";
        if (System.getenv("CI") != null) {
            throw new IllegalStateException(why);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(false, why);
    }

    public WebDriver driver() {
        return driver;
    }

    public <T> T waitUntil(String what, Function<WebDriver, T> condition) {
        // The Raceway UI re-renders on auto-refresh: a stale element just means "poll again".
        return new WebDriverWait(driver, RacewayApi.PATIENCE, Duration.ofMillis(100)).withMessage(what)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
