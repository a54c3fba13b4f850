package io.nacgw.gateway;

import io.nacgw.certs.CertificateAuthority;
import io.nacgw.certs.IssuedClient;
import io.nacgw.certs.Role;
import io.nacgw.gateway.config.ConfigLoader;
import io.nacgw.gateway.config.NacgwConfig;
import io.nacgw.loadgen.SyntheticDevices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load generators against the real gateway, in-process: every device class of the synthetic set gets the
 * verdict the default corp-wifi profile promises, over RADIUS (MAB) and over HTTPS with mutual TLS.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class GatewayLoadgenTest {
    private static final String SECRET = "loadgen-in-process-secret";
    @TempDir
    Path dir;

    private record Run(int status, String out) {
    }

    private static Run run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int status = Main.execute(args);
            return new Run(status, out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }

    /** The report's "verdicts:" line counts at least one answer for each device class (not just names it). */
    private static void assertEveryClassAnswered(String report) {
        String verdicts = report.lines().filter(l -> l.startsWith("verdicts:")).findFirst().orElseThrow(
                () -> new AssertionError("no verdicts line: " + report));
        for (String cls : new String[]{"compliant", "noncompliant", "grace", "unmanaged", "unknown"}) {
            assertTrue(Pattern.compile("\\s" + cls + " \\S+=[1-9]").matcher(verdicts).find(),
                    "class " + cls + " got answers: " + verdicts);
        }
    }

    private static Properties radiusOnLoopback() {
        Properties p = new Properties();
        p.setProperty("nacgw.radius.bindAddress", "127.0.0.1");
        p.setProperty("nacgw.radius.authPort", "0");
        p.setProperty("nacgw.radius.acctPort", "0");
        return p;
    }

    private static void store(Gateway g, SyntheticDevices set) {
        List<io.nacgw.core.device.DeviceRecord> all = new ArrayList<>();
        for (int i = 0; i < set.count(); i++) {
            all.add(set.device(i));
        }
        g.compliance().upsertAll(all);
    }

    @Test
    void radiusAndApiLoad_everyClassGetsItsVerdict() throws Exception {
        Properties p = radiusOnLoopback();
        p.setProperty("nacgw.radius.clients.localhost.secrets", SECRET);
        p.setProperty("nacgw.api.host", "127.0.0.1");
        p.setProperty("nacgw.api.port", "0");
        p.setProperty("nacgw.metrics.port", "0");
        NacgwConfig config = new ConfigLoader().load(null, Map.of(), p).withDataDir(dir.resolve("data"));
        SyntheticDevices set = new SyntheticDevices(3, 2_000, SyntheticDevices.defaultMix(), "SYN-", Instant.now());
        try (Gateway g = Gateway.start(config, Clock.systemUTC())) {
            store(g, set);
            Path secret = dir.resolve("secret");
            Files.writeString(secret, SECRET + "\n");

            Run radius = run("loadtest", "radius", "--target", "127.0.0.1:" + g.radius().orElseThrow().authAddress().getPort(),
                    "--secret-file", secret.toString(), "--count", "2000", "--seed", "3", "--profile", "corp-wifi",
                    "--concurrency", "16", "--requests", "5000", "--quiet");
            assertEquals(0, radius.status, radius.out);
            assertTrue(radius.out.contains("result: OK"), radius.out);
            assertEveryClassAnswered(radius.out);

            Path pki = config.dataDir().resolve("pki");
            IssuedClient partner = CertificateAuthority.open(pki).issueClient("loadgen", Role.PARTNER, 1, "x-p12".toCharArray());
            for (String mode : new String[]{"ise-v3", "json"}) {
                Run api = run("loadtest", "api", "--target", "https://127.0.0.1:" + g.api().orElseThrow().address().getPort(),
                        "--mode", mode, "--ca", pki.resolve("ca.pem").toString(), "--client-cert",
                        partner.certificateFile().toString(), "--client-key", partner.keyFile().toString(),
                        "--count", "2000", "--seed", "3", "--connections", "4", "--requests", "2000", "--quiet");
                assertEquals(0, api.status, mode + ": " + api.out);
                assertTrue(api.out.contains("result: OK"), api.out);
                assertEveryClassAnswered(api.out);
            }
        }
    }

    @Test
    void radsecLoad_overFourConnections_everyClassGetsItsVerdict() throws Exception {
        Properties p = radiusOnLoopback();
        p.setProperty("nacgw.radius.radsec.enabled", "true");
        p.setProperty("nacgw.radius.radsec.port", "0");
        p.setProperty("nacgw.radius.clients.localhost.secrets", SECRET);
        p.setProperty("nacgw.api.enabled", "false");
        p.setProperty("nacgw.metrics.enabled", "false");
        NacgwConfig config = new ConfigLoader().load(null, Map.of(), p).withDataDir(dir.resolve("data"));
        SyntheticDevices set = new SyntheticDevices(5, 1_000, SyntheticDevices.defaultMix(), "SYN-", Instant.now());
        try (Gateway g = Gateway.start(config, Clock.systemUTC())) {
            store(g, set);
            Path pki = config.dataDir().resolve("pki");
            IssuedClient nas = CertificateAuthority.open(pki).issueClient("localhost", Role.NAS, 1, "x-p12".toCharArray());
            String target = "127.0.0.1:" + g.radius().orElseThrow().radsec().orElseThrow().address().getPort();

            Run radsec = run("loadtest", "radius", "--transport", "radsec", "--target", target,
                    "--tls-cert", nas.chainFile().toString(), "--tls-key", nas.keyFile().toString(),
                    "--tls-ca", pki.resolve("ca.pem").toString(), "--retries", "0", "--timeout", "10000",
                    "--sources", "4", "--count", "1000", "--seed", "5", "--profile", "corp-wifi",
                    "--concurrency", "16", "--requests", "3000", "--quiet");
            assertEquals(0, radsec.status, radsec.out);
            assertTrue(radsec.out.contains("result: OK"), radsec.out);
            assertEveryClassAnswered(radsec.out);
            assertEquals(4, g.radius().orElseThrow().radsec().orElseThrow().stats().established());

            Run retries = run("loadtest", "radius", "--transport", "radsec", "--target", target,
                    "--tls-cert", nas.chainFile().toString(), "--tls-key", nas.keyFile().toString(),
                    "--tls-ca", pki.resolve("ca.pem").toString(), "--count", "10", "--concurrency", "1",
                    "--requests", "1", "--quiet");
            assertEquals(2, retries.status, "the default --retries 2 is refused over RadSec: " + retries.out);
            Run noFiles = run("loadtest", "radius", "--transport", "radsec", "--target", target, "--retries", "0",
                    "--count", "10", "--concurrency", "1", "--requests", "1", "--quiet");
            assertEquals(2, noFiles.status, noFiles.out);
        }
    }
}
