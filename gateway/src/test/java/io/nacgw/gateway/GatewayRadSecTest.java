package io.nacgw.gateway;

import io.nacgw.certs.CertificateAuthority;
import io.nacgw.certs.IssuedClient;
import io.nacgw.certs.Role;
import io.nacgw.certs.TlsContexts;
import io.nacgw.core.testing.TestDevices;
import io.nacgw.gateway.config.ConfigLoader;
import io.nacgw.gateway.config.NacgwConfig;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.radsec.CloseReason;
import io.nacgw.radius.radsec.RadSecClient;
import io.nacgw.radius.radsec.RadSecServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gateway's RadSec wiring from config: listener, NAS certificate from `certs issue --role nas`, reload, metrics. */
final class GatewayRadSecTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir
    Path dir;

    private static final String CONFIG = """
            api: {enabled: false}
            metrics: {enabled: false}
            radius:
              bindAddress: 127.0.0.1
              authPort: 0
              acctPort: 0
              radsec:
                enabled: true
                port: 0
              clients:
                core-switch:
                  address: 192.0.2.0/24
                  secrets: [udp-secret-123456]
                  certificateName: %s
            policy:
              profiles:
                wifi:
                  allow: {vlan: "100"}
            """;

    private NacgwConfig write(String certificateName) throws Exception {
        Path f = dir.resolve("nacgw.yaml");
        Files.writeString(f, CONFIG.formatted(certificateName));
        return new ConfigLoader().load(f, Map.of(), new Properties());
    }

    @Test
    void radsecNas_getsItsDecision_reloadRemovingItsCertificateNameClosesTheConnection() throws Exception {
        NacgwConfig config = write("switch1");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (Gateway g = Gateway.start(config, Clock.systemUTC())) {
            g.compliance().upsert(TestDevices.compliant(1).lastCheckIn(java.time.Instant.now()).build());
            Path pki = config.dataDir().resolve("pki");
            CertificateAuthority ca = CertificateAuthority.open(pki);
            IssuedClient nas = ca.issueClient("switch1", Role.NAS, 30, "p12-pass".toCharArray());
            RadSecServer radsec = g.radius().orElseThrow().radsec().orElseThrow();
            InetSocketAddress at = new InetSocketAddress("127.0.0.1", radsec.address().getPort());
            RadSecClient c = RadSecClient.connect(at, TlsContexts.client(List.of(ca.layout().caCertificate()),
                    nas.chainFile(), nas.keyFile()), group, WAIT).join();
            String mac = TestDevices.mac(1).toHex12();
            byte[] reply = c.send(RadiusCode.ACCESS_REQUEST, List.of(Attribute.text(AttributeType.USER_NAME, mac),
                    Attribute.text(AttributeType.USER_PASSWORD, mac), Attribute.text(AttributeType.CALLING_STATION_ID,
                            TestDevices.mac(1).toRfc3580())), WAIT).join();
            assertEquals(RadiusCode.ACCESS_ACCEPT, reply[0] & 0xFF);
            assertTrue(new String(reply, StandardCharsets.ISO_8859_1).contains("100"), "VLAN 100");

            g.reload(write("switch2"));
            assertThrows(CompletionException.class, () -> c.statusServer(WAIT).join());
            assertFalse(c.isOpen());
            assertEquals(1, radsec.stats().closes(CloseReason.CLIENT_REMOVED));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        String audit = Files.readString(config.dataDir().resolve("audit.jsonl"));
        assertTrue(audit.contains("\"nas\":\"core-switch\""), audit);
    }

    @Test
    void radsecMetrics_areScraped() throws Exception {
        Path f = dir.resolve("nacgw.yaml");
        Files.writeString(f, CONFIG.formatted("switch1").replace("metrics: {enabled: false}",
                "metrics: {host: 127.0.0.1, port: 0}"));
        NacgwConfig config = new ConfigLoader().load(f, Map.of(), new Properties());
        try (Gateway g = Gateway.start(config, Clock.systemUTC())) {
            String scrape = g.metrics().scrape();
            assertTrue(scrape.contains("nacgw_radsec_connections_open 0.0"), scrape);
            assertTrue(scrape.contains("nacgw_radsec_refused_total{reason=\"revoked\"} 0.0"), scrape);
            assertTrue(scrape.contains("nacgw_radsec_closed_total{reason=\"protocol_violation\"} 0.0"), scrape);
            assertTrue(scrape.contains("nacgw_tls_handshake_failures_total{reason=\"certificate_revoked\",transport=\"radsec\"} 0.0"),
                    scrape);
        }
    }
}
