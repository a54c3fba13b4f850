package io.nacgw.nacapi;

import io.nacgw.nacapi.ise.IseApi;
import io.nacgw.nacapi.ise.IseSettings;
import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.DeviceGuid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Cisco ISE MDM API end to end over HTTPS, as ISE drives it, checked against the spec's element names. */
final class IseApiTest {
    private static final List<String> MDMINFO_ELEMENTS = List.of("name", "api_version", "api_path", "redirect_url",
            "query_max_size", "messaging_support", "vendor", "product_name", "product_version");
    /** What a {@link TestGateway#device} answers: its MDM reported encryption but not jailbreak. */
    private static final List<String> V3_ATTRIBUTES = List.of("register_status", "compliance", "disk_encryption_on",
            "manufacturer", "model", "os_version", "lastCheckinTimeStamp", "guid", "macaddresses");
    private static final UUID COMPLIANT = UUID.fromString("1759c0fd-7b3c-4d2a-9f5e-0123456789ab");
    private static final UUID NONCOMPLIANT = UUID.fromString("2859c0fd-7b3c-4d2a-9f5e-0123456789ab");
    private static TestGateway gw;
    private static HttpClient ise;
    private static String auth;

    @BeforeAll
    static void start() throws Exception {
        gw = new TestGateway(s -> s, IseSettings.defaults(TestGateway.REDIRECT).withQueryMaxSize(7));
        ise = gw.client(null);
        auth = TestGateway.basic("ise", TestGateway.PARTNER_PASSWORD);
        gw.service.upsert(TestGateway.device(COMPLIANT, ComplianceState.COMPLIANT, "F4:34:F0:A1:E4:78", "00:11:22:33:44:55"));
        gw.service.upsert(TestGateway.device(NONCOMPLIANT, ComplianceState.NONCOMPLIANT, "a4-34-f0-a1-e4-79"));
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    private static Xml get(String pathAndQuery, int status) throws Exception {
        HttpResponse<String> r = gw.get(ise, pathAndQuery, auth);
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/xml"), r.headers().toString());
        return Xml.parse(r.body());
    }

    @Test
    void mdminfo_v3_returnsApiPath() throws Exception {
        Xml x = get("/ciscoise/mdminfo/?ise_api_version=3", 200);
        assertEquals("ise_api", x.root.getNodeName());
        assertEquals(MDMINFO_ELEMENTS, Xml.childNames(x.root));
        assertEquals("mdminfo", x.text("name"));
        assertEquals("3", x.text("api_version"));
        assertEquals("/ciscoise/mdmapi/v3", x.text("api_path"));
        assertEquals(TestGateway.REDIRECT, x.text("redirect_url"));
        assertEquals("7", x.text("query_max_size"));
        assertEquals("false", x.text("messaging_support"));
        assertEquals("nacgw", x.text("vendor"));
    }

    @Test
    void mdminfo_newerIse_isClampedToVersion3() throws Exception {
        assertEquals("3", get("/ciscoise/mdminfo/?ise_api_version=5", 200).text("api_version"));
        assertEquals("2", get("/ciscoise/mdminfo/?ise_api_version=2", 200).text("api_version"));
    }

    @Test
    void mdminfo_v1_withoutParameter() throws Exception {
        Xml x = get("/ciscoise/mdminfo", 200);
        assertEquals("1", x.text("api_version"));
        assertEquals("/ciscoise/mdmapi/v1", x.text("api_path"));
    }

    @Test
    void mdminfo_badVersion_is400Xml() throws Exception {
        Xml x = get("/ciscoise/mdminfo/?ise_api_version=three", 400);
        assertEquals("error", x.text("name"));
        assertTrue(x.text("error_message").contains("ise_api_version"));
    }

    @Test
    void macQuery_v3_anySeparatorAndCase_returnsDeviceWithSpecAttributes() throws Exception {
        for (String mac : List.of("f434f0a1e478", "F4:34:F0:A1:E4:78", "f4-34-f0-a1-e4-78", "f434.f0a1.e478")) {
            Xml x = get("/ciscoise/mdmapi/v3/devices/?paging=0&querycriteria=macaddress&value=" + mac + "&filter=all", 200);
            assertEquals(List.of("name", "api_version", "paging_info", "server_busy_wait_seconds", "deviceList"),
                    Xml.childNames(x.root));
            assertEquals("attributes", x.text("name"));
            assertEquals("0", x.text("paging_info"));
            List<Element> devices = x.devices();
            assertEquals(1, devices.size(), mac);
            Element d = devices.get(0);
            assertEquals("F434F0A1E478", Xml.find(d, "macaddress").getTextContent(), "a MAC query is keyed by the MAC");
            Element attrs = Xml.find(d, "attributes");
            assertEquals(V3_ATTRIBUTES, Xml.childNames(attrs));
            assertEquals("true", Xml.find(attrs, "register_status").getTextContent());
            assertEquals("true", Xml.find(attrs, "compliance/status").getTextContent());
            assertEquals("iOS 17.2", Xml.find(attrs, "os_version").getTextContent());
            assertEquals(COMPLIANT.toString(), Xml.find(attrs, "guid").getTextContent());
            assertEquals("0011223344550,F434F0A1E478".replace("0011223344550", "001122334455"),
                    Xml.find(attrs, "macaddresses").getTextContent());
        }
    }

    @Test
    void macQuery_noncompliant_carriesReasonAndRemediationFromPolicy() throws Exception {
        Xml x = get("/ciscoise/mdmapi/v3/devices/?paging=0&querycriteria=macaddress&value=A434F0A1E479&filter=all", 200);
        Element c = Xml.find(x.devices().get(0), "attributes/compliance");
        assertEquals(List.of("status", "failure_reason", "remediation"), Xml.childNames(c));
        assertEquals("false", Xml.find(c, "status").getTextContent());
        assertEquals("Denied: the device is not compliant with its compliance policies.",
                Xml.find(c, "failure_reason").getTextContent());
        assertEquals("https://portal.example.com/fix", Xml.find(c, "remediation").getTextContent());
    }

    @Test
    void macQuery_v2_isKeyedByMacWithoutV3Fields() throws Exception {
        Xml x = get("/ciscoise/mdmapi/v2/devices/?paging=0&querycriteria=macaddress&value=F434F0A1E478&filter=all", 200);
        assertEquals(List.of("name", "api_version", "paging_info", "deviceList"), Xml.childNames(x.root));
        Element attrs = Xml.find(x.devices().get(0), "attributes");
        assertNull(Xml.find(attrs, "guid"));
        assertNull(Xml.find(attrs, "macaddresses"));
        assertEquals(List.of("register_status", "compliance", "disk_encryption_on", "manufacturer",
                "model", "os_version"), Xml.childNames(attrs));
    }

    @Test
    void jailbreakAndEncryption_areOmittedWhenTheMdmNeverReportedThem_notClaimedFalse() throws Exception {
        UUID reported = UUID.fromString("3359c0fd-7b3c-4d2a-9f5e-0123456789ab");
        UUID silent = UUID.fromString("3459c0fd-7b3c-4d2a-9f5e-0123456789ab");
        gw.service.upsert(TestGateway.device(reported, ComplianceState.COMPLIANT).toBuilder().jailbroken(false)
                .encrypted(false).build());
        gw.service.upsert(TestGateway.device(silent, ComplianceState.COMPLIANT).toBuilder().jailbroken(null)
                .encrypted(null).build());
        Element r = Xml.find(get("/ciscoise/mdmapi/v3/devices/?paging=0&querycriteria=guid&value=" + reported
                + "&filter=all", 200).devices().get(0), "attributes");
        assertEquals("false", Xml.find(r, "jail_broken").getTextContent());
        assertEquals("false", Xml.find(r, "disk_encryption_on").getTextContent());
        Element s = Xml.find(get("/ciscoise/mdmapi/v3/devices/?paging=0&querycriteria=guid&value=" + silent
                + "&filter=all", 200).devices().get(0), "attributes");
        assertNull(Xml.find(s, "jail_broken"));
        assertNull(Xml.find(s, "disk_encryption_on"));
        Element asked = Xml.find(get("/ciscoise/mdmapi/v3/devices/?paging=0&querycriteria=guid&value=" + silent
                + "&filter=jail_broken%2Bdisk_encryption_on%2Bregister_status", 200).devices().get(0), "attributes");
        assertEquals(List.of("register_status"), Xml.childNames(asked), "even when the filter names them");
    }

    @Test
    void unknownDevice_isEmptyDeviceListNotError() throws Exception {
        Xml x = get("/ciscoise/mdmapi/v3/devices/?paging=0&querycriteria=macaddress&value=02:00:00:00:00:01&filter=all", 200);
        assertNotNull(Xml.find(x.root, "deviceList"));
        assertTrue(x.devices().isEmpty());
    }

    @Test
    void guidQuery_isKeyedByGuid() throws Exception {
        Xml x = get("/ciscoise/mdmapi/v3/devices/?paging=0&querycriteria=guid&value=" + COMPLIANT + "&filter=all", 200);
        Element d = x.devices().get(0);
        assertEquals(COMPLIANT.toString(), Xml.find(d, "guid").getTextContent());
        assertNull(Xml.find(d, "macaddress"));
    }

    @Test
    void guidQuery_anotherMdmsId_isEmptyListUpTo128Bytes() throws Exception {
        for (String foreign : List.of("DEV-000123-maas360", "a".repeat(IseApi.MAX_GUID_BYTES), "{not-a-guid}")) {
            Xml x = get("/ciscoise/mdmapi/v3/devices/?paging=0&querycriteria=guid&value="
                    + URLEncoder.encode(foreign, StandardCharsets.UTF_8) + "&filter=all", 200);
            assertNotNull(Xml.find(x.root, "deviceList"), foreign);
            assertTrue(x.devices().isEmpty(), foreign);
        }
        Xml tooLong = get("/ciscoise/mdmapi/v3/devices/?paging=0&querycriteria=guid&value="
                + "a".repeat(IseApi.MAX_GUID_BYTES + 1) + "&filter=all", 400);
        assertTrue(tooLong.text("error_message").contains("128 bytes"));
        HttpResponse<String> batch = gw.send(ise, "POST", "/ciscoise/mdmapi/v3/batchdevices/?paging=0&querycriteria=guid&filter=all",
                "application/xml", "<ise_api><value>DEV-000123-maas360</value><value>" + COMPLIANT + "</value></ise_api>", auth);
        assertEquals(200, batch.statusCode(), batch.body());
        assertEquals(List.of(COMPLIANT.toString()), guids(Xml.parse(batch.body())));
    }

    private static List<String> guids(Xml x) {
        List<String> out = new ArrayList<>();
        for (Element d : x.devices()) {
            out.add(Xml.find(d, "guid").getTextContent());
        }
        return out;
    }

    @Test
    void v1PathStyle_everyDeviceListing() throws Exception {
        Set<String> macs = new HashSet<>();
        String paging = "0";
        do {
            Xml x = get("/ciscoise/mdmapi/v1/devices/" + paging + "/all", 200);
            assertEquals("1", x.text("api_version"));
            for (Element d : x.devices()) {
                macs.add(Xml.find(d, "macaddress").getTextContent());
            }
            paging = x.text("paging_info");
        } while (!"0".equals(paging));
        assertTrue(macs.containsAll(List.of("F434F0A1E478", "A434F0A1E479")), macs.toString());
        Xml filtered = get("/ciscoise/mdmapi/v1/devices/0/register_status", 200);
        assertEquals(List.of("register_status"), Xml.childNames(Xml.find(filtered.devices().get(0), "attributes")));
    }

    @Test
    void action_multipartFormData_asMaaS360PostsIt() throws Exception {
        java.nio.file.Path xml = java.nio.file.Files.createTempFile(gw.dir, "action", ".xml");
        java.nio.file.Files.writeString(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?> <ise_api> <identifier> "
                + "<macaddress> F434F0A1E478</macaddress> </identifier > </ise_api>");
        String base = "https://localhost:" + gw.port() + "/ciscoise/mdmapi/v2/action/";
        List<String> common = List.of("--cacert", gw.caFile().toString(), "-u", "ise:" + TestGateway.PARTNER_PASSWORD);
        // the XML as an uploaded file, actionType in the query (IBM's sample) or as a form field
        for (List<String> form : List.of(List.of("-F", "file=@" + xml + ";type=application/xml", base + "?actionType=pin_lock"),
                List.of("-F", "actionType=pin_lock", "-F", "payload=<" + xml, base))) {
            List<String> args = new ArrayList<>(common);
            args.addAll(form);
            Curl.Result r = Curl.run(args);
            assertEquals(200, r.status(), r.body() + r.stderr());
            Xml x = Xml.parse(r.body());
            assertEquals("action", x.text("name"));
            assertEquals("F434F0A1E478", Xml.find(x.devices().get(0), "macaddress").getTextContent());
            assertEquals("false", Xml.find(x.devices().get(0), "result/action_status").getTextContent());
        }
        List<String> noXml = new ArrayList<>(common);
        noXml.addAll(List.of("-F", "actionType=pin_lock", "-F", "note=hello", base));
        Curl.Result bad = Curl.run(noXml);
        assertEquals(400, bad.status(), bad.body());
        assertTrue(Xml.parse(bad.body()).text("error_message").contains("no XML part"));
        HttpResponse<String> broken = gw.send(ise, "POST", "/ciscoise/mdmapi/v2/action/?actionType=pin_lock",
                "multipart/form-data; boundary=XYZ", "--XYZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n<x", auth);
        assertEquals(400, broken.statusCode(), broken.body());
    }

    @Test
    void filter_returnsOnlyTheNamedAttributes() throws Exception {
        Xml x = get("/ciscoise/mdmapi/v3/devices/?paging=0&querycriteria=guid&value=" + COMPLIANT
                + "&filter=register_status%2Bcompliance_status", 200);
        assertEquals(List.of("register_status", "compliance"), Xml.childNames(Xml.find(x.devices().get(0), "attributes")));
        Xml y = get("/ciscoise/mdmapi/v3/devices/?paging=0&querycriteria=guid&value=" + COMPLIANT
                + "&filter=register_status+model", 200); // '+' arriving as a space
        assertEquals(List.of("register_status", "model"), Xml.childNames(Xml.find(y.devices().get(0), "attributes")));
    }

    @Test
    void v1PathStyle_macQuery() throws Exception {
        Xml x = get("/ciscoise/mdmapi/v1/devices/0/macaddress/f434f0a1e478/all", 200);
        assertEquals("F434F0A1E478", Xml.find(x.devices().get(0), "macaddress").getTextContent());
    }

    @Test
    void malformedQueries_are400WithXmlBody() throws Exception {
        for (String q : List.of("paging=0&querycriteria=macaddress&value=nota-mac&filter=all",
                "paging=0&querycriteria=shoesize&value=9&filter=all",
                "paging=0&querycriteria=macaddress&value=F434F0A1E478&filter=favourite_colour",
                "paging=0&querycriteria=compliance&value=maybe&filter=all",
                "paging=forged&querycriteria=compliance&value=false&filter=all",
                "paging=0&querycriteria=macaddress&filter=all")) {
            Xml x = get("/ciscoise/mdmapi/v3/devices/?" + q, 400);
            assertEquals("error", x.text("name"), q);
            assertEquals("400", x.text("error_code"));
        }
        // guid is a v3 criterion
        get("/ciscoise/mdmapi/v2/devices/?paging=0&querycriteria=guid&value=" + COMPLIANT + "&filter=all", 400);
    }

    @Test
    void noncompliantList_integerPaging_listsEveryDeviceThatExistedThroughoutExactlyOnce() throws Exception {
        List<UUID> bad = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            UUID id = new UUID(0x5000_0000_0000_0000L + i * 0x100L, i);
            bad.add(id);
            gw.service.upsert(TestGateway.device(id, ComplianceState.NONCOMPLIANT));
        }
        String base = "/ciscoise/mdmapi/v3/devices/?querycriteria=compliance&value=false&deviceidentifier=guid&filter=all&paging=";
        List<String> listed = new ArrayList<>();
        Set<UUID> deleted = new HashSet<>(); // gone during the listing: they did not exist throughout
        List<UUID> added = new ArrayList<>();
        String paging = "0";
        int pages = 0;
        while (true) {
            Xml x = get(base + paging, 200);
            pages++;
            assertTrue(x.devices().size() <= 7, "query_max_size is honoured");
            for (Element d : x.devices()) {
                listed.add(Xml.find(d, "guid").getTextContent());
                assertEquals("false", Xml.find(d, "attributes/compliance/status").getTextContent());
            }
            // between pages: a listed device and an unlisted one change (still non-compliant), an unlisted one is
            // deleted, a new one is stored
            java.time.Instant later = java.time.Instant.now().plusSeconds(pages);
            UUID listedOne = UUID.fromString(listed.get(listed.size() - 1));
            gw.service.upsert(TestGateway.device(listedOne, ComplianceState.NONCOMPLIANT).toBuilder().lastModified(later)
                    .deviceName("changed-" + pages).build());
            UUID unlisted = bad.get(Math.min(bad.size() - 1, 7 * pages + 2));
            gw.service.upsert(TestGateway.device(unlisted, ComplianceState.NONCOMPLIANT).toBuilder().lastModified(later)
                    .deviceName("changed-" + pages).build());
            UUID gone = bad.get(Math.min(bad.size() - 1, 7 * pages + 4));
            if (deleted.add(gone)) {
                gw.service.delete(DeviceGuid.intune(gone.toString()));
            }
            UUID fresh = new UUID(0x5100_0000_0000_0000L, pages);
            added.add(fresh);
            gw.service.upsert(TestGateway.device(fresh, ComplianceState.NONCOMPLIANT));
            paging = x.text("paging_info");
            assertTrue(paging.matches("0|[1-9][0-9]*"), "paging_info is an integer (Cisco's type): " + paging);
            if ("0".equals(paging)) {
                break;
            }
        }
        assertTrue(pages >= 4, "pages: " + pages);
        assertEquals(listed.size(), new HashSet<>(listed).size(), "no device listed twice: " + listed);
        for (UUID id : bad) {
            if (!deleted.contains(id)) {
                assertTrue(listed.contains(id.toString()), "skipped " + id);
            }
        }
        assertTrue(listed.contains(NONCOMPLIANT.toString()));
        assertFalse(listed.contains(COMPLIANT.toString()));
        assertTrue(listed.contains(added.get(0).toString()), "a device stored during the listing follows at its end");
    }

