package io.nacgw.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nacgw.certs.CertificateAuthority;
import io.nacgw.certs.IssuedCert;
import io.nacgw.certs.IssuedClient;
import io.nacgw.certs.Role;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.gateway.config.RadiusConfig;
import io.nacgw.nacapi.console.AdminOperation;
import io.nacgw.nacapi.Health;
import io.nacgw.nacapi.MetricsServer;
import io.nacgw.nacapi.console.DecisionFeed;
import io.nacgw.radius.audit.AuditSink;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The gateway's side of the operator console: the audit log also feeds the console's {@link DecisionFeed} (from
 * the audit writer thread, never the RADIUS path), and the admin operations the console's pages (and the CLI) call
 * are built here from the parts only the gateway holds: the metrics registry, the CA, the sync operations, the
 * RADIUS clients.
 */
final class ConsoleWiring {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConsoleWiring() {
    }

    /** {@code sink}, whose lines also go to {@code feed} (published first: a failing file does not stop the feed). */
    static AuditSink tee(AuditSink sink, DecisionFeed feed) {
        return new AuditSink() {
            @Override
            public void write(String line) throws IOException {
                feed.publish(line);
                sink.write(line);
            }

            @Override
            public void flush() throws IOException {
                sink.flush();
            }

            @Override
            public void requestReopen() {
                sink.requestReopen();
            }

            @Override
            public void close() throws IOException {
                sink.close();
            }

            @Override
            public String toString() {
                return sink.toString();
            }
        };
    }

    /** The parts the operations read. */
    record Parts(DecisionFeed feed, MeterRegistry registry, ComplianceService compliance, Supplier<Health> health,
                 Supplier<Map<String, MetricsServer.Operation>> sync, CertificateAuthority ca,
                 Supplier<Map<String, RadiusConfig.ClientConfig>> clients, Clock clock) {
    }

    static Map<String, AdminOperation> operations(Parts p) {
        Map<String, AdminOperation> ops = new HashMap<>();
        ops.put(AdminOperation.OVERVIEW, (params, body) -> new MetricsServer.Reply(200, overview(p)));
        ops.put(AdminOperation.NAS_CLIENTS, (params, body) -> new MetricsServer.Reply(200, nasClients(p)));
        // the sync starts after the API: look its endpoints up when called (404 while sync is off)
        ops.put(AdminOperation.SYNC_STATUS, (params, body) -> p.sync().get().get("/sync/status").handle("GET", ""));
        ops.put(AdminOperation.SYNC_RUN, (params, body) -> {
            String mode = params.get("mode");
            return p.sync().get().get("/sync/run").handle("POST", mode == null ? "" : "mode=" + mode);
        });
        if (p.ca() != null) {
            ops.put(AdminOperation.CERTS_LIST, (params, body) -> new MetricsServer.Reply(200, certificates(p)));
            ops.put(AdminOperation.CERTS_ISSUE, (params, body) -> issue(p, body));
            ops.put(AdminOperation.CERTS_REVOKE, (params, body) -> revoke(p, params.get("serial")));
        }
        return ops;
    }

    /**
     * The same views on the localhost operations port, for the CLI ({@code nacgw nas list}, {@code nacgw decisions
     * recent}): {@code GET /nas/clients}, {@code GET /decisions/recent?deviceId=&mac=&nas=&limit=},
     * {@code GET /overview}.
     */
    static Map<String, MetricsServer.Operation> endpoints(Parts p) {
        return Map.of(
                "/nas/clients", (method, query) -> get(method, () -> new MetricsServer.Reply(200, nasClients(p))),
                "/overview", (method, query) -> get(method, () -> new MetricsServer.Reply(200, overview(p))),
                "/decisions/recent", (method, query) -> get(method, () -> recent(p, query)));
    }

    private static MetricsServer.Reply get(String method, Supplier<MetricsServer.Reply> answer) {
        return method.equals("GET") ? answer.get() : error(405, "use GET");
    }

