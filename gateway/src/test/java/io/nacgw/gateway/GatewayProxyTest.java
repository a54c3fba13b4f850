package io.nacgw.gateway;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.testing.Needs;
import io.nacgw.core.testing.TestDevices;
import io.nacgw.gateway.config.NacgwConfig;
import io.nacgw.radius.Radclient;
import io.nacgw.radius.proxy.HomeServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proxy wired from config: {@code radius.upstreams} with a FreeRADIUS home server, a client with
 * {@code authenticateWith}, radclient's PAP logins decided by compliance, the per-upstream metrics, and what a
 * reload does with {@code authenticateWith}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class GatewayProxyTest {
    @TempDir
    Path dir;

    /** Pool "home" (FreeRADIUS {@code h}), client "lo" with {@code clientKeys}, profile "vpn" with {@code profileKey}. */
    private static TestConfig setup(HomeServer h, String profileKey, String... clientKeys) {
        return TestConfig.gateway().upstreamPool("home", "statusChecks: false", "fr: {address: 127.0.0.1, authPort: "
                        + h.authPort + ", acctPort: " + h.acctPort + ", secret: \"" + HomeServer.SECRET
                        + "\", requireMessageAuthenticator: false}")
                .client("lo", "127.0.0.0/8", "vpn-secret-123", clientKeys)
                .profiles("    vpn:\n      " + profileKey + "\n      allow: {vlan: \"100\"}\n");
    }

    private NacgwConfig config(HomeServer h, String profileKey, String... clientKeys) throws Exception {
        return setup(h, profileKey, clientKeys).load(dir.resolve("nacgw.yaml"));
    }

    private static Radclient.Run login(int port, String mac) throws Exception {
        return Radclient.run("127.0.0.1", port, "auth", "vpn-secret-123", "User-Name = \"alice\", User-Password = "
                + "\"alice-pass\", Calling-Station-Id = \"" + mac + "\", Message-Authenticator = 0x00", 8, 1);
    }

    @Test
    void papLogin_isCheckedUpstream_andDecidedByCompliance_withMetrics_andReloadRules() throws Exception {
        Needs.executable("freeradius-utils", Radclient.BINARY);
        try (HomeServer h = new HomeServer("G", dir.resolve("fr"))) {
            h.start();
            try (Gateway g = Gateway.start(config(h, "noncompliant: deny", "authenticateWith: home"),
                    Clock.systemUTC())) {
                g.compliance().upsert(TestDevices.compliant(1).lastCheckIn(Instant.now()).build());
                g.compliance().upsert(TestDevices.compliant(2).lastCheckIn(Instant.now())
                        .complianceState(ComplianceState.NONCOMPLIANT).build());
                int port = g.radius().orElseThrow().authAddress().getPort();
                Radclient.Run ok = login(port, TestDevices.mac(1).toRfc3580());
                assertTrue(ok.received("Access-Accept"), ok.output() + h.log());
                assertTrue(ok.output().contains("welcome alice from G"), ok.output());
                assertTrue(ok.output().contains("Tunnel-Private-Group-Id:0 = \"100\""), ok.output());
                Radclient.Run denied = login(port, TestDevices.mac(2).toRfc3580());
                assertTrue(denied.received("Access-Reject"), denied.output());
                String metrics = g.metrics().scrape();
                assertTrue(metrics.contains("nacgw_proxy_accepts_total{pool=\"home\",upstream=\"fr\"} 2.0"), metrics);
                assertTrue(metrics.contains("nacgw_proxy_upstream_state{pool=\"home\",state=\"alive\",upstream=\"fr\"} 1.0"),
                        metrics);
                // both logins' round trips to the upstream, as a histogram like nacgw's other timers
                assertEquals(2.0, GatewayMetricsTest.value(metrics, "nacgw_proxy_upstream_latency_seconds_count",
                        "pool=\"home\"", "upstream=\"fr\""));
                assertEquals(2.0, GatewayMetricsTest.value(metrics, "nacgw_proxy_upstream_latency_seconds_bucket",
                        "pool=\"home\"", "upstream=\"fr\"", "le=\"+Inf\""));
                // the service-level buckets every nacgw timer has (their counts depend on the machine: not asserted)
                assertTrue(metrics.contains("nacgw_proxy_upstream_latency_seconds_bucket{pool=\"home\",upstream=\"fr\","
                        + "le=\"0.1\"}"), metrics);

                // a client naming a pool the running proxy lacks: refused, nothing changes
                NacgwConfig refused = setup(h, "noncompliant: deny", "authenticateWith: other")
                        .upstreamPool("other", "", "o: {address: 192.0.2.9, secret: s}").load(dir.resolve("nacgw.yaml"));
                String m = assertThrows(IllegalArgumentException.class, () -> g.reload(refused)).getMessage();
                assertTrue(m.contains("radius.clients.lo.authenticateWith 'other'"), m);
                assertTrue(login(port, TestDevices.mac(1).toRfc3580()).received("Access-Accept"));

                // a profile's authenticateWith needs a restart, and the reload says so
                ReloadResult r = g.reload(config(h, "authenticateWith: home"));
                assertTrue(r.restartNeeded().contains("policy.profiles.*.authenticateWith"), r.toString());
                assertEquals(true, r.applied().stream().anyMatch(a -> a.startsWith("radius.clients")), r.toString());
            }
        }
    }
}
