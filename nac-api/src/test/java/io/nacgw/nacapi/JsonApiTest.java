package io.nacgw.nacapi;

import io.nacgw.nacapi.ise.IseSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nacgw.core.id.DeviceGuid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON API and single-record ingest end to end over HTTPS with client certificates. */
final class JsonApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "3b1e7a52-0c4d-4e8f-9a6b-5c2d1e0f9a8b";
    private static TestGateway gw;
    private static HttpClient admin;
    private static HttpClient partner;

    @BeforeAll
    static void start() throws Exception {
        gw = new TestGateway(s -> s.withLimits(64 * 1024, 3, 1000), IseSettings.defaults(TestGateway.REDIRECT));
        admin = gw.client(gw.adminCert);
        partner = gw.client(gw.partnerCert);
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    private static String device(String id, String state, String modified) {
        return "{\"deviceId\":\"" + id + "\",\"deviceName\":\"LAPTOP-7\",\"userPrincipalName\":\"carol@example.com\","
                + "\"platform\":\"windows\",\"osVersion\":\"10.0.22631\",\"managementState\":\"managed\","
                + "\"complianceState\":\"" + state + "\",\"lastCheckIn\":\"" + java.time.Instant.now().minusSeconds(600)
                + "\",\"lastModified\":\"" + modified + "\",\"macs\":[\"AA-BB-CC-00-11-" + id.substring(0, 2)
                + "\"],\"serial\":\"PF" + id.substring(0, 6) + "\"}";
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void ingestThenLookup_returnsRecordAndDecision() throws Exception {
        HttpResponse<String> put = gw.send(admin, "PUT", "/api/v1/devices/" + ID, "application/json",
                device(ID, "noncompliant", "2026-11-01T10:00:00Z"), null);
        assertEquals(201, put.statusCode(), put.body());
        assertEquals("inserted", json(put).get("outcome").asText());

        HttpResponse<String> r = gw.get(partner, "/api/v1/devices/lookup?mac=aabb.cc00.113b", null);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode j = json(r);
        assertTrue(j.get("found").asBoolean());
        assertEquals("mac", j.at("/identifier/kind").asText());
        assertEquals(ID, j.at("/device/deviceId").asText());
        assertEquals("aa:bb:cc:00:11:3b", j.at("/device/macs/0").asText());
        assertEquals("deny", j.at("/decision/verdict").asText());
        assertEquals("noncompliant", j.at("/decision/primaryReason").asText());
        assertEquals("corp", j.at("/decision/profile").asText());
        assertEquals("https://portal.example.com/fix", j.at("/decision/remediationUrl").asText());
        assertTrue(j.at("/device/jailbroken").isMissingNode(), "not reported: absent, not false");
        assertTrue(j.at("/device/encrypted").isMissingNode());

        JsonNode bySerial = json(gw.get(partner, "/api/v1/devices/lookup?serial=PF3b1e7a&profile=lab", null));
        assertEquals("lab", bySerial.at("/decision/profile").asText());
        JsonNode byId = json(gw.get(partner, "/api/v1/devices/lookup?deviceId=%7B" + ID.toUpperCase() + "%7D", null));
        assertEquals(ID, byId.at("/device/deviceId").asText());
        assertEquals("deviceId", byId.at("/identifier/kind").asText());

        String entra = "7e57e57e-0c4d-4e8f-9a6b-5c2d1e0f9a8b";
        String withEntra = device(ID, "compliant", "2026-11-02T10:00:00Z").replace("{", "{\"entraId\":\"" + entra + "\",");
        assertEquals(200, gw.send(admin, "PUT", "/api/v1/devices/" + ID, "application/json", withEntra, null).statusCode());
        JsonNode byEntra = json(gw.get(partner, "/api/v1/devices/lookup?entraId=" + entra, null));
        assertEquals(ID, byEntra.at("/device/deviceId").asText());
        assertEquals(entra, byEntra.at("/device/entraId").asText());
        assertEquals("allow", byEntra.at("/decision/verdict").asText());
    }

    @Test
    void staleUpdate_isReportedAndNotApplied() throws Exception {
        String id = "4b1e7a52-0c4d-4e8f-9a6b-5c2d1e0f9a8b";
        assertEquals(201, gw.send(admin, "PUT", "/api/v1/devices/" + id, "application/json",
                device(id, "compliant", "2026-11-02T10:00:00Z"), null).statusCode());
        HttpResponse<String> older = gw.send(admin, "PUT", "/api/v1/devices/" + id, "application/json",
                device(id, "noncompliant", "2026-11-01T10:00:00Z"), null);
        assertEquals(200, older.statusCode());
        assertEquals("stale", json(older).get("outcome").asText());
        assertFalse(json(older).get("applied").asBoolean());
        assertEquals("compliant", gw.service.findResident(DeviceGuid.intune(id)).complianceState().wireName());
        HttpResponse<String> newer = gw.send(admin, "PUT", "/api/v1/devices/" + id, "application/json",
                device(id, "noncompliant", "2026-11-03T10:00:00Z"), null);
        assertEquals("updated", json(newer).get("outcome").asText());
        assertTrue(gw.server.stats().staleUpdates() >= 1);
    }

    @Test
    void delete_removesTheDevice() throws Exception {
        String id = "5b1e7a52-0c4d-4e8f-9a6b-5c2d1e0f9a8b";
        gw.send(admin, "PUT", "/api/v1/devices/" + id, "application/json", device(id, "compliant", "2026-11-02T10:00:00Z"), null);
        assertEquals(204, gw.send(admin, "DELETE", "/api/v1/devices/" + id, null, null, null).statusCode());
        JsonNode j = json(gw.get(partner, "/api/v1/devices/lookup?deviceId=" + id, null));
        assertFalse(j.get("found").asBoolean());
        assertEquals("device_unknown", j.at("/decision/primaryReason").asText());
        HttpResponse<String> again = gw.send(admin, "DELETE", "/api/v1/devices/" + id, null, null, null);
        assertEquals(404, again.statusCode());
        assertEquals("application/problem+json", again.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void badJson_isProblemJson400WithoutStackTrace() throws Exception {
        for (String body : new String[] {"{\"deviceId\":", "[]", "{\"deviceId\":\"" + ID + "\",\"lastModified\":\"yesterday\"}",
                "{\"deviceId\":\"" + ID + "\",\"lastModified\":\"2026-11-01T10:00:00Z\",\"colour\":\"red\"}"}) {
            HttpResponse<String> r = gw.send(admin, "PUT", "/api/v1/devices/" + ID, "application/json", body, null);
            assertEquals(400, r.statusCode(), body);
            assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
            JsonNode p = json(r);
            assertEquals(400, p.get("status").asInt());
            assertEquals("Bad Request", p.get("title").asText());
            assertEquals("/api/v1/devices/" + ID, p.get("instance").asText());
            assertFalse(r.body().contains("at io.") || r.body().contains("Exception"), r.body());
        }
        HttpResponse<String> mismatch = gw.send(admin, "PUT", "/api/v1/devices/" + ID, "application/json",
                device("6b1e7a52-0c4d-4e8f-9a6b-5c2d1e0f9a8b", "compliant", "2026-11-02T10:00:00Z"), null);
        assertEquals(400, mismatch.statusCode());
        HttpResponse<String> wrongType = gw.send(admin, "PUT", "/api/v1/devices/" + ID, "text/plain", "{}", null);
        assertEquals(415, wrongType.statusCode());
    }

    @Test
    void badMac_is400() throws Exception {
        HttpResponse<String> r = gw.get(partner, "/api/v1/devices/lookup?mac=zz:zz", null);
        assertEquals(400, r.statusCode());
        assertTrue(json(r).get("detail").asText().contains("MAC"), r.body());
        assertEquals(400, gw.get(partner, "/api/v1/devices/lookup?mac=aabbcc001122&serial=X1", null).statusCode());
        assertEquals(400, gw.get(partner, "/api/v1/devices/lookup?mac=aabbcc001122&profile=nosuch", null).statusCode());
    }

    @Test
    void decisions_batch_answersEachInOrder_andIsBounded() throws Exception {
        String id = "8b1e7a52-0c4d-4e8f-9a6b-5c2d1e0f9a8b";
        gw.send(admin, "PUT", "/api/v1/devices/" + id, "application/json", device(id, "noncompliant", "2026-11-01T10:00:00Z"), null);
        HttpResponse<String> r = gw.send(partner, "POST", "/api/v1/decisions", "application/json",
                "{\"profile\":\"corp\",\"identifiers\":[{\"deviceId\":\"" + id + "\"},{\"serial\":\"NOPE123\"}]}", null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode results = json(r).get("results");
        assertEquals(2, results.size());
        assertTrue(results.get(0).get("found").asBoolean());
        assertFalse(results.get(1).get("found").asBoolean());
        assertEquals("device_unknown", results.get(1).at("/decision/primaryReason").asText());
        HttpResponse<String> tooMany = gw.send(partner, "POST", "/api/v1/decisions", "application/json",
                "{\"identifiers\":[{\"mac\":\"aabbcc001122\"},{\"mac\":\"aabbcc001122\"},{\"mac\":\"aabbcc001122\"},{\"mac\":\"aabbcc001122\"}]}", null);
        assertEquals(400, tooMany.statusCode());
        assertTrue(json(tooMany).get("detail").asText().contains("at most 3"));
    }

    @Test
    void oversizeBody_is413InTheApisFormat() throws Exception {
        String big = "{\"pad\":\"" + "x".repeat(70 * 1024) + "\"}";
        HttpResponse<String> r = gw.send(admin, "PUT", "/api/v1/devices/" + ID, "application/json", big, null);
        assertEquals(413, r.statusCode());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        HttpResponse<String> x = gw.send(partner, "POST", "/ciscoise/mdmapi/v3/batchdevices/", "application/xml",
                "<ise_api>" + "<value>F434F0A1E478</value>".repeat(4000) + "</ise_api>", null);
        assertEquals(413, x.statusCode());
        assertEquals("error", Xml.parse(x.body()).text("name"));
    }

    @Test
    void unknownRouteAndWrongMethod_are404And405() throws Exception {
        assertEquals(404, gw.get(partner, "/api/v1/nothing", null).statusCode());
        HttpResponse<String> r = gw.send(partner, "POST", "/api/v1/devices/lookup", "application/json", "{}", null);
        assertEquals(405, r.statusCode());
        assertEquals("GET", r.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void openApi_isServed() throws Exception {
        HttpResponse<String> r = gw.get(partner, "/api/v1/openapi.json", null);
        assertEquals(200, r.statusCode());
        assertEquals("3.1.0", json(r).get("openapi").asText());
    }
}
