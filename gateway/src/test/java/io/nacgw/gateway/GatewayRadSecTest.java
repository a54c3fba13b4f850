package io.nacgw.gateway;

import io.nacgw.certs.CertificateAuthority;
import io.nacgw.certs.IssuedClient;
import io.nacgw.certs.Role;
import io.nacgw.certs.TlsContexts;
import io.nacgw.core.testing.TestDevices;
import io.nacgw.gateway.config.NacgwConfig;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.radsec.CloseReason;
import io.nacgw.radius.proxy.RadSecClient;
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

    /** RadSec on a port from the OS ({@code radsecKeys}: further keys) and the NAS "core-switch" of that certificate name. */
    private static TestConfig config(String certificateName, String... radsecKeys) {
        return TestConfig.gateway().radius("radsec: {enabled: true, port: 0" + (radsecKeys.length == 0 ? ""
                        : ", " + String.join(", ", radsecKeys)) + "}")
                .client("core-switch", "192.0.2.0/24", "udp-secret-123456", "certificateName: " + certificateName);
    }

    private NacgwConfig write(String certificateName) throws Exception {
        return config(certificateName).load(dir.resolve("nacgw.yaml"));
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
    void trustedCaFiles_letANasWithItsVendorsCertificateIn() throws Exception {
        // a vendor's device CA and an AP certificate without any nacgw role, as factory certificates are
        Path[] vendor = vendorCertificate(dir.resolve("data"), "ap-hall-1");
        NacgwConfig config = config("ap-hall-1", "trustedCaFiles: [vendor-ca.pem]").load(dir.resolve("nacgw.yaml"));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (Gateway g = Gateway.start(config, Clock.systemUTC())) {
            Path pki = config.dataDir().resolve("pki");
            InetSocketAddress at = new InetSocketAddress("127.0.0.1",
                    g.radius().orElseThrow().radsec().orElseThrow().address().getPort());
            try (RadSecClient c = RadSecClient.connect(at, TlsContexts.client(List.of(pki.resolve("ca.pem")),
                    vendor[0], vendor[1]), group, WAIT).join()) {
                assertEquals(RadiusCode.ACCESS_ACCEPT, c.statusServer(WAIT).join()[0] & 0xFF);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** {@code into}/vendor-ca.pem, and a TLS client certificate (CN {@code cn}) it issued: {leaf chain, leaf key}. */
    private static Path[] vendorCertificate(Path into, String cn) throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.KeyPair caKey = g.generateKeyPair();
        java.security.KeyPair leafKey = g.generateKeyPair();
        var caName = new org.bouncycastle.asn1.x500.X500Name("CN=Vendor Device CA");
        java.time.Instant now = java.time.Instant.now();
        java.util.Date from = java.util.Date.from(now.minus(Duration.ofDays(1)));
        java.util.Date to = java.util.Date.from(now.plus(Duration.ofDays(30)));
        var caBuilder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(caName, java.math.BigInteger.ONE,
                from, to, caName, caKey.getPublic());
        caBuilder.addExtension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true,
                new org.bouncycastle.asn1.x509.BasicConstraints(0));
        caBuilder.addExtension(org.bouncycastle.asn1.x509.Extension.keyUsage, true,
                new org.bouncycastle.asn1.x509.KeyUsage(org.bouncycastle.asn1.x509.KeyUsage.keyCertSign
                        | org.bouncycastle.asn1.x509.KeyUsage.cRLSign));
        var signer = new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA");
        var converter = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter();
        var ca = converter.getCertificate(caBuilder.build(signer.build(caKey.getPrivate())));
        var leafBuilder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(caName,
                java.math.BigInteger.TWO, from, to, new org.bouncycastle.asn1.x500.X500Name("CN=" + cn),
                leafKey.getPublic());
        leafBuilder.addExtension(org.bouncycastle.asn1.x509.Extension.extendedKeyUsage, false,
                new org.bouncycastle.asn1.x509.ExtendedKeyUsage(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_clientAuth));
        var leaf = converter.getCertificate(leafBuilder.build(signer.build(caKey.getPrivate())));
        Files.createDirectories(into);
        Files.writeString(into.resolve("vendor-ca.pem"), pem(ca));
        Path chain = into.resolve(cn + "-chain.pem");
        Path key = into.resolve(cn + ".key");
        Files.writeString(chain, pem(leaf) + pem(ca));
        Files.writeString(key, pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(leafKey.getPrivate(), null)));
        return new Path[] {chain, key};
    }

    private static String pem(Object o) throws Exception {
        java.io.StringWriter w = new java.io.StringWriter();
        try (org.bouncycastle.openssl.jcajce.JcaPEMWriter p = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(w)) {
            p.writeObject(o);
        }
        return w.toString();
    }

    @Test
    void radsecMetrics_areScraped() throws Exception {
        NacgwConfig config = config("switch1").metrics("metrics: {host: 127.0.0.1, port: 0}")
                .load(dir.resolve("nacgw.yaml"));
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
