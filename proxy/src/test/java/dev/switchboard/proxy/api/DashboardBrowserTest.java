package dev.switchboard.proxy.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.ProxyFixture;
import dev.switchboard.proxy.upstream.ServerState;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real browser: Debian's headless Chromium driven through Debian's chromedriver
 * with Selenium. A real proxy with a real topology (backends on loopback) is started; the test
 * checks that the page draws it, follows traffic, shows a broken router in red with its error,
 * follows a configuration change live, and shows a server going down. Screenshots go to
 * {@code target/dashboard-screenshots/}.
 *
 * <p>Selenium rather than Playwright: Playwright for Java downloads its own driver bundle and is
 * tied to its own browser builds, while Selenium talks W3C WebDriver to the chromedriver Debian
 * ships with (and matches to) its Chromium; both paths are given, so Selenium Manager never runs
 * and nothing is downloaded. Skipped, with the reason, where {@code /usr/bin/chromium} or
 * {@code /usr/bin/chromedriver} is missing ({@code .ci/provision-chromium.sh} installs both).
 *
 * <p>The server goes down by a health check's verdict set on its {@link ServerState}: active and
 * passive health checks are built on another branch; this test kills the backend, sends traffic
 * to it, and then marks it as a failed health check would.
 */
class DashboardBrowserTest {
    /** Debian's paths; {@code -Dswitchboard.chromium=...} and {@code -Dswitchboard.chromedriver=...} point elsewhere. */
    private static final Path CHROMIUM = Path.of(System.getProperty("switchboard.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("switchboard.chromedriver", "/usr/bin/chromedriver"));
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "dashboard-screenshots");

    /** Selenium looks for a DevTools (CDP) binding matching this Chromium and warns; the test needs only WebDriver. */
    private static final List<java.util.logging.Logger> QUIET = List.of(
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools"),
            java.util.logging.Logger.getLogger("org.openqa.selenium.chromium"));

    private static ChromeDriver browser;

    private Backend a;
    private Backend b;
    private Backend c;
    private ProxyFixture proxy;

    @BeforeAll
    static void browser() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + ": run .ci/provision-chromium.sh "
                + "(apt-get install chromium chromium-driver) to run the dashboard browser test");
        assumeTrue(Files.isExecutable(CHROMEDRIVER), "no chromedriver at " + CHROMEDRIVER
                + ": run .ci/provision-chromium.sh (apt-get install chromium-driver) to run the dashboard browser test");
        QUIET.forEach(logger -> logger.setLevel(java.util.logging.Level.SEVERE));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--disable-extensions", "--no-first-run", "--window-size=1440,1700");
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void topology() throws Exception {
        a = new Backend("a");
        b = new Backend("b");
        c = new Backend("c");
        proxy = ProxyFixture.start(dynamic(""), "--api.insecure=true", "--entrypoints.traefik.address=127.0.0.1:0");
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        a.close();
        b.close();
        c.close();
    }

    private String dynamic(String extraRouter) {
        return """
                http:
                  routers:
                    app1:
                      rule: "Host(`app1.localhost`) || PathPrefix(`/app1`)"
                      middlewares: [app1-strip]
                      service: app1
                    app2:
                      rule: "PathPrefix(`/app2`)"
                      service: app2
                    broken:
                      rule: "Host(`oops`"
                      service: app2
                %s
                  middlewares:
                    app1-strip:
                      stripPrefix:
                        prefixes: [/app1]
                  services:
                    app1:
                      loadBalancer:
                        servers: [{url: "%s"}, {url: "%s"}]
                    app2:
                      loadBalancer:
                        servers: [{url: "%s"}]
                """.formatted(extraRouter, a.url(), b.url(), c.url());
    }

    private WebElement card(String kind, String name) {
        List<WebElement> found = browser.findElements(By.cssSelector(".card[data-kind='" + kind + "'][data-name='" + name + "']"));
        assertEquals(1, found.size(), kind + " " + name + " is drawn once");
        return found.get(0);
    }

