package io.nacgw.loadgen.eap;

import io.nacgw.core.device.DeviceRecord;
import io.nacgw.loadgen.Expectations;
import io.nacgw.loadgen.LoadSettings;
import io.nacgw.loadgen.Report;
import io.nacgw.loadgen.RequestShape;
import io.nacgw.loadgen.SyntheticDevices;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The EAP-TLS generator's own behaviour (a server is in gateway's GatewayLoadgenTest): device certificates shaped like
 * Intune's, settings refused with a clear message, and a server that is not there counted as timeouts.
 */
final class EapTlsLoadGeneratorTest {
    private static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.US_ASCII);

    private static List<EapTlsDevices.Device> devices(int n) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair k = g.generateKeyPair();
        X500Name name = new X500Name("CN=Test SCEP CA");
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plus(Duration.ofDays(1))), name, k.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        X509Certificate ca = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(k.getPrivate())));
        SyntheticDevices set = new SyntheticDevices(1, n, SyntheticDevices.defaultMix(), "SYN-", Instant.now());
        List<DeviceRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(set.device(i));
        }
        List<EapTlsDevices.Device> d = EapTlsDevices.issue(records, n, ca, k.getPrivate());
        for (EapTlsDevices.Device x : d) {
            x.certificate().verify(ca.getPublicKey());
        }
        return d;
    }

    @Test
    void issue_intuneShapedCertificates_oneDeviceEach() throws Exception {
        List<EapTlsDevices.Device> d = devices(5);
        assertEquals(5, d.size());
        X509Certificate c = d.get(0).certificate();
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), c.getExtendedKeyUsage());
        assertEquals("IntuneDeviceId://" + d.get(0).intuneId(), c.getSubjectAlternativeNames().iterator().next().get(1));
        assertTrue(d.get(0).toString().startsWith("Device["), "no key in toString");
    }

    @Test
    void settings_areChecked() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new EapTlsLoadGenerator.Settings(true, true, false, 1000))
                .getMessage().contains("--eap-resume needs TLS 1.2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new EapTlsLoadGenerator.Settings(false, false, false, 100))
                .getMessage().contains("--eap-fragment-size"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new EapTlsLoadGenerator.Settings(true, false, true, 1000))
                .getMessage().contains("--eap-tickets needs TLS 1.2"));
        assertTrue(new EapTlsLoadGenerator.Settings(false, true, true, 1000).shapeName().contains("by session ticket"));
        assertTrue(new EapTlsLoadGenerator.Settings(false, true, false, 1000).shapeName().contains("by session id"));
    }

    @Test
    void serverNotThere_everyConversationTimesOut_withoutSpinning() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        LoadSettings s = new LoadSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), SECRET, 1, 0,
                null, 3, Duration.ZERO, RequestShape.EAP_TLS, true, true, 1, 1, Duration.ofMillis(100), 1, 0, 1, false, 0, LoadSettings.DEFAULT_RECEIVE_BUFFER);
        Report r = EapTlsLoadGenerator.run(s, new EapTlsLoadGenerator.Settings(false, false, false, 1000), devices(2),
                Expectations.preset("corp-wifi"), null);
        assertEquals(3, r.exitStatus(), r.toText());
        assertEquals(3, r.errors().get("timeout"), r.toText());
        assertTrue(r.sent() <= 6, "one transmission and one retransmission each: " + r.toText());
        assertEquals(0, r.throughput(), r.toText());
    }

    @Test
    void serverPid_reportsTheServersCpuOverTheMeasuredWindow_andNoneWithout() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        for (long pid : new long[]{ProcessHandle.current().pid(), 0}) {
            LoadSettings s = new LoadSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), SECRET, 1, 0,
                    null, 2, Duration.ZERO, RequestShape.EAP_TLS, true, true, 1, 1, Duration.ofMillis(100), 1, 0, 1, false,
                    pid, LoadSettings.DEFAULT_RECEIVE_BUFFER);
            Report r = EapTlsLoadGenerator.run(s, new EapTlsLoadGenerator.Settings(false, false, false, 1000), devices(1),
                    Expectations.preset("corp-wifi"), null);
            if (pid > 0) {
                assertTrue(r.serverCpuPercent() >= 0, "this JVM as the server: " + r.toJson());
                assertTrue(r.toJson().contains("\"serverCpuPercentOfOneCore\":"), r.toJson());
            } else {
                assertEquals(-1, r.serverCpuPercent(), r.toJson());
            }
        }
    }

    @Test
    void rateOrOtherShapes_areRefused() {
        LoadSettings open = new LoadSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), SECRET, 0, 10,
                null, 3, Duration.ZERO, RequestShape.EAP_TLS, true, true, 1, 1, Duration.ofMillis(100), 1, 0, 1, false, 0, LoadSettings.DEFAULT_RECEIVE_BUFFER);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EapTlsLoadGenerator.run(open,
                new EapTlsLoadGenerator.Settings(false, false, false, 1000), List.of(), Expectations.preset("corp-wifi"), null))
                .getMessage().contains("--concurrency"));
    }
}
