package io.nacgw.nacapi;

import io.nacgw.nacapi.ise.IseSettings;
import io.nacgw.nacapi.json.JsonApi;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nacgw.core.testing.Needs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps openapi.json true: its operations are exactly the running router's JSON routes, it is what is served, a
 * real OpenAPI validator accepts it, and every status (and body shape) the server answers is documented.
 */
final class OpenApiTest {
    /** The validator .ci/run installs (npm, pinned); locally the validation test skips without it, CI fails. */
    static final String REDOCLY_PACKAGE = "@redocly/cli";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "5d1e7a52-0c4d-4e8f-9a6b-5c2d1e0f9a8b";
    private static TestGateway gw;
    private static HttpClient admin;
    private static HttpClient partner;
    private static JsonNode doc;

    @BeforeAll
    static void start() throws Exception {
        gw = new TestGateway(s -> s.withLimits(4096, 3, 1000), IseSettings.defaults(TestGateway.REDIRECT));
        admin = gw.client(gw.adminCert);
        partner = gw.client(gw.partnerCert);
        doc = JSON.readTree(gw.get(partner, "/api/v1/openapi.json", null).body());
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    @Test
    void openApiPaths_equalTheRoutersJsonRoutes() {
        TreeSet<String> routes = new TreeSet<>();
        for (Route r : gw.server.routes()) {
            if (r.template().startsWith(JsonApi.BASE + "/")) {
                routes.add(r.method().name() + " " + r.template());
            }
        }
        JsonNode paths = doc.get("paths");
        TreeSet<String> documented = new TreeSet<>();
        for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
            String path = it.next();
            for (Iterator<String> ops = paths.get(path).fieldNames(); ops.hasNext(); ) {
                String op = ops.next();
                if (List.of("get", "put", "post", "delete", "patch", "head", "options").contains(op)) {
                    documented.add(op.toUpperCase(Locale.ROOT) + " " + path);
                }
            }
        }
        assertTrue(routes.size() >= 6, routes.toString());
        assertEquals(routes, documented);
    }

