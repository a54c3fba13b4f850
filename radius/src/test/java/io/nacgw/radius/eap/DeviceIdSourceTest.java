package io.nacgw.radius.eap;

import io.nacgw.certs.DeviceIds;
import io.nacgw.core.id.DeviceIdentifier;
import io.nacgw.core.id.MacAddress;
import io.nacgw.radius.TestWorld;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code radius.eap.tls.deviceIdSources} entries: parsing, their messages, and certificates of each shape. */
final class DeviceIdSourceTest {
    private static final String GUID = "4c7d2a1e-9b3f-4e8a-a1b2-c3d4e5f60718";
    private static final MacAddress MAC = MacAddress.parse("00:11:22:33:44:55");

    @TempDir
    static Path dir;
    private static TestPki pki;

    @BeforeAll
    static void pki() {
        pki = new TestPki(dir, TestWorld.NOW, false);
    }

    private static GeneralName upn(String value) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1ObjectIdentifier("1.3.6.1.4.1.311.20.2.3"));
        v.add(new DERTaggedObject(true, 0, new DERUTF8String(value)));
        return new GeneralName(GeneralName.otherName, new DERSequence(v));
    }

    private static List<String> find(String spec, TestPki.Issued cert) {
        DeviceIdSource s = DeviceIdSource.parse(spec);
        return names(s.find(cert.cert(), DeviceIds.fromCertificate(cert.cert()), MAC));
    }

    private static List<String> names(List<DeviceIdentifier> ids) {
        return ids.stream().map(i -> i.kind().name().toLowerCase(Locale.ROOT) + ":" + i.canonical()).toList();
    }

    private static String error(String spec) {
        String m = assertThrows(IllegalArgumentException.class, () -> DeviceIdSource.parse(spec)).getMessage();
        assertTrue(m.startsWith("radius.eap.tls.deviceIdSources: '" + spec + "'"), m);
        return m;
    }

    @Test
    void uriSanWithPrefix_givesTheRestAsTheKind() {
        TestPki.Issued c = pki.device("jamf", "CN=mac1",
                new GeneralName(GeneralName.uniformResourceIdentifier, "urn:other:x"),
                new GeneralName(GeneralName.uniformResourceIdentifier, "JamfSerial://C02XK0AAJGH5/"));
        assertEquals(List.of("serial:C02XK0AAJGH5"), find("uri-san:jamfserial:// as serial", c));
        assertEquals(List.of(), find("uri-san:Other:// as serial", c));
    }

    @Test
    void dnsSan_withRegexGroup() {
        TestPki.Issued c = pki.device("dns", "CN=pc", new GeneralName(GeneralName.dNSName, "pc-1.contoso.test"),
                new GeneralName(GeneralName.dNSName, GUID + ".devices.contoso.test"));
        assertEquals(List.of("entra_id:" + GUID), find("dns-san matching ^([0-9a-f-]{36})\\.devices\\. as entra-id", c));
        assertEquals(List.of("serial:PC-1.CONTOSO.TEST", "serial:" + GUID.toUpperCase(Locale.ROOT) + ".DEVICES.CONTOSO.TEST"),
                find("dns-san as serial", c), "every value, in certificate order");
    }

    @Test
    void upnSan_andEmailSan() {
        TestPki.Issued c = pki.device("upn", "CN=alice", upn(GUID + "@contoso.test"),
                new GeneralName(GeneralName.rfc822Name, "C02XK0AAJGH5@devices.contoso.test"));
        assertEquals(List.of("intune_id:" + GUID), find("upn-san matching ^([^@]+)@ as intune-id", c));
        assertEquals(List.of("serial:C02XK0AAJGH5"), find("email-san matching ^(.+)@devices\\.contoso\\.test$ as serial", c));
        assertEquals(List.of(), find("email-san matching @other\\.test$ as serial", c), "no match, nothing found");
    }

    @Test
    void subjectFields() {
        TestPki.Issued c = pki.device("subj", "CN=C02XK0AAJGH5, OU=" + GUID + ", SERIALNUMBER=356938035643809, O=Contoso");
        assertEquals(List.of("serial:C02XK0AAJGH5"), find("subject-cn as serial", c));
        assertEquals(List.of("intune_id:" + GUID), find("subject-ou as intune-id", c));
        assertEquals(List.of("imei:356938035643809"), find("subject-serialnumber as imei", c));
        assertEquals(List.of(), find("subject-cn", c), "the built-in subject-cn wants a GUID");
    }

    @Test
    void valueNotOfTheKind_isPassedOver() {
        TestPki.Issued c = pki.device("bad", "CN=not a mac", new GeneralName(GeneralName.dNSName, "x.contoso.test"));
        assertEquals(List.of(), find("subject-cn as mac", c));
        assertEquals(List.of(), find("dns-san as imei", c));
    }

    @Test
    void builtins_keepTheirMeaning() {
        TestPki.Issued c = pki.device("both", "CN=" + GUID,
                new GeneralName(GeneralName.uniformResourceIdentifier, "IntuneDeviceId://" + TestWorld.COMPLIANT_ID.canonical()));
        assertEquals(List.of("intune_id:" + TestWorld.COMPLIANT_ID.canonical()), find("intune-uri", c));
        assertEquals(List.of("entra_id:" + GUID, "intune_id:" + GUID), find(" Subject-CN ", c));
        assertEquals(List.of("mac:" + MAC.canonical()), find("calling-station-id", c));
        assertEquals(List.of(), names(DeviceIdSource.parse("dns-san as serial").find(null, null, MAC)),
                "no certificate (EAP-MD5): certificate fields find nothing");
        assertEquals(DeviceIdSource.SUBJECT_CN, DeviceIdSource.parse("SUBJECT-CN"));
    }

    @Test
    void configName_isNormalised() {
        assertEquals("dns-san matching ^([^.]+) as serial", DeviceIdSource.parse("DNS-SAN   matching ^([^.]+)  AS Serial").configName());
        assertEquals("uri-san:IntuneDeviceId:// as intune-id", DeviceIdSource.parse("uri-san:IntuneDeviceId:// as deviceId").configName());
    }

    @Test
    void badEntries_areRefusedNamingTheKey() {
        assertTrue(error("serial").contains("uri-san:PREFIX, dns-san, upn-san, email-san, subject-ou, subject-serialnumber"));
        assertTrue(error("dns-san").contains("needs 'as KIND'"));
        assertTrue(error("dns-san as colour").contains("'colour' is not an identifier kind"));
        assertTrue(error("dns-san matching ([a- as serial").contains("does not compile"));
        assertTrue(error("dns-san something as serial").contains("FIELD [matching REGEX] [as KIND]"));
        assertTrue(error("uri-san: as serial").contains("needs a prefix"));
        assertTrue(error("uri-san as serial").contains("needs a prefix"));
        assertTrue(error("intune-uri as serial").contains("takes neither"));
        assertTrue(error("calling-station-id matching x").contains("takes neither"));
        assertTrue(error("subject-cn matching x").contains("needs 'as KIND'"));
        assertTrue(error("").contains("is not one of"));
    }
}
