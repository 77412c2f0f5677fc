package dev.seedloop.system;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.sun.security.auth.module.UnixSystem;

/**
 * One headless Debian Chromium for a test class, driven through Debian's chromedriver: register it as a static
 * {@code @RegisterExtension} field; it starts on first use and quits after the class. Selenium Manager is never asked
 * for a driver or a browser (it would try to download them), so a machine without the two packages fails here with a
 * message that says what to install.
 *
 * <p>Everything waits on a condition ({@link #await}); a wait that times out, and any other failure of a test, fails
 * with the page's address, the browser console's log and a screenshot in {@code target/dashboard/failure-*.png}.
 */
final class Browser implements AfterAllCallback, TestExecutionExceptionHandler {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Where screenshots go: the module's target directory (failsafe runs in the module's directory). */
    static final Path SCREENSHOTS = Path.of("target/dashboard").toAbsolutePath();
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(20);

    private ChromeDriver driver;
    /** Everything the console said so far: reading Chrome's log empties it, and a failure shows all of it. */
    private final List<String> console = new ArrayList<>();
    private int checkedUpTo;

    WebDriver driver() {
        if (driver == null) {
            driver = start();
        }
        return driver;
    }

    private static ChromeDriver start() {
        for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException(binary + " is missing: the browser tests drive Debian's Chromium;"
                        + " install the packages chromium and chromium-driver (.ci/run does)");
            }
        }
        // The client's own spans would only go to an OpenTelemetry SDK the tests do not configure.
        System.setProperty("webdriver.remote.enableTracing", "false");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--window-size=1400,1000", "--disable-dev-shm-usage",
                "--disable-gpu", "--no-first-run", "--lang=en-US");
        if (new UnixSystem().getUid() == 0) {
            // Chromium refuses its own sandbox to root.
            options.addArguments("--no-sandbox");
        }
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        try (var old = Files.newDirectoryStream(Files.createDirectories(SCREENSHOTS), "failure-*.png")) {
            // A failure's picture from an earlier run would pass for this run's.
            for (Path stale : old) {
                Files.delete(stale);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .withLogFile(new File(SCREENSHOTS.toFile(), "chromedriver.log"))
                .build();
        return new ChromeDriver(service, options);
    }

    /** Loads {@code url} in the one tab. */
    void open(String url) {
        driver().get(url);
    }

    /**
     * Ends every session the browser holds (the gateway's and Keycloak's cookies: both live on 127.0.0.1, whatever
     * the port), opens {@code url}, which must send the browser to Keycloak's login form, and signs in there as
     * {@code user} (password {@code <user>-pw}); returns once the browser is back at {@code url}'s origin.
     */
    void logInAs(String user, String url) {
        // Away from the old page first: it would see its session vanish and complain into the next test's console.
        open("about:blank");
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        open(url);
        WebElement username = await("Keycloak's login form (#username) after opening " + url,
                ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        username.clear();
        username.sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(user + "-pw");
        driver.findElement(By.id("kc-login")).click();
        String origin = url.substring(0, url.indexOf('/', "http://".length()));
        await("back at " + origin + " after logging in as " + user, d -> d.getCurrentUrl().startsWith(origin));
    }

    /** Waits up to 20 s until {@code condition} answers neither null nor false; fails saying {@code what}. */
    <T> T await(String what, Function<WebDriver, T> condition) {
        return await(what, condition, DEFAULT_WAIT);
    }

    <T> T await(String what, Function<WebDriver, T> condition, Duration within) {
        WebDriverWait wait = new WebDriverWait(driver(), within, Duration.ofMillis(100));
        try {
            return wait.until(condition);
        } catch (TimeoutException e) {
            // Selenium's message goes on with its build and session details: the first line is what matters.
            throw new AssertionError("waited " + within.toSeconds() + " s for " + what + ": "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** The one element {@code css} selects; fails when there is none. */
    WebElement find(String css) {
        return driver().findElement(By.cssSelector(css));
    }

    /** Every element {@code css} selects, maybe none (an absence asserted after a positive marker). */
    List<WebElement> findAll(String css) {
        return driver().findElements(By.cssSelector(css));
    }

    /** An attribute of the element {@code css} selects, or null. */
    String attribute(String css, String name) {
        return find(css).getDomAttribute(name);
    }

    /** Saves the whole page, below the fold too, as {@code target/dashboard/<name>.png} and answers its path. */
    Path screenshot(String name) {
        Path file = SCREENSHOTS.resolve(name + ".png");
        Object size = driver.executeScript("const e = document.documentElement;"
                + " return [e.scrollWidth, e.scrollHeight];");
        List<?> widthAndHeight = (List<?>) size;
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "scale", 1,
                        "width", widthAndHeight.get(0), "height", widthAndHeight.get(1))));
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The console's messages since the browser started, oldest first ("LEVEL message"). */
    List<String> console() {
        if (driver != null) {
            for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
                console.add(entry.getLevel() + " " + entry.getMessage());
            }
        }
        return List.copyOf(console);
    }

    /**
     * The console's uncaught script errors since the last call (a page that threw has a bug whatever else it shows),
     * so each test answers for its own.
     */
    List<String> newUncaughtErrors() {
        List<String> all = console();
        List<String> fresh = all.subList(checkedUpTo, all.size()).stream().filter(line -> line.contains("Uncaught"))
                .toList();
        checkedUpTo = all.size();
        return fresh;
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (driver == null) {
            throw failure;
        }
        StringBuilder report = new StringBuilder(String.valueOf(failure.getMessage()));
        try {
            report.append("\n-- page: ").append(driver.getCurrentUrl());
            String picture = "failure-" + context.getRequiredTestMethod().getName();
            report.append("\n-- screenshot: ").append(screenshot(picture));
            report.append("\n-- browser console:");
            console().forEach(line -> report.append("\n   ").append(line));
        } catch (RuntimeException e) {
            report.append("\n-- (the browser could not say more: ").append(e).append(')');
        }
        AssertionError detailed = new AssertionError(report.toString());
        detailed.setStackTrace(failure.getStackTrace());
        throw detailed;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
    }
}