    @Test
    void paging_thatIsNotAnIntegerThisServerCouldHaveGiven_is400Xml() throws Exception {
        for (String p : List.of("abc", "-1", "1.5", "%2B5", "0x10", "1234567890123456789", "MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTI")) {
            Xml x = get("/ciscoise/mdmapi/v3/devices/?paging=" + p + "&querycriteria=compliance&value=false&filter=all", 400);
            assertEquals("error", x.text("name"), p);
            assertTrue(x.text("error_message").contains("paging"), p);
        }
        Xml beyond = get("/ciscoise/mdmapi/v3/devices/?paging=999999999999&querycriteria=compliance&value=false&filter=all", 200);
        assertTrue(beyond.devices().isEmpty());
        assertEquals("0", beyond.text("paging_info"));
    }

    @Test
    void usernameQuery_listsTheUsersDevices() throws Exception {
        DeviceRecord bob = TestGateway.device(UUID.fromString("7759c0fd-7b3c-4d2a-9f5e-0123456789ab"),
                ComplianceState.COMPLIANT).toBuilder().userPrincipalName("Bob@Example.com").build();
        gw.service.upsert(bob);
        Xml x = get("/ciscoise/mdmapi/v3/devices/?paging=0&querycriteria=username&value=bob%40example.com&filter=all", 200);
        assertEquals(1, x.devices().size());
        assertEquals(bob.deviceId().canonical(), Xml.find(x.devices().get(0), "guid").getTextContent());
    }

