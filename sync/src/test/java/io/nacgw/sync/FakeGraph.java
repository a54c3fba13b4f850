package io.nacgw.sync;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.nacgw.core.secret.Secret;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for Entra ID's token endpoint and Graph's {@code managedDevices}, on 127.0.0.1 and an
 * ephemeral port: client-credentials tokens, {@code $top}/{@code $skiptoken} paging with {@code @odata.nextLink},
 * {@code $filter=lastSyncDateTime gt}, {@code GET managedDevices/{id}} (404 when gone), bearer checks, and scripted
 * faults through {@link #intercept}. Like Graph, the skip token is a position in the current listing: a device
 * deleted while a client pages moves every later device one place up, so one of them slips past the client.
 * The {@code Date} header is the real clock (the JDK server always sets it).
 */
final class FakeGraph implements AutoCloseable {
    static final String CLIENT_ID = "11111111-2222-3333-4444-555555555555";
    static final String CLIENT_SECRET = "s3cr3t-Cl13nt-P4ss";
    private static final Pattern FILTER = Pattern.compile("lastSyncDateTime gt (\\S+)");
    private static final JsonFactory JSON = new JsonFactory();

    /** Handles a Graph request instead of the normal page; returns false to serve the page as usual. */
    @FunctionalInterface
    interface Interceptor {
        boolean handle(int requestNo, HttpExchange ex) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    final String base;
    final URI tokenUrl;
    private volatile int size;
    private volatile IntFunction<Map<String, Object>> source;
    final List<String> graphRequests = Collections.synchronizedList(new ArrayList<>());
    /** Device ids asked for one by one ({@code GET managedDevices/{id}}). */
    final List<String> byIdRequests = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger graphRequestCount = new AtomicInteger();
    final AtomicInteger tokensIssued = new AtomicInteger();
    final AtomicInteger tokenRequests = new AtomicInteger();
    final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    final List<String> tokenForms = Collections.synchronizedList(new ArrayList<>());
    volatile long expiresIn = 3599;
    /** When set, a client assertion signed by this certificate's key is accepted instead of the secret. */
    volatile X509Certificate assertionCertificate;
    final List<Map<String, Object>> assertionClaims = Collections.synchronizedList(new ArrayList<>());
    volatile Interceptor interceptor;
    volatile Interceptor tokenInterceptor;
    /** Extra query parameter put in every nextLink, to prove the client follows it verbatim. */
    volatile String nextLinkExtra = "&foo=a%2Fb";

    FakeGraph() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(pool);
        server.createContext("/tenant/oauth2/v2.0/token", this::token);
        server.createContext("/v1.0/deviceManagement/managedDevices", this::devices);
        server.start();
        String root = "http://127.0.0.1:" + server.getAddress().getPort();
        base = root + "/v1.0";
        tokenUrl = URI.create(root + "/tenant/oauth2/v2.0/token");
        setDevices(List.of());
    }

    /** Serves these devices (a copy is taken). */
    void setDevices(List<Map<String, Object>> devices) {
        List<Map<String, Object>> copy = new ArrayList<>();
        for (Map<String, Object> d : devices) {
            copy.add(new LinkedHashMap<>(d));
        }
        this.source = copy::get;
        this.size = copy.size();
    }

    /** Serves {@code count} devices generated on demand (for large inventories). */
    void setGenerated(int count, IntFunction<Map<String, Object>> generator) {
        this.source = generator;
        this.size = count;
    }

    void intercept(Interceptor i) {
        this.interceptor = i;
    }

    /** Makes every issued token invalid, as if it expired early or was revoked. */
    void revokeTokens() {
        validTokens.clear();
    }

    SyncSettings.Builder settings() {
        return SyncSettings.builder(tokenUrl, CLIENT_ID, Secret.of(CLIENT_SECRET)).baseUrl(URI.create(base));
    }

    /** A fully populated, valid managedDevice. {@code n} makes ids and identifiers unique. */
    static Map<String, Object> device(int n) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", String.format("%08x-0000-4000-8000-%012x", n, n));
        d.put("userId", "ignored-user-id");
        d.put("deviceName", "DESKTOP-" + n);
        d.put("managedDeviceOwnerType", "company");
        d.put("enrolledDateTime", "2026-01-01T00:00:00Z");
        d.put("lastSyncDateTime", "2026-11-20T10:00:00Z");
        d.put("operatingSystem", "Windows");
        d.put("complianceState", "compliant");
        d.put("jailBroken", "False");
        d.put("managementAgent", "mdm");
        d.put("osVersion", "10.0.22631.4460");
        d.put("azureADRegistered", true);
        d.put("deviceEnrollmentType", "windowsAzureADJoin");
        d.put("emailAddress", "user" + n + "@example.com");
        d.put("azureADDeviceId", String.format("%08x-1111-4000-8000-%012x", n, n));
        d.put("deviceRegistrationState", "registered");
        d.put("isEncrypted", true);
        d.put("userPrincipalName", "user" + n + "@example.com");
        d.put("model", "Latitude 7440");
        d.put("manufacturer", "Dell Inc.");
        d.put("imei", "");
        d.put("complianceGracePeriodExpirationDateTime", "9999-12-31T23:59:59Z");
        d.put("serialNumber", String.format("SN%08d", n));
        d.put("phoneNumber", "");
        d.put("wiFiMacAddress", String.format("0200%08X", n));
        d.put("ethernetMacAddress", "");
        d.put("meid", "");
        d.put("udid", "");
        d.put("partnerReportedThreatState", "unknown");
        d.put("deviceHealthAttestationState", Map.of("bitLockerStatus", "enabled", "secureBoot", "enabled"));
        return d;
    }

    private void token(HttpExchange ex) throws IOException {
        tokenRequests.incrementAndGet();
        Interceptor ti = tokenInterceptor;
        if (ti != null && ti.handle(tokenRequests.get(), ex)) {
            return;
        }
        String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        tokenForms.add(form);
        Map<String, String> f = parseQuery(form);
        if (!"POST".equals(ex.getRequestMethod()) || !"client_credentials".equals(f.get("grant_type"))) {
            respond(ex, 400, "{\"error\":\"unsupported_grant_type\"}");
            return;
        }
        boolean assertionOk = f.containsKey("client_assertion") && assertionValid(f);
        if (!CLIENT_ID.equals(f.get("client_id")) || !(assertionOk || CLIENT_SECRET.equals(f.get("client_secret")))) {
            respond(ex, 401, "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client "
                    + "secret provided.\\r\\nTrace ID: 1\"}");
            return;
        }
        String tok = "SECRET-TOKEN-" + tokensIssued.incrementAndGet() + "-" + System.nanoTime();
        validTokens.add(tok);
        respond(ex, 200, "{\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + ",\"ext_expires_in\":"
                + expiresIn + ",\"access_token\":\"" + tok + "\"}");
    }

    /** Checks an RFC 7523 client assertion the way Entra does: signature, x5t, audience, issuer, subject, lifetime. */
    private boolean assertionValid(Map<String, String> f) {
        X509Certificate cert = assertionCertificate;
        if (cert == null || !ClientAssertion.TYPE.equals(f.get("client_assertion_type"))) {
            return false;
        }
        String[] parts = f.get("client_assertion").split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            Signature sig = Signature.getInstance("SHA256withRSA");
            sig.initVerify(cert.getPublicKey());
            sig.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!sig.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return false;
            }
            Map<String, Object> header = flat(Base64.getUrlDecoder().decode(parts[0]));
            Map<String, Object> claims = flat(Base64.getUrlDecoder().decode(parts[1]));
            String x5t = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-1").digest(cert.getEncoded()));
            boolean ok = "RS256".equals(header.get("alg")) && x5t.equals(header.get("x5t"))
                    && tokenUrl.toString().equals(claims.get("aud")) && CLIENT_ID.equals(claims.get("iss"))
                    && CLIENT_ID.equals(claims.get("sub")) && claims.get("jti") != null
                    && ((Number) claims.get("exp")).longValue() - ((Number) claims.get("nbf")).longValue() == 300;
            if (ok) {
                assertionClaims.add(claims);
            }
            return ok;
        } catch (java.security.GeneralSecurityException | IOException e) {
            return false;
        }
    }

    private static Map<String, Object> flat(byte[] json) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        try (com.fasterxml.jackson.core.JsonParser p = JSON.createParser(json)) {
            p.nextToken();
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String name = p.currentName();
                com.fasterxml.jackson.core.JsonToken t = p.nextToken();
                out.put(name, t == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT ? (Object) p.getLongValue()
                        : p.getText());
            }
        }
        return out;
    }

    private void devices(HttpExchange ex) throws IOException {
        int n = graphRequestCount.incrementAndGet();
        graphRequests.add(ex.getRequestURI().getRawPath() + "?" + ex.getRequestURI().getRawQuery());
        Interceptor i = interceptor;
        if (i != null && i.handle(n, ex)) {
            return;
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !validTokens.contains(auth.substring(7))) {
            respond(ex, 401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Access token has "
                    + "expired or is not yet valid.\"}}");
            return;
        }
        String path = ex.getRequestURI().getRawPath();
        String one = "/v1.0/deviceManagement/managedDevices/";
        if (path.startsWith(one)) {
            device(ex, path.substring(one.length()));
            return;
        }
        Map<String, String> q = parseQuery(ex.getRequestURI().getRawQuery());
        int top = Integer.parseInt(q.getOrDefault("$top", "100"));
        int skip = q.containsKey("$skiptoken") ? Integer.parseInt(q.get("$skiptoken").replaceAll("\\D", "")) : 0;
        String filter = q.get("$filter");
        List<Integer> matching = null;
        if (filter != null) {
            Matcher m = FILTER.matcher(filter);
            if (!m.matches()) {
                respond(ex, 400, "{\"error\":{\"code\":\"BadRequest\",\"message\":\"bad filter\"}}");
                return;
            }
            Instant after = Instant.parse(m.group(1));
            matching = new ArrayList<>();
            for (int k = 0; k < size; k++) {
                Object ls = source.apply(k).get("lastSyncDateTime");
                if (ls != null && Instant.parse(ls.toString()).isAfter(after)) {
                    matching.add(k);
                }
            }
        }
        int total = matching == null ? size : matching.size();
        int end = Math.min(total, skip + top);
        ex.getResponseHeaders().set("Content-Type", "application/json; odata.metadata=minimal");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody(); JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("@odata.context", base + "/$metadata#deviceManagement/managedDevices");
            if (end < total) {
                // Graph's nextLink carries the original query plus an opaque $skiptoken
                String next = base + "/deviceManagement/managedDevices?$select=" + enc(q.get("$select")) + "&$top="
                        + top + (filter == null ? "" : "&$filter=" + enc(filter)) + "&$skiptoken=RFNwdC" + end
                        + "%3D" + nextLinkExtra;
                g.writeStringField("@odata.nextLink", next);
            }
            g.writeArrayFieldStart("value");
            for (int k = skip; k < end; k++) {
                writeValue(g, source.apply(matching == null ? k : matching.get(k)));
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /** {@code GET managedDevices/{id}}: the device, or Graph's 404 when the inventory no longer has it. */
    private void device(HttpExchange ex, String id) throws IOException {
        byIdRequests.add(id);
        IntFunction<Map<String, Object>> src = source;
        int count = size;
        for (int k = 0; k < count; k++) {
            Map<String, Object> d = src.apply(k);
            if (id.equalsIgnoreCase(String.valueOf(d.get("id")))) {
                ex.getResponseHeaders().set("Content-Type", "application/json; odata.metadata=minimal");
                ex.sendResponseHeaders(200, 0);
                try (OutputStream out = ex.getResponseBody(); JsonGenerator g = JSON.createGenerator(out)) {
                    writeValue(g, d);
                }
                return;
            }
        }
        respond(ex, 404, "{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"The requested resource does "
                + "not exist.\"}}");
    }

    /** Removes the device with this id, as an administrator deleting it in the MDM (later devices move up). */
    void remove(int n) {
        String id = (String) device(n).get("id");
        List<Map<String, Object>> rest = new ArrayList<>();
        for (int k = 0; k < size; k++) {
            Map<String, Object> d = source.apply(k);
            if (!id.equals(d.get("id"))) {
                rest.add(d);
            }
        }
        setDevices(rest);
    }

    /** Deletes device {@code n} after the next run's first page was served, before its second page is. */
    void removeBeforeSecondPage(int n) {
        int second = graphRequestCount.get() + 2;
        intercept((k, ex) -> {
            if (k == second) {
                remove(n);
            }
            return false;
        });
    }

    @SuppressWarnings("unchecked")
    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Boolean) {
            g.writeBoolean((Boolean) v);
        } else if (v instanceof Number) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Map) {
            g.writeStartObject();
            for (Map.Entry<String, Object> e : ((Map<String, Object>) v).entrySet()) {
                g.writeFieldName(e.getKey());
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else {
            g.writeString(v.toString());
        }
    }

    static void respond(HttpExchange ex, int status, String body, String... headers) throws IOException {
        for (int k = 0; k + 1 < headers.length; k += 2) {
            ex.getResponseHeaders().set(headers[k], headers[k + 1]);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    static Map<String, String> parseQuery(String q) {
        Map<String, String> out = new LinkedHashMap<>();
        if (q == null || q.isEmpty()) {
            return out;
        }
        for (String kv : q.split("&")) {
            int eq = kv.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
