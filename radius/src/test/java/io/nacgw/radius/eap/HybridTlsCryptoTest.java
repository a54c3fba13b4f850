package io.nacgw.radius.eap;

import io.nacgw.radius.TestWorld;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.WNafUtil;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

final class HybridTlsCryptoTest {
    @TempDir
    Path dir;

    @Test
    void certificateSentAgain_isParsedOnce_andKeepsItsPublicKeyAndPointTable() throws Exception {
        TestPki pki = new TestPki(dir, TestWorld.NOW, false);
        HybridTlsCrypto crypto = new HybridTlsCrypto(new SecureRandom());
        byte[] der = pki.server.cert().getEncoded();
        TlsCertificate first = crypto.createCertificate(der);
        ECPublicKeyParameters key = ((BcTlsCertificate) first).getPubKeyEC();
        ECPoint q = key.getQ();
        q.getCurve().precompute(q, WNafUtil.PRECOMP_NAME, existing -> existing != null ? existing : WNafUtil.precompute(
                q, 4, true)); // what a signature check leaves on the point
        der[der.length - 1] ^= 0; // a fresh array with the same bytes, as the next handshake's message gives
        TlsCertificate again = crypto.createCertificate(der.clone());
        assertSame(first, again, "the same DER bytes give the parsed certificate");
        assertSame(key, ((BcTlsCertificate) again).getPubKeyEC(), "and its decoded key");
        assertNotNull(q.getCurve().getPreCompInfo(((BcTlsCertificate) again).getPubKeyEC().getQ(), WNafUtil.PRECOMP_NAME),
                "whose point keeps its table");
        assertArrayEquals(pki.server.cert().getEncoded(), again.getEncoded());
        assertEquals(1, crypto.certificatesKept());
    }

    @Test
    void differentCertificates_areDifferent_andTheCallersArrayChangingLaterChangesNothing() throws Exception {
        TestPki pki = new TestPki(dir, TestWorld.NOW, false);
        HybridTlsCrypto crypto = new HybridTlsCrypto(new SecureRandom());
        byte[] server = pki.server.cert().getEncoded();
        TlsCertificate a = crypto.createCertificate(server);
        java.util.Arrays.fill(server, (byte) 0); // bctls's buffer reused: the cache holds its own copy
        TlsCertificate b = crypto.createCertificate(pki.serverCa.cert().getEncoded());
        assertNotSame(a, b);
        assertArrayEquals(pki.server.cert().getEncoded(), crypto.createCertificate(pki.server.cert().getEncoded()).getEncoded());
        assertSame(a, crypto.createCertificate(pki.server.cert().getEncoded()));
        assertEquals(2, crypto.certificatesKept());
    }

    @Test
    void bytesThatAreNoCertificate_areRefused_andNotKept() {
        HybridTlsCrypto crypto = new HybridTlsCrypto(new SecureRandom());
        for (byte[] bad : List.of(new byte[0], new byte[]{0x30, 0x03, 0x02, 0x01, 0x01}, new byte[]{0x30, (byte) 0x82})) {
            assertThrows(IOException.class, () -> crypto.createCertificate(bad));
        }
        assertEquals(0, crypto.certificatesKept());
    }

    @Test
    void certificateLargerThanTheLimit_isParsedEachTime_andNotKept() throws Exception {
        TestPki pki = new TestPki(dir, TestWorld.NOW, false);
        org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder b = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(
                new org.bouncycastle.asn1.x500.X500Name("CN=big"), java.math.BigInteger.TEN,
                java.util.Date.from(TestWorld.NOW), java.util.Date.from(TestWorld.NOW.plusSeconds(3600)),
                new org.bouncycastle.asn1.x500.X500Name("CN=big"), pki.server.keys().getPublic());
        b.addExtension(new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.4.1.55555.1"), false,
                new org.bouncycastle.asn1.DEROctetString(new byte[HybridTlsCrypto.LARGEST_KEPT]));
        byte[] der = b.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                .build(pki.server.keys().getPrivate())).getEncoded();
        HybridTlsCrypto crypto = new HybridTlsCrypto(new SecureRandom());
        TlsCertificate first = crypto.createCertificate(der);
        assertNotSame(first, crypto.createCertificate(der));
        assertArrayEquals(der, first.getEncoded());
        assertEquals(0, crypto.certificatesKept());
    }

    @Test
    void rawPublicKeys_areNotKept() throws Exception {
        TestPki pki = new TestPki(dir, TestWorld.NOW, false);
        HybridTlsCrypto crypto = new HybridTlsCrypto(new SecureRandom());
        byte[] spki = pki.server.keys().getPublic().getEncoded();
        assertNotSame(crypto.createCertificate(CertificateType.RawPublicKey, spki),
                crypto.createCertificate(CertificateType.RawPublicKey, spki));
        assertEquals(0, crypto.certificatesKept());
    }
}
