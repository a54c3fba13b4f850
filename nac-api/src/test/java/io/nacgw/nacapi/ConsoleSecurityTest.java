package io.nacgw.nacapi;

import io.nacgw.nacapi.console.AdminOperation;
import io.nacgw.nacapi.console.ConsoleServices;
import io.nacgw.core.device.ComplianceState;
import io.nacgw.nacapi.auth.ConsoleSessions;
import io.nacgw.nacapi.console.DecisionFeed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console over real HTTPS: headers, cookie flags, session fixation, CSRF, roles, and the admin routes its pages
 * call. (The browser flows are in the gateway's ConsoleBrowserTest.)
 */
final class ConsoleSecurityTest {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static TestGateway gw;
    private static final DecisionFeed FEED = new DecisionFeed(100);
    private static HttpClient anonymous;
    private static HttpClient partner;
    private static HttpClient admin;

    @BeforeAll
    static void start() throws Exception {
        Map<String, AdminOperation> ops = Map.of(AdminOperation.OVERVIEW,
                (p, b) -> new MetricsServer.Reply(200, "{\"devices\":1}"),
                AdminOperation.SYNC_RUN, (p, b) -> new MetricsServer.Reply(202, "{\"started\":true,\"mode\":\""
                        + p.get("mode") + "\"}"));
        gw = TestGateway.withConsole(new ConsoleServices(true, Duration.ofMinutes(15), 10, FEED, ops));
        anonymous = gw.client(null);
        partner = gw.client(gw.partnerCert);
        admin = gw.client(gw.adminCert);
        gw.service.upsert(TestGateway.device(UUID.fromString("3f2504e0-4f89-11d3-9a0c-0305e82c3301"),
                ComplianceState.NONCOMPLIANT, "aa:bb:cc:dd:ee:01"));
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    private HttpResponse<String> login(HttpClient c, String user, String password, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gw.uri("/console/login")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("X-Nacgw-Console", "1")
                .POST(HttpRequest.BodyPublishers.ofString(user == null ? "{\"certificate\":true}"
                        : JSON.createObjectNode().put("user", user).put("password", password).toString()));
        if (cookie != null) {
            b.header("Cookie", ConsoleSessions.COOKIE + "=" + cookie);
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String cookieOf(HttpResponse<?> r) {
        String set = r.headers().firstValue("set-cookie").orElseThrow();
        return set.substring(set.indexOf('=') + 1, set.indexOf(';'));
    }

    private HttpResponse<String> call(HttpClient c, String method, String path, String cookie, String csrf)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gw.uri(path)).timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("X-Nacgw-Console", "1");
        if (cookie != null) {
            b.header("Cookie", ConsoleSessions.COOKIE + "=" + cookie);
        }
        if (csrf != null) {
            b.header("X-CSRF-Token", csrf);
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertSecurityHeaders(HttpResponse<?> r) {
        String csp = r.headers().firstValue("content-security-policy").orElseThrow();
        assertTrue(csp.contains("script-src 'self'"), csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        assertFalse(csp.contains("unsafe-inline"), csp);
        assertFalse(csp.contains("http"), "no third-party origin: " + csp);
        assertEquals("DENY", r.headers().firstValue("x-frame-options").orElseThrow());
        assertEquals("no-store", r.headers().firstValue("cache-control").orElseThrow());
        assertEquals("nosniff", r.headers().firstValue("x-content-type-options").orElseThrow());
    }

    @Test
    void unauthenticated_getsTheLoginPage_withSecurityHeaders_andNoCookie() throws Exception {
        HttpResponse<String> r = gw.get(anonymous, "/console/", null);
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("id=\"login-form\""), r.body());
        assertFalse(r.body().contains("<script>"), "no inline script");
        assertSecurityHeaders(r);
        assertTrue(r.headers().firstValue("set-cookie").isEmpty());
        HttpResponse<String> js = gw.get(anonymous, "/console/assets/console.js", null);
        assertEquals(200, js.statusCode());
        assertTrue(js.headers().firstValue("content-type").orElseThrow().startsWith("text/javascript"));
        assertSecurityHeaders(js);
        assertEquals(200, gw.get(anonymous, "/console/assets/uplot.js", null).statusCode());
        assertEquals(404, gw.get(anonymous, "/console/assets/../../etc/passwd", null).statusCode());
    }

    @Test
    void adminPassword_login_setsASecureHttpOnlyStrictCookie_andTheAppPage() throws Exception {
        HttpResponse<String> r = login(anonymous, "ops", TestGateway.ADMIN_PASSWORD, null);
        assertEquals(200, r.statusCode(), r.body());
        String set = r.headers().firstValue("set-cookie").orElseThrow();
        assertTrue(set.startsWith(ConsoleSessions.COOKIE + "="), set);
        assertTrue(set.contains("; Secure"), set);
        assertTrue(set.contains("; HttpOnly"), set);
        assertTrue(set.contains("; SameSite=Strict"), set);
        assertFalse(set.contains("Max-Age") || set.contains("Expires"), "a session cookie: " + set);
        String csrf = JSON.readTree(r.body()).path("csrf").asText();
        assertEquals(43, csrf.length());
        HttpResponse<String> page = call(anonymous, "GET", "/console/", cookieOf(r), null);
        assertTrue(page.body().contains("Live decisions"), page.body());
        assertSecurityHeaders(page);
        HttpResponse<String> overview = call(anonymous, "GET", "/api/v1/overview", cookieOf(r), null);
        assertEquals(200, overview.statusCode(), overview.body());
        assertEquals("no-store", overview.headers().firstValue("cache-control").orElseThrow());
    }

    @Test
    void login_rotatesTheSession_theOldCookieStopsWorking() throws Exception {
        String first = cookieOf(login(anonymous, "ops", TestGateway.ADMIN_PASSWORD, null));
        assertEquals(200, call(anonymous, "GET", "/console/session", first, null).statusCode());
        String second = cookieOf(login(anonymous, "ops", TestGateway.ADMIN_PASSWORD, first));
        assertNotEquals(first, second);
        assertEquals(401, call(anonymous, "GET", "/console/session", first, null).statusCode());
        assertEquals(401, call(anonymous, "GET", "/api/v1/overview", first, null).statusCode());
        assertEquals(200, call(anonymous, "GET", "/console/session", second, null).statusCode());
        // a cookie the server never issued (planted by an attacker) is not adopted either
        assertEquals(401, call(anonymous, "GET", "/console/session", "planted-by-attacker", null).statusCode());
    }

    @Test
    void stateChangingRequest_needsTheSessionsCsrfToken() throws Exception {
        HttpResponse<String> r = login(anonymous, "ops", TestGateway.ADMIN_PASSWORD, null);
        String cookie = cookieOf(r);
        String csrf = JSON.readTree(r.body()).path("csrf").asText();
        HttpResponse<String> none = call(anonymous, "POST", "/api/v1/sync/run?mode=full", cookie, null);
        assertEquals(403, none.statusCode(), none.body());
        assertTrue(none.body().contains("CSRF"), none.body());
        assertEquals(403, call(anonymous, "POST", "/api/v1/sync/run?mode=full", cookie, csrf + "x").statusCode());
        HttpResponse<String> ok = call(anonymous, "POST", "/api/v1/sync/run?mode=full", cookie, csrf);
        assertEquals(202, ok.statusCode(), ok.body());
        assertTrue(ok.body().contains("\"mode\":\"full\""), ok.body());
        assertEquals(403, call(anonymous, "POST", "/console/logout", cookie, null).statusCode());
        HttpResponse<String> out = call(anonymous, "POST", "/console/logout", cookie, csrf);
        assertEquals(204, out.statusCode());
        assertTrue(out.headers().firstValue("set-cookie").orElseThrow().contains("Max-Age=0"));
        assertEquals(401, call(anonymous, "GET", "/console/session", cookie, null).statusCode());
    }

    @Test
    void partner_isRefused_byPasswordCertificateAndOnTheAdminRoutes() throws Exception {
        HttpResponse<String> byPassword = login(anonymous, "ise", TestGateway.PARTNER_PASSWORD, null);
        assertEquals(403, byPassword.statusCode(), byPassword.body());
        assertTrue(byPassword.headers().firstValue("set-cookie").isEmpty());
        HttpResponse<String> page = gw.get(partner, "/console/", null);
        assertEquals(403, page.statusCode());
        assertSecurityHeaders(page);
        HttpResponse<String> byCert = login(partner, null, null, null);
        assertEquals(403, byCert.statusCode(), byCert.body());
        assertTrue(byCert.headers().firstValue("set-cookie").isEmpty());
        assertEquals(403, gw.get(partner, "/api/v1/overview", null).statusCode());
        assertEquals(403, gw.get(partner, "/api/v1/devices/search?q=aabb.ccdd.ee01", null).statusCode());
    }

    @Test
    void adminCertificate_signsIn_andAWrongPasswordDoesNot() throws Exception {
        HttpResponse<String> r = login(admin, null, null, null);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("ops-1", JSON.readTree(r.body()).path("user").asText());
        HttpResponse<String> wrong = login(anonymous, "ops", "not the password", null);
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.headers().firstValue("set-cookie").isEmpty());
        assertTrue(wrong.headers().firstValue("www-authenticate").isEmpty(), "no browser password dialog");
        assertEquals(401, login(anonymous, null, null, null).statusCode()); // no certificate presented
        HttpResponse<String> big = login(anonymous, "ops", "x".repeat(10_000), null);
        assertEquals(413, big.statusCode());
        assertEquals(400, login(anonymous, "", "", null).statusCode());
    }

    @Test
    void login_fromAnotherSite_orWithoutTheConsoleHeader_isRefused() throws Exception {
        HttpResponse<String> noHeader = anonymous.send(HttpRequest.newBuilder(gw.uri("/console/login"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"ops\",\"password\":\"" + TestGateway.ADMIN_PASSWORD
                        + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, noHeader.statusCode());
        HttpResponse<String> crossSite = anonymous.send(HttpRequest.newBuilder(gw.uri("/console/login"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .header("X-Nacgw-Console", "1").header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"ops\",\"password\":\"" + TestGateway.ADMIN_PASSWORD
                        + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, crossSite.statusCode());
        assertTrue(crossSite.headers().firstValue("set-cookie").isEmpty());
    }

    @Test
    void adminCertificate_stateChange_markedCrossSiteByTheBrowser_isRefused() throws Exception {
        HttpResponse<String> r = admin.send(HttpRequest.newBuilder(gw.uri("/api/v1/sync/run?mode=full"))
                .timeout(Duration.ofSeconds(60)).header("Sec-Fetch-Site", "cross-site")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, r.statusCode(), r.body());
        // the same request from a NAC appliance or the CLI (no browser headers) goes through
        HttpResponse<String> cli = admin.send(HttpRequest.newBuilder(gw.uri("/api/v1/sync/run?mode=full"))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, cli.statusCode(), cli.body());
    }

    @Test
    void search_byDottedMac_explainsEveryProfile() throws Exception {
        HttpResponse<String> r = gw.get(admin, "/api/v1/devices/search?q=aabb.ccdd.ee01", null);
        assertEquals(200, r.statusCode(), r.body());
        var j = JSON.readTree(r.body());
        assertTrue(j.path("found").asBoolean());
        assertEquals("mac", j.path("identifier").path("kind").asText());
        assertEquals(2, j.path("profiles").size());
        assertEquals("deny", j.path("profiles").get(0).path("verdict").asText());
        assertTrue(j.path("profiles").get(0).path("rules").size() >= 3);
        assertEquals(400, gw.get(admin, "/api/v1/devices/search?q=not%20a%20mac&kind=mac", null).statusCode());
        assertEquals(400, gw.get(admin, "/api/v1/devices/search", null).statusCode());
        var byUser = JSON.readTree(gw.get(admin, "/api/v1/devices/search?q=ALICE@example.com", null).body());
        assertTrue(byUser.path("found").asBoolean(), byUser.toString());
        assertEquals("user", byUser.path("identifier").path("kind").asText());
        assertEquals(1, byUser.path("matches").size());
        var byName = JSON.readTree(gw.get(admin, "/api/v1/devices/search?q=dev-3f2504e0", null).body());
        assertTrue(byName.path("found").asBoolean(), byName.toString());
        assertEquals("name", byName.path("identifier").path("kind").asText());
        var nobody = JSON.readTree(gw.get(admin, "/api/v1/devices/search?q=nobody@example.com", null).body());
        assertFalse(nobody.path("found").asBoolean());
        assertEquals(0, nobody.path("matches").size());
        HttpResponse<String> unknown = gw.get(admin, "/api/v1/devices/search?q=00-11-22-33-44-55", null);
        assertFalse(JSON.readTree(unknown.body()).path("found").asBoolean());
        assertEquals(404, gw.get(admin, "/api/v1/certificates", null).statusCode(), "no CA operation given");
    }

    @Test
    void decisionStream_deliversPublishedDecisions_andRecentFindsThem() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(gw.uri("/api/v1/decisions/stream")).timeout(Duration.ofSeconds(60))
                .GET().build();
        HttpResponse<InputStream> r = admin.send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        String line = "{\"time\":\"2026-11-30T08:00:00Z\",\"nas\":\"sw1\",\"nasAddress\":\"127.0.0.1\",\"method\":\"mab\","
                + "\"identifiers\":{},\"identifierUsed\":\"mac:aa:bb:cc:dd:ee:01\",\"deviceId\":\"x\",\"profile\":\"corp\","
                + "\"verdict\":\"reject\",\"reasons\":[\"noncompliant\"],\"decisionId\":null,\"latencyMicros\":42}";
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try {
                    String l;
                    while ((l = in.readLine()) != null) {
                        if (l.startsWith("data: ")) {
                            return l.substring(6);
                        }
                    }
                    return null;
                } catch (java.io.IOException e) {
                    return null;
                }
            });
            // the subscription exists once the response head is out; publish until the reader sees it
            for (int i = 0; i < 600 && !seen.isDone(); i++) {
                if (FEED.subscribers() > 0) {
                    FEED.publish(line);
                }
                Thread.sleep(100);
            }
            assertEquals(line, seen.get(60, TimeUnit.SECONDS));
            // a burst beyond the client's queue: it loses lines, and the stream says how many
            for (int i = 0; i < 5000; i++) {
                FEED.publish(line);
            }
            assertTrue(FEED.dropped() > 0);
            CompletableFuture<String> dropped = CompletableFuture.supplyAsync(() -> {
                try {
                    String l;
                    while ((l = in.readLine()) != null) {
                        if (l.equals("event: dropped")) {
                            return in.readLine();
                        }
                    }
                    return null;
                } catch (java.io.IOException e) {
                    return null;
                }
            });
            assertTrue(dropped.get(60, TimeUnit.SECONDS).startsWith("data: {\"dropped\":"));
        }
        // the client went: its subscription goes with it (bounded wait for the server to see the close)
        for (int i = 0; i < 600 && FEED.subscribers() > 0; i++) {
            Thread.sleep(100);
        }
        assertEquals(0, FEED.subscribers());
        assertEquals(403, partner.send(HttpRequest.newBuilder(gw.uri("/api/v1/decisions/stream"))
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpResponse<String> recent = gw.get(admin, "/api/v1/decisions/recent?mac=aabb.ccdd.ee01&limit=1", null);
        assertEquals(200, recent.statusCode(), recent.body());
        assertEquals("reject", JSON.readTree(recent.body()).path("decisions").get(0).path("verdict").asText());
        assertEquals(0, JSON.readTree(gw.get(admin, "/api/v1/decisions/recent?nas=other", null).body())
                .path("decisions").size());
        assertEquals(400, gw.get(admin, "/api/v1/decisions/recent?limit=0", null).statusCode());
        assertEquals(400, gw.get(admin, "/api/v1/decisions/recent?color=red", null).statusCode());
    }

    @Test
    void consoleRoutes_exist_onlyWhenTheConsoleIsOn() throws Exception {
        try (TestGateway off = TestGateway.start()) {
            assertEquals(401, off.get(off.client(null), "/console/", null).statusCode(), "no sign-in page");
            assertEquals(404, off.get(off.client(off.adminCert), "/console/", null).statusCode());
            assertEquals(404, off.get(off.client(off.adminCert), "/api/v1/overview", null).statusCode());
        }
        assertTrue(List.of(200).contains(gw.get(anonymous, "/console/", null).statusCode()));
    }
}
