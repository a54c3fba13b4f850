package io.nacgw.gateway;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.testing.Needs;
import io.nacgw.core.testing.TestDevices;
import io.nacgw.certs.CertificateAuthority;
import io.nacgw.certs.IssuedClient;
import io.nacgw.certs.Role;
import io.nacgw.gateway.config.NacgwConfig;
import io.nacgw.nacapi.auth.PasswordHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator console in a real browser: Debian's headless Chromium driven by Selenium against a running gateway
 * (RADIUS on, HTTPS on port 0). Screenshots go to {@code target/console-screenshots/} as test artefacts.
 */
final class ConsoleBrowserTest {
    private static final String ADMIN_PASSWORD = "console admin pw 1";
    private static final String PARTNER_PASSWORD = "console partner pw 2";
    private static final String SECRET = "console-radius-secret-1";
    private static final Path SHOTS = Path.of("target", "console-screenshots");
    private static final Path POLICIES = Path.of("/etc/chromium/policies/managed");

    @TempDir
    Path dir;

    @Test
    void admin_signsIn_findsADevice_seesItExplained_andALiveDecision_partnerAndMissingCsrfRefused() throws Exception {
        Path chromium = Needs.executable("chromium", "/usr/bin/chromium");
        Path chromedriver = Needs.executable("chromium-driver", "/usr/bin/chromedriver");
        NacgwConfig config = config();
        try (Gateway g = Gateway.start(config, Clock.systemUTC())) {
            g.compliance().upsert(TestDevices.compliant(7).complianceState(ComplianceState.NONCOMPLIANT)
                    .lastCheckIn(Instant.now()).build());
            String base = "https://localhost:" + g.api().orElseThrow().address().getPort();
            int radiusPort = g.radius().orElseThrow().authAddress().getPort();
            WebDriver driver = browser(chromium, chromedriver);
            try {
                WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
                // 1. an unauthenticated browser gets the sign-in page
                driver.get(base + "/console/");
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
                shot(driver, "01-sign-in");
                driver.findElement(By.id("user")).sendKeys("ops");
                driver.findElement(By.id("password")).sendKeys(ADMIN_PASSWORD);
                driver.findElement(By.id("sign-in")).click();
                // 2. the overview, live from its event stream
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("page-overview")));
                wait.until(d -> !d.findElements(By.cssSelector("#overview-cards .card")).isEmpty());
                assertEquals("ops (admin)", driver.findElement(By.id("who")).getText());
                shot(driver, "02-overview");
                assertEquals(0L, ((JavascriptExecutor) driver).executeScript(
                        "return [...document.querySelectorAll('input,select')].filter(e => e.labels.length === 0"
                                + " && !e.closest('label')).length"), "every field has a label");
                // 3. search by a MAC in dotted form, see the explanation
                driver.findElement(By.cssSelector("nav a[data-page=devices]")).click();
                WebElement q = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("device-q")));
                q.sendKeys("0200.0000.0007");
                q.submit();
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#device-result .explain")));
                String result = driver.findElement(By.id("device-result")).getText();
                assertTrue(result.contains("LAPTOP-7"), result);
                assertTrue(result.contains("device is known to the MDM"), result);
                assertTrue(result.contains("wifi: QUARANTINE") || result.contains("wifi: quarantine"), result);
                shot(driver, "03-device-explained");
                // 4. a decision appears in the live stream after a radclient request
                driver.findElement(By.cssSelector("nav a[data-page=live]")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("live-state"), "Connected"));
                String mac = TestDevices.mac(7).toRfc3580();
                String answer = Radclient.mab(radiusPort, SECRET, mac);
                assertTrue(answer.contains("Received Access-Accept"), answer);
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("live-table"), "02:00:00:00:00:07"));
                String live = driver.findElement(By.id("live-table")).getText();
                assertTrue(live.contains("quarantine") && live.contains("noncompliant"), live);
                shot(driver, "04-live-decision");
                // pause keeps the table still; a click on the identifier opens the device
                driver.findElement(By.id("f-pause")).click();
                driver.findElement(By.linkText("mac:02:00:00:00:00:07")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("device-result"), "LAPTOP-7"));
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("device-decisions"), "quarantine"));
                // keyboard: the first Tab reaches the skip link, Enter on a nav link switches the page
                driver.navigate().refresh(); // a fresh page: keyboard focus starts at the top
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("page-devices")));
                new org.openqa.selenium.interactions.Actions(driver).sendKeys(org.openqa.selenium.Keys.TAB).perform();
                assertEquals("Skip to content", driver.switchTo().activeElement().getText());
                driver.findElement(By.cssSelector("nav a[data-page=nas]")).sendKeys(org.openqa.selenium.Keys.ENTER);
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("nas-table"), "lo"));
                shot(driver, "05-nas-clients");
                // the session the Access-Accept opened is listed, with its CoA actions
                driver.findElement(By.cssSelector("nav a[data-page=sessions]")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sessions-table"), "02:00:00:00:00:07"));
                assertTrue(!driver.findElements(By.cssSelector("#sessions-table button[aria-label^='Disconnect']")).isEmpty());
                // certificates: issue a partner certificate (its .p12 offered for download), then revoke it
                driver.findElement(By.cssSelector("nav a[data-page=certs]")).click();
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("c-name"))).sendKeys("ise-web");
                driver.findElement(By.id("c-password")).sendKeys("a long p12 password");
                driver.findElement(By.cssSelector("#cert-issue button[type=submit]")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cert-issued"), "Issued ise-web"));
                assertTrue(driver.findElement(By.linkText("Download ise-web.p12")).getAttribute("href").startsWith("blob:"));
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("certs-table"), "ise-web"));
                shot(driver, "06-certificate-issued");
                driver.findElement(By.cssSelector("button[aria-label='Revoke ise-web']")).click();
                wait.until(ExpectedConditions.alertIsPresent()).accept();
                wait.until(d -> d.findElements(By.cssSelector("button[aria-label='Revoke ise-web']")).isEmpty());
                assertTrue(io.nacgw.certs.CertificateAuthority.open(config.dataDir().resolve("pki")).list().stream()
                        .anyMatch(c -> c.name().equals("ise-web") && c.revoked()));
                // no errors in the browser console during all of that
                List<LogEntry> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).collect(Collectors.toList());
                assertEquals(List.of(), severe.stream().map(LogEntry::getMessage).collect(Collectors.toList()));
                // 5. a state-changing request without the CSRF token is refused
                Object status = ((JavascriptExecutor) driver).executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "fetch('/api/v1/sync/run?mode=full', {method: 'POST', credentials: 'same-origin',"
                                + " headers: {'X-Nacgw-Console': '1'}}).then(r => done(r.status), e => done(String(e)));");
                assertEquals(403L, status);
                // 6. a partner is refused
                driver.findElement(By.id("sign-out")).click();
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
                driver.findElement(By.id("user")).sendKeys("ise");
                driver.findElement(By.id("password")).sendKeys(PARTNER_PASSWORD);
                driver.findElement(By.id("sign-in")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"),
                        "partner role may not use the console"));
                shot(driver, "07-partner-refused");
                driver.get(base + "/console/");
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
            } catch (Throwable t) {
                shot(driver, "failure");
                throw t;
            } finally {
                driver.quit();
            }
        }
    }

    /**
     * Client certificates in Chromium: a partner's is refused the console (the forbidden page), an admin's signs in.
     * Headless Chromium presents one only when a managed policy ({@code AutoSelectCertificateForUrls}, written to a
     * file of this test's own in {@code /etc/chromium/policies/managed}, removed afterwards) selects it from the NSS
     * database of {@code $HOME/.pki/nssdb} (one per browser here, holding that browser's certificate).
     */
    @Test
    void partnerCertificate_isRefusedTheConsole_adminCertificate_signsIn() throws Exception {
        Path chromium = Needs.executable("chromium", "/usr/bin/chromium");
        Path chromedriver = Needs.executable("chromium-driver", "/usr/bin/chromedriver");
        Path certutil = Needs.executable("libnss3-tools", "/usr/bin/certutil");
        Path pk12util = Needs.executable("libnss3-tools", "/usr/bin/pk12util");
        NacgwConfig config = config();
        try (Gateway g = Gateway.start(config, Clock.systemUTC())) {
            String base = "https://localhost:" + g.api().orElseThrow().address().getPort();
            Path policy = POLICIES.resolve("nacgw-test-" + java.util.UUID.randomUUID() + ".json");
            try {
                Files.createDirectories(POLICIES);
                Files.writeString(policy, "{\"AutoSelectCertificateForUrls\": [\"{\\\"pattern\\\":\\\"" + base
                        + "\\\",\\\"filter\\\":{}}\"]}\n");
            } catch (java.io.IOException e) {
                throw Needs.missing("write access to " + POLICIES + " for Chromium's client-certificate policy (root): " + e);
            }
            try {
                CertificateAuthority ca = CertificateAuthority.open(config.dataDir().resolve("pki"));
                IssuedClient partner = ca.issueClient("ise-appliance", Role.PARTNER, 30, "partner p12 pw".toCharArray());
                IssuedClient admin = ca.issueClient("ops-laptop", Role.ADMIN, 30, "admin p12 pw".toCharArray());

                drive(browser(chromium, chromedriver, nssHome("partner", partner, "partner p12 pw", certutil, pk12util)),
                        "partner-certificate", driver -> {
                    driver.get(base + "/console/");
                    WebElement refusal = new WebDriverWait(driver, Duration.ofSeconds(60)).until(
                            ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=alert]")));
                    assertEquals("nacgw console — forbidden", driver.getTitle());
                    assertTrue(refusal.getText().contains("belongs to a partner"), refusal.getText());
                    assertTrue(driver.findElements(By.id("login-form")).isEmpty(), "no way in with this certificate");
                    shot(driver, "08-partner-certificate-refused");
                });
                drive(browser(chromium, chromedriver, nssHome("admin", admin, "admin p12 pw", certutil, pk12util)),
                        "admin-certificate", driver -> {
                    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
                    driver.get(base + "/console/");
                    wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in-certificate"))).click();
                    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("page-overview")));
                    assertEquals("ops-laptop (admin)", driver.findElement(By.id("who")).getText());
                    shot(driver, "09-admin-certificate-signed-in");
                });
            } finally {
                Files.deleteIfExists(policy);
            }
        }
    }

    /** What a test does in one browser. */
    private interface Steps {
        void run(WebDriver driver) throws Exception;
    }

    /** Runs {@code steps} in {@code driver}, a screenshot {@code failure-NAME} when they fail, then closes it. */
    private static void drive(WebDriver driver, String name, Steps steps) throws Exception {
        try {
            steps.run(driver);
        } catch (Throwable t) {
            shot(driver, "failure-" + name);
            throw t;
        } finally {
            driver.quit();
        }
    }

    /** A home directory whose NSS database ({@code .pki/nssdb}, Chromium's on Linux) holds one client certificate. */
    private Path nssHome(String name, IssuedClient cert, String password, Path certutil, Path pk12util)
            throws Exception {
        Path home = dir.resolve("home-" + name);
        Path db = Files.createDirectories(home.resolve(".pki/nssdb"));
        Path none = Files.writeString(dir.resolve("nss-empty-password"), "\n");
        Processes.run(List.of(certutil.toString(), "-N", "-d", "sql:" + db, "-f", none.toString()), "");
        Processes.run(List.of(pk12util.toString(), "-i", cert.pkcs12File().toString(), "-d", "sql:" + db,
                "-k", none.toString(), "-W", password), "");
        String listed = Processes.run(List.of(certutil.toString(), "-L", "-d", "sql:" + db), "");
        assertTrue(listed.contains("u,u,u"), "the certificate and its key are in the NSS database: " + listed);
        return home;
    }

    private NacgwConfig config() throws Exception {
        return TestConfig.gateway()
                .apiUser("ops", "admin", PasswordHash.create(ADMIN_PASSWORD.toCharArray(), PasswordHash.MIN_ITERATIONS).encoded())
                .apiUser("ise", "partner", PasswordHash.create(PARTNER_PASSWORD.toCharArray(), PasswordHash.MIN_ITERATIONS).encoded())
                .client("lo", "127.0.0.0/8", SECRET).load(dir.resolve("nacgw.yaml"));
    }

    /** Headless Debian Chromium through its chromedriver (no Selenium Manager, no download), a fresh profile. */
    private WebDriver browser(Path chromium, Path chromedriver) throws Exception {
        return browser(chromium, chromedriver, null);
    }

    /** As above, with {@code home} as $HOME (its NSS database) when not null. */
    private WebDriver browser(Path chromium, Path chromedriver, Path home) throws Exception {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(chromium.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1366,900",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-profile"));
        o.setAcceptInsecureCerts(true); // the gateway's development CA
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService.Builder builder = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().withTimeout(Duration.ofSeconds(120));
        if (home != null) {
            builder.withEnvironment(Map.of("HOME", home.toString()));
        }
        ChromeDriverService service = builder.build();
        return new ChromeDriver(service, o);
    }

    private static void shot(WebDriver driver, String name) {
        try {
            Files.createDirectories(SHOTS);
            Path png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(png, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (Exception e) {
            System.err.println("screenshot " + name + " failed: " + e);
        }
    }
}
