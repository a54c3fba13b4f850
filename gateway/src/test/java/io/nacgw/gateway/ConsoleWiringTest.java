package io.nacgw.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nacgw.certs.CertificateAuthority;
import io.nacgw.certs.KeyType;
import io.nacgw.certs.ServerNames;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.service.IndexSettings;
import io.nacgw.core.store.ComplianceStore;
import io.nacgw.core.testing.TestStores;
import io.nacgw.gateway.config.RadiusConfig;
import io.nacgw.nacapi.console.AdminOperation;
import io.nacgw.nacapi.Health;
import io.nacgw.nacapi.MetricsServer;
import io.nacgw.nacapi.console.DecisionFeed;
import io.nacgw.radius.audit.AuditSink;
import io.nacgw.radius.proxy.PoolSettings;
import io.nacgw.radius.proxy.ProxySettings;
import io.nacgw.radius.proxy.RadiusProxy;
import io.nacgw.radius.proxy.UpstreamSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gateway's console operations over real parts: a nacgw CA on disk, a store, a metrics registry. */
final class ConsoleWiringTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private ComplianceStore store;
    private ComplianceService compliance;
    private final DecisionFeed feed = new DecisionFeed(100);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Map<String, AdminOperation> ops;
    private CertificateAuthority ca;
    private Map<String, MetricsServer.Operation> sync = SyncOperations.endpoints(null);

    @BeforeEach
    void setUp() {
        store = ComplianceStore.open(TestStores.fresh(2));
        compliance = ComplianceService.start(store, IndexSettings.DEFAULTS);
        ca = CertificateAuthority.open(dir.resolve("pki"));
        ca.init(ServerNames.of(List.of("localhost")), KeyType.ECDSA_P256, false);
        Map<String, RadiusConfig.ClientConfig> clients = Map.of("sw1", new RadiusConfig.ClientConfig("192.0.2.0/24",
                List.of("s3cret-1234"), null, null, "cisco", null, null, "wifi", null, null, null, null, null, null, null, null));
        ops = ConsoleWiring.operations(new ConsoleWiring.Parts(feed, registry, compliance, () -> Health.UP,
                () -> sync, ca, () -> clients, Clock.systemUTC()));
    }

    @AfterEach
    void tearDown() {
        compliance.close();
        store.close();
    }

    private JsonNode call(String op, Map<String, String> params, String body, int status) throws IOException {
        MetricsServer.Reply r = ops.get(op).handle(params, body.getBytes(StandardCharsets.UTF_8));
        assertEquals(status, r.status(), r.json());
        return JSON.readTree(r.json());
    }

    @Test
    void certificates_issueListRevoke_throughTheOperations() throws Exception {
        JsonNode issued = call(AdminOperation.CERTS_ISSUE, Map.of(),
                "{\"name\":\"ise9\",\"role\":\"partner\",\"days\":30,\"password\":\"a long p12 pass\"}", 200);
        assertEquals("ise9", issued.path("name").asText());
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        p12.load(new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(issued.path("pkcs12").asText())),
                "a long p12 pass".toCharArray());
        assertTrue(p12.aliases().hasMoreElements(), "a usable PKCS#12 under the given password");
        JsonNode list = call(AdminOperation.CERTS_LIST, Map.of(), "", 200);
        JsonNode ise9 = null;
        for (JsonNode c : list.path("certificates")) {
            if (c.path("name").asText().equals("ise9")) {
                ise9 = c;
            }
        }
        assertEquals("partner", ise9.path("role").asText());
        assertEquals("valid", ise9.path("status").asText());
        call(AdminOperation.CERTS_REVOKE, Map.of("serial", issued.path("serial").asText()), "", 200);
        assertTrue(ca.list().stream().anyMatch(c -> c.name().equals("ise9") && c.revoked()));
        call(AdminOperation.CERTS_REVOKE, Map.of("serial", issued.path("serial").asText()), "", 404);
        call(AdminOperation.CERTS_REVOKE, Map.of("serial", "not hex!"), "", 400);
        // bad input: each a clear 400 or 409, nothing written
        call(AdminOperation.CERTS_ISSUE, Map.of(), "{\"name\":\"x1\",\"role\":\"root\",\"password\":\"long enough\"}", 400);
        call(AdminOperation.CERTS_ISSUE, Map.of(), "{\"name\":\"x1\",\"role\":\"admin\",\"password\":\"short\"}", 400);
        call(AdminOperation.CERTS_ISSUE, Map.of(), "{\"name\":\"x1\",\"role\":\"admin\",\"days\":0,\"password\":\"long enough\"}", 400);
        call(AdminOperation.CERTS_ISSUE, Map.of(), "{\"name\":\"../x\",\"role\":\"admin\",\"password\":\"long enough\"}", 400);
        call(AdminOperation.CERTS_ISSUE, Map.of(), "not json", 400);
        call(AdminOperation.CERTS_ISSUE, Map.of(),
                "{\"name\":\"ise9\",\"role\":\"partner\",\"password\":\"a long p12 pass\"}", 409); // files exist
    }

    @Test
    void overview_andNasClients_readTheFeedTheRegistryAndHealth() throws Exception {
        registry.counter("nacgw_radius_accepts").increment(3);
        registry.counter("nacgw_radius_rejects").increment();
        registry.counter("nacgw_radius_client_decisions", "client", "sw1", "verdict", "allow").increment();
        registry.counter("nacgw_radius_client_decisions", "client", "sw1", "verdict", "reject").increment(2);
        registry.gauge("nacgw_radius_client_last_request_seconds", io.micrometer.core.instrument.Tags.of("client", "sw1"),
                1_796_025_600.0); // 2026-11-30T08:00:00Z
        io.micrometer.core.instrument.Timer t = io.micrometer.core.instrument.Timer.builder("nacgw_radius_request")
                .serviceLevelObjectives(java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(5),
                        java.time.Duration.ofMillis(50)).register(registry);
        for (int i = 0; i < 98; i++) {
            t.record(java.time.Duration.ofMillis(0).plusNanos(300_000)); // 0.3 ms
        }
        t.record(java.time.Duration.ofMillis(4));
        t.record(java.time.Duration.ofMillis(40));
        JsonNode o = call(AdminOperation.OVERVIEW, Map.of(), "", 200);
        assertEquals(3, o.path("radius").path("accepts").asInt());
        assertEquals(1, o.path("radius").path("rejects").asInt());
        assertEquals(1.0, o.path("radius").path("latencyMillis").path("p50").asDouble(), "the 1 ms bucket");
        assertEquals(5.0, o.path("radius").path("latencyMillis").path("p99").asDouble(), "the 5 ms bucket");
        assertEquals(100, o.path("radius").path("latencyMillis").path("count").asInt());
        assertEquals("up", o.path("store").path("status").asText());
        assertEquals("off", o.path("sync").path("status").asText());
        assertEquals(1, o.path("nas").path("sw1").path("accepts").asInt());
        assertEquals(2, o.path("nas").path("sw1").path("rejects").asInt());
        JsonNode n = call(AdminOperation.NAS_CLIENTS, Map.of(), "", 200);
        JsonNode sw1 = n.path("clients").get(0);
        assertEquals("sw1", sw1.path("name").asText());
        assertEquals("cisco", sw1.path("vendor").asText());
        assertEquals(1, sw1.path("accepts").asInt());
        assertEquals(2, sw1.path("rejects").asInt());
        assertEquals("2026-11-30T08:00:00Z", sw1.path("lastRequest").asText());
        call(AdminOperation.SYNC_STATUS, Map.of(), "", 404);
        call(AdminOperation.SYNC_RUN, Map.of("mode", "full"), "", 404);
    }

    @Test
    void overview_latencyCards_areNacgwTimersWithTitlesForPeople() throws Exception {
        registry.timer("nacgw_store_read").record(java.time.Duration.ofMillis(2));
        registry.timer("nacgw_coa_latency", "client", "sw1").record(java.time.Duration.ofMillis(3));
        registry.timer("jvm.gc.pause", "action", "end of minor GC").record(java.time.Duration.ofMillis(1));
        JsonNode o = call(AdminOperation.OVERVIEW, Map.of(), "", 200);
        List<String> titles = new ArrayList<>();
        o.path("latencies").forEach(t -> titles.add(t.path("name").asText()));
        titles.sort(null);
        assertEquals(List.of("CoA latency (sw1)", "Store read"), titles, o.path("latencies").toString());
    }

    @Test
    void overview_latencyCards_includeEachProxyUpstreamsRoundTrip_asGatewayMetricsRegistersIt() throws Exception {
        // nothing listens on the upstream's port: the card is there from the start, before any round trip
        int port;
        try (java.net.DatagramSocket free = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        ProxySettings upstreams = ProxySettings.of(List.of(PoolSettings.failover("home", List.of(
                UpstreamSettings.udp("fr", java.net.InetAddress.getLoopbackAddress(), port, "upstream-secret")))));
        try (GatewayMetrics m = new GatewayMetrics(); RadiusProxy proxy = RadiusProxy.start(upstreams)) {
            m.bindProxy(proxy);
            ops = ConsoleWiring.operations(new ConsoleWiring.Parts(feed, m.registry(), compliance, () -> Health.UP,
                    () -> sync, ca, Map::of, Clock.systemUTC()));
            JsonNode cards = call(AdminOperation.OVERVIEW, Map.of(), "", 200).path("latencies");
            List<String> titles = new ArrayList<>();
            cards.forEach(t -> titles.add(t.path("name").asText() + " = " + t.path("metric").asText()));
            assertEquals(List.of("Proxy upstream latency (home, fr) = nacgw_proxy_upstream_latency{pool=home,upstream=fr}"),
                    titles, cards.toString());
        }
    }

    @Test
    void tee_publishesEveryLine_andStillWritesWhenNobodyListens() throws Exception {
        List<String> written = new ArrayList<>();
        List<String> calls = new ArrayList<>();
        AuditSink file = new AuditSink() {
            @Override
            public void write(String line) {
                written.add(line);
            }

            @Override
            public void flush() {
                calls.add("flush");
            }

            @Override
            public void requestReopen() {
                calls.add("reopen");
            }

            @Override
            public void close() {
                calls.add("close");
            }
        };
        AuditSink tee = ConsoleWiring.tee(file, feed);
        DecisionFeed.Subscription s = feed.subscribe(4);
        tee.write("{\"nas\":\"a\"}");
        tee.flush();
        tee.requestReopen();
        tee.close();
        assertEquals(List.of("{\"nas\":\"a\"}"), written);
        assertEquals("{\"nas\":\"a\"}", s.poll());
        assertEquals(List.of("flush", "reopen", "close"), calls);
        assertFalse(feed.recent(l -> true, 5).isEmpty());
    }

    @Test
    void metrics_countStreamLosses() {
        try (GatewayMetrics m = new GatewayMetrics()) {
            m.bindConsole(feed);
            DecisionFeed.Subscription slow = feed.subscribe(1);
            feed.publish("{\"nas\":\"a\"}");
            feed.publish("{\"nas\":\"a\"}");
            String text = m.scrape();
            assertTrue(text.contains("nacgw_console_stream_dropped_total 1.0"), text);
            assertTrue(text.contains("nacgw_console_stream_subscribers 1.0"), text);
            slow.close();
        }
    }
}
