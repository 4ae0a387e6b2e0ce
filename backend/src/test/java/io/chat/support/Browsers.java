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
 * used). Registered as an extension, it writes a screenshot of every open session under
 * {@code target/browser-screenshots/} when a test fails, and quits the sessions after each test.
 */
public final class Browsers implements AfterTestExecutionCallback, AfterEachCallback, AfterAllCallback {

    private static final String DRIVER = System.getProperty("chat.test.chromedriver", "/usr/bin/chromedriver");
    private static final String BROWSER = System.getProperty("chat.test.chromium", "/usr/bin/chromium");
    private static final Path SCREENSHOTS = Path.of("target", "browser-screenshots");

    private final List<WebDriver> open = new ArrayList<>();

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

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isEmpty()) {
            return;
        }
        for (int i = 0; i < open.size(); i++) {
            screenshot(open.get(i), context.getRequiredTestClass().getSimpleName() + "."
                    + context.getRequiredTestMethod().getName() + "-" + i);
        }
    }

    /** Writes a screenshot of the session under target/browser-screenshots/, named {@code name}.png. */
    public static void screenshot(WebDriver driver, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
            Files.write(SCREENSHOTS.resolve(name + ".png"), png);
        } catch (IOException | RuntimeException failure) {
            System.err.println("no screenshot " + name + ": " + failure);
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
    }
}
