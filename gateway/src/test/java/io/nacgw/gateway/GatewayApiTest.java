package io.nacgw.gateway;

import io.nacgw.certs.CertificateAuthority;
import io.nacgw.certs.IssuedClient;
import io.nacgw.certs.Role;
import io.nacgw.core.testing.Needs;
import io.nacgw.core.testing.TestDevices;
import io.nacgw.gateway.config.ConfigLoader;
import io.nacgw.gateway.config.NacgwConfig;
import io.nacgw.nacapi.auth.PasswordHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTPS API and the metrics port as the gateway wires them from config, driven by curl. */
final class GatewayApiTest {
    @TempDir
    Path dir;

    private static String curl(String... args) throws Exception {
        Needs.executable("curl", "/usr/bin/curl");
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "-w", "\nHTTP %{http_code}\n"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "curl finished");
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void firstStart_makesDevCertificates_partnerCertAndBasicUserGetDecisions() throws Exception {
        String hash = PasswordHash.create("correct horse battery".toCharArray(), 10_000).encoded();
        Path cfg = dir.resolve("nacgw.yaml");
        Files.writeString(cfg, """
                radius: {enabled: false}
                api:
                  host: 127.0.0.1
                  port: 0
                  users:
                    - {name: ise, role: partner, passwordHash: "%s"}
                metrics: {port: 0}
                policy:
                  profiles:
                    wifi:
                      remediationUrl: https://portal.example.com/fix
                      allow: {vlan: "100"}
                """.formatted(hash));
        NacgwConfig config = new ConfigLoader().load(cfg, Map.of(), new Properties());
        try (Gateway g = Gateway.start(config, Clock.systemUTC())) {
            g.compliance().upsert(TestDevices.compliant(1).lastCheckIn(java.time.Instant.now()).build());
            Path pki = config.dataDir().resolve("pki");
            assertTrue(Files.exists(pki.resolve("ca.pem")), "development CA created on first start");
            IssuedClient partner = CertificateAuthority.open(pki).issueClient("ise1", Role.PARTNER, 30, "p12-pass".toCharArray());
            String base = "https://127.0.0.1:" + g.api().orElseThrow().address().getPort();
            String mac = TestDevices.mac(1).toHex12();

            String byCert = curl("--cacert", pki.resolve("ca.pem").toString(), "--cert", partner.certificateFile().toString(),
                    "--key", partner.keyFile().toString(), base + "/api/v1/devices/lookup?mac=" + mac);
            assertTrue(byCert.contains("HTTP 200") && byCert.contains("\"verdict\":\"allow\""), byCert);

            // a RadSec NAS certificate is no API identity
            IssuedClient nas = CertificateAuthority.open(pki).issueClient("switch1", Role.NAS, 30, "p12-pass".toCharArray());
            String byNasCert = curl("--cacert", pki.resolve("ca.pem").toString(), "--cert", nas.certificateFile().toString(),
                    "--key", nas.keyFile().toString(), base + "/api/v1/devices/lookup?mac=" + mac);
            assertTrue(byNasCert.contains("HTTP 401"), byNasCert);

            String byBasic = curl("--cacert", pki.resolve("ca.pem").toString(), "-u", "ise:correct horse battery",
                    base + "/ciscoise/mdminfo/?ise_api_version=3");
            assertTrue(byBasic.contains("HTTP 200") && byBasic.contains("<api_version>3</api_version>"), byBasic);
            assertTrue(byBasic.contains("https://portal.example.com/fix"), "redirect_url from the default profile: " + byBasic);

            String wrong = curl("--cacert", pki.resolve("ca.pem").toString(), "-u", "ise:wrong password!!",
                    base + "/ciscoise/mdminfo/?ise_api_version=3");
            assertTrue(wrong.contains("HTTP 401"), wrong);

            String metrics = curl("http://127.0.0.1:" + g.metricsServer().orElseThrow().address().getPort() + "/metrics");
            assertTrue(metrics.contains("nacgw_api_requests_total") && metrics.contains("nacgw_index_devices 1.0"), metrics);
            assertTrue(curl("http://127.0.0.1:" + g.metricsServer().orElseThrow().address().getPort() + "/health")
                    .contains("HTTP 200"));
        }
    }
}