    @Test
    void batchQuery_xmlAndForm_returnKnownDevicesOnly() throws Exception {
        String xml = "<?xml version=\"1.0\"?><ise_api><deviceList><value>F434F0A1E478</value>"
                + "<value>a4:34:f0:a1:e4:79</value><value>020000000009</value></deviceList></ise_api>";
        HttpResponse<String> r = gw.send(ise, "POST", "/ciscoise/mdmapi/v3/batchdevices/?paging=0&querycriteria=macaddress&filter=all",
                "application/xml", xml, auth);
        assertEquals(200, r.statusCode(), r.body());
        Xml x = Xml.parse(r.body());
        assertEquals(2, x.devices().size());
        assertEquals("F434F0A1E478", Xml.find(x.devices().get(0), "macaddress").getTextContent());
        HttpResponse<String> f = gw.send(ise, "POST", "/ciscoise/mdmapi/v2/batchdevices/?paging=0&querycriteria=macaddress&filter=all",
                "application/x-www-form-urlencoded", "value=F434F0A1E478&value=A434F0A1E479", auth);
        assertEquals(200, f.statusCode(), f.body());
        assertEquals(2, Xml.parse(f.body()).devices().size());
    }

    @Test
    void batchQuery_withEntityDeclaration_isRefused() throws Exception {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<ise_api><value>&e;</value></ise_api>";
        HttpResponse<String> r = gw.send(ise, "POST", "/ciscoise/mdmapi/v3/batchdevices/?querycriteria=macaddress",
                "application/xml", xxe, auth);
        assertEquals(400, r.statusCode());
        assertFalse(r.body().contains("root:"));
        HttpResponse<String> bad = gw.send(ise, "POST", "/ciscoise/mdmapi/v3/batchdevices/?querycriteria=macaddress",
                "application/xml", "<ise_api><value>", auth);
        assertEquals(400, bad.statusCode());
        assertEquals("error", Xml.parse(bad.body()).text("name"));
    }

