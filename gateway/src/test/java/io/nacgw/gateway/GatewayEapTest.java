package io.nacgw.gateway;

import io.nacgw.core.testing.Needs;
import io.nacgw.core.testing.TestDevices;
import io.nacgw.gateway.config.ConfigLoader;
import io.nacgw.gateway.config.NacgwConfig;
import io.nacgw.radius.eap.Eapol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's 802.1X wiring from config: {@code radius.eap.*} with a device CA made by openssl, the default
 * server certificate from the gateway's own pki/, driven by eapol_test (EAP-TLS with MPPE keys, EAP-MD5 MAB).
 */
final class GatewayEapTest {
    private static final String SECRET = "eap-gateway-secret";

    @TempDir
    Path dir;

    private static String sh(Path cwd, String script) throws Exception {
        Process p = new ProcessBuilder("bash", "-ec", script).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        return out;
    }

    private static String eapol(Path dir, int port, String mac, String network, boolean keys) {
        return Eapol.run(dir, port, SECRET, mac, network, 0, keys).output();
    }

    @Test
    void eapTls_andEapMd5_fromConfig_withThePkiServerCertificate() throws Exception {
        Needs.executable("openssl", "/usr/bin/openssl");
        String deviceId = TestDevices.id(1).canonical();
        // an Intune-shaped device CA and certificate, made by openssl
        sh(dir, "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out intune-ca.pem"
                + " -subj '/CN=Test Intune Device CA' -days 30 -addext basicConstraints=critical,CA:true"
                + " -addext keyUsage=critical,keyCertSign,cRLSign 2>&1\n"
                + "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout dev.key -out dev.csr"
                + " -subj '/CN=LAPTOP-1' 2>&1\n"
                + "printf 'subjectAltName=URI:IntuneDeviceId://" + deviceId + "\\nextendedKeyUsage=clientAuth\\n' > ext.cnf\n"
                + "openssl x509 -req -in dev.csr -CA intune-ca.pem -CAkey ca.key -CAcreateserial -out dev.pem -days 30"
                + " -extfile ext.cnf 2>&1\n"
                + "openssl rand -hex 32 > ticket.key && chmod 600 ticket.key\n");
        Path f = dir.resolve("nacgw.yaml");
        Files.writeString(f, """
                api: {enabled: false}
                metrics: {enabled: false}
                radius:
                  bindAddress: 127.0.0.1
                  authPort: 0
                  acctPort: 0
                  eap:
                    enabled: true
                    tls:
                      trustedCaFiles: [%s]
                      ticketKeyFile: %s
                      warmup: 2s
                  clients:
                    lo:
                      address: 127.0.0.0/8
                      secrets: [%s]
                policy:
                  profiles:
                    wifi:
                      allow: {vlan: "100"}
                """.formatted(dir.resolve("intune-ca.pem"), dir.resolve("ticket.key"), SECRET));
        NacgwConfig config = new ConfigLoader().load(f, Map.of(), new Properties());
        try (Gateway g = Gateway.start(config, Clock.systemUTC())) {
            g.compliance().upsert(TestDevices.compliant(1).lastCheckIn(Instant.now()).build());
            int port = g.radius().orElseThrow().authAddress().getPort();
            Path serverCa = config.dataDir().resolve("pki/ca.pem");
            // TLS 1.2 with session tickets, and one reauthentication: it resumes by the ticket (ticketKeyFile's keys)
            String tls = Eapol.run(dir, port, SECRET, "02:00:00:00:00:99", "key_mgmt=IEEE8021X\neap=TLS\n"
                    + "identity=\"host/LAPTOP-1\"\nca_cert=\"" + serverCa + "\"\nclient_cert=\"" + dir.resolve("dev.pem")
                    + "\"\nprivate_key=\"" + dir.resolve("dev.key") + "\"\nphase1=\"tls_disable_tlsv1_3=1 "
                    + "tls_disable_session_ticket=0\"\neapol_flags=0", 1, true).output();
            assertTrue(tls.contains("MPPE keys OK") && tls.contains("SUCCESS"), tls);
            assertTrue(tls.contains("resumed=1"), tls);
            String scrape = g.metrics().scrape();
            assertTrue(scrape.contains("nacgw_eap_tls_resumed_by_ticket_total 1.0")
                    && scrape.contains("nacgw_eap_tls_tickets_issued_total 1.0"), scrape);
            assertTrue(tls.contains("Value: 00313030"), "VLAN 100: " + tls);
            String mac = TestDevices.mac(1).toHex12();
            String md5 = eapol(dir, port, TestDevices.mac(1).canonical(), "key_mgmt=IEEE8021X\neap=MD5\nidentity=\""
                    + mac + "\"\npassword=\"" + mac + "\"\neapol_flags=0", false);
            assertTrue(md5.contains("SUCCESS"), md5);
        }
        String audit = Files.readString(config.dataDir().resolve("audit.jsonl"));
        assertTrue(audit.contains("\"method\":\"eap-tls\"") && audit.contains("\"method\":\"eap-md5\""), audit);
        assertEquals(3, audit.lines().count(), () -> "the three conversations alone, none of the warm-up's: " + audit);
        assertTrue(audit.contains("TLS 1.2 resumed by ticket"), audit);
        assertFalse(audit.contains("warm-up"), audit);
    }
}
