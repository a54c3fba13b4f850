package io.nacgw.certs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file-based CA: init, issue, PKCS#12, index, revocation, CRL, inspect, and keeping secrets out of text. */
final class CertificateAuthorityTest {
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    private static final ServerNames NAMES = new ServerNames(List.of("nacgw.example.org", "localhost"),
            List.of("127.0.0.1", "::1", "192.0.2.10"));
    private static final char[] PASSWORD = "correct horse battery".toCharArray();

    @TempDir
    Path tmp;

    private CertificateAuthority ca(Instant now) {
        return CertificateAuthority.open(tmp.resolve("pki"), Clock.fixed(now, ZoneOffset.UTC));
    }

    private CertificateAuthority initialized() {
        CertificateAuthority ca = ca(T0);
        ca.init(NAMES, KeyType.ECDSA_P256, false);
        return ca;
    }

    private static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void init_createsCaServerCrlAndIndex_keysOwnerOnly() throws Exception {
        CertificateAuthority ca = ca(T0);
        PkiLayout l = ca.layout();

        InitResult r = ca.init(NAMES, KeyType.ECDSA_P256, false);

        assertTrue(ca.initialized());
        assertEquals("rw-------", perms(l.caKey()));
        assertEquals("rw-------", perms(l.serverKey()));
        assertEquals("rwx------", perms(l.directory()));
        List<Path> written = r.written().stream().map(Written::path).toList();
        assertTrue(written.containsAll(List.of(l.caCertificate(), l.caKey(), l.serverCertificate(), l.serverKey(),
                l.crl(), l.index())), written.toString());
        assertTrue(r.written().stream().filter(Written::secret).map(Written::path).toList()
                .containsAll(List.of(l.caKey(), l.serverKey())));
        assertEquals(0, r.caCertificate().getBasicConstraints());
        assertEquals("EC", r.caCertificate().getPublicKey().getAlgorithm());
        assertEquals(T0.minus(CertificateAuthority.BACKDATE), r.serverCertificate().getNotBefore().toInstant());
        assertEquals(List.of(r.server()), ca.list());
        assertTrue(r.server().server());
    }

