package io.nacgw.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every field an admin can map a device id from, read from certificates of each shape. */
final class CertificateFieldTest {
    private static CaMaterial ca;
    private static KeyPair keys;

    @BeforeAll
    static void mdmCa() {
        ca = TestCerts.foreignCa("Contoso Intune SCEP CA", null);
        keys = TestCerts.ecKeys();
    }

    static GeneralName upn(String value) {
        return upn("1.3.6.1.4.1.311.20.2.3", value);
    }

    static GeneralName upn(String oid, String value) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1ObjectIdentifier(oid));
        v.add(new DERTaggedObject(true, 0, new DERUTF8String(value)));
        return new GeneralName(GeneralName.otherName, new DERSequence(v));
    }

    private static X509Certificate cert(String subject, GeneralName... sans) throws Exception {
        X509Certificate c = TestCerts.deviceRawSan(ca, keys, subject,
                sans.length == 0 ? null : new GeneralNames(sans).getEncoded());
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(c.getEncoded()));
    }

    @Test
    void values_everySanKind_inCertificateOrder() throws Exception {
        X509Certificate c = cert("CN=pc1",
                new GeneralName(GeneralName.uniformResourceIdentifier, "IntuneDeviceId://abc"),
                new GeneralName(GeneralName.dNSName, "PC-0042.corp.contoso.test"),
                upn("alice@contoso.test"),
                upn("1.2.3.4", "not-a-upn"),
                new GeneralName(GeneralName.rfc822Name, "alice@contoso.test"),
                new GeneralName(GeneralName.dNSName, "second.contoso.test"),
                new GeneralName(GeneralName.uniformResourceIdentifier, new DERIA5String("urn:x")));

        assertEquals(List.of("IntuneDeviceId://abc", "urn:x"), CertificateField.URI_SAN.values(c));
        assertEquals(List.of("PC-0042.corp.contoso.test", "second.contoso.test"), CertificateField.DNS_SAN.values(c));
        assertEquals(List.of("alice@contoso.test"), CertificateField.UPN_SAN.values(c), "other otherNames are not UPNs");
        assertEquals(List.of("alice@contoso.test"), CertificateField.EMAIL_SAN.values(c));
    }

    @Test
    void values_subjectAttributes() throws Exception {
        X509Certificate c = cert("CN=C02XK0AAJGH5, OU=Devices, OU=Paris, SERIALNUMBER=SN-77, O=Contoso");

        assertEquals(List.of("C02XK0AAJGH5"), CertificateField.SUBJECT_CN.values(c));
        assertEquals(List.of("Devices", "Paris"), CertificateField.SUBJECT_OU.values(c));
        assertEquals(List.of("SN-77"), CertificateField.SUBJECT_SERIALNUMBER.values(c));
    }

    @Test
    void values_absentFields_areEmpty() throws Exception {
        X509Certificate c = cert("O=Contoso");

        for (CertificateField f : CertificateField.values()) {
            assertEquals(List.of(), f.values(c), f.configName());
        }
    }

    @Test
    void inspect_showsUpn() throws Exception {
        X509Certificate c = cert("CN=pc1", upn("alice@contoso.test"));
        assertEquals("othername:UPN:alice@contoso.test", Sans.display(Sans.read(c).names().get(0)));
    }
}
