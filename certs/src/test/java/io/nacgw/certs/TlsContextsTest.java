package io.nacgw.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.net.ssl.SSLEngine;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nacgw.core.id.DeviceGuid;

/** Real JDK handshakes (in-memory SSLEngine pairs) between contexts built from files the CA issued. */
final class TlsContextsTest {
    private static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    private static final char[] PASSWORD = "p12 secret".toCharArray();

    @TempDir
    Path tmp;

    private CertificateAuthority ca;
    private IssuedClient partner;

    @BeforeEach
    void pki() {
        ca = CertificateAuthority.open(tmp.resolve("pki"), Clock.fixed(NOW, ZoneOffset.UTC));
        ca.init(ServerNames.of(List.of("localhost", "127.0.0.1", "::1")), KeyType.ECDSA_P256, false);
        partner = ca.issueClient("ise1", Role.PARTNER, 30, PASSWORD);
    }

    private ServerTlsConfig config(ClientAuth mode) {
        return ServerTlsConfig.fromPki(ca.layout(), mode).withClock(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private ClientTls client(IssuedClient c) {
        return TlsContexts.client(List.of(ca.layout().caCertificate()), c.chainFile(), c.keyFile());
    }

    private static EnginePair handshake(ClientTls client, ServerTls server) {
        return EnginePair.handshake(client.newEngine("localhost", 8443), server.newEngine());
    }

    private static PeerCertificateRejectedException refused(EnginePair p) {
        assertFalse(p.succeeded(), "handshake should have failed");
        PeerCertificateRejectedException r = p.serverRejection();
        assertNotNull(r, () -> "server failure is not a nacgw rejection: " + p.serverFailure);
        assertNotNull(p.clientFailure, "the client should learn of the refusal through an alert");
        return r;
    }

    /** Client files for a certificate issued by some other CA. */
    private ClientTls foreignClient(CaMaterial issuer, String subject, List<String> sanUris) {
        KeyPair kp = TestCerts.ecKeys();
        X509Certificate cert = TestCerts.device(issuer, kp, subject, sanUris);
        Path chain = tmp.resolve("foreign-" + cert.getSerialNumber() + ".pem");
        Path key = tmp.resolve("foreign-" + cert.getSerialNumber() + ".key");
        TestCerts.writeChain(chain, cert, issuer.certificate());
        TestCerts.writeKey(key, kp);
        return TlsContexts.client(List.of(ca.layout().caCertificate()), chain, key);
    }

    @Test
    void handshake_issuedPartner_succeedsAndRoleIsReadBack() throws Exception {
        EnginePair p = handshake(client(partner), TlsContexts.server(config(ClientAuth.REQUIRE)));

        assertTrue(p.succeeded(), () -> "client: " + p.clientFailure + " server: " + p.serverFailure);
        assertEquals("TLSv1.3", p.server.getSession().getProtocol());
        assertEquals(Optional.of(Role.PARTNER), Roles.of(p.server.getSession()));
        assertEquals(partner.certificate(), p.server.getSession().getPeerCertificates()[0]);
        assertEquals("hello", p.clientSends("hello"));
    }

    @Test
    void handshake_tls12Client_negotiatesEcdheAead() {
        SSLEngine c = client(partner).newEngine("localhost", 8443);
        c.setEnabledProtocols(new String[] {"TLSv1.2"});

        EnginePair p = EnginePair.handshake(c, TlsContexts.server(config(ClientAuth.REQUIRE)).newEngine());

        assertTrue(p.succeeded(), () -> "client: " + p.clientFailure + " server: " + p.serverFailure);
        assertEquals("TLSv1.2", p.server.getSession().getProtocol());
        String suite = p.server.getSession().getCipherSuite();
        assertTrue(suite.startsWith("TLS_ECDHE_ECDSA_WITH_") && (suite.contains("GCM") || suite.contains("CHACHA")),
                suite);
        assertEquals(Optional.of(Role.PARTNER), Roles.of(p.server.getSession()));
    }

    @Test
    void handshake_clientOfferingOnlyCbcSuites_isRefused() {
        SSLEngine c = client(partner).newEngine("localhost", 8443);
        c.setEnabledProtocols(new String[] {"TLSv1.2"});
        c.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"});

        EnginePair p = EnginePair.handshake(c, TlsContexts.server(config(ClientAuth.REQUIRE)).newEngine());

        assertFalse(p.succeeded());
        assertNotNull(p.serverFailure);
    }

    @Test
    void newEngine_enablesOnlyTls12And13WithAeadSuites() {
        SSLEngine e = TlsContexts.server(config(ClientAuth.OPTIONAL)).newEngine();

        assertEquals(List.of("TLSv1.3", "TLSv1.2"), Arrays.asList(e.getEnabledProtocols()));
        assertTrue(TlsContexts.CIPHER_SUITES.containsAll(Arrays.asList(e.getEnabledCipherSuites())));
        assertTrue(Arrays.asList(e.getEnabledCipherSuites()).contains("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
        assertTrue(e.getWantClientAuth());
        assertFalse(e.getUseClientMode());
    }

    @Test
    void server_sessionCacheTimeout_isOneHour() {
        ServerTls tls = TlsContexts.server(config(ClientAuth.REQUIRE));

        assertEquals(3600, tls.sslContext().getServerSessionContext().getSessionTimeout());
    }

    @Test
    void handshake_revokedCertificate_isRefusedAsRevoked_withoutAWarningPerHandshake() {
        ca.revoke(partner.entry().serial());

        try (LogCapture logs = new LogCapture()) {
            PeerCertificateRejectedException r =
                    refused(handshake(client(partner), TlsContexts.server(config(ClientAuth.REQUIRE))));

            assertEquals(RejectReason.REVOKED, r.reason());
            assertTrue(r.getMessage().contains(ca.layout().crl().toString()), r.getMessage());
            assertTrue(r.getMessage().contains("client certificate 'CN=ise1,O=nacgw' serial '"
                    + partner.entry().serialHex() + "' refused: REVOKED"), r.getMessage());
            // a peer can send any number of these: the server logs them once, rate-limited, not the verifier each time
            assertFalse(logs.all().contains("WARN client certificate"), logs.all());
        }
    }

    @Test
    void handshake_expiredCertificate_isRefusedAsExpired() {
        ServerTlsConfig later = config(ClientAuth.REQUIRE)
                .withClock(Clock.fixed(NOW.plus(Duration.ofDays(31)), ZoneOffset.UTC));

        try (LogCapture logs = new LogCapture()) {
            PeerCertificateRejectedException r = refused(handshake(client(partner), TlsContexts.server(later)));

            assertEquals(RejectReason.EXPIRED, r.reason());
            assertTrue(r.getMessage().contains("expired at " + NOW.plus(Duration.ofDays(30))), r.getMessage());
            assertTrue(r.getMessage().contains("refused: EXPIRED"), r.getMessage());
            assertFalse(logs.all().contains("WARN client certificate"), logs.all());
        }
    }

    @Test
    void handshake_notYetValidCertificate_isRefused() {
        ServerTlsConfig earlier = config(ClientAuth.REQUIRE)
                .withClock(Clock.fixed(NOW.minus(Duration.ofHours(1)), ZoneOffset.UTC));

        PeerCertificateRejectedException r = refused(handshake(client(partner), TlsContexts.server(earlier)));

        assertEquals(RejectReason.NOT_YET_VALID, r.reason());
    }

    @Test
    void handshake_certificateFromForeignCa_isRefusedAsUnknownCa() {
        CaMaterial foreign = TestCerts.foreignCa("Evil CA", null);
        ClientTls c = foreignClient(foreign, "CN=ise1,O=nacgw", List.of(Role.ADMIN.uri()));

        PeerCertificateRejectedException r = refused(handshake(c, TlsContexts.server(config(ClientAuth.REQUIRE))));

        assertEquals(RejectReason.UNKNOWN_CA, r.reason());
        assertTrue(r.getMessage().contains("Evil CA"), r.getMessage());
    }

    @Test
    void handshake_foreignCaImpersonatingNacgwCaName_isRefusedAsUntrustedPath() {
        String nacgwCaName = ca.caCertificate().getSubjectX500Principal().getName();
        KeyPair impostorKeys = TestCerts.ecKeys();
        X509Certificate impostorCa = X509Factory.ca(impostorKeys,
                nacgwCaName.replace("CN=", "").replace(",O=nacgw", ""), X509Factory.newSerial(),
                NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(10)));
        assertEquals(nacgwCaName, impostorCa.getSubjectX500Principal().getName());
        ClientTls c = foreignClient(new CaMaterial(impostorCa, impostorKeys.getPrivate()), "CN=ise1",
                List.of(Role.ADMIN.uri()));

        PeerCertificateRejectedException r = refused(handshake(c, TlsContexts.server(config(ClientAuth.REQUIRE))));

        assertEquals(RejectReason.UNTRUSTED_PATH, r.reason());
    }

    @Test
    void handshake_wrongRole_isRefusedAsWrongRole() {
        ServerTls adminOnly = TlsContexts.server(config(ClientAuth.REQUIRE).withRequiredRoles(Set.of(Role.ADMIN)));

        PeerCertificateRejectedException r = refused(handshake(client(partner), adminOnly));

        assertEquals(RejectReason.WRONG_ROLE, r.reason());
        assertTrue(r.getMessage().contains("role partner is not accepted here (accepted: admin)"), r.getMessage());
    }

    @Test
    void handshake_requiredRoleHeld_succeeds() {
        IssuedClient admin = ca.issueClient("alice", Role.ADMIN, 30, PASSWORD);
        ServerTls adminOnly = TlsContexts.server(config(ClientAuth.REQUIRE).withRequiredRoles(Set.of(Role.ADMIN)));

        EnginePair p = handshake(client(admin), adminOnly);

        assertTrue(p.succeeded(), () -> "server: " + p.serverFailure);
        assertEquals(Optional.of(Role.ADMIN), Roles.of(p.server.getSession()));
    }

    @Test
    void handshake_mdmDeviceCertificate_acceptedViaExtraCaAndDeviceIdRead() throws Exception {
        Path mdmCaFile = tmp.resolve("mdm-ca.pem");
        CaMaterial mdm = TestCerts.foreignCa("Contoso SCEP CA", mdmCaFile);
        ClientTls device = foreignClient(mdm, "CN=" + TestCerts.ENTRA_ID,
                List.of(TestCerts.SID_TAG, "IntuneDeviceId://" + TestCerts.INTUNE_ID));

        EnginePair p = handshake(device, TlsContexts.server(config(ClientAuth.REQUIRE).withExtraTrustedCa(mdmCaFile)));

        assertTrue(p.succeeded(), () -> "server: " + p.serverFailure);
        X509Certificate peer = (X509Certificate) p.server.getSession().getPeerCertificates()[0];
        assertEquals(Optional.of(DeviceGuid.intune(TestCerts.INTUNE_ID)), DeviceIds.fromCertificate(peer).first());
        assertEquals(Optional.empty(), Roles.of(p.server.getSession()));
    }

    @Test
    void handshake_mdmDeviceWhereRolesRequired_isRefusedAsWrongRole() {
        Path mdmCaFile = tmp.resolve("mdm-ca.pem");
        CaMaterial mdm = TestCerts.foreignCa("Contoso SCEP CA", mdmCaFile);
        ClientTls device = foreignClient(mdm, "CN=" + TestCerts.ENTRA_ID, List.of());
        ServerTls s = TlsContexts.server(config(ClientAuth.REQUIRE).withExtraTrustedCa(mdmCaFile)
                .withRequiredRoles(Set.of(Role.PARTNER)));

        PeerCertificateRejectedException r = refused(handshake(device, s));

        assertEquals(RejectReason.WRONG_ROLE, r.reason());
        assertTrue(r.getMessage().contains("carries no nacgw role"), r.getMessage());
    }

    @Test
    void handshake_roleClaimedByCertificateFromExtraCa_isRefused() {
        Path mdmCaFile = tmp.resolve("mdm-ca.pem");
        CaMaterial mdm = TestCerts.foreignCa("Contoso SCEP CA", mdmCaFile);
        ClientTls sneaky = foreignClient(mdm, "CN=mallory", List.of(Role.ADMIN.uri()));

        PeerCertificateRejectedException r = refused(handshake(sneaky,
                TlsContexts.server(config(ClientAuth.REQUIRE).withExtraTrustedCa(mdmCaFile))));

        assertEquals(RejectReason.ROLE_FROM_FOREIGN_CA, r.reason());
    }

    @Test
    void handshake_deviceRevokedByExtraCaCrl_isRefusedAsRevoked() {
        Path mdmCaFile = tmp.resolve("mdm-ca.pem");
        CaMaterial mdm = TestCerts.foreignCa("Contoso SCEP CA", mdmCaFile);
        KeyPair kp = TestCerts.ecKeys();
        X509Certificate device = TestCerts.device(mdm, kp, "CN=" + TestCerts.ENTRA_ID,
                List.of("IntuneDeviceId://" + TestCerts.INTUNE_ID));
        Path chain = tmp.resolve("device.pem");
        Path key = tmp.resolve("device.key");
        TestCerts.writeChain(chain, device);
        TestCerts.writeKey(key, kp);
        IssuedCert revoked = new IssuedCert(device.getSerialNumber(), "device", Optional.empty(),
                NOW.minusSeconds(60), NOW.plusSeconds(60), Optional.of(NOW));
        X509CRL crl = X509Factory.crl(mdm, List.of(revoked), BigInteger.ONE, NOW, NOW.plus(Duration.ofDays(1)));
        Path crlFile = tmp.resolve("mdm.crl");
        SecureFiles.write(crlFile, Pem.ascii(Pem.crl(crl)), false);
        ClientTls c = TlsContexts.client(List.of(ca.layout().caCertificate()), chain, key);

        PeerCertificateRejectedException r = refused(handshake(c, TlsContexts.server(
                config(ClientAuth.REQUIRE).withExtraTrustedCa(mdmCaFile).withCrl(crlFile))));

        assertEquals(RejectReason.REVOKED, r.reason());
        assertTrue(r.getMessage().contains(crlFile.toString()), r.getMessage());
    }

    @Test
    void handshake_serverCertificatePresentedAsClient_isRefusedAsWrongKeyUsage() {
        ClientTls c = TlsContexts.client(List.of(ca.layout().caCertificate()), ca.layout().serverCertificate(),
                ca.layout().serverKey());

        PeerCertificateRejectedException r = refused(handshake(c, TlsContexts.server(config(ClientAuth.REQUIRE))));

        assertEquals(RejectReason.WRONG_KEY_USAGE, r.reason());
        assertTrue(r.getMessage().contains("[serverAuth] does not include clientAuth"), r.getMessage());
    }

    @Test
    void handshake_noClientCertificate_refusedWhenRequiredAllowedWhenOptional() {
        ClientTls anonymous = TlsContexts.client(List.of(ca.layout().caCertificate()));

        EnginePair required = handshake(anonymous, TlsContexts.server(config(ClientAuth.REQUIRE)));
        EnginePair optional = handshake(anonymous, TlsContexts.server(config(ClientAuth.OPTIONAL)));
        EnginePair none = handshake(client(partner), TlsContexts.server(config(ClientAuth.NONE)));

        assertFalse(required.succeeded());
        assertNotNull(required.serverFailure);
        assertTrue(optional.succeeded(), () -> "server: " + optional.serverFailure);
        assertEquals(Optional.empty(), Roles.of(optional.server.getSession()));
        assertTrue(none.succeeded(), () -> "server: " + none.serverFailure);
        assertEquals(Optional.empty(), Roles.of(none.server.getSession()));
    }

    @Test
    void handshake_optionalClientAuthWithRevokedCertificate_isStillRefused() {
        ca.revoke(partner.entry().serial());

        PeerCertificateRejectedException r =
                refused(handshake(client(partner), TlsContexts.server(config(ClientAuth.OPTIONAL))));

        assertEquals(RejectReason.REVOKED, r.reason());
    }

    @Test
    void handshake_serverNameNotInSans_isRefusedByClient() {
        ServerTls server = TlsContexts.server(config(ClientAuth.REQUIRE));

        EnginePair wrongHost = EnginePair.handshake(client(partner).newEngine("evil.example.org", 443),
                server.newEngine());
        EnginePair byIp = EnginePair.handshake(client(partner).newEngine("127.0.0.1", 443), server.newEngine());

        assertFalse(wrongHost.succeeded());
        assertNotNull(wrongHost.clientFailure);
        assertTrue(byIp.succeeded(), () -> "client: " + byIp.clientFailure);
    }

    @Test
    void handshake_pkcs12Client_succeeds() {
        ClientTls c = TlsContexts.clientFromPkcs12(List.of(ca.layout().caCertificate()), partner.pkcs12File(),
                PASSWORD);

        EnginePair p = handshake(c, TlsContexts.server(config(ClientAuth.REQUIRE)));

        assertTrue(p.succeeded(), () -> "server: " + p.serverFailure);
        assertEquals(Optional.of(Role.PARTNER), Roles.of(p.server.getSession()));
    }

    @Test
    void handshake_rsaCa_succeeds() {
        CertificateAuthority rsa = CertificateAuthority.open(tmp.resolve("rsa"), Clock.fixed(NOW, ZoneOffset.UTC));
        rsa.init(ServerNames.of(List.of("localhost")), KeyType.RSA_3072, false);
        IssuedClient c = rsa.issueClient("ise1", Role.PARTNER, 30, PASSWORD);
        ServerTls server = TlsContexts.server(ServerTlsConfig.fromPki(rsa.layout(), ClientAuth.REQUIRE));

        EnginePair p = handshake(TlsContexts.client(List.of(rsa.layout().caCertificate()), c.chainFile(), c.keyFile()),
                server);

        assertTrue(p.succeeded(), () -> "client: " + p.clientFailure + " server: " + p.serverFailure);
        assertEquals(Optional.of(Role.PARTNER), Roles.of(p.server.getSession()));
    }

    @Test
    void handshake_staleCrl_isStillEnforcedAndWarned() {
        IssuedClient longLived = ca.issueClient("ise2", Role.PARTNER, 365, PASSWORD);
        ca.revoke(longLived.entry().serial());
        ServerTlsConfig later = config(ClientAuth.REQUIRE)
                .withClock(Clock.fixed(NOW.plus(Duration.ofDays(40)), ZoneOffset.UTC));

        try (LogCapture logs = new LogCapture()) {
            ServerTls server = TlsContexts.server(later);
            PeerCertificateRejectedException r = refused(handshake(client(longLived), server));

            assertEquals(RejectReason.REVOKED, r.reason());
            assertTrue(logs.all().contains("was due for renewal"), logs.all());
        }
    }

    @Test
    void server_badFiles_failWithMessageNamingTheFile() {
        PkiLayout l = ca.layout();
        ServerTlsConfig missingKey = new ServerTlsConfig(l.serverCertificate(), tmp.resolve("nope.key"),
                l.caCertificate(), List.of(), List.of(l.crl()), ClientAuth.REQUIRE, Set.of(), Clock.systemUTC());
        ServerTlsConfig wrongKey = new ServerTlsConfig(l.serverCertificate(), l.caKey(), l.caCertificate(), List.of(),
                List.of(l.crl()), ClientAuth.REQUIRE, Set.of(), Clock.systemUTC());
        Path otherCrl = tmp.resolve("other.crl");
        CaMaterial other = TestCerts.foreignCa("Other CA", null);
        SecureFiles.write(otherCrl, Pem.ascii(Pem.crl(X509Factory.crl(other, List.of(), BigInteger.ONE, NOW,
                NOW.plusSeconds(60)))), false);

        CertsException e1 = assertThrows(CertsException.class, () -> TlsContexts.server(missingKey));
        CertsException e2 = assertThrows(CertsException.class, () -> TlsContexts.server(wrongKey));
        CertsException e3 = assertThrows(CertsException.class,
                () -> TlsContexts.server(config(ClientAuth.REQUIRE).withCrl(otherCrl)));
        CertsException e4 = assertThrows(CertsException.class,
                () -> TlsContexts.server(config(ClientAuth.REQUIRE).withExtraTrustedCa(partner.certificateFile())));

        assertTrue(e1.getMessage().contains("nope.key") && e1.getMessage().contains("does not exist"), e1.getMessage());
        assertTrue(e2.getMessage().contains("does not belong"), e2.getMessage());
        assertTrue(e3.getMessage().contains(otherCrl + " (issuer 'CN=Other CA,O=nacgw') is not signed by any trusted"),
                e3.getMessage());
        assertTrue(e4.getMessage().contains("is not a CA certificate"), e4.getMessage());
    }
}
