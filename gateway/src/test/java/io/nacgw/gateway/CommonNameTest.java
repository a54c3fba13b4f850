package io.nacgw.gateway;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.Date;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The API principal's name from a client certificate's subject: parsed as a DN, not split on commas. */
final class CommonNameTest {
    private static final KeyPair KEY = key();

    @Test
    void commonName_plain() throws Exception {
        assertEquals("ise-partner", Gateway.commonName(cert("CN=ise-partner,O=Example")));
    }

    @Test
    void commonName_withAnEscapedComma_isKeptWhole() throws Exception {
        assertEquals("Smith, John", Gateway.commonName(cert("CN=Smith\\, John,OU=Ops,O=Example")));
    }

    @Test
    void commonName_inAMultiValuedRdn_andNotFirst() throws Exception {
        assertEquals("ise", Gateway.commonName(cert("O=Example,CN=ise+UID=42")));
    }

    @Test
    void noCommonName_givesTheWholeDn() throws Exception {
        X509Certificate c = cert("OU=Ops,O=Example");
        assertEquals(c.getSubjectX500Principal().getName(), Gateway.commonName(c));
    }

    private static X509Certificate cert(String subject) throws Exception {
        X500Name name = new X500Name(subject);
        Date from = new Date(System.currentTimeMillis() - 60_000);
        Date to = new Date(System.currentTimeMillis() + 3_600_000);
        var b = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, from, to, name, KEY.getPublic());
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(KEY.getPrivate())));
    }

    private static KeyPair key() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(256);
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
