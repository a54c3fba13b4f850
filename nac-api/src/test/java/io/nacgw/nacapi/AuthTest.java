package io.nacgw.nacapi;

import io.nacgw.certs.IssuedClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Authentication and roles end to end, with curl and the JDK client: certificates, Basic, 401/403/429, CRL. */
final class AuthTest {
    private static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        gw = TestGateway.start();
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    private static List<String> cert(IssuedClient c) {
        return List.of("--cacert", gw.caFile().toString(), "--cert", c.chainFile().toString(), "--key", c.keyFile().toString());
    }

    private static Curl.Result curl(List<String> auth, String... rest) throws Exception {
        List<String> a = new ArrayList<>(auth);
        a.addAll(List.of(rest));
        return Curl.run(a);
    }

    @Test
    void curl_partnerCertificate_runsAnIseSession() throws Exception {
        Curl.Result info = curl(cert(gw.partnerCert), gw.uri("/ciscoise/mdminfo/?ise_api_version=3").toString());
        assertEquals(200, info.status(), info.stderr());
        assertEquals("/ciscoise/mdmapi/v3", Xml.parse(info.body()).text("api_path"));
        Curl.Result q = curl(cert(gw.partnerCert), gw.uri("/ciscoise/mdmapi/v3/devices/?paging=0&querycriteria=macaddress"
                + "&value=02:00:00:00:00:77&filter=all").toString());
        assertEquals(200, q.status());
        assertTrue(Xml.parse(q.body()).devices().isEmpty());
    }

    @Test
    void curl_basicAuth_isAccepted_andWrongRoleIs403() throws Exception {
        // HTTP/1.1 explicitly here; the other curl tests let curl negotiate HTTP/2 by ALPN
        List<String> partner = List.of("--http1.1", "--cacert", gw.caFile().toString(), "-u", "ise:" + TestGateway.PARTNER_PASSWORD);
        Curl.Result ok = curl(partner, gw.uri("/api/v1/devices/lookup?mac=02:00:00:00:00:78").toString());
        assertEquals(200, ok.status(), ok.body() + ok.stderr());
        Curl.Result put = curl(partner, "-X", "PUT", "-H", "Content-Type: application/json", "--data",
                "{\"deviceId\":\"9b1e7a52-0c4d-4e8f-9a6b-5c2d1e0f9a8b\",\"lastModified\":\"2026-11-01T10:00:00Z\"}",
                gw.uri("/api/v1/devices/9b1e7a52-0c4d-4e8f-9a6b-5c2d1e0f9a8b").toString());
        assertEquals(403, put.status(), put.body());
        assertTrue(put.body().contains("\"status\":403"), put.body());
    }

    @Test
    void curl_adminCertificate_ingests_partnerCertificateMayNot() throws Exception {
        String body = "{\"deviceId\":\"ab1e7a52-0c4d-4e8f-9a6b-5c2d1e0f9a8b\",\"managementState\":\"managed\","
                + "\"complianceState\":\"compliant\",\"lastModified\":\"2026-11-01T10:00:00Z\"}";
        String url = gw.uri("/api/v1/devices/ab1e7a52-0c4d-4e8f-9a6b-5c2d1e0f9a8b").toString();
        Curl.Result admin = curl(cert(gw.adminCert), "-X", "PUT", "-H", "Content-Type: application/json", "--data", body, url);
        assertEquals(201, admin.status(), admin.body() + admin.stderr());
        Curl.Result partner = curl(cert(gw.partnerCert), "-X", "PUT", "-H", "Content-Type: application/json", "--data", body, url);
        assertEquals(403, partner.status());
    }

    @Test
    void noCredentials_is401WithBasicChallenge_inTheApisFormat() throws Exception {
        HttpResponse<String> r = gw.get(gw.client(null), "/ciscoise/mdminfo/?ise_api_version=3", null);
        assertEquals(401, r.statusCode());
        assertEquals("Basic realm=\"nacgw\", charset=\"UTF-8\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals("error", Xml.parse(r.body()).text("name"));
        HttpResponse<String> j = gw.get(gw.client(null), "/api/v1/devices/lookup?mac=020000000001", null);
        assertEquals(401, j.statusCode());
        assertEquals("application/problem+json", j.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void wrongPassword_is401_andNeverEchoesIt() throws Exception {
        HttpResponse<String> r = gw.get(gw.client(null), "/api/v1/devices/lookup?mac=020000000001",
                TestGateway.basic("ops", "guess-xyzzy"));
        assertEquals(401, r.statusCode());
        assertTrue(!r.body().contains("xyzzy"));
    }

    @Test
    void revokedCertificate_isRefusedInTheHandshake() throws Exception {
        Curl.Result c = curl(cert(gw.revokedCert), gw.uri("/ciscoise/mdminfo/?ise_api_version=3").toString());
        assertNotEquals(0, c.exit(), "curl must fail: " + c.body());
        assertNotEquals(200, c.status());
        assertThrows(IOException.class, () -> gw.get(gw.client(gw.revokedCert), "/ciscoise/mdminfo/?ise_api_version=3", null));
        // the same certificate authority's unrevoked certificate still works
        assertEquals(200, gw.get(gw.client(gw.adminCert), "/ciscoise/mdminfo/?ise_api_version=3", null).statusCode());
    }

    @Test
    void curl_bulkNdjsonWithExpectContinue_thenLookup() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("bulk", ".ndjson");
        try {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 3000; i++) {
                sb.append(BulkIngestTest.line(0xC000, i, "2026-11-01T10:00:00Z"));
            }
            java.nio.file.Files.writeString(file, sb);
            Curl.Result r = curl(cert(gw.adminCert), "-H", "Content-Type: application/x-ndjson", "-H", "Expect: 100-continue",
                    "--data-binary", "@" + file, gw.uri("/api/v1/devices:bulk").toString());
            assertEquals(200, r.status(), r.body() + r.stderr());
            assertTrue(r.body().contains("\"inserted\":3000"), r.body());
            Curl.Result lookup = curl(List.of("--cacert", gw.caFile().toString(), "-u", "ise:" + TestGateway.PARTNER_PASSWORD),
                    gw.uri("/api/v1/devices/lookup?mac=" + io.nacgw.core.id.MacAddress.of(0xC000L << 32 | 2999).toHex12()).toString());
            assertEquals(200, lookup.status());
            assertTrue(lookup.body().contains("\"found\":true"), lookup.body());
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }
}
