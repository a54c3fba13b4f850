package io.nacgw.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.List;

import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM/DER reading with errors that name the file. */
final class PemTest {
    @TempDir
    Path tmp;

    @Test
    void readPrivateKey_traditionalEcForm_isAccepted() throws Exception {
        // RFC 5915 ECPrivateKey with curve and public key, as "openssl ecparam -genkey" writes it
        KeyPair kp = TestCerts.ecKeys();
        ECPrivateKey inner = new ECPrivateKey(256, ((java.security.interfaces.ECPrivateKey) kp.getPrivate()).getS(),
                SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded()).getPublicKeyData(),
                SECObjectIdentifiers.secp256r1);
        Path file = tmp.resolve("trad.key");
        Files.writeString(file, Pem.encode("EC PRIVATE KEY", inner.getEncoded()));

        PrivateKey k = Pem.readPrivateKey(file, "key");

        assertEquals("EC", k.getAlgorithm());
        CaMaterial ca = TestCerts.foreignCa("x", null);
        assertTrue(Keys.matches(X509Factory.client(kp.getPublic(), "c", Role.ADMIN, ca, java.math.BigInteger.ONE,
                java.time.Instant.now(), java.time.Instant.now().plusSeconds(9)), k));
    }

    @Test
    void readPrivateKey_certificateInsteadOfKey_failsNamingFile() {
        Path file = tmp.resolve("ca.pem");
        CaMaterial ca = TestCerts.foreignCa("x", file);

        CertsException e = assertThrows(CertsException.class, () -> Pem.readPrivateKey(file, "server private key"));

        assertTrue(e.getMessage().startsWith("server private key " + file + " holds no unencrypted PEM private key"),
                e.getMessage());
        assertEquals(ca.certificate(), Pem.readCertificates(file, "c").get(0));
    }

    @Test
    void readCertificates_derAndMultiPem_areAccepted() throws Exception {
        CaMaterial a = TestCerts.foreignCa("a", null);
        CaMaterial b = TestCerts.foreignCa("b", null);
        Path der = tmp.resolve("a.der");
        Files.write(der, a.certificate().getEncoded());
        Path bundle = tmp.resolve("bundle.pem");
        TestCerts.writeChain(bundle, a.certificate(), b.certificate());

        assertEquals(List.of(a.certificate()), Pem.readCertificates(der, "c"));
        assertEquals(List.of(a.certificate(), b.certificate()), Pem.readCertificates(bundle, "c"));
    }

    @Test
    void readCertificates_missingOrEmpty_failNamingFile() throws Exception {
        Path missing = tmp.resolve("missing.pem");
        Path empty = tmp.resolve("empty.pem");
        Files.writeString(empty, "");

        CertsException e1 = assertThrows(CertsException.class, () -> Pem.readCertificates(missing, "trusted CA file"));
        CertsException e2 = assertThrows(CertsException.class, () -> Pem.readCertificates(empty, "trusted CA file"));

        assertEquals("trusted CA file " + missing + " does not exist", e1.getMessage());
        assertTrue(e2.getMessage().startsWith("trusted CA file " + empty), e2.getMessage());
    }
}
