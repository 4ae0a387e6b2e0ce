package io.chat.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium sessions for browser tests: Debian's {@code chromium} driven through the
 * {@code chromedriver} of its {@code chromium-driver} package (Selenium Manager's download is never
 * used). Registered as an extension, it writes screenshots of every open session under
 * {@code target/browser-screenshots/<test>/} when a test fails (one per {@link #step} the test
 * marked, and one at the failure), and quits the sessions after each test.
 */
public final class Browsers implements AfterTestExecutionCallback, AfterEachCallback, AfterAllCallback {

    private static final String DRIVER = System.getProperty("chat.test.chromedriver", "/usr/bin/chromedriver");
    private static final String BROWSER = System.getProperty("chat.test.chromium", "/usr/bin/chromium");
    private static final Path SCREENSHOTS = Path.of("target", "browser-screenshots");

    private final List<WebDriver> open = new ArrayList<>();
    /** Screenshots of the steps so far, kept in memory: written out only if the test fails. */
    private final List<Map.Entry<String, byte[]>> steps = new ArrayList<>();

    /** A new headless session, phone-wide when {@code phone}, quit after the test. */
    public WebDriver open(boolean phone) {
        System.setProperty("webdriver.chrome.driver", DRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--disable-extensions", "--no-first-run", "--window-size=1200,900");
        if (phone) {
            // a window cannot be narrower than 500 px: the viewport of a phone is emulated instead
            options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
                    Map.of("width", 390, "height", 844, "pixelRatio", 2.0, "touch", true)));
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(DRIVER).toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        open.add(driver);
        return driver;
    }

    public WebDriver open() {
        return open(false);
    }

    /** Marks the end of a step of the test: every session's screen now, should the test fail later. */
    public void step(String name) {
        for (int i = 0; i < open.size(); i++) {
            byte[] png = png(open.get(i));
            if (png != null) {
                steps.add(Map.entry(String.format("%02d-%s-session%d", steps.size() + 1, name, i), png));
            }
        }
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isEmpty()) {
            return;
        }
        step("failed");
        Path folder = SCREENSHOTS.resolve(context.getRequiredTestClass().getSimpleName() + "."
                + context.getRequiredTestMethod().getName());
        try {
            Files.createDirectories(folder);
            for (Map.Entry<String, byte[]> step : steps) {
                Files.write(folder.resolve(step.getKey() + ".png"), step.getValue());
            }
        } catch (IOException failure) {
            System.err.println("screenshots not written to " + folder + ": " + failure);
        }
    }

    private static byte[] png(WebDriver driver) {
        try {
            return ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        } catch (RuntimeException gone) {
            return null;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        quitAll();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        quitAll();
    }

    private void quitAll() {
        for (WebDriver driver : open) {
            try {
                driver.quit();
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
        open.clear();
        steps.clear();
    }
}
