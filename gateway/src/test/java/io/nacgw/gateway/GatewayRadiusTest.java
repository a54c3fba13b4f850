package io.nacgw.gateway;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.testing.TestDevices;
import io.nacgw.gateway.config.ConfigLoader;
import io.nacgw.gateway.config.NacgwConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gateway's RADIUS wiring from config, driven by FreeRADIUS's radclient, including a client reload. */
final class GatewayRadiusTest {
    @TempDir
    Path dir;

    /** One client for 127.0.0.0/8 with {@code secret}; the wifi profile. */
    private static String config(String secret) {
        return TestConfig.gateway().client("lo", "127.0.0.0/8", secret).yaml();
    }

    private NacgwConfig write(String secret) throws Exception {
        return TestConfig.gateway().client("lo", "127.0.0.0/8", secret).load(dir.resolve("nacgw.yaml"));
    }

    private static String radclient(int port, String secret, String mac) throws Exception {
        return Radclient.mab(port, secret, mac);
    }

    @Test
    void radclient_getsVlanPerVerdict_andReloadSwapsTheSecret() throws Exception {
        NacgwConfig config = write("first-secret-123");
        try (Gateway g = Gateway.start(config, Clock.systemUTC())) {
            g.compliance().upsert(TestDevices.compliant(1).lastCheckIn(java.time.Instant.now()).build());
            g.compliance().upsert(TestDevices.compliant(2).lastCheckIn(java.time.Instant.now())
                    .complianceState(ComplianceState.NONCOMPLIANT).build());
            int port = g.radius().orElseThrow().authAddress().getPort();
            String mac1 = TestDevices.mac(1).toRfc3580();
            String ok = radclient(port, "first-secret-123", mac1);
            assertTrue(ok.contains("Received Access-Accept"), ok);
            assertTrue(ok.contains("Tunnel-Private-Group-Id:0 = \"100\""), ok);
            String q = radclient(port, "first-secret-123", TestDevices.mac(2).toRfc3580());
            assertTrue(q.contains("Tunnel-Private-Group-Id:0 = \"999\""), q);

            g.reload(write("second-secret-456"));
            String old = radclient(port, "first-secret-123", mac1);
            assertFalse(old.contains("Received"), "the old secret gets no answer: " + old);
            assertTrue(radclient(port, "second-secret-456", mac1).contains("Received Access-Accept"));

            Files.writeString(dir.resolve("nacgw.yaml"), config("x").replace("127.0.0.0/8", "not-an-address"));
            assertThrows(RuntimeException.class, () -> g.reload(new ConfigLoader().load(dir.resolve("nacgw.yaml"))));
            assertTrue(radclient(port, "second-secret-456", mac1).contains("Received Access-Accept"),
                    "a refused reload keeps the running clients");
            String scrape = g.metrics().scrape();
            assertTrue(scrape.contains("nacgw_radius_accepts_total"), scrape);
        }
        String audit = Files.readString(config.dataDir().resolve("audit.jsonl"));
        assertTrue(audit.contains("\"verdict\":\"accept\"") && audit.contains("\"verdict\":\"quarantine\""), audit);
    }

    @Test
    void reload_changedProfile_appliesToTheNextRequest_andNamesKeysThatNeedARestart() throws Exception {
        NacgwConfig config = write("first-secret-123");
        try (Gateway g = Gateway.start(config, Clock.systemUTC())) {
            g.compliance().upsert(TestDevices.compliant(1).lastCheckIn(java.time.Instant.now()).build());
            int port = g.radius().orElseThrow().authAddress().getPort();
            String mac1 = TestDevices.mac(1).toRfc3580();
            String before = radclient(port, "first-secret-123", mac1);
            assertTrue(before.contains("Tunnel-Private-Group-Id:0 = \"100\""), before);

            Path f = dir.resolve("nacgw.yaml");
            Files.writeString(f, config("first-secret-123").replace("allow: {vlan: \"100\"}",
                    "allow: {vlan: \"200\"}").replace("acctPort: 0", "acctPort: 0\n  duplicateCacheSize: 4321"));
            ReloadResult r = g.reload(new ConfigLoader().load(f, Map.of(), new Properties()));
            assertEquals(List.of("policy.profiles: changed wifi"), r.applied());
            assertEquals(List.of("radius.duplicateCacheSize"), r.restartNeeded());
            String after = radclient(port, "first-secret-123", mac1);
            assertTrue(after.contains("Tunnel-Private-Group-Id:0 = \"200\""), "the new VLAN, no restart: " + after);

            // a client that names a profile the new file removes: refused as a whole, the old policy stays
            Files.writeString(f, TestConfig.gateway().client("lo", "127.0.0.0/8", "first-secret-123", "profile: wifi")
                    .profiles(TestConfig.WIFI.replace("wifi:", "guest:")).yaml());
            assertThrows(RuntimeException.class, () -> g.reload(new ConfigLoader().load(f, Map.of(), new Properties())));
            assertTrue(g.policy().has("wifi") && !g.policy().has("guest"));
            assertTrue(radclient(port, "first-secret-123", mac1).contains("Tunnel-Private-Group-Id:0 = \"200\""));

            // logrotate renames the audit log, then runs `nacgw reload`: later decisions go to a new file
            Path audit = config.dataDir().resolve("audit.jsonl");
            // the audit writer is asynchronous: let it write the three decisions above before the file is renamed,
            // else the last of them may land in the new file (correct, but not what this test counts)
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (Files.readAllLines(audit).stream().filter(l -> l.contains("\"method\":\"mab\"")).count() < 3
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Files.move(audit, dir.resolve("audit.jsonl.1"));
            Files.writeString(f, config("first-secret-123"));
            g.reload(new ConfigLoader().load(f, Map.of(), new Properties()));
            assertTrue(radclient(port, "first-secret-123", mac1).contains("Received Access-Accept"));
        }
        // the new file has the one decision made after the reload (and the CoA lines the reload itself caused)
        List<String> fresh = Files.readAllLines(config.dataDir().resolve("audit.jsonl"));
        assertEquals(1, fresh.stream().filter(l -> l.contains("\"method\":\"mab\"")).count(), fresh.toString());
        assertTrue(Files.readAllLines(dir.resolve("audit.jsonl.1")).size() >= 3);
    }
}
