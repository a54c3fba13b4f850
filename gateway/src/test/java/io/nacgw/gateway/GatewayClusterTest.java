package io.nacgw.gateway;

import io.nacgw.gateway.cli.Main;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.store.StoreSettings;
import io.nacgw.core.testing.Await;
import io.nacgw.core.testing.Postgres;
import io.nacgw.gateway.config.ConfigLoader;
import io.nacgw.sync.SyncReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared mode, cluster control: two gateways on one PostgreSQL schema with the MDM sync enabled on both; one leads
 * and syncs, the other refuses `sync run` naming the leader and takes over when the leader stops or is killed.
 */
final class GatewayClusterTest {
    private static final int PAGES = 3;
    private static final int PER_PAGE = 50;
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    final Postgres pg = new Postgres();
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private HttpServer graph;
    private final AtomicInteger listings = new AtomicInteger();
    /** Page-2 requests; while {@link #holdPage2} is up the first one waits for it. */
    private final AtomicInteger page2Requests = new AtomicInteger();
    private volatile CountDownLatch holdPage2 = new CountDownLatch(0);

    @BeforeEach
    void graph() throws IOException {
        graph = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        graph.setExecutor(Executors.newCachedThreadPool()); // a held page must not stall other nodes' requests
        graph.createContext("/token", ex -> respond(ex,
                "{\"access_token\":\"t0k3n\",\"token_type\":\"Bearer\",\"expires_in\":3600}"));
        graph.createContext("/v1.0/deviceManagement/managedDevices", this::page);
        graph.start();
    }

    @AfterEach
    void stop() throws Exception {
        holdPage2.countDown();
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        graph.stop(0);
        pg.dropSchemas();
    }

    private String root() {
        return "http://127.0.0.1:" + graph.getAddress().getPort();
    }