    static MetricsServer.Reply recent(Parts p, String query) {
        Map<String, String> q = new HashMap<>();
        for (String part : query.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String k = java.net.URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : java.net.URLDecoder.decode(part.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            if (!java.util.Set.of("deviceId", "mac", "nas", "limit").contains(k)) {
                return error(400, "unknown parameter '" + k + "' (deviceId, mac, nas, limit)");
            }
            q.put(k, v);
        }
        int limit;
        try {
            limit = Integer.parseInt(q.getOrDefault("limit", "50"));
        } catch (NumberFormatException e) {
            limit = 0;
        }
        if (limit < 1 || limit > 500) {
            return error(400, "limit must be 1 to 500");
        }
        String mac = null;
        if (q.containsKey("mac")) {
            io.nacgw.core.id.MacAddress m = io.nacgw.core.id.MacAddress.tryParse(q.get("mac"));
            if (m == null) {
                return error(400, "mac: not a MAC address");
            }
            mac = m.canonical();
        }
        StringBuilder sb = new StringBuilder("{\"decisions\":[");
        java.util.List<String> lines = p.feed().recent(DecisionFeed.decisions(q.get("deviceId"), mac, q.get("nas")), limit);
        for (int i = 0; i < lines.size(); i++) {
            sb.append(i > 0 ? "," : "").append(lines.get(i));
        }
        return new MetricsServer.Reply(200, sb.append("]}").toString());
    }

    // ---- overview ----

    static String overview(Parts p) {
        ObjectNode o = JSON.createObjectNode();
        o.put("time", p.clock().instant().toString());
        o.put("devices", p.compliance().residentCount());
        ObjectNode radius = o.putObject("radius");
        radius.put("received", value(p.registry(), "nacgw_radius_received"));
        radius.put("accepts", value(p.registry(), "nacgw_radius_accepts"));
        radius.put("quarantines", value(p.registry(), "nacgw_radius_quarantines"));
        radius.put("rejects", value(p.registry(), "nacgw_radius_rejects"));
        radius.put("dropped", value(p.registry(), "nacgw_radius_dropped"));
        latency(radius, p.registry(), "nacgw_radius_request");
        ObjectNode api = o.putObject("api").put("requests", value(p.registry(), "nacgw_api_requests"))
                .put("authFailures", value(p.registry(), "nacgw_api_auth_failures"));
        latency(api, p.registry(), "nacgw_api_request");
        Health h = p.health().get();
        o.putObject("store").put("status", h.state().name().toLowerCase(java.util.Locale.ROOT)).put("detail", h.reason());
        ObjectNode sync = o.putObject("sync");
        MetricsServer.Reply s = p.sync().get().get("/sync/status").handle("GET", "");
        if (s.status() != 200) {
            sync.put("status", "off");
        } else {
            JsonNode n = read(s.json());
            sync.put("status", n.path("running").asBoolean() ? "running"
                    : n.path("lastSuccess").isMissingNode() || n.path("lastSuccess").isNull() ? "no success yet" : "ok");
            sync.set("detail", n);
        }
        o.putObject("coa").put("sent", value(p.registry(), "nacgw_coa_sent"))
                .put("acked", value(p.registry(), "nacgw_coa_acked"))
                .put("nakked", value(p.registry(), "nacgw_coa_nakked"))
                .put("timedOut", value(p.registry(), "nacgw_coa_timed_out"));
        ObjectNode nas = o.putObject("nas");
        nasActivity(p.registry()).forEach(nas::set);
        o.putObject("feed").put("published", p.feed().published()).put("dropped", p.feed().dropped())
                .put("subscribers", p.feed().subscribers());
        // nacgw's other latency histograms (store reads and writes, CoA, …), titled for people; the JVM's own timers
        // (GC pauses…) belong to /metrics, not to the console's cards
        ArrayNode timers = o.putArray("latencies");
        for (Meter m : p.registry().getMeters()) {
            String name = m.getId().getName();
            if (m instanceof Timer && name.startsWith("nacgw_") && !name.equals("nacgw_radius_request")
                    && !name.equals("nacgw_api_request")) {
                Timer t = (Timer) m;
                timers.addObject().put("name", title(m)).put("metric", name + tags(m)).put("count", t.count())
                        .put("p99", percentile(t, 0.99));
            }
        }
        return o.toString();
    }

    /** {@code into.latencyMillis}: p50, p90 and p99 of the timer {@code name} (absent: none registered). */
    private static void latency(ObjectNode into, MeterRegistry registry, String name) {
        Timer t = registry.find(name).timer();
        if (t != null) {
            ObjectNode l = into.putObject("latencyMillis").put("count", t.count());
            l.put("p50", percentile(t, 0.50)).put("p90", percentile(t, 0.90)).put("p99", percentile(t, 0.99));
        }
    }

    /**
     * The {@code q} quantile of a histogram timer in milliseconds, as Prometheus's histogram_quantile reads it: the
     * upper bound of the first bucket holding that share of the samples (the largest sample when beyond the last
     * bucket; 0 with no samples).
     */
    static double percentile(Timer t, double q) {
        var snapshot = t.takeSnapshot();
        if (snapshot.count() == 0) {
            return 0;
        }
        double wanted = q * snapshot.count();
        for (var b : snapshot.histogramCounts()) {
            if (b.count() >= wanted) {
                return Math.min(b.bucket(TimeUnit.MILLISECONDS), snapshot.max(TimeUnit.MILLISECONDS));
            }
        }
        return snapshot.max(TimeUnit.MILLISECONDS);
    }

    /** Decisions per NAS client and its last request, from the radius metrics ({@code nacgw_radius_client_*}). */
    static Map<String, ObjectNode> nasActivity(MeterRegistry registry) {
        Map<String, ObjectNode> out = new java.util.TreeMap<>();
        for (Meter m : registry.find("nacgw_radius_client_decisions").meters()) {
            String client = m.getId().getTag("client");
            String verdict = m.getId().getTag("verdict");
            ObjectNode n = out.computeIfAbsent(client, c -> JSON.createObjectNode().put("accepts", 0L)
                    .put("quarantines", 0L).put("rejects", 0L).putNull("lastRequest"));
            String field = "allow".equals(verdict) ? "accepts" : "quarantine".equals(verdict) ? "quarantines" : "rejects";
            n.put(field, n.path(field).asLong() + (long) value(m));
        }
        for (Meter m : registry.find("nacgw_radius_client_last_request_seconds").meters()) {
            ObjectNode n = out.get(m.getId().getTag("client"));
            long seconds = (long) value(m);
            if (n != null && seconds > 0) {
                n.put("lastRequest", java.time.Instant.ofEpochSecond(seconds).toString());
            }
        }
        return out;
    }

    /** A card title: {@code nacgw_store_read{x=y}} → "Store read (y)"; RADIUS, API and CoA in capitals. */
    static String title(Meter m) {
        StringBuilder sb = new StringBuilder();
        for (String word : m.getId().getName().substring("nacgw_".length()).split("_")) {
            if (word.isEmpty()) {
                continue;
            }
            String w = switch (word) {
                case "coa" -> "CoA";
                case "api", "radius", "eap", "tls", "nas" -> word.toUpperCase(java.util.Locale.ROOT);
                default -> word;
            };
            if (sb.length() == 0) {
                w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
            } else {
                sb.append(' ');
            }
            sb.append(w);
        }
        StringBuilder values = new StringBuilder();
        m.getId().getTags().forEach(t -> values.append(values.length() == 0 ? "" : ", ").append(t.getValue()));
        return values.length() == 0 ? sb.toString() : sb.append(" (").append(values).append(')').toString();
    }

    private static String tags(Meter m) {
        StringBuilder sb = new StringBuilder();
        m.getId().getTags().forEach(t -> sb.append(sb.length() == 0 ? "{" : ",").append(t.getKey()).append('=')
                .append(t.getValue()));
        return sb.length() == 0 ? "" : sb.append('}').toString();
    }

    /** The sum over every meter named {@code name} (all tags) of its count or value; 0 when none. */
    static double value(MeterRegistry registry, String name) {
        double sum = 0;
        for (Meter m : registry.find(name).meters()) {
            sum += value(m);
        }
        return sum;
    }

    private static double value(Meter m) {
        for (Measurement x : m.measure()) {
            return x.getValue();
        }
        return 0;
    }

    // ---- NAS clients ----

    static String nasClients(Parts p) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode list = o.putArray("clients");
        Map<String, ObjectNode> activity = nasActivity(p.registry());
        p.clients().get().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            RadiusConfig.ClientConfig c = e.getValue();
            ObjectNode n = list.addObject().put("name", e.getKey()).put("address", c.address())
                    .put("vendor", c.vendor() == null ? "generic" : c.vendor()).put("profile", c.profile());
            ObjectNode a = activity.get(e.getKey());
            n.put("accepts", a == null ? 0 : a.path("accepts").asLong())
                    .put("quarantines", a == null ? 0 : a.path("quarantines").asLong())
                    .put("rejects", a == null ? 0 : a.path("rejects").asLong());
            if (a == null || a.path("lastRequest").isNull()) {
                n.putNull("lastRequest");
            } else {
                n.put("lastRequest", a.path("lastRequest").asText());
            }
        });
        return o.toString();
    }

    // ---- certificates ----

    static String certificates(Parts p) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode list = o.putArray("certificates");
        for (IssuedCert c : p.ca().list()) {
            list.addObject().put("serial", c.serialHex()).put("kind", c.kind()).put("name", c.name())
                    .put("role", c.role().map(r -> r.name().toLowerCase(java.util.Locale.ROOT)).orElse(null))
                    .put("notBefore", c.notBefore().toString()).put("notAfter", c.notAfter().toString())
                    .put("status", c.status(p.clock().instant()));
        }
        return o.toString();
    }

    static MetricsServer.Reply issue(Parts p, byte[] body) {
        JsonNode in = read(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        String name = in.path("name").asText("");
        String roleName = in.path("role").asText("");
        int days = in.path("days").asInt(CertificateAuthority.DEFAULT_CLIENT_DAYS);
        char[] password = in.path("password").asText("").toCharArray();
        try {
            if (!roleName.equals("partner") && !roleName.equals("admin")) {
                return error(400, "role must be partner or admin");
            }
            if (password.length < 8) {
                return error(400, "the PKCS#12 password must be at least 8 characters");
            }
            if (days < 1 || days > 3650) {
                return error(400, "days must be 1 to 3650");
            }
            IssuedClient c = p.ca().issueClient(name, Role.fromName(roleName), days, password);
            ObjectNode o = JSON.createObjectNode();
            o.put("name", name).put("serial", c.entry().serialHex()).put("role", roleName)
                    .put("notAfter", c.entry().notAfter().toString())
                    .put("pkcs12", Base64.getEncoder().encodeToString(Files.readAllBytes(c.pkcs12File())));
            return new MetricsServer.Reply(200, o.toString());
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        } catch (RuntimeException | IOException e) {
            return error(409, e.getMessage());
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    static MetricsServer.Reply revoke(Parts p, String serial) {
        BigInteger s;
        try {
            s = CertificateAuthority.parseSerial(serial);
        } catch (RuntimeException e) {
            return error(400, "serial: " + e.getMessage());
        }
        try {
            var r = p.ca().revoke(s);
            if (r.revoked().isEmpty()) {
                return error(404, "no unrevoked certificate with serial " + serial);
            }
            return new MetricsServer.Reply(200, JSON.createObjectNode().put("revoked", r.revoked().get(0).serialHex())
                    .put("name", r.revoked().get(0).name()).toString());
        } catch (RuntimeException e) {
            return error(404, e.getMessage());
        }
    }

    private static MetricsServer.Reply error(int status, String message) {
        return new MetricsServer.Reply(status, JSON.createObjectNode().put("error", message).toString());
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json.isEmpty() ? "{}" : json);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
