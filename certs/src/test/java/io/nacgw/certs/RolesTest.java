package io.nacgw.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reading the role back out of a certificate. */
final class RolesTest {
    private static CaMaterial ca;
    private static KeyPair keys;

    @BeforeAll
    static void setUp() {
        ca = TestCerts.foreignCa("Test CA", null);
        keys = TestCerts.ecKeys();
    }

    @Test
    void of_clientAuthWithOneRoleUri_givesRole() {
        X509Certificate c = X509Factory.client(keys.getPublic(), "ise1", Role.ADMIN, ca, BigInteger.TEN,
                Instant.now(), Instant.now().plusSeconds(60));

        assertEquals(Optional.of(Role.ADMIN), Roles.of(c));
    }

    @Test
    void of_roleUriAmongDeviceSans_givesRole() {
        X509Certificate c = TestCerts.device(ca, keys, "CN=x",
                List.of(TestCerts.SID_TAG, Role.PARTNER.uri(), "IntuneDeviceId://" + TestCerts.INTUNE_ID));

        assertEquals(Optional.of(Role.PARTNER), Roles.of(c));
    }

    @Test
    void of_conflictingRoleUris_givesNoRoleButCountsAsClaim() {
        X509Certificate c = TestCerts.device(ca, keys, "CN=x", List.of(Role.PARTNER.uri(), Role.ADMIN.uri()));

        assertEquals(Optional.empty(), Roles.of(c));
        assertTrue(Roles.claimsRole(c));
    }

    @Test
    void of_unknownRoleUri_givesNoRoleButCountsAsClaim() {
        X509Certificate c = TestCerts.device(ca, keys, "CN=x", List.of("urn:nacgw:role:root"));

        assertEquals(Optional.empty(), Roles.of(c));
        assertTrue(Roles.claimsRole(c));
    }

    @Test
    void of_roleUriWithoutClientAuthEku_givesNoRole() throws Exception {
        // e.g. a server certificate someone gave a role URI: not a client identity
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), BigInteger.TWO,
                new Date(), new Date(System.currentTimeMillis() + 60_000), new X500Name("CN=x"), keys.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, Role.ADMIN.uri())));
        X509Certificate c = new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.key())));

        assertEquals(Optional.of(Role.ADMIN), Roles.declared(c));
        assertEquals(Optional.empty(), Roles.of(c));
    }

    @Test
    void of_noRoleUri_givesNoRole() {
        X509Certificate c = TestCerts.device(ca, keys, "CN=x", List.of("IntuneDeviceId://" + TestCerts.INTUNE_ID));

        assertEquals(Optional.empty(), Roles.of(c));
        assertFalse(Roles.claimsRole(c));
    }
}