    /** The "N total" a card shows. */
    private static int total(WebElement card) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) total").matcher(card.getText());
        assertTrue(m.find(), card.getText());
        return Integer.parseInt(m.group(1));
    }

    private void screenshot(String name) throws Exception {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(SCREENSHOTS.resolve(name), png);
    }

    @Test
    void drawsThePipelineAndShowsAServerGoingDown() throws Exception {
        // The switchboard profile: a refused connection takes the server out at once (passiveRefused).
        proxy.close();
        proxy = ProxyFixture.start(dynamic(""), "--api.insecure=true", "--entrypoints.traefik.address=127.0.0.1:0",
                ProxyFixture.SWITCHBOARD_PROFILE);
        String origin = "http://127.0.0.1:" + proxy.proxy().port("traefik");
        browser.get(origin + "/");
        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
            assertEquals(origin + "/dashboard/", browser.getCurrentUrl(), "/ redirects to the dashboard");
            assertEquals("live", browser.findElement(By.id("connection")).getAttribute("data-state"));
            card("router", "app1@file");
        });

        // The topology, column by column.
        assertTrue(card("entrypoint", "web").getText().contains("127.0.0.1:0"));
        WebElement app1 = card("router", "app1@file");
        assertTrue(app1.getText().contains("Host(`app1.localhost`) || PathPrefix(`/app1`)"), app1.getText());
        assertEquals("enabled", app1.getAttribute("data-status"));
        card("router", "app2@file");
        WebElement broken = card("router", "broken@file");
        assertEquals("disabled", broken.getAttribute("data-status"), "a broken router stands out");
        assertTrue(broken.getText().contains("missing ')'"), "its error is written on it: " + broken.getText());
        assertTrue(broken.getCssValue("background-color").contains("254, 243, 242"), "drawn in red: " + broken.getCssValue("background-color"));
        assertTrue(card("middleware", "app1-strip@file").getText().contains("/app1"));
        assertTrue(card("service", "app1@file").getText().contains("2 servers, 2 up"));
        card("service", "app2@file");
        for (Backend backend : List.of(a, b, c)) {
            assertEquals("UP", card("server", backend.url()).getAttribute("data-status"));
        }
        assertTrue(browser.findElements(By.cssSelector("#wires path")).size() >= 8, "lines join the stages");
        assertTrue(browser.findElement(By.id("reload")).getText().contains("applied"));
        assertTrue(browser.findElement(By.id("legend")).getText().contains("Entry point"));

        // Traffic shows up on the service and its servers.
        for (int i = 0; i < 6; i++) {
            assertEquals(200, proxy.get("/app1/hello").getStatus());
        }
        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
            assertTrue(card("service", "app1@file").getText().contains("6 total"), card("service", "app1@file").getText());
            assertEquals(6, total(card("server", a.url())) + total(card("server", b.url())), "the servers share the six");
        });
        screenshot("1-topology.png");

        // A configuration change appears without reloading the page.
        proxy.writeDynamic(dynamic("""
                    app3:
                      rule: "PathPrefix(`/app3`)"
                      service: app2
                """));
        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> card("router", "app3@file"));

        // Server b dies and gets requests: the refused connection takes it out at once (passive health check),
        // and the balancer sends those requests on to a.
        String bUrl = b.url();
        b.close();
        for (int i = 0; i < 4; i++) {
            proxy.get("/app1/after");
        }
        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
            WebElement down = card("server", bUrl);
            assertEquals("DOWN", down.getAttribute("data-status"));
            assertEquals(1, down.findElements(By.cssSelector(".dot.down")).size());
            assertTrue(down.getText().contains("DOWN"));
            assertTrue(card("service", "app1@file").getText().contains("2 servers, 1 up"));
            assertEquals("UP", card("server", a.url()).getAttribute("data-status"));
            assertTrue(browser.findElements(By.cssSelector("#wires path.down")).size() >= 1, "its line is drawn as down");
        });
        screenshot("2-server-down.png");

        // Everything the page loaded came from the proxy itself: it works with no internet.
        @SuppressWarnings("unchecked")
        List<String> loaded = (List<String>) ((JavascriptExecutor) browser)
                .executeScript("return performance.getEntriesByType('resource').map(e => e.name);");
        assertTrue(!loaded.isEmpty());
        for (String url : loaded) {
            assertTrue(url.startsWith(origin + "/"), "loaded from elsewhere: " + url);
        }
    }

    @Test
    void aFailedReloadIsShownAndThePreviousConfigurationKeepsServing() throws Exception {
        String origin = "http://127.0.0.1:" + proxy.proxy().port("traefik");
        browser.get(origin + "/dashboard/");
        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> card("router", "app2@file"));
        proxy.writeDynamic("http:\n  routers:\n    app1: [oops\n");
        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
            WebElement reload = browser.findElement(By.id("reload"));
            assertEquals("false", reload.getAttribute("data-success"));
            assertTrue(reload.getText().contains("FAILED"), reload.getText());
            assertTrue(reload.getText().contains("dynamic.yml"), "the message names the file: " + reload.getText());
        });
        card("router", "app1@file");
        assertEquals(200, proxy.get("/app2").getStatus());
        screenshot("3-failed-reload.png");
    }

    @Test
    void theHeaderShowsTheProfileAndTheImprovementsThatAreOn() throws Exception {
        String origin = "http://127.0.0.1:" + proxy.proxy().port("traefik");
        browser.get(origin + "/dashboard/");
        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
            WebElement profile = browser.findElement(By.id("profile"));
            assertEquals("traefik", profile.getAttribute("data-profile"));
            assertEquals("profile traefik · behaves as Traefik v3.2", profile.getText());
        });
        try (ProxyFixture sb = ProxyFixture.start(dynamic(""), "--api.insecure=true", "--entrypoints.traefik.address=127.0.0.1:0",
                "--switchboard.profile=traefik", "--switchboard.autoRetry=true", "--switchboard.quickReloads=true")) {
            browser.get("http://127.0.0.1:" + sb.proxy().port("traefik") + "/dashboard/");
            await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> assertEquals(
                    "profile traefik · improvements on: autoRetry, quickReloads", browser.findElement(By.id("profile")).getText()));
            screenshot("4-profile.png");
        }
    }
}