    /** Page 1..3 of 50 devices each, linked by @odata.nextLink. */
    private void page(HttpExchange ex) throws IOException {
        String q = ex.getRequestURI().getQuery();
        int page = q != null && q.contains("page=") ? Integer.parseInt(q.substring(q.indexOf("page=") + 5)) : 1;
        if (page == 1) {
            listings.incrementAndGet();
        }
        if (page == 2 && page2Requests.incrementAndGet() == 1) {
            try {
                holdPage2.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        StringBuilder b = new StringBuilder("{\"value\":[");
        for (int i = 0; i < PER_PAGE; i++) {
            int n = (page - 1) * PER_PAGE + i + 1;
            b.append(i == 0 ? "" : ",").append(device(n));
        }
        b.append(']');
        if (page < PAGES) {
            b.append(",\"@odata.nextLink\":\"").append(root()).append("/v1.0/deviceManagement/managedDevices?page=")
                    .append(page + 1).append('"');
        }
        respond(ex, b.append('}').toString());
    }

    private static String device(int n) {
        return ("{\"id\":\"1759c0fd-7b3c-4d2a-9f5e-%012d\",\"deviceName\":\"LAPTOP-%d\",\"operatingSystem\":\"Windows\","
                + "\"complianceState\":\"compliant\",\"managementAgent\":\"mdm\",\"managedDeviceOwnerType\":\"company\","
                + "\"wiFiMacAddress\":\"%s\",\"lastSyncDateTime\":\"%s\"}").formatted(n, n, mac(n), Instant.now());
    }

    private static String mac(int n) {
        return "AABB%08X".formatted(n);
    }

    private static void respond(HttpExchange ex, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getRequestBody().readAllBytes();
        ex.getResponseHeaders().set("Content-Type", "application/json");
        try {
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
        } catch (IOException e) {
            // the node that asked was killed meanwhile
        }
        ex.close();
    }

    /** A node's config file in its own directory. */
    private Path config(StoreSettings store, String node) throws IOException {
        Path d = Files.createDirectories(dir.resolve(node));
        Path secret = d.resolve("graph.secret");
        Files.writeString(secret, "client-secret\n");
        Path cfg = d.resolve("nacgw.yaml");
        Files.writeString(cfg, """
                dataDir: data
                store: {url: "%s", user: %s, catchUpInterval: 200ms}
                cluster: {nodeName: %s, leaderCheckInterval: 300ms}
                radius: {enabled: false}
                api: {host: 127.0.0.1, port: 0}
                metrics: {host: 127.0.0.1, port: %d}
                sync:
                  enabled: true
                  tokenUrl: %s/token
                  clientId: app
                  clientSecretFile: %s
                  baseUrl: %s/v1.0
                  incrementalInterval: 0
                  maxAttempts: 1
                policy: {profiles: {wifi: {}}}
                """.formatted(store.jdbcUrl(), store.user(), node, TestConfig.freePort(), root(), secret, root()));
        return cfg;
    }

    private Gateway start(Path cfg) {
        Gateway g = Gateway.start(new ConfigLoader().load(cfg, Map.of(), new Properties()), Clock.systemUTC());
        open.add(g);
        return g;
    }

    private static HttpResponse<String> ops(Gateway g, String method, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + g.metricsServer().orElseThrow().address().getPort() + path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        b = method.equals("POST") ? b.POST(HttpRequest.BodyPublishers.noBody()) : b.GET();
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code nacgw ARGS}: exit status and what it printed. */
    private static Map.Entry<Integer, String> cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        PrintStream both = new PrintStream(out, true, StandardCharsets.UTF_8);
        System.setOut(both);
        System.setErr(both);
        try {
            int status = Main.execute(args);
            return Map.entry(status, out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static boolean resident(Gateway g, int n) {
        return g.compliance().findResident(MacAddress.parse(mac(n))) != null;
    }

    @Test
    void syncRunsOnTheLeaderOnly_followerRefusesNamingIt_andTakesOverWhenTheLeaderStops() throws Exception {
        StoreSettings store = pg.freshSchema();
        Gateway a = start(config(store, "gw-a"));
        Path cfgB = config(store, "gw-b");
        Gateway b = start(cfgB);
        assertTrue(a.cluster().isLeader());
        assertFalse(b.cluster().isLeader());
        Await.until(() -> a.sync().orElseThrow().status().lastSuccess() != null, "A's first full sync");
        Await.until(() -> resident(b, PAGES * PER_PAGE), "A's sync reaching B through the change log");
        Await.until(() -> b.cluster().leaderName().isPresent(), "B to see the leader");

        assertEquals(1, listings.get(), "one node listed the MDM inventory");
        assertEquals(0, b.sync().orElseThrow().status().runs(), "the follower ran no sync");
        HttpResponse<String> refused = ops(b, "POST", "/sync/run?mode=full");
        assertEquals(409, refused.statusCode(), refused.body());
        assertEquals("gw-a", JSON.readTree(refused.body()).path("leader").asText());
        Map.Entry<Integer, String> run = cli("sync", "run", "--config", cfgB.toString());
        assertEquals(1, run.getKey(), run.getValue());
        assertTrue(run.getValue().contains("node gw-a runs the MDM sync; run `nacgw sync run` on gw-a"), run.getValue());
        Map.Entry<Integer, String> status = cli("sync", "status", "--config", cfgB.toString());
        assertEquals(0, status.getKey(), status.getValue());
        assertTrue(status.getValue().contains("role                 follower"), status.getValue());
        assertTrue(status.getValue().contains("leader               gw-a"), status.getValue());
        JsonNode health = JSON.readTree(ops(b, "GET", "/health").body());
        assertEquals("up", health.path("status").asText(), health.toString());
        assertEquals("node gw-a leads; this node (gw-b) follows", health.path("checks").path("syncLeader").path("detail").asText());
        assertEquals(1, listings.get(), "still only the leader's sync");
        assertTrue(a.metrics().scrape().contains("nacgw_cluster_leader 1.0"), "A leads in its metrics");
        String metricsB = b.metrics().scrape();
        assertTrue(metricsB.contains("nacgw_cluster_leader 0.0") && metricsB.contains("nacgw_cluster_leader_known 1.0"),
                metricsB);
        assertTrue(metricsB.contains("nacgw_changelog_lag_sequence") && metricsB.contains("nacgw_changelog_lag_seconds")
                && metricsB.contains("nacgw_changelog_connected 1.0"), metricsB);
        assertTrue(health.path("checks").path("changeLog").path("status").asText().equals("up"), health.toString());

        a.close();
        // B leads within a check interval and syncs at once (its own schedule would wait for sync.fullInterval)
        Await.until(() -> b.cluster().isLeader(), "B to take over");
        Await.until(() -> b.sync().orElseThrow().status().lastSuccess() != null, "B's first sync as the leader");
        assertEquals(2, listings.get());
        assertEquals(202, ops(b, "POST", "/sync/run?mode=incremental").statusCode());
        Await.until(() -> b.sync().orElseThrow().status().runs() == 2 && !b.sync().orElseThrow().status().running(),
                "the on-demand run on the new leader");
        JsonNode sb = JSON.readTree(ops(b, "GET", "/sync/status").body()).path("cluster");
        assertEquals("leader", sb.path("role").asText());
        assertEquals("gw-b", sb.path("leader").asText());
    }

    @Test
    void killNineOfTheLeaderMidSync_theOtherTakesOverAndCompletes() throws Exception {
        StoreSettings store = pg.freshSchema();
        holdPage2 = new CountDownLatch(1); // the leader's first sync stops at page 2 until it is dead
        Path log = Path.of("target", "cluster-kill9-gateway.log").toAbsolutePath();
        GatewayProcess a = GatewayProcess.start(config(store, "gw-a"), log, "256m", 300);
        open.add(a);
        Await.until(() -> page2Requests.get() == 1, "the leader (a child JVM) to be mid-sync, at page 2");
        Gateway b = start(config(store, "gw-b"));
        Await.until(() -> b.cluster().leaderName().filter("gw-a"::equals).isPresent(), "B to see A leading");
        assertFalse(b.cluster().isLeader());
        assertTrue(resident(b, PER_PAGE), "page 1 of A's sync reached B");
        assertFalse(resident(b, PER_PAGE + 1), "page 2 was not written: A is stuck in it");

        a.kill9();
        holdPage2.countDown();
        Await.until(() -> b.cluster().isLeader(), "B to take over from the killed leader");
        Await.until(() -> b.sync().orElseThrow().status().lastSuccess() != null, "B's sync to complete");
        SyncReport r = b.sync().orElseThrow().status().lastRun();
        assertEquals(SyncReport.Outcome.SUCCEEDED, r.outcome(), String.valueOf(r.error()));
        assertEquals(PAGES * PER_PAGE, r.devicesSeen());
        for (int n = 1; n <= PAGES * PER_PAGE; n++) {
            assertTrue(resident(b, n), "device " + n);
        }
        assertEquals(2, listings.get(), "A's interrupted sync and B's");
    }
}
