package io.nacgw.certs;

import static io.nacgw.certs.TestCerts.ENTRA_ID;
import static io.nacgw.certs.TestCerts.INTUNE_ID;
import static io.nacgw.certs.TestCerts.SID_TAG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.nacgw.core.id.DeviceGuid;

/** Device ids from certificates shaped like Intune SCEP/PKCS and Cisco ISE ones, including malformed SANs. */
final class DeviceIdsTest {
    private static CaMaterial scepCa;
    private static KeyPair keys;

    @BeforeAll
    static void mdmCa() {
        scepCa = TestCerts.foreignCa("Contoso Intune SCEP CA", null);
        keys = TestCerts.ecKeys();
    }

    /** Round-trips through the JDK's parser, as a certificate arriving in a TLS handshake does. */
    private static X509Certificate viaJdk(X509Certificate c) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(c.getEncoded()));
    }

    private static CertificateDeviceIds ids(String subject, String... uris) throws Exception {
        return DeviceIds.fromCertificate(viaJdk(TestCerts.device(scepCa, keys, subject, List.of(uris))));
    }

    @Test
    void fromCertificate_intuneScepProfile_givesIntuneIdThenEntraId() throws Exception {
        CertificateDeviceIds r = ids("CN=" + ENTRA_ID, "IntuneDeviceId://" + INTUNE_ID);

        assertEquals(List.of(DeviceGuid.intune(INTUNE_ID), DeviceGuid.entra(ENTRA_ID)), r.ids());
        assertEquals(Optional.of(DeviceGuid.intune(INTUNE_ID)), r.first());
        assertEquals(Optional.of(DeviceGuid.entra(ENTRA_ID)), r.entraId());
        assertEquals(List.of(), r.skipped());
    }

    @Test
    void fromCertificate_strongMappingSidBesideDeviceId_yieldsDeviceIdAndExplainsSid() throws Exception {
        CertificateDeviceIds r = ids("CN=" + ENTRA_ID, SID_TAG, "IntuneDeviceId://" + INTUNE_ID);

        assertEquals(Optional.of(DeviceGuid.intune(INTUNE_ID)), r.first());
        assertEquals(List.of(DeviceGuid.intune(INTUNE_ID)), r.intuneIds());
        assertEquals(1, r.skipped().size());
        assertEquals(SID_TAG, r.skipped().get(0).value());
        assertTrue(r.skipped().get(0).reason().contains("strong-mapping SID"), r.skipped().toString());
    }

    @Test
    void fromCertificate_ciscoIseIntuneScheme_givesIntuneId() throws Exception {
        CertificateDeviceIds r = ids("CN=laptop-42", "ID:Intune:GUID:" + INTUNE_ID.toUpperCase());

        assertEquals(List.of(DeviceGuid.intune(INTUNE_ID)), r.ids());
    }

    @Test
    void fromCertificate_ciscoIseEndpointManagerSchemeWithSpaces_givesIntuneId() throws Exception {
        X509Certificate c = viaJdk(TestCerts.device(scepCa, keys, "CN=laptop-42",
                List.of(SID_TAG, "ID:Microsoft Endpoint Manager:GUID:" + INTUNE_ID)));
        // the spaces are not valid in an RFC 3986 URI, so the JDK drops the whole SAN extension
        assertNull(c.getSubjectAlternativeNames());

        CertificateDeviceIds r = DeviceIds.fromCertificate(c);

        assertEquals(List.of(DeviceGuid.intune(INTUNE_ID)), r.ids());
    }

    @Test
    void fromCertificate_bracedGuidAndLowerCaseScheme_areAccepted() throws Exception {
        CertificateDeviceIds r = ids("CN=x", "intunedeviceid://{" + INTUNE_ID.toUpperCase() + "}/");

        assertEquals(List.of(DeviceGuid.intune(INTUNE_ID)), r.ids());
    }

    @Test
    void fromCertificate_guidCnOnly_givesEntraIdAsFallback() throws Exception {
        CertificateDeviceIds r = ids("CN=" + ENTRA_ID + ",O=Contoso");

        assertEquals(List.of(DeviceGuid.entra(ENTRA_ID)), r.ids());
        assertEquals(List.of(), r.intuneIds());
    }

    @Test
    void fromCertificate_noIds_isEmpty() throws Exception {
        CertificateDeviceIds r = ids("CN=alice@contoso.com");

        assertTrue(r.isEmpty());
        assertEquals(Optional.empty(), r.first());
    }

    @Test
    void fromCertificate_malformedDeviceIdSans_areSkippedWithReasonAndGoodOneKept() throws Exception {
        CertificateDeviceIds r = ids("CN=not-a-guid", "IntuneDeviceId://not-a-guid", "IntuneDeviceId://{{DeviceId}}",
                "ID:Intune:GUID:", "ID:AirWatch:GUID:" + INTUNE_ID, "ID:Intune:" + INTUNE_ID,
                "https://example.org/device", "ID:Intune:GUID:" + INTUNE_ID);

        assertEquals(List.of(DeviceGuid.intune(INTUNE_ID)), r.ids());
        List<String> reasons = r.skipped().stream().map(SkippedSan::reason).toList();
        assertEquals(List.of(
                "IntuneDeviceId URI does not hold a GUID",
                "IntuneDeviceId URI does not hold a GUID (an unsubstituted profile variable?)",
                "ID:Intune:GUID URI does not hold a GUID",
                "ID:AirWatch:GUID URI names an MDM other than Intune",
                "ID: URI without :GUID: part",
                "not a device-id URI"), reasons);
    }

    @Test
    void fromCertificate_hostileSanValue_isEscapedAndCapped() throws Exception {
        String hostile = "IntuneDeviceId://x\r\nFAKE LOG LINE" + "A".repeat(500);
        CertificateDeviceIds r = ids("CN=x", hostile);

        String shown = r.skipped().get(0).value();
        assertTrue(!shown.contains("\n") && !shown.contains("\r"), shown);
        assertTrue(shown.length() < 140, shown);
    }

    @Test
    void fromCertificate_sanExtensionNotDer_isReportedNotThrown() throws Exception {
        byte[] garbage = {0x30, 0x05, (byte) 0x86, 0x10, 0x41};
        X509Certificate c = viaJdk(TestCerts.deviceRawSan(scepCa, keys, "CN=" + ENTRA_ID, garbage));

        CertificateDeviceIds r = DeviceIds.fromCertificate(c);

        assertEquals(List.of(DeviceGuid.entra(ENTRA_ID)), r.ids());
        assertEquals(1, r.skipped().size());
        assertTrue(r.skipped().get(0).reason().contains("not valid DER"), r.skipped().toString());
    }

    @Test
    void fromCertificate_duplicateIds_areListedOnce() throws Exception {
        CertificateDeviceIds r = ids("CN=x", "IntuneDeviceId://" + INTUNE_ID, "ID:Intune:GUID:" + INTUNE_ID);

        assertEquals(List.of(DeviceGuid.intune(INTUNE_ID)), r.ids());
    }

    @Test
    void fromCertificate_nacgwRoleUri_isNotADeviceId() throws Exception {
        CertificateDeviceIds r = ids("CN=ise1", Role.PARTNER.uri());

        assertTrue(r.isEmpty());
        assertEquals("nacgw role, not a device id", r.skipped().get(0).reason());
    }
}