    @Test
    void openApi_isValid_forARealValidator() throws Exception {
        assertEquals("3.1.0", doc.get("openapi").asText(), "mutualTLS is an OpenAPI 3.1 security scheme type");
        Path redocly = Needs.executable("none: npm install -g " + REDOCLY_PACKAGE + " (.ci/run does)", onPath("redocly"));
        Path file = gw.dir.resolve("openapi.json");
        Files.writeString(file, JSON.writeValueAsString(doc));
        ProcessBuilder pb = new ProcessBuilder(redocly.toString(), "lint", "--format=stylish", file.toString())
                .redirectErrorStream(true);
        pb.environment().put("REDOCLY_TELEMETRY", "off");
        pb.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        pb.environment().put("NO_COLOR", "1");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "redocly lint did not finish");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "redocly lint found errors:\n" + text);
        assertTrue(text.contains("valid"), text);
    }

    /** The candidates for {@code tool} along PATH (Needs picks the first executable). */
    private static String[] onPath(String tool) {
        List<String> out = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                out.add(Path.of(dir, tool).toString());
            }
        }
        out.add("/usr/local/bin/" + tool);
        return out.toArray(new String[0]);
    }

    @Test
    void everyStatusTheServerSends_isDocumentedWithItsBody() throws Exception {
        String body = "{\"deviceId\":\"" + ID + "\",\"managementState\":\"managed\",\"complianceState\":\"compliant\","
                + "\"lastModified\":\"2026-11-01T10:00:00Z\"}";
        String big = "{\"deviceId\":\"" + ID + "\",\"deviceName\":\"" + "x".repeat(5000) + "\"}";
        String lookup = "/api/v1/devices/lookup";
        String device = "/api/v1/devices/{deviceId}";
        String bulk = "/api/v1/devices:bulk";
        String decisions = "/api/v1/decisions";

        check("get", "/api/v1/openapi.json", 200, gw.get(partner, "/api/v1/openapi.json", null));
        check("get", "/api/v1/openapi.json", 401, gw.get(gw.client(null), "/api/v1/openapi.json", null));
        check("get", lookup, 200, gw.get(partner, lookup + "?mac=02:00:00:00:00:01", null));
        check("get", lookup, 400, gw.get(partner, lookup + "?mac=not-a-mac", null));
        check("get", lookup, 401, gw.get(gw.client(null), lookup + "?mac=02:00:00:00:00:01", null));
        check("get", lookup, 413, gw.send(partner, "GET", lookup + "?mac=02:00:00:00:00:01", "application/json", big, null));
        check("post", decisions, 200, gw.send(partner, "POST", decisions, "application/json",
                "{\"identifiers\":[{\"mac\":\"02:00:00:00:00:01\"}]}", null));
        check("post", decisions, 400, gw.send(partner, "POST", decisions, "application/json", "{\"identifiers\":[]}", null));
        check("post", decisions, 415, gw.send(partner, "POST", decisions, "text/plain", "{}", null));
        check("post", decisions, 413, gw.send(partner, "POST", decisions, "application/json", big, null));
        check("put", device, 201, gw.send(admin, "PUT", "/api/v1/devices/" + ID, "application/json", body, null));
        check("put", device, 200, gw.send(admin, "PUT", "/api/v1/devices/" + ID, "application/json", body, null));
        check("put", device, 400, gw.send(admin, "PUT", "/api/v1/devices/" + ID, "application/json", "{}", null));
        check("put", device, 403, gw.send(partner, "PUT", "/api/v1/devices/" + ID, "application/json", body, null));
        check("put", device, 413, gw.send(admin, "PUT", "/api/v1/devices/" + ID, "application/json", big, null));
        check("put", device, 415, gw.send(admin, "PUT", "/api/v1/devices/" + ID, "text/plain", body, null));
        check("delete", device, 403, gw.send(partner, "DELETE", "/api/v1/devices/" + ID, null, null, null));
        check("delete", device, 204, gw.send(admin, "DELETE", "/api/v1/devices/" + ID, null, null, null));
        check("delete", device, 404, gw.send(admin, "DELETE", "/api/v1/devices/" + ID, null, null, null));
        check("post", bulk, 200, gw.send(admin, "POST", bulk, "application/x-ndjson", body + "\n{}\n", null));
        check("post", bulk, 403, gw.send(partner, "POST", bulk, "application/x-ndjson", body, null));
        check("post", bulk, 415, gw.send(admin, "POST", bulk, "text/plain", body, null));
        check("get", "/api/v1/sessions", 404, gw.get(partner, "/api/v1/sessions?mac=02:00:00:00:00:01", null));
        // the console's admin routes (this gateway has no console operations: those answer 404)
        String search = "/api/v1/devices/search";
        check("get", search, 200, gw.get(admin, search + "?q=0200.0000.0001", null));
        check("get", search, 400, gw.get(admin, search + "?q=zz&kind=mac", null));
        check("get", search, 200, gw.get(admin, search + "?q=nobody@example.com", null));
        check("get", search, 403, gw.get(partner, search + "?q=0200.0000.0001", null));
        check("get", "/api/v1/decisions/recent", 200, gw.get(admin, "/api/v1/decisions/recent?limit=5", null));
        check("get", "/api/v1/decisions/recent", 400, gw.get(admin, "/api/v1/decisions/recent?limit=0", null));
        check("get", "/api/v1/overview", 404, gw.get(admin, "/api/v1/overview", null));
        check("get", "/api/v1/nas-clients", 404, gw.get(admin, "/api/v1/nas-clients", null));
        check("get", "/api/v1/certificates", 404, gw.get(admin, "/api/v1/certificates", null));
        check("post", "/api/v1/sync/run", 404, gw.send(admin, "POST", "/api/v1/sync/run?mode=full", null, null, null));
        check("post", "/api/v1/sync/run", 403, gw.send(partner, "POST", "/api/v1/sync/run", null, null, null));

        // not an operation: the server-wide answers are documented as reusable responses and in the description
        HttpResponse<String> wrongMethod = gw.send(admin, "GET", "/api/v1/devices/" + ID, null, null, null);
        assertEquals(405, wrongMethod.statusCode());
        assertEquals("DELETE, PUT", wrongMethod.headers().firstValue("Allow").orElse(""));
        assertFalse(doc.at("/components/responses/MethodNotAllowed/headers/Allow").isMissingNode());
        assertEquals(404, gw.get(partner, "/api/v1/nothing-here", null).statusCode());
        assertFalse(doc.at("/components/responses/NotFound").isMissingNode());
        String described = doc.at("/info/description").asText();
        for (String s : List.of("404", "405", "414", "431", "429", "500")) {
            assertTrue(described.contains(s), "the description names the server-wide status " + s);
        }
    }

    @Test
    void managementStateEnum_listsEveryState() throws Exception {
        try (java.io.InputStream in = OpenApiTest.class.getResourceAsStream("json/openapi.json")) {
            JsonNode spec = new ObjectMapper().readTree(in);
            TreeSet<String> documented = new TreeSet<>();
            spec.findValues("managementState").forEach(n -> n.path("enum").forEach(v -> documented.add(v.asText())));
            TreeSet<String> states = new TreeSet<>();
            for (io.nacgw.core.device.ManagementState m : io.nacgw.core.device.ManagementState.values()) {
                states.add(m.wireName());
            }
            assertEquals(states, documented);
        }
    }

    /** {@code r}'s status is documented for the operation, with its media type; a JSON body has the documented fields. */
    private static void check(String method, String path, int status, HttpResponse<String> r) throws Exception {
        String where = method.toUpperCase(Locale.ROOT) + " " + path + " -> " + r.statusCode() + " " + r.body();
        assertEquals(status, r.statusCode(), where);
        JsonNode response = resolve(doc.path("paths").path(path).path(method).path("responses").path(Integer.toString(status)));
        assertFalse(response.isMissingNode(), "undocumented: " + where);
        if (r.body().isEmpty()) {
            assertTrue(response.path("content").isMissingNode(), "documented with a body, sent none: " + where);
            return;
        }
        String type = r.headers().firstValue("Content-Type").orElse("").split(";")[0].strip();
        JsonNode schema = resolve(response.path("content").path(type).path("schema"));
        assertFalse(schema.isMissingNode(), "media type " + type + " undocumented: " + where);
        if (!schema.has("properties")) {
            return;
        }
        JsonNode sent = JSON.readTree(r.body());
        for (JsonNode required : schema.path("required")) {
            assertTrue(sent.has(required.asText()), "documented field " + required + " missing: " + where);
        }
        for (Iterator<String> it = sent.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            assertTrue(schema.path("properties").has(f), "sent field " + f + " undocumented: " + where);
        }
    }

    private static JsonNode resolve(JsonNode n) {
        while (n.has("$ref")) {
            n = doc.at(n.get("$ref").asText().substring(1));
        }
        return n;
    }
}
