package io.nacgw.gateway.cli;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.testing.TestDevices;
import io.nacgw.gateway.Gateway;
import io.nacgw.gateway.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's read-only views from the command line: {@code nacgw nas list} and {@code nacgw decisions recent}
 * against a running gateway that answered a real radclient request.
 */
final class ConsoleCommandsTest {
    @TempDir
    Path dir;

    @Test
    void nasList_andDecisionsRecent_showTheDecisionRadclientGot() throws Exception {
        Path cfg = dir.resolve("nacgw.yaml");
        int metricsPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            metricsPort = s.getLocalPort();
        }
        Files.writeString(cfg, """
                api: {enabled: false}
                metrics: {host: 127.0.0.1, port: %d}
                radius:
                  bindAddress: 127.0.0.1
                  authPort: 0
                  acctPort: 0
                  clients:
                    sw-lab: {address: 127.0.0.0/8, secrets: [console-cli-secret-1], vendor: cisco}
                policy:
                  profiles:
                    wifi: {noncompliant: quarantine, quarantine: {vlan: "999"}}
                """.formatted(metricsPort));
        try (Gateway g = Gateway.start(new ConfigLoader().load(cfg, Map.of(), new Properties()), Clock.systemUTC())) {
            g.compliance().upsert(TestDevices.compliant(3).complianceState(ComplianceState.NONCOMPLIANT)
                    .lastCheckIn(Instant.now()).build());
            String mac = TestDevices.mac(3).toRfc3580();
            String answer = io.nacgw.gateway.Radclient.mab(g.radius().orElseThrow().authAddress().getPort(),
                    "console-cli-secret-1", mac);
            assertTrue(answer.contains("Received Access-Accept"), answer);

            // the audit writer publishes asynchronously: ask until the decision is there (bounded)
            Cli.Result recent = null;
            for (int i = 0; i < 300; i++) {
                recent = Cli.run("decisions", "recent", "--mac", "0200.0000.0003", "--config", cfg.toString());
                if (recent.out().contains("quarantine")) {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals(0, recent.status(), recent.err());
            assertTrue(recent.out().contains("sw-lab") && recent.out().contains("quarantine")
                    && recent.out().contains("noncompliant"), recent.out());
            Cli.Result other = Cli.run("decisions", "recent", "--nas", "elsewhere", "--json", "--config", cfg.toString());
            assertEquals("{\"decisions\":[]}", other.out().strip());

            Cli.Result nas = Cli.run("nas", "list", "--config", cfg.toString());
            assertEquals(0, nas.status(), nas.err());
            assertTrue(nas.out().contains("sw-lab") && nas.out().contains("127.0.0.0/8") && nas.out().contains("cisco"),
                    nas.out());
            Cli.Result json = Cli.run("nas", "list", "--json", "--config", cfg.toString());
            var c = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out()).path("clients").get(0);
            assertEquals(1, c.path("quarantines").asInt());
            assertTrue(c.path("lastRequest").asText().startsWith("20"), json.out());

            Cli.Result bad = Cli.run("decisions", "recent", "--mac", "not-a-mac", "--config", cfg.toString());
            assertEquals(2, bad.status(), bad.out() + bad.err());
            Cli.Result badLimit = Cli.run("decisions", "recent", "--limit", "0", "--config", cfg.toString());
            assertTrue(badLimit.status() != 0 && badLimit.err().contains("limit must be 1 to 500"), badLimit.err());
        }
    }
}
