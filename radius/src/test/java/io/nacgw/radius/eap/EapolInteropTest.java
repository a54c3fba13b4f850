package io.nacgw.radius.eap;

import io.nacgw.radius.bootstrap.RadiusServer;
import io.nacgw.radius.TestWorld;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 802.1X end to end with wpa_supplicant's {@code eapol_test} as supplicant and NAS, against a server on free
 * loopback ports: EAP-MD5 MAB, EAP-TLS 1.2 and 1.3 with ECDSA and RSA device certificates from an Intune-shaped
 * CA, the profile's answer for noncompliant and unknown devices, every kind of bad certificate, PEAP refused after
 * the NAK, fragmentation both ways and resumption. Must not skip in CI ({@code CI=true}).
 */
final class EapolInteropTest {
    private static final String COMPLIANT_MAC = "00:11:22:33:44:01";
    private static final String OTHER_MAC = "02:00:00:00:00:01";
    /** Tunnel-Private-Group-Id with tag 0, as eapol_test prints it: VLAN "100" (corp) and "999" (quarantine). */
    private static final String VLAN_100 = "Value: 00313030";
    private static final String VLAN_999 = "Value: 00393939";

    @TempDir
    static Path dir;
    private static TestWorld world;
    private static RadiusServer server;
    private static TestPki pki;
    private static TestPki.Issued revoked;

    @BeforeAll
    static void start() {
        world = new TestWorld();
        pki = new TestPki(dir, TestWorld.NOW, false);
        revoked = pki.device("revoked", TestWorld.COMPLIANT_ID.canonical(), TestPki.ec());
        Path crl = pki.revoke(revoked.cert());
        EapSettings eap = EapSettings.DISABLED.withTls(List.of(pki.trustedCas), pki.server.certFile(), pki.server.keyFile())
                .withRevocation(List.of(crl), List.of());
        server = RadiusServer.start(TestWorld.settings(), eap, List.of(TestWorld.switchClient("127.0.0.1").build()),
                world.services());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (world != null) {
            world.close();
        }
    }

    @BeforeEach
    void clearAudit() {
        world.audit.clear();
    }

    private static Eapol.Run run(String network, String mac, int reauths, boolean keys, String... attrs) {
        return Eapol.run(dir, server.authAddress().getPort(), TestWorld.SECRET, mac, network, reauths, keys, attrs);
    }

    private static Eapol.Run tls(TestPki.Issued device, boolean tls13, String mac, String... attrs) {
        return run(Eapol.tls(pki, device, tls13, 1398), mac, 0, true, attrs);
    }