    @Test
    void init_serverCertificate_coversHostsAndIpsForServerAuth() throws Exception {
        X509Certificate server = ca(T0).init(NAMES, KeyType.ECDSA_P256, false).serverCertificate();

        List<String> sans = new ArrayList<>();
        for (List<?> san : server.getSubjectAlternativeNames()) {
            sans.add(san.get(0) + "=" + san.get(1));
        }
        assertEquals(List.of("2=nacgw.example.org", "2=localhost", "7=127.0.0.1", "7=0:0:0:0:0:0:0:1",
                "7=192.0.2.10"), sans);
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), server.getExtendedKeyUsage());
        assertEquals(-1, server.getBasicConstraints());
        assertTrue(server.getSubjectX500Principal().getName().contains("CN=nacgw.example.org"));
    }

    @Test
    void init_existingKeys_refusedWithoutForceAndLeftUntouched() throws Exception {
        CertificateAuthority ca = initialized();
        byte[] before = Files.readAllBytes(ca.layout().caKey());

        CertsException e = assertThrows(CertsException.class, () -> ca.init(NAMES, KeyType.ECDSA_P256, false));

        assertTrue(e.getMessage().contains(ca.layout().caKey().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("refusing to overwrite"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(ca.layout().caKey()));
    }

    @Test
    void init_force_replacesCaAndArchivesOldIndex() throws Exception {
        CertificateAuthority ca = initialized();
        X509Certificate oldCa = ca.caCertificate();
        ca.issueClient("ise1", Role.PARTNER, 30, PASSWORD);

        InitResult r = ca(T0.plusSeconds(60)).init(NAMES, KeyType.ECDSA_P256, true);

        assertNotEquals(oldCa, r.caCertificate());
        assertNotEquals(oldCa.getSubjectX500Principal(), r.caCertificate().getSubjectX500Principal());
        assertEquals(1, ca.list().size());
        Path archive = r.written().stream().filter(w -> w.what().contains("archived")).findFirst().orElseThrow()
                .path();
        assertTrue(Files.readString(archive).contains("ise1"));
        assertEquals("rw-------", perms(ca.layout().caKey()));
    }

    @Test
    void init_rsa3072_makesRsaCaAndServer() {
        InitResult r = ca(T0).init(NAMES, KeyType.RSA_3072, false);

        assertEquals(3072, ((RSAPublicKey) r.caCertificate().getPublicKey()).getModulus().bitLength());
        assertEquals(3072, ((RSAPublicKey) r.serverCertificate().getPublicKey()).getModulus().bitLength());
        assertEquals("SHA256withRSA", r.serverCertificate().getSigAlgName());
    }

    @Test
    void issue_partnerRole_isReadBack() throws Exception {
        CertificateAuthority ca = initialized();

        IssuedClient c = ca.issueClient("ise1", Role.PARTNER, 30, PASSWORD);

        assertEquals(Optional.of(Role.PARTNER), Roles.of(c.certificate()));
        assertEquals(List.of(Roles.CLIENT_AUTH_OID), c.certificate().getExtendedKeyUsage());
        assertEquals(Optional.of(Role.PARTNER), c.entry().role());
        assertEquals("ise1", c.entry().name());
        assertEquals(T0.plus(Duration.ofDays(30)), c.certificate().getNotAfter().toInstant());
        assertEquals(ca.layout().clientDirectory("ise1").resolve("ise1.pem"), c.certificateFile());
        assertEquals("rw-------", perms(c.keyFile()));
        assertEquals("rw-------", perms(c.pkcs12File()));
        assertEquals(List.of(c.certificate(), ca.caCertificate()),
                Pem.readCertificates(c.chainFile(), "chain"));
        assertEquals(List.of(c.certificate()), Pem.readCertificates(c.certificateFile(), "cert"));
        assertTrue(Keys.matches(c.certificate(), Pem.readPrivateKey(c.keyFile(), "key")));
        assertTrue(ca.list().contains(c.entry()));
    }

    @Test
    void issue_adminRole_isReadBack() {
        IssuedClient c = initialized().issueClient("alice", Role.ADMIN, 7, PASSWORD);

        assertEquals(Optional.of(Role.ADMIN), Roles.of(c.certificate()));
    }

    @Test
    void issue_nasRole_isReadBack_withClientAuthAndItsName() throws Exception {
        IssuedClient c = initialized().issueClient("switch1", Role.NAS, 30, PASSWORD);
        assertEquals(Optional.of(Role.NAS), Roles.of(c.certificate()));
        assertEquals(Optional.of(Role.NAS), c.entry().role());
        assertTrue(c.certificate().getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.2"));
        assertTrue(c.certificate().getSubjectX500Principal().getName().contains("CN=switch1"));
    }

    @Test
    void issue_pkcs12_opensWithPasswordAndHoldsKeyAndChain() throws Exception {
        CertificateAuthority ca = initialized();
        IssuedClient c = ca.issueClient("ise1", Role.PARTNER, 30, PASSWORD);

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(c.pkcs12File())) {
            ks.load(in, PASSWORD);
        }
        Key key = ks.getKey("ise1", PASSWORD);
        assertNotNull(key);
        assertEquals(2, ks.getCertificateChain("ise1").length);
        assertEquals(c.certificate(), ks.getCertificateChain("ise1")[0]);

        KeyStore wrong = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(c.pkcs12File())) {
            assertThrows(IOException.class, () -> wrong.load(in, "wrong".toCharArray()));
        }
    }

    @Test
    void issue_customOutDir_writesThere() {
        Path out = tmp.resolve("out");
        IssuedClient c = initialized().issueClient("ise1", Role.PARTNER, 30, out, PASSWORD);

        assertEquals(out.resolve("ise1.p12"), c.pkcs12File());
        assertTrue(Files.exists(out.resolve("ise1-chain.pem")));
    }

    @Test
    void issue_existingFiles_refusedNamingFile() {
        CertificateAuthority ca = initialized();
        IssuedClient first = ca.issueClient("ise1", Role.PARTNER, 30, PASSWORD);

        CertsException e = assertThrows(CertsException.class,
                () -> ca.issueClient("ise1", Role.PARTNER, 30, PASSWORD));

        assertTrue(e.getMessage().contains(first.certificateFile().toString()), e.getMessage());
        assertEquals(2, ca.list().size());
    }

    @Test
    void issue_badArguments_refused() {
        CertificateAuthority ca = initialized();

        assertThrows(IllegalArgumentException.class, () -> ca.issueClient("../etc", Role.PARTNER, 30, PASSWORD));
        assertThrows(IllegalArgumentException.class, () -> ca.issueClient("a\tb", Role.PARTNER, 30, PASSWORD));
        assertThrows(IllegalArgumentException.class, () -> ca.issueClient("ok", Role.PARTNER, 0, PASSWORD));
        assertThrows(IllegalArgumentException.class, () -> ca.issueClient("ok", Role.PARTNER, 30, new char[0]));
    }

    @Test
    void issue_longerThanCa_isCappedAtCaExpiry() {
        CertificateAuthority ca = initialized();

        IssuedClient c = ca.issueClient("ise1", Role.PARTNER, 100_000, PASSWORD);

        assertEquals(ca.caCertificate().getNotAfter(), c.certificate().getNotAfter());
    }

    @Test
    void issue_beforeInit_failsNamingDirectory() {
        CertificateAuthority ca = ca(T0);

        CertsException e = assertThrows(CertsException.class,
                () -> ca.issueClient("ise1", Role.PARTNER, 30, PASSWORD));

        assertTrue(e.getMessage().contains(ca.layout().directory().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("run init first"), e.getMessage());
    }

    @Test
    void issue_caKeyReplacedByAnotherKey_isRefused() {
        CertificateAuthority ca = initialized();
        TestCerts.writeKey(ca.layout().caKey(), TestCerts.ecKeys());

        CertsException e = assertThrows(CertsException.class,
                () -> ca.issueClient("ise1", Role.PARTNER, 30, PASSWORD));

        assertTrue(e.getMessage().contains("does not belong to CA certificate"), e.getMessage());
    }

    @Test
    void revoke_bySerial_marksIndexAndListsSerialInNewCrl() {
        CertificateAuthority ca = initialized();
        IssuedClient c = ca.issueClient("ise1", Role.PARTNER, 30, PASSWORD);
        Instant later = T0.plus(Duration.ofHours(2));

        RevokeResult r = ca(later).revoke(c.entry().serial());

        assertEquals(List.of(c.entry().withRevokedAt(later)), r.revoked());
        assertTrue(ca.list().contains(c.entry().withRevokedAt(later)));
        X509CRL crl = Pem.readCrl(ca.layout().crl(), "crl");
        assertNotNull(crl.getRevokedCertificate(c.entry().serial()));
        assertEquals(later, crl.getRevokedCertificate(c.entry().serial()).getRevocationDate().toInstant());
        assertEquals(BigInteger.TWO, r.crl().number());
        assertEquals(later.plus(CertificateAuthority.CRL_VALIDITY), crl.getNextUpdate().toInstant());
        assertTrue(r.written().stream().map(Written::path).toList()
                .containsAll(List.of(ca.layout().index(), ca.layout().crl())));
    }

    @Test
    void revoke_byName_revokesEveryActiveCertificateOfThatName() {
        CertificateAuthority ca = initialized();
        IssuedClient a = ca.issueClient("ise1", Role.PARTNER, 30, tmp.resolve("a"), PASSWORD);
        IssuedClient b = ca.issueClient("ise1", Role.PARTNER, 60, tmp.resolve("b"), PASSWORD);
        IssuedClient other = ca.issueClient("ise2", Role.PARTNER, 60, PASSWORD);

        RevokeResult r = ca.revokeByName("ise1");

        assertEquals(List.of(a.entry().serial(), b.entry().serial()),
                r.revoked().stream().map(IssuedCert::serial).toList());
        X509CRL crl = Pem.readCrl(ca.layout().crl(), "crl");
        assertEquals(2, crl.getRevokedCertificates().size());
        assertEquals(null, crl.getRevokedCertificate(other.entry().serial()));
    }

    @Test
    void revoke_unknownOrAlreadyRevoked_failsWithReason() {
        CertificateAuthority ca = initialized();
        IssuedClient c = ca.issueClient("ise1", Role.PARTNER, 30, PASSWORD);
        ca.revoke(c.entry().serial());

        CertsException twice = assertThrows(CertsException.class, () -> ca.revoke(c.entry().serial()));
        CertsException unknown = assertThrows(CertsException.class, () -> ca.revokeByName("nobody"));

        assertTrue(twice.getMessage().contains("already revoked"), twice.getMessage());
        assertTrue(unknown.getMessage().contains("no certificate with name 'nobody'"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains(ca.layout().index().toString()), unknown.getMessage());
    }

    @Test
    void crl_refresh_advancesNumberAndWindowAndKeepsRevocations() {
        CertificateAuthority ca = initialized();
        IssuedClient c = ca.issueClient("ise1", Role.PARTNER, 30, PASSWORD);
        ca.revoke(c.entry().serial());
        Instant later = T0.plus(Duration.ofDays(20));

        CrlResult r = ca(later).crl();

        assertEquals(BigInteger.valueOf(3), r.number());
        assertEquals(later, r.thisUpdate());
        X509CRL crl = Pem.readCrl(r.file(), "crl");
        assertEquals(later, crl.getThisUpdate().toInstant());
        assertNotNull(crl.getRevokedCertificate(c.entry().serial()));
        assertEquals(List.of(c.entry().serial()), r.revoked().stream().map(IssuedCert::serial).toList());
    }

    @Test
    void renewServer_keepsCaAndClients_andListsNewServer() {
        CertificateAuthority ca = initialized();
        X509Certificate oldServer = Pem.readCertificates(ca.layout().serverCertificate(), "s").get(0);
        IssuedClient client = ca.issueClient("ise1", Role.PARTNER, 30, PASSWORD);

        InitResult r = ca.renewServer(new ServerNames(List.of("new.example.org"), List.of()));

        assertEquals(ca.caCertificate(), r.caCertificate());
        assertNotEquals(oldServer.getSerialNumber(), r.serverCertificate().getSerialNumber());
        assertTrue(r.serverCertificate().getSubjectX500Principal().getName().contains("new.example.org"));
        assertEquals(3, ca.list().size());
        assertTrue(ca.list().contains(client.entry()));
    }

    @Test
    void inspect_issuedClient_showsRoleValidityAndIndexEntry() {
        CertificateAuthority ca = initialized();
        IssuedClient c = ca.issueClient("ise1", Role.PARTNER, 30, PASSWORD);
        ca.revoke(c.entry().serial());

        CertificateInfo info = ca.inspect(c.chainFile());

        assertEquals(Optional.of(Role.PARTNER), info.role());
        assertEquals(c.entry().serialHex(), info.serialHex());
        assertEquals(List.of("URI:urn:nacgw:role:partner"), info.subjectAltNames());
        assertEquals(List.of("clientAuth"), info.extendedKeyUsages());
        assertEquals("EC 256-bit", info.publicKey());
        assertTrue(info.indexEntry().orElseThrow().revoked());
        String text = info.describe(T0);
        assertTrue(text.contains("role:        partner"), text);
        assertTrue(text.contains("revoked at"), text);
        assertTrue(text.contains("CN=ise1"), text);
    }

    @Test
    void inspect_mdmDeviceCertificate_showsDeviceIds() throws Exception {
        CertificateAuthority ca = initialized();
        CaMaterial mdm = TestCerts.foreignCa("MDM CA", null);
        Path file = tmp.resolve("device.pem");
        TestCerts.writeChain(file, TestCerts.device(mdm, TestCerts.ecKeys(), "CN=" + TestCerts.ENTRA_ID,
                List.of(TestCerts.SID_TAG, "IntuneDeviceId://" + TestCerts.INTUNE_ID)));

        CertificateInfo info = ca.inspect(file);

        assertEquals(Optional.empty(), info.indexEntry());
        assertEquals(Optional.empty(), info.role());
        String text = info.describe(Instant.now());
        assertTrue(text.contains("Intune device id " + TestCerts.INTUNE_ID), text);
        assertTrue(text.contains("Entra device id " + TestCerts.ENTRA_ID), text);
        assertTrue(text.contains("Windows strong-mapping SID"), text);
    }

    @Test
    void inspect_hostileSubject_isPrintedEscaped() {
        CaMaterial mdm = TestCerts.foreignCa("MDM CA", null);
        Path file = tmp.resolve("evil.pem");
        TestCerts.writeChain(file, TestCerts.device(mdm, TestCerts.ecKeys(), "CN=evil\nrole:        admin",
                List.of()));

        String text = ca(T0).inspect(file).describe(T0);

        assertTrue(text.contains("CN=evil?role:"), text);
        assertFalse(text.lines().anyMatch(l -> l.startsWith("role:        admin")), text);
    }

    @Test
    void inspect_notACertificate_failsNamingFile() throws Exception {
        Path junk = tmp.resolve("junk.pem");
        Files.writeString(junk, "hello");

        CertsException e = assertThrows(CertsException.class, () -> ca(T0).inspect(junk));

        assertTrue(e.getMessage().contains(junk.toString()), e.getMessage());
    }

    @Test
    void index_corruptLine_failsNamingFileAndLine() throws Exception {
        CertificateAuthority ca = initialized();
        Files.writeString(ca.layout().index(), CertIndex.HEADER + "zz\tpartner\tx\ty\t-\tise1\n");

        CertsException e = assertThrows(CertsException.class, ca::list);

        assertTrue(e.getMessage().contains(ca.layout().index() + " line 2"), e.getMessage());
        assertTrue(e.getMessage().contains("not hex"), e.getMessage());
    }

    @Test
    void parseSerial_acceptsOpensslAndListForms() {
        assertEquals(BigInteger.valueOf(0x4f1a), CertificateAuthority.parseSerial("4F1A"));
        assertEquals(BigInteger.valueOf(0x4f1a), CertificateAuthority.parseSerial("0x4f1a"));
        assertEquals(BigInteger.valueOf(0x4f1a), CertificateAuthority.parseSerial("4f:1a"));
        assertThrows(IllegalArgumentException.class, () -> CertificateAuthority.parseSerial("xyz"));
        assertThrows(IllegalArgumentException.class, () -> CertificateAuthority.parseSerial("0"));
    }

    @Test
    void secrets_neverInToStringOrLogs() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            CertificateAuthority ca = initialized();
            IssuedClient c = ca.issueClient("ise1", Role.PARTNER, 30, PASSWORD);
            ca.revoke(c.entry().serial());
            String keyPem = Files.readString(c.keyFile(), StandardCharsets.US_ASCII);
            String keyBody = keyPem.split("\n")[1];
            String caKeyBody = Files.readString(ca.layout().caKey()).split("\n")[1];
            CaMaterial material = new CaMaterial(ca.caCertificate(), Pem.readPrivateKey(ca.layout().caKey(), "k"));
            SingleKeyManager km = new SingleKeyManager(Pem.readPrivateKey(c.keyFile(), "k"),
                    List.of(c.certificate()));

            Collection<String> texts = List.of(c.toString(), c.entry().toString(), c.written().toString(),
                    material.toString(), km.toString(), ca.toString(), logs.all());
            for (String t : texts) {
                assertFalse(t.contains(new String(PASSWORD)), t);
                assertFalse(t.contains(keyBody), t);
                assertFalse(t.contains(caKeyBody), t);
                assertFalse(t.contains("PRIVATE KEY"), t);
            }
            assertTrue(material.toString().contains("<hidden>"));
            assertTrue(logs.all().contains("issued partner certificate 'ise1'"), logs.all());
        }
    }
}