    @Test
    void action_isAnsweredWithActionStatusFalse() throws Exception {
        HttpResponse<String> r = gw.send(ise, "POST", "/ciscoise/mdmapi/v3/action/actionType=full_wipe", "application/xml",
                "<ise_api><identifier><guid>" + COMPLIANT + "</guid></identifier></ise_api>", auth);
        assertEquals(200, r.statusCode(), r.body());
        Xml x = Xml.parse(r.body());
        assertEquals("action", x.text("name"));
        Element d = x.devices().get(0);
        assertEquals(COMPLIANT.toString(), Xml.find(d, "guid").getTextContent());
        assertEquals("false", Xml.find(d, "result/action_status").getTextContent());
        assertTrue(Xml.find(d, "result/failure_reason").getTextContent().contains("not the MDM"));
    }

    @Test
    void iseSession_followsApiPath_fromDiscoveryToBatch() throws Exception {
        // what ISE does: discover, look up the connecting MAC, then its GUID, poll the non-compliant list, batch
        Xml info = get("/ciscoise/mdminfo/?ise_api_version=3", 200);
        String api = info.text("api_path");
        int max = Integer.parseInt(info.text("query_max_size"));
        Xml byMac = get(api + "/devices/?paging=0&querycriteria=macaddress&value=f4:34:f0:a1:e4:78&filter=all", 200);
        String guid = Xml.find(byMac.devices().get(0), "attributes/guid").getTextContent();
        Xml byGuid = get(api + "/devices/?paging=0&querycriteria=guid&value=" + guid + "&filter=all", 200);
        assertEquals("true", Xml.find(byGuid.devices().get(0), "attributes/compliance/status").getTextContent());
        String paging = "0";
        int listed = 0;
        do {
            Xml page = get(api + "/devices/?paging=" + URLEncoder.encode(paging, StandardCharsets.UTF_8)
                    + "&querycriteria=compliance&value=false&deviceidentifier=guid&filter=all", 200);
            assertTrue(page.devices().size() <= max);
            listed += page.devices().size();
            paging = page.text("paging_info");
        } while (!"0".equals(paging));
        assertTrue(listed >= 1);
        HttpResponse<String> batch = gw.send(ise, "POST", api + "/batchdevices/?paging=0&querycriteria=guid&filter=all",
                "application/xml", "<ise_api><value>" + guid + "</value><value>" + NONCOMPLIANT + "</value></ise_api>", auth);
        assertEquals(200, batch.statusCode(), batch.body());
        assertEquals(2, Xml.parse(batch.body()).devices().size());
    }

