package io.nacgw.gateway;

import io.nacgw.certs.CertificateAuthority;
import io.nacgw.certs.IssuedClient;
import io.nacgw.certs.Role;
import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.testing.Needs;
import io.nacgw.core.testing.TestDevices;
import io.nacgw.gateway.config.ConfigLoader;
import io.nacgw.gateway.config.NacgwConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metrics of day-2 operations, driven by real peers (radclient, curl): decisions by NAS client, profile and
 * reason, latency histograms (RADIUS, API, store), build info, TLS handshake failures by reason, and series for
 * clients a reload adds.
 */
final class GatewayMetricsTest {
    @TempDir
    Path dir;

    private static final String CONFIG = """
            api: {host: 127.0.0.1, port: 0}
            metrics: {port: 0}
            radius:
              bindAddress: 127.0.0.1
              authPort: 0
              acctPort: 0
              clients:
                lo:
                  address: 127.0.0.0/8
                  secrets: [metrics-secret-1]
                  profile: wifi
            %s
            policy:
              profiles:
                wifi:
                  noncompliant: quarantine
                  allow: {vlan: "100"}
                  quarantine: {vlan: "999"}
            %s
            """;

    private NacgwConfig write(String extraClient, String extraProfile) throws Exception {
        Path f = dir.resolve("nacgw.yaml");
        Files.writeString(f, CONFIG.formatted(extraClient, extraProfile));
        return new ConfigLoader().load(f, Map.of(), new Properties());
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "finished: " + List.of(cmd));
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static String radclient(int port, String mac) throws Exception {
        Needs.executable("freeradius-utils", "/usr/bin/radclient");
        Process p = new ProcessBuilder("radclient", "-x", "-r", "2", "-t", "4", "127.0.0.1:" + port, "auth",
                "metrics-secret-1").redirectErrorStream(true).start();
        p.getOutputStream().write(("User-Name = \"" + mac + "\", User-Password = \"" + mac + "\", Calling-Station-Id = \""
                + mac + "\", Service-Type = Call-Check, Message-Authenticator = 0x00\n").getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "radclient finished");
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** The value of the one series of {@code name} whose labels include every {@code labels} item. */
    static double value(String scrape, String name, String... labels) {
        List<Double> found = new ArrayList<>();
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                all &= line.contains(l);
            }
            if (all) {
                found.add(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        assertEquals(1, found.size(), name + " " + List.of(labels) + " in:\n" + scrape);
        return found.get(0);
    }

    @Test
    void metrics_countDecisionsPerClientProfileAndReason_timeEveryPath_andNameTlsFailures() throws Exception {
        NacgwConfig config = write("", "");
        try (Gateway g = Gateway.start(config, Clock.systemUTC())) {
            g.compliance().upsert(TestDevices.compliant(1).lastCheckIn(Instant.now()).build());
            g.compliance().upsert(TestDevices.compliant(2).lastCheckIn(Instant.now())
                    .complianceState(ComplianceState.NONCOMPLIANT).build());
            int port = g.radius().orElseThrow().authAddress().getPort();
            assertTrue(radclient(port, TestDevices.mac(1).toRfc3580()).contains("Access-Accept"));
            assertTrue(radclient(port, TestDevices.mac(2).toRfc3580()).contains("\"999\""));

            Needs.executable("curl", "/usr/bin/curl");
            Path pki = config.dataDir().resolve("pki");
            IssuedClient partner = CertificateAuthority.open(pki).issueClient("ise1", Role.PARTNER, 30,
                    "p12-pass".toCharArray());
            String base = "https://127.0.0.1:" + g.api().orElseThrow().address().getPort();
            String ok = run("curl", "-sS", "--max-time", "20", "--cacert", pki.resolve("ca.pem").toString(), "--cert",
                    partner.certificateFile().toString(), "--key", partner.keyFile().toString(),
                    base + "/api/v1/devices/lookup?mac=" + TestDevices.mac(1).toHex12());
            assertTrue(ok.contains("\"verdict\":\"allow\""), ok);
            Needs.executable("openssl", "/usr/bin/openssl");
            Path key = dir.resolve("stranger.key");
            Path cert = dir.resolve("stranger.pem");
            String made = run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-subj", "/CN=stranger", "-days", "2", "-keyout", key.toString(), "-out", cert.toString());
            assertTrue(Files.exists(cert), made);
            for (int i = 0; i < 2; i++) { // a client certificate of no CA the gateway trusts: refused in the handshake
                run("curl", "-sS", "--max-time", "20", "--cacert", pki.resolve("ca.pem").toString(), "--cert",
                        cert.toString(), "--key", key.toString(), base + "/api/v1/devices");
            }

            String s = g.metrics().scrape();
            assertEquals(1.0, value(s, "nacgw_radius_client_decisions_total", "client=\"lo\"", "verdict=\"allow\""));
            assertEquals(1.0, value(s, "nacgw_radius_client_decisions_total", "client=\"lo\"", "verdict=\"quarantine\""));
            assertEquals(0.0, value(s, "nacgw_radius_client_decisions_total", "client=\"lo\"", "verdict=\"reject\""));
            assertEquals(1.0, value(s, "nacgw_radius_profile_decisions_total", "profile=\"wifi\"", "verdict=\"quarantine\""));
            assertEquals(1.0, value(s, "nacgw_radius_decision_reasons_total", "reason=\"noncompliant\""));
            assertEquals(1.0, value(s, "nacgw_radius_accepts_total"), "quarantines are not counted as accepts");
            assertEquals(2.0, value(s, "nacgw_radius_access_accepts_total"));
            assertEquals(1.0, value(s, "nacgw_radius_quarantines_total"));
            assertTrue(s.contains("nacgw_radius_accept_session_writes_total ")
                    && s.contains("nacgw_radius_accept_sessions_written_total "), "the Accept recorder's batches");
            assertEquals(0.0, value(s, "nacgw_radius_accept_recorder_paused_seconds_total"),
                    "nothing shed: the recorder never paused");
            assertEquals(0.0, value(s, "nacgw_radius_receive_queue_drops_total"), "the kernel dropped nothing");
            assertEquals(0.0, value(s, "nacgw_api_shed_total"), "no request over api.maxInFlightRequests");
            assertTrue(value(s, "nacgw_radius_client_last_request_seconds", "client=\"lo\"")
                    > Instant.now().getEpochSecond() - 600);
            assertEquals(2.0, value(s, "nacgw_radius_request_seconds_count"));
            assertTrue(s.contains("nacgw_radius_request_seconds_bucket{le=\"0.001\"}"), "histogram buckets");
            assertTrue(value(s, "nacgw_api_request_seconds_count") >= 1.0);
            assertTrue(value(s, "nacgw_store_write_seconds_count") >= 2.0, "the two upserts were timed");
            assertEquals(1.0, value(s, "nacgw_build_info", "commit=\"", "version=\""));
            double httpsFailures = 0;
            for (String reason : io.nacgw.certs.TlsFailures.REASONS) {
                httpsFailures += value(s, "nacgw_tls_handshake_failures_total", "transport=\"https\"",
                        "reason=\"" + reason + "\"");
            }
            assertEquals(2.0, httpsFailures, "both refused handshakes, each under one reason");
            assertEquals(2.0, value(s, "nacgw_tls_handshake_failures_total", "transport=\"https\"",
                    "reason=\"certificate_unknown_ca\""), "the stranger's certificate, by its reason");
            assertEquals(0.0, value(s, "nacgw_tls_handshake_failures_total", "transport=\"eap-tls\"",
                    "reason=\"certificate_revoked\""));

            g.reload(write("    lo6: {address: \"::1/128\", secrets: [metrics-secret-2], profile: guest}",
                    "    guest: {allow: {vlan: \"300\"}}"));
            String after = g.metrics().scrape();
            assertEquals(0.0, value(after, "nacgw_radius_client_decisions_total", "client=\"lo6\"", "verdict=\"allow\""));
            assertEquals(0.0, value(after, "nacgw_radius_profile_decisions_total", "profile=\"guest\"", "verdict=\"allow\""));
            assertEquals(1.0, value(after, "nacgw_radius_client_decisions_total", "client=\"lo\"", "verdict=\"allow\""),
                    "a reload keeps the counts");
        }
    }
}
