package io.nacgw.radius.proxy;

import io.nacgw.certs.CertificateAuthority;
import io.nacgw.certs.KeyType;
import io.nacgw.certs.ServerNames;
import io.nacgw.core.testing.Needs;
import io.nacgw.radius.NasClient;
import io.nacgw.radius.ProfileRule;
import io.nacgw.radius.bootstrap.RadiusServer;
import io.nacgw.radius.TestWorld;
import io.nacgw.radius.eap.EapSettings;
import io.nacgw.radius.eap.Eapol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PEAP and TTLS through the proxy, with real peers only: {@code eapol_test} (supplicant and NAS) → nacgw, whose
 * profile authenticates with an upstream pool → FreeRADIUS 3.2 terminating the EAP (PEAP with EAP-MSCHAPv2, TTLS
 * with PAP). nacgw never sees inside the tunnel: it relays every round (State to the upstream that issued it, the
 * NAS's Proxy-State echoed), and on the upstream's Accept decides by the device's compliance: compliant → the
 * Accept with the profile's attributes and the MS-MPPE keys re-encrypted for the NAS (eapol_test checks them
 * against the keys it derived); noncompliant → the profile's answer; wrong password → the upstream's Reject.
 * Skipped where eapol_test or FreeRADIUS is not installed, except with CI=true.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
final class ProxyEapInteropTest {
    /** What the NAS puts in Proxy-State (hex of "nas-ps-1"): every reply must carry it back unchanged. */
    private static final String PROXY_STATE_HEX = "6e61732d70732d31";
    @TempDir
    static Path tmp;
    private static TestWorld world;
    private static HomeServer home;
    private static RadiusServer server;
    private static Path ca;

    @BeforeAll
    static void start() throws Exception {
        Needs.executable("eapoltest", "/usr/bin/eapol_test");
        CertificateAuthority pki = CertificateAuthority.open(tmp.resolve("pki"));
        pki.init(ServerNames.defaults(), KeyType.ECDSA_P256, false);
        ca = pki.layout().caCertificate();
        home = HomeServer.withEap("E", tmp.resolve("fr"), new HomeServer.TlsFiles(ca,
                pki.layout().serverCertificate(), pki.layout().serverKey()));
        home.start();
        world = new TestWorld();
        ProxySettings upstreams = ProxySettings.of(List.of(PoolSettings.failover("eap", List.of(
                        UpstreamSettings.udp("fr", InetAddress.getByName("127.0.0.1"), home.authPort, HomeServer.SECRET)
                                .withAcctPort(home.acctPort).withTimeout(Duration.ofSeconds(3), 2)))
                        .withChecks(false, Duration.ofSeconds(30), 3, 3)))
                .withProfiles(Map.of("corp", "eap", "guest-wifi", "eap"));
        server = RadiusServer.start(TestWorld.settings(), EapSettings.DISABLED, upstreams,
                List.of(NasClient.builder("ap", "127.0.0.1", TestWorld.SECRET).profile("corp")
                        .profileRules(List.of(new ProfileRule("guest", null, "guest-wifi"))).build()),
                world.services());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (world != null) {
            world.close();
        }
        if (home != null) {
            home.close();
        }
    }

    /** One eapol_test run as the NAS with Calling-Station-Id {@code mac}, Proxy-State and {@code extra} attributes. */
    private static Eapol.Run run(String method, String inner, String password, String mac, boolean keys,
                                 String... extra) {
        String[] attrs = new String[extra.length + 1];
        attrs[0] = "33:x:" + PROXY_STATE_HEX;
        System.arraycopy(extra, 0, attrs, 1, extra.length);
        return Eapol.run(tmp, server.authAddress().getPort(), TestWorld.SECRET, mac,
                Eapol.tunnelled(method, inner, "alice", password, ca), 0, keys, attrs);
    }

    private static String why(Eapol.Run r) {
        return r + "\nFreeRADIUS:\n" + home.log() + "\naudit " + world.audit;
    }

    /**
     * A multi-round conversation in which every RADIUS message eapol_test printed, the requests it sent and the
     * replies it got, carried the NAS's Proxy-State: nacgw echoed it in each reply.
     */
    private static void proxyStateEchoed(Eapol.Run r) {
        assertTrue(r.count("RADIUS message: code=11 ") >= 3, "a multi-round conversation: " + why(r));
        assertEquals(r.count("RADIUS message: code="), r.count("Value: " + PROXY_STATE_HEX), why(r));
    }

    /** Waits (the audit log is written in the background) for an audit line holding every one of {@code needles}. */
    private static void audited(String... needles) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            synchronized (world.audit) {
                if (world.audit.stream().anyMatch(l -> java.util.Arrays.stream(needles).allMatch(l::contains))) {
                    return;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no audit line with " + List.of(needles) + " in " + world.audit);
    }

    @Test
    void peapMschapv2_compliantDevice_isAccepted_withTheProfilesAttributes_andTheMppeKeysIntact() {
        Eapol.Run r = run("PEAP", "MSCHAPV2", "alice-pass", "00:11:22:33:44:01", true);
        assertTrue(r.success(), why(r));
        assertTrue(r.mppeOk(), why(r));
        assertTrue(r.output().contains("Attribute 81 (Tunnel-Private-Group-Id)"), why(r)); // the corp profile's VLAN
        proxyStateEchoed(r);
        audited("\"method\":\"proxy-eap\"", "\"verdict\":\"accept\"");
    }

    @Test
    void ttlsPap_compliantDevice_isAccepted_withTheMppeKeysIntact() {
        Eapol.Run r = run("TTLS", "PAP", "alice-pass", "00:11:22:33:44:01", true);
        assertTrue(r.success(), why(r));
        assertTrue(r.mppeOk(), why(r));
        proxyStateEchoed(r);
    }

    @Test
    void peap_noncompliantDevice_onCorp_isRejectedWithTheReason_despiteTheUpstreamsAccept() {
        Eapol.Run r = run("PEAP", "MSCHAPV2", "alice-pass", "00:11:22:33:44:02", true);
        assertFalse(r.success(), why(r));
        assertEquals(1, r.count("RADIUS message: code=3 (Access-Reject)"), why(r));
        assertTrue(r.output().contains("EAP Failure"), why(r)); // the supplicant learns it failed
        proxyStateEchoed(r);
    }

    @Test
    void ttls_noncompliantDevice_onGuest_isQuarantined_withTheMppeKeysIntact() {
        Eapol.Run r = run("TTLS", "PAP", "alice-pass", "00:11:22:33:44:02", true, "30:s:AA-BB-CC-DD-EE-FF:guest");
        assertTrue(r.success(), why(r));
        assertTrue(r.mppeOk(), why(r));
        assertTrue(r.output().contains("Attribute 81 (Tunnel-Private-Group-Id)"), why(r));
        audited("\"method\":\"proxy-eap\"", "quarantine");
    }

    @Test
    void peap_wrongPassword_getsTheUpstreamsReject() {
        Eapol.Run r = run("PEAP", "MSCHAPV2", "wrong-pass", "00:11:22:33:44:01", true);
        assertFalse(r.success(), why(r));
        assertEquals(1, r.count("RADIUS message: code=3 (Access-Reject)"), why(r));
        audited("\"method\":\"proxy-eap\"", "upstream_reject");
    }
}
