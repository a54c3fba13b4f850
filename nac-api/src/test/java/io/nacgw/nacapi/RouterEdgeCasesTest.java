package io.nacgw.nacapi;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inputs that used to reach a handler the router cannot call or a number that overflows: each gets a defined
 * answer below 500 (issue 11 item 12 and the same classes of bug elsewhere in the router).
 */
final class RouterEdgeCasesTest {
    private static final String ID = "4c1e7a52-0c4d-4e8f-9a6b-5c2d1e0f9a8b";
    private static TestGateway gw;
    private static HttpClient admin;
    private static HttpClient partner;

    @BeforeAll
    static void start() throws Exception {
        gw = TestGateway.start();
        admin = gw.client(gw.adminCert);
        partner = gw.client(gw.partnerCert);
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    private static String device(String id, String modified) {
        return "{\"deviceId\":\"" + id + "\",\"managementState\":\"managed\",\"complianceState\":\"compliant\","
                + "\"lastModified\":\"" + modified + "\"}";
    }

    @Test
    void bulkPath_percentEncodedOrWithTrailingSlash_isTheBulkRouteNotA500() throws Exception {
        for (String path : List.of("/api/v1/devices%3Abulk", "/api/v1/devices%3abulk", "/api/v1/devices:bulk/")) {
            HttpResponse<String> noType = gw.send(admin, "POST", path, null, "", null);
            assertEquals(415, noType.statusCode(), path + ": " + noType.body());
            HttpResponse<String> ok = gw.send(admin, "POST", path, "application/x-ndjson",
                    device(ID, "2026-11-01T10:00:00Z") + "\n", null);
            assertEquals(200, ok.statusCode(), path + ": " + ok.body());
            HttpResponse<String> partnerTry = gw.send(partner, "POST", path, "application/x-ndjson", "", null);
            assertEquals(403, partnerTry.statusCode(), path + " needs the admin role");
        }
        HttpResponse<String> wrongMethod = gw.send(admin, "PUT", "/api/v1/devices%3Abulk/", "application/x-ndjson", "", null);
        assertEquals(405, wrongMethod.statusCode(), wrongMethod.body());
    }

    @Test
    void instantsBeyondTheMillisecondRange_are400NotOverflow() throws Exception {
        for (String t : List.of("+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+292278994-08-17T07:12:55.808Z")) {
            HttpResponse<String> put = gw.send(admin, "PUT", "/api/v1/devices/" + ID, "application/json", device(ID, t), null);
            assertEquals(400, put.statusCode(), t + ": " + put.body());
            assertTrue(put.body().contains("lastModified"), put.body());
            String grace = "{\"deviceId\":\"" + ID + "\",\"lastModified\":\"2026-11-01T10:00:00Z\",\"graceExpiry\":\"" + t + "\"}";
            assertEquals(400, gw.send(admin, "PUT", "/api/v1/devices/" + ID, "application/json", grace, null).statusCode());
            HttpResponse<String> bulk = gw.send(admin, "POST", "/api/v1/devices:bulk", "application/x-ndjson",
                    device(ID, t) + "\n", null);
            assertEquals(200, bulk.statusCode(), bulk.body());
            assertTrue(bulk.body().contains("\"invalid\":1"), bulk.body());
        }
    }

    @Test
    void malformedEscapesAndHugeNumbers_are4xx() throws Exception {
        for (String q : List.of("/api/v1/devices/lookup?mac=%zz", "/api/v1/devices/lookup%zz?mac=aabbccddeeff",
                "/ciscoise/mdminfo/?ise_api_version=99999999999999999999",
                "/ciscoise/mdmapi/v3/devices/?paging=99999999999999999999&querycriteria=compliance&value=false",
                "/ciscoise/mdmapi/v3/devices/?paging=-1&querycriteria=compliance&value=false",
                "/ciscoise/mdmapi/v99999999999/devices/?paging=0")) {
            // curl sends the bytes as given (the JDK client refuses a malformed URI)
            Curl.Result r = Curl.run(List.of("--cacert", gw.caFile().toString(), "-u",
                    "ise:" + TestGateway.PARTNER_PASSWORD, "--path-as-is", "https://localhost:" + gw.port() + q));
            assertTrue(r.status() >= 400 && r.status() < 500, q + " -> " + r.status() + " " + r.body());
        }
    }
}