    @Test
    void identifierQueries_imeiMeidUdidAndHostname() throws Exception {
        UUID id = UUID.fromString("9959c0fd-7b3c-4d2a-9f5e-0123456789ab");
        gw.service.upsert(TestGateway.device(id, ComplianceState.COMPLIANT).toBuilder()
                .deviceName("KIOSK-42")
                .imei(io.nacgw.core.id.Imei.parse("490154203237518"))
                .meid(io.nacgw.core.id.Meid.parse("A0000000002329"))
                .udid(io.nacgw.core.id.Udid.parse("00008030-001A35E11A88003A")).build());
        for (String q : List.of("imei&value=490154203237518", "meid&value=a0000000002329",
                "udid&value=00008030-001A35E11A88003A", "guidhn&value=kiosk-42")) {
            Xml x = get("/ciscoise/mdmapi/v3/devices/?paging=0&querycriteria=" + q + "&filter=all", 200);
            assertEquals(1, x.devices().size(), q);
            assertEquals(id.toString(), Xml.find(x.devices().get(0), "guid").getTextContent(), q);
        }
        Xml v2 = get("/ciscoise/mdmapi/v2/devices/?paging=0&querycriteria=imei&value=490154203237518&filter=imei%2Bmeid%2Budid", 200);
        assertEquals(List.of("imei", "meid", "udid"), Xml.childNames(Xml.find(v2.devices().get(0), "attributes")));
        get("/ciscoise/mdmapi/v1/devices/?paging=0&querycriteria=imei&value=490154203237518&filter=all", 400);
    }