    /** The audit line containing {@code needle} (lines are written asynchronously). */
    private static String audit(String needle) {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < until) {
            synchronized (world.audit) {
                for (String line : world.audit) {
                    if (line.contains(needle)) {
                        return line;
                    }
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no audit line with " + needle + " in " + world.audit);
    }

    private static void assertRejected(Eapol.Run r, String reason) {
        assertFalse(r.success(), r::toString);
        assertTrue(r.output().contains("code=3 (Access-Reject)"), r::toString);
        assertTrue(r.output().contains("EAP Failure") || r.output().contains("CTRL-EVENT-EAP-FAILURE"), r::toString);
        audit(reason);
    }

    @Test
    void md5Mab_compliantMac_isAcceptedWithTheProfileVlan() {
        Eapol.Run r = run(Eapol.md5("001122334401", "00-11-22-33-44-01"), COMPLIANT_MAC, 0, false);
        assertTrue(r.success(), r::toString);
        assertTrue(r.output().contains(VLAN_100), r::toString);
        String audit = audit("\"eap-md5\"");
        assertTrue(audit.contains("\"accept\""), audit);
    }

    @Test
    void md5Mab_wrongPassword_isRejectedWithEapFailure() {
        assertRejected(run(Eapol.md5("001122334401", "not-the-mac"), COMPLIANT_MAC, 0, false), "mab_password_mismatch");
    }

    @Test
    void tls12_ecdsaDevice_isAcceptedWithVlanAndMppeKeys() {
        TestPki.Issued dev = pki.device("dev-ec12", TestWorld.COMPLIANT_ID.canonical(), TestPki.ec());
        Eapol.Run r = tls(dev, false, OTHER_MAC);
        assertTrue(r.success(), r::toString);
        assertTrue(r.mppeOk(), r::toString);
        assertTrue(r.output().contains(VLAN_100), r::toString);
        assertTrue(r.output().contains("Using TLS version TLSv1.2"), r::toString);
        String audit = audit("CN=dev-ec12");
        assertTrue(audit.contains("\"eap-tls\"") && audit.contains("\"accept\"")
                && audit.contains("intune_id:" + TestWorld.COMPLIANT_ID.canonical()), audit);
    }

    @Test
    void tls13_rsaDevice_isAcceptedWithVlanAndMppeKeys() {
        TestPki.Issued dev = pki.device("dev-rsa13", TestWorld.COMPLIANT_ID.canonical(), TestPki.rsa(2048));
        Eapol.Run r = tls(dev, true, OTHER_MAC);
        assertTrue(r.success(), r::toString);
        assertTrue(r.mppeOk(), r::toString);
        assertTrue(r.output().contains(VLAN_100), r::toString);
        assertTrue(r.output().contains("Using TLS version TLSv1.3"), r::toString);
    }

    @Test
    void tls13_ecdsaDevice_and_tls12_rsaDevice_areAccepted() {
        Eapol.Run ec13 = tls(pki.device("dev-ec13", TestWorld.COMPLIANT_ID.canonical(), TestPki.ec()), true, OTHER_MAC);
        assertTrue(ec13.success() && ec13.mppeOk(), ec13::toString);
        Eapol.Run rsa12 = tls(pki.device("dev-rsa12", TestWorld.COMPLIANT_ID.canonical(), TestPki.rsa(2048)), false,
                OTHER_MAC);
        assertTrue(rsa12.success() && rsa12.mppeOk(), rsa12::toString);
    }

    @Test
    void rsaServerCertificate_tls12AndTls13_areAcceptedWithMppeKeys(@TempDir Path rsaDir) {
        TestPki rsa = new TestPki(rsaDir, TestWorld.NOW, true);
        EapSettings eap = EapSettings.DISABLED.withTls(List.of(rsa.trustedCas), rsa.server.certFile(),
                rsa.server.keyFile());
        RadiusServer s = RadiusServer.start(TestWorld.settings(), eap,
                List.of(TestWorld.switchClient("127.0.0.1").build()), world.services());
        try {
            for (boolean tls13 : new boolean[]{false, true}) {
                TestPki.Issued dev = rsa.device("dev-rsa-server-" + tls13, TestWorld.COMPLIANT_ID.canonical(),
                        TestPki.ec());
                Eapol.Run r = Eapol.run(rsaDir, s.authAddress().getPort(), TestWorld.SECRET, OTHER_MAC,
                        Eapol.tls(rsa, dev, tls13, 1398), 0, true);
                assertTrue(r.success() && r.mppeOk(), r::toString);
                assertTrue(r.output().contains(tls13 ? "Using TLS version TLSv1.3" : "Using TLS version TLSv1.2"),
                        r::toString);
            }
        } finally {
            s.close();
        }
    }

    @Test
    void noncompliantDevice_isDeniedOnCorp_andQuarantinedOnTheGuestSsid() {
        TestPki.Issued dev = pki.device("dev-nc", TestWorld.NONCOMPLIANT_ID.canonical(), TestPki.ec());
        assertRejected(tls(dev, false, OTHER_MAC), "noncompliant");
        Eapol.Run guest = tls(dev, false, OTHER_MAC, "30:s:AA-BB-CC-DD-EE-FF:guest");
        assertTrue(guest.success(), guest::toString);
        assertTrue(guest.output().contains(VLAN_999), guest::toString);
        audit("\"quarantine\"");
    }

    @Test
    void unknownDevice_withValidCertificate_getsTheProfileAnswer() {
        TestPki.Issued dev = pki.device("dev-unknown", "99999999-2222-4333-8444-000000000009", TestPki.ec());
        assertRejected(tls(dev, false, OTHER_MAC), "device_unknown");
    }

    @Test
    void userCertificate_withoutDeviceId_fallsBackToTheCallingStationMac() {
        TestPki.Issued user = pki.leaf("alice", "CN=alice@contoso.com", pki.issuing, TestPki.ec(), List.of(),
                KeyPurposeId.id_kp_clientAuth, TestWorld.NOW.minus(Duration.ofDays(1)), Duration.ofDays(30));
        Eapol.Run r = tls(user, false, COMPLIANT_MAC);
        assertTrue(r.success(), r::toString);
        String audit = audit("CN=alice@contoso.com");
        assertTrue(audit.contains("\"identifierUsed\":\"mac:") && audit.contains("\"accept\""), audit);
    }

    /** The compliant device's id, with {@code eku}, valid for 30 days from {@code age} ago. */
    private static TestPki.Issued compliantDevice(String name, KeyPurposeId eku, Duration age) {
        return pki.leaf(name, "CN=" + name, pki.issuing, TestPki.ec(),
                List.of("IntuneDeviceId://" + TestWorld.COMPLIANT_ID.canonical()), eku, TestWorld.NOW.minus(age),
                Duration.ofDays(30));
    }

    @Test
    void untrustedCa_isRejectedWithEapFailure() {
        assertRejected(tls(pki.foreign("dev-foreign", TestWorld.COMPLIANT_ID.canonical()), false, OTHER_MAC),
                "certificate_unknown_ca");
    }

    @Test
    void expiredCertificate_isRejectedWithEapFailure() {
        TestPki.Issued dev = compliantDevice("dev-expired", KeyPurposeId.id_kp_clientAuth, Duration.ofDays(400));
        assertRejected(tls(dev, true, OTHER_MAC), "certificate_expired");
    }

    @Test
    void revokedCertificate_isRejectedWithEapFailure() {
        assertRejected(tls(revoked, false, OTHER_MAC), "certificate_revoked");
    }

    @Test
    void certificateWithoutClientAuth_isRejectedWithEapFailure() {
        TestPki.Issued dev = compliantDevice("dev-server-eku", KeyPurposeId.id_kp_serverAuth, Duration.ofDays(1));
        assertRejected(tls(dev, false, OTHER_MAC), "certificate_wrong_key_usage");
    }

    @Test
    void peap_isNakedAndRejected() {
        String peap = "key_mgmt=IEEE8021X\neap=PEAP\nidentity=\"alice\"\npassword=\"secret\"\nphase2=\"auth=MSCHAPV2\"\n"
                + "ca_cert=\"" + pki.serverCaFile + "\"\neapol_flags=0";
        Eapol.Run r = run(peap, OTHER_MAC, 0, true);
        assertRejected(r, "eap_method_not_supported");
        audit("\"eap-nak\":\"peap\"");
    }

    @Test
    void longChain_isFragmentedBothWays() {
        TestPki.Issued dev = pki.device("dev-rsa4096", TestWorld.COMPLIANT_ID.canonical(), TestPki.rsa(4096));
        long before = server.eapStats().challenges();
        // the client's flight (4096-bit certificate, its CAs) in 500-byte fragments; ours cut by Framed-MTU 300
        Eapol.Run r = run(Eapol.tls(pki, dev, false, 500), OTHER_MAC, 0, true, "12:d:300");
        assertTrue(r.success() && r.mppeOk(), r::toString);
        assertTrue(r.count("Flags 0xc0") >= 1, "the server's first fragment carries L and M: " + r);
        assertTrue(server.eapStats().challenges() - before >= 10, "server and peer fragments were acknowledged");
    }

    @Test
    void configuredFragmentSizeAndMinimumVersion_areTheServersOwn() {
        EapSettings eap = EapSettings.DISABLED.withTls(List.of(pki.trustedCas), pki.server.certFile(), pki.server.keyFile())
                .withTlsLimits("1.3", 300);
        RadiusServer limited = RadiusServer.start(TestWorld.settings(), eap,
                List.of(TestWorld.switchClient("127.0.0.1").build()), world.services());
        try {
            int port = limited.authAddress().getPort();
            TestPki.Issued dev = pki.device("dev-limits", TestWorld.COMPLIANT_ID.canonical(), TestPki.ec());
            Eapol.Run tls13 = Eapol.run(dir, port, TestWorld.SECRET, OTHER_MAC, Eapol.tls(pki, dev, true, 1398), 0, true);
            assertTrue(tls13.success() && tls13.mppeOk(), tls13::toString);
            // "SSL: Received packet(len=N)": the whole EAP-TLS request, 10 bytes of headers around at most 300 of TLS
            List<Integer> lengths = java.util.regex.Pattern.compile("SSL: Received packet\\(len=(\\d+)\\)")
                    .matcher(tls13.output()).results().map(m -> Integer.parseInt(m.group(1))).toList();
            assertTrue(lengths.size() >= 3 && lengths.stream().allMatch(n -> n <= 310)
                    && lengths.stream().anyMatch(n -> n > 250), "server fragments of radius.eap.tls.fragmentSize 300: "
                    + lengths + "\n" + tls13);

            Eapol.Run tls12 = Eapol.run(dir, port, TestWorld.SECRET, OTHER_MAC, Eapol.tls(pki, dev, false, 1398), 0, true);
            assertRejected(tls12, "tls_handshake_failed");
        } finally {
            limited.close();
        }
    }

    @Test
    void tls12_secondRun_resumesTheSession() {
        TestPki.Issued dev = pki.device("dev-resume", TestWorld.COMPLIANT_ID.canonical(), TestPki.ec());
        long resumed = server.eapStats().tlsResumed();
        long byTicket = server.eapStats().tlsResumedByTicket();
        Eapol.Run r = run(Eapol.tls(pki, dev, false, 1398), OTHER_MAC, 1, true);
        assertTrue(r.success(), r::toString);
        assertTrue(r.output().contains("resumed=1"), r::toString);
        assertEquals(resumed + 1, server.eapStats().tlsResumed());
        assertEquals(byTicket, server.eapStats().tlsResumedByTicket(), "eapol_test offers no ticket by default");
    }

    @Test
    void tls12_withSessionTickets_secondRunResumesByTicket() {
        TestPki.Issued dev = pki.device("dev-ticket", TestWorld.COMPLIANT_ID.canonical(), TestPki.ec());
        EapStats before = server.eapStats();
        // wpa_supplicant's OpenSSL offers tickets only when told; the server then sends a ticket and no session id
        String network = Eapol.tls(pki, dev, false, 1398).replace("tls_disable_tlsv1_3=1",
                "tls_disable_tlsv1_3=1 tls_disable_session_ticket=0");
        Eapol.Run r = run(network, OTHER_MAC, 1, true);
        assertTrue(r.success(), r::toString);
        assertTrue(r.mppeOk(), r::toString);
        assertTrue(r.output().contains("resumed=1"), r::toString);
        EapStats after = server.eapStats();
        assertEquals(before.tlsResumed() + 1, after.tlsResumed(), r::toString);
        assertEquals(before.tlsResumedByTicket() + 1, after.tlsResumedByTicket(), r::toString);
        assertEquals(before.ticketsIssued() + 1, after.ticketsIssued(), r::toString);
        assertEquals(before.tlsSessionsCached(), after.tlsSessionsCached(), "no session id was cached");
        // OpenSSL's own account: the full handshake received a NewSessionTicket, the reauthentication resumed
        assertEquals(1, r.output().lines().filter(l -> l.contains("read server session ticket")).count(), r::toString);
        assertTrue(r.output().contains("new session ticket"), r::toString);
        audit("TLS 1.2 resumed by ticket");
    }

    @Test
    void tls13_clientOfferingTickets_getsAFullTls13Handshake_andNoTicket() {
        TestPki.Issued dev = pki.device("dev-ticket13", TestWorld.COMPLIANT_ID.canonical(), TestPki.ec());
        EapStats before = server.eapStats();
        // TLS 1.2 and 1.3 allowed, tickets on: the ClientHello carries the SessionTicket extension, TLS 1.3 wins
        String network = Eapol.tls(pki, dev, false, 1398).replace("tls_disable_tlsv1_3=1",
                "tls_disable_tlsv1_3=0 tls_disable_session_ticket=0");
        Eapol.Run r = run(network, OTHER_MAC, 1, true);
        assertTrue(r.success() && r.mppeOk(), r::toString);
        assertTrue(r.output().contains("Using TLS version TLSv1.3"), r::toString);
        EapStats after = server.eapStats();
        assertEquals(before.tlsFull() + 2, after.tlsFull(), "TLS 1.3 is not resumed");
        assertEquals(before.ticketsIssued(), after.ticketsIssued(), "no TLS 1.2 ticket in a TLS 1.3 handshake");
        assertEquals(before.ticketsInvalid() + before.ticketsUnknownKey() + before.ticketsExpired(),
                after.ticketsInvalid() + after.ticketsUnknownKey() + after.ticketsExpired());
    }
}
