package io.nacgw.gateway;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.testing.TestDevices;
import io.nacgw.gateway.cli.Cli;
import io.nacgw.gateway.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A device's last decisions survive a restart: the console's Devices page ({@code GET /api/v1/decisions/recent}) and
 * {@code nacgw decisions recent} read them back from the audit log when the new gateway's memory has none.
 */
final class ConsoleDecisionsRestartTest {
    private static final String SECRET = "restart-radius-secret-1";

    @TempDir
    Path dir;

    /** The HTTPS API (admin client certificates) and the operations port on a free port, for each start. */
    private Path config() throws Exception {
        Path f = dir.resolve("nacgw.yaml");
        TestConfig.gateway().api().metricsPort(TestConfig.freePort()).client("lo", "127.0.0.0/8", SECRET).load(f);
        return f;
    }

    private static Gateway start(Path cfg) {
        return Gateway.start(new ConfigLoader().load(cfg, Map.of(), new Properties()), Clock.systemUTC());
    }

    @Test
    void aDevicesDecisions_madeBeforeARestart_areShownAfterIt_onTheDevicesApiAndTheCli() throws Exception {
        String mac = TestDevices.mac(5).toRfc3580();
        Path cfg = config();
        try (Gateway g = start(cfg)) {
            g.compliance().upsert(TestDevices.compliant(5).complianceState(ComplianceState.NONCOMPLIANT)
                    .lastCheckIn(Instant.now()).build());
            g.compliance().upsert(TestDevices.compliant(6).lastCheckIn(Instant.now()).build());
            int port = g.radius().orElseThrow().authAddress().getPort();
            assertTrue(Radclient.mab(port, SECRET, mac).contains("Received Access-Accept"));
            assertTrue(Radclient.mab(port, SECRET, TestDevices.mac(6).toRfc3580()).contains("Received Access-Accept"));
            // the audit writer is asynchronous: wait until the decision is in memory (then it is on its way to disk)
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Cli.run("decisions", "recent", "--mac", mac, "--config", cfg.toString()).out().contains("quarantine")
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } // close drains the audit queue to audit.jsonl

        config(); // the same data directory and audit log
        try (Gateway g = start(cfg)) {
            Cli.Result recent = Cli.run("decisions", "recent", "--mac", "0200.0000.0005", "--config", cfg.toString());
            assertEquals(0, recent.status(), recent.err());
            assertTrue(recent.out().contains("quarantine") && recent.out().contains("noncompliant"), recent.out());
            assertTrue(!recent.out().contains("02:00:00:00:00:06"), "only this device's: " + recent.out());

            HttpClient admin = AdminClient.create(dir.resolve("data/pki"), "restart-admin");
            HttpResponse<String> api = admin.send(HttpRequest.newBuilder(URI.create("https://localhost:"
                    + g.api().orElseThrow().address().getPort() + "/api/v1/decisions/recent?mac=" + mac + "&limit=20"))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, api.statusCode(), api.body());
            var decisions = new com.fasterxml.jackson.databind.ObjectMapper().readTree(api.body()).path("decisions");
            assertEquals(1, decisions.size(), api.body());
            assertEquals("quarantine", decisions.get(0).path("verdict").asText(), api.body());
            assertEquals("mac:" + TestDevices.mac(5).canonical(), decisions.get(0).path("identifierUsed").asText(), api.body());
        }
    }
}
