package io.nacgw.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloading: changed files reach the next handshake; open connections and broken replacements are handled. */
final class ReloadingTlsContextTest {
    private static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    private static final char[] PASSWORD = "p12 secret".toCharArray();
    private static final ServerNames NAMES = ServerNames.of(List.of("localhost", "127.0.0.1"));

    @TempDir
    Path tmp;

    private CertificateAuthority ca;
    private IssuedClient partner;
    private ClientTls client;

    @BeforeEach
    void pki() {
        ca = CertificateAuthority.open(tmp.resolve("pki"), Clock.fixed(NOW, ZoneOffset.UTC));
        ca.init(NAMES, KeyType.ECDSA_P256, false);
        partner = ca.issueClient("ise1", Role.PARTNER, 30, PASSWORD);
        client = TlsContexts.client(List.of(ca.layout().caCertificate()), partner.chainFile(), partner.keyFile());
    }

    private ServerTlsConfig config() {
        return ServerTlsConfig.fromPki(ca.layout(), ClientAuth.REQUIRE).withClock(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private EnginePair handshake(ServerTls server) {
        return EnginePair.handshake(client.newEngine("localhost", 8443), server.newEngine());
    }

    private static X509Certificate serverCertSeenByClient(EnginePair p) throws Exception {
        return (X509Certificate) p.client.getSession().getPeerCertificates()[0];
    }

    @Test
    void reloadIfChanged_nothingChanged_keepsContext() {
        try (ReloadingTlsContext tls = ReloadingTlsContext.create(config())) {
            X509Certificate before = tls.certificate();

            assertFalse(tls.reloadIfChanged());
            assertEquals(before, tls.certificate());
        }
    }

    @Test
    void reloadIfChanged_renewedServerCertificate_nextHandshakeSeesItAndOpenConnectionSurvives() throws Exception {
        try (ReloadingTlsContext tls = ReloadingTlsContext.create(config())) {
            EnginePair open = handshake(tls);
            assertTrue(open.succeeded());
            X509Certificate old = serverCertSeenByClient(open);

            X509Certificate renewed = ca.renewServer(NAMES).serverCertificate();
            assertTrue(tls.reloadIfChanged());
            EnginePair next = handshake(tls);

            assertTrue(next.succeeded(), () -> "server: " + next.serverFailure);
            assertEquals(renewed, serverCertSeenByClient(next));
            assertNotEquals(old, renewed);
            assertEquals("still here", open.clientSends("still here"));
            assertEquals(old, serverCertSeenByClient(open));
        }
    }

    @Test
    void reloadIfChanged_newCrl_nextHandshakeRefusesRevokedCertificate() {
        try (ReloadingTlsContext tls = ReloadingTlsContext.create(config())) {
            ca.revoke(partner.entry().serial());

            assertTrue(handshake(tls).succeeded(), "the old CRL stays in force until a reload");
            assertTrue(tls.reloadIfChanged());
            EnginePair p = handshake(tls);

            assertFalse(p.succeeded());
            assertEquals(RejectReason.REVOKED, p.serverRejection().reason());
        }
    }

    @Test
    void reloadIfChanged_newTrustedCaFile_acceptsDevicesOfTheNewCa() {
        Path mdmCaFile = tmp.resolve("mdm-ca.pem");
        TestCerts.foreignCa("Old MDM CA", mdmCaFile);
        CaMaterial newMdm = TestCerts.foreignCa("New MDM CA", null);
        KeyPair kp = TestCerts.ecKeys();
        X509Certificate device = TestCerts.device(newMdm, kp, "CN=" + TestCerts.ENTRA_ID, List.of());
        TestCerts.writeChain(tmp.resolve("device.pem"), device);
        TestCerts.writeKey(tmp.resolve("device.key"), kp);
        ClientTls deviceClient = TlsContexts.client(List.of(ca.layout().caCertificate()), tmp.resolve("device.pem"),
                tmp.resolve("device.key"));

        try (ReloadingTlsContext tls = ReloadingTlsContext.create(config().withExtraTrustedCa(mdmCaFile))) {
            EnginePair before = EnginePair.handshake(deviceClient.newEngine("localhost", 1), tls.newEngine());
            assertEquals(RejectReason.UNKNOWN_CA, before.serverRejection().reason());

            TestCerts.writeChain(mdmCaFile, newMdm.certificate());
            assertTrue(tls.reloadIfChanged());
            EnginePair after = EnginePair.handshake(deviceClient.newEngine("localhost", 1), tls.newEngine());

            assertTrue(after.succeeded(), () -> "server: " + after.serverFailure);
        }
    }

    @Test
    void reloadIfChanged_inconsistentFiles_keepsOldContextUntilFixed() throws Exception {
        try (ReloadingTlsContext tls = ReloadingTlsContext.create(config()); LogCapture logs = new LogCapture()) {
            X509Certificate before = tls.certificate();
            TestCerts.writeKey(ca.layout().serverKey(), TestCerts.ecKeys());

            assertFalse(tls.reloadIfChanged());
            assertTrue(tls.lastError().orElseThrow().contains("does not belong"), tls.lastError().toString());
            assertTrue(logs.all().contains("keeping the previous context"), logs.all());
            EnginePair p = handshake(tls);
            assertTrue(p.succeeded());
            assertEquals(before, serverCertSeenByClient(p));
            assertFalse(tls.reloadIfChanged(), "an unchanged broken state is not retried");

            X509Certificate renewed = ca.renewServer(NAMES).serverCertificate();
            assertTrue(tls.reloadIfChanged());
            assertEquals(Optional.empty(), tls.lastError());
            assertEquals(renewed, serverCertSeenByClient(handshake(tls)));
        }
    }

    @Test
    void start_pollsFilesOnItsOwnThread() throws Exception {
        try (ReloadingTlsContext tls = ReloadingTlsContext.start(config(), Duration.ofMillis(20))) {
            X509Certificate renewed = ca.renewServer(NAMES).serverCertificate();

            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!tls.certificate().equals(renewed) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }

            assertEquals(renewed, tls.certificate());
            assertEquals(renewed, serverCertSeenByClient(handshake(tls)));
        }
    }

    @Test
    void pollOn_callersExecutor_reloadsAndRefusesBadPeriodsAndSecondPoll() throws Exception {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try (ReloadingTlsContext tls = ReloadingTlsContext.create(config())) {
            assertThrows(IllegalArgumentException.class, () -> tls.pollOn(executor, Duration.ZERO));
            tls.pollOn(executor, Duration.ofMillis(20));
            assertThrows(IllegalStateException.class, () -> tls.pollOn(executor, Duration.ofMillis(20)));

            ca.revoke(partner.entry().serial());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            EnginePair p = handshake(tls);
            while (p.succeeded() && System.nanoTime() < deadline) {
                Thread.sleep(10);
                p = handshake(tls);
            }

            assertEquals(RejectReason.REVOKED, p.serverRejection().reason());
        } finally {
            executor.shutdownNow();
        }
    }
}