    @Test
    void noCriteria_listsEveryDevice_pagedByQueryMaxSize() throws Exception {
        Set<String> seen = new HashSet<>();
        String paging = "0";
        int pages = 0;
        do {
            Xml x = get("/ciscoise/mdmapi/v3/devices/?paging=" + URLEncoder.encode(paging, StandardCharsets.UTF_8)
                    + "&deviceidentifier=guid&filter=register_status", 200);
            pages++;
            assertTrue(x.devices().size() <= 7);
            for (Element d : x.devices()) {
                assertEquals(List.of("register_status"), Xml.childNames(Xml.find(d, "attributes")));
                assertTrue(seen.add(Xml.find(d, "guid").getTextContent()), "repeated");
            }
            paging = x.text("paging_info");
        } while (!"0".equals(paging));
        int[] resident = {0};
        gw.service.forEachResident(d -> resident[0]++);
        assertEquals(resident[0], seen.size());
        assertEquals((resident[0] + 6) / 7, pages);
    }

    @Test
    void action_queryStyle_andUnknownActionType() throws Exception {
        HttpResponse<String> r = gw.send(ise, "POST", "/ciscoise/mdmapi/v2/action/?actionType=pin_lock", "application/xml",
                "<ise_api><identifier><macaddress>F434F0A1E478</macaddress></identifier></ise_api>", auth);
        assertEquals(200, r.statusCode(), r.body());
        Xml x = Xml.parse(r.body());
        assertEquals("F434F0A1E478", Xml.find(x.devices().get(0), "macaddress").getTextContent());
        assertEquals("false", Xml.find(x.devices().get(0), "result/action_status").getTextContent());
        HttpResponse<String> bad = gw.send(ise, "POST", "/ciscoise/mdmapi/v2/action/?actionType=self_destruct",
                "application/xml", "<ise_api/>", auth);
        assertEquals(400, bad.statusCode());
    }

    @Test
    void macKeyedListing_leavesOutDevicesWithoutMac() throws Exception {
        UUID noMac = UUID.fromString("0159c0fd-7b3c-4d2a-9f5e-0123456789ab");
        gw.service.upsert(TestGateway.device(noMac, ComplianceState.NONCOMPLIANT));
        UUID docked = UUID.fromString("0259c0fd-7b3c-4d2a-9f5e-0123456789ab");
        gw.service.upsert(TestGateway.device(docked, ComplianceState.NONCOMPLIANT, "02:00:5e:00:00:01",
                "02:00:5e:00:00:02", "02:00:5e:00:00:03"));
        List<String> dockedMacs = new ArrayList<>();
        Set<String> byMac = new HashSet<>();
        Set<String> byGuid = new HashSet<>();
        for (String ident : List.of("macaddress", "guid")) {
            String paging = "0";
            do {
                Xml x = get("/ciscoise/mdmapi/v3/devices/?paging=" + URLEncoder.encode(paging, StandardCharsets.UTF_8)
                        + "&querycriteria=compliance&value=false&deviceidentifier=" + ident + "&filter=guid", 200);
                for (Element d : x.devices()) {
                    String guid = Xml.find(d, "attributes/guid").getTextContent();
                    (ident.equals("guid") ? byGuid : byMac).add(guid);
                    if (ident.equals("macaddress")) {
                        assertTrue(Xml.find(d, "macaddress").getTextContent().matches("[0-9A-F]{12}"));
                        if (guid.equals(docked.toString())) {
                            dockedMacs.add(Xml.find(d, "macaddress").getTextContent());
                        }
                    }
                }
                paging = x.text("paging_info");
            } while (!"0".equals(paging));
        }
        assertTrue(byGuid.contains(noMac.toString()));
        assertFalse(byMac.contains(noMac.toString()));
        assertTrue(byMac.contains(NONCOMPLIANT.toString()));
        assertEquals(List.of("02005E000001", "02005E000002", "02005E000003"), dockedMacs,
                "a multi-MAC device is listed under each of its MACs (ISE matches the endpoint's MAC)");
    }

    @Test
    void batchByMac_answersEveryQueriedMacOfOneDevice() throws Exception {
        HttpResponse<String> r = gw.send(ise, "POST", "/ciscoise/mdmapi/v2/batchdevices/?paging=0&querycriteria=macaddress&filter=all",
                "application/xml", "<ise_api><value>F434F0A1E478</value><value>001122334455</value></ise_api>", auth);
        assertEquals(200, r.statusCode(), r.body());
        List<String> keys = new ArrayList<>();
        for (Element d : Xml.parse(r.body()).devices()) {
            keys.add(Xml.find(d, "macaddress").getTextContent());
        }
        assertEquals(List.of("F434F0A1E478", "001122334455"), keys);
    }
}
