package io.nacgw.gateway.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.nacgw.core.testing.Await;
import io.nacgw.gateway.Gateway;
import io.nacgw.gateway.config.ConfigLoader;
import io.nacgw.sync.SyncMode;
import io.nacgw.sync.SyncReport;
import io.nacgw.sync.SyncService;
import io.nacgw.sync.SyncStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code nacgw reload} of {@code sync.*} against a running gateway and a local Graph stand-in (two tenants): the
 * next run uses the new settings, a run in progress keeps its own, the schedule follows the new interval and
 * {@code sync.enabled}, status and counters survive, and a bad section refuses the whole reload.
 */
final class SyncReloadTest {
    @TempDir
    Path dir;

    private static final String DEVICE = "{\"id\":\"1759c0fd-7b3c-4d2a-9f5e-0123456789ab\",\"deviceName\":\"LAPTOP-9\","
            + "\"operatingSystem\":\"Windows\",\"complianceState\":\"compliant\",\"managementAgent\":\"mdm\","
            + "\"managedDeviceOwnerType\":\"company\",\"wiFiMacAddress\":\"AABBCCDDEE09\",\"lastSyncDateTime\":\"%s\"}";

    private static final String CONFIG = """
            dataDir: data
            radius: {enabled: false}
            api: {enabled: false}
            metrics: {host: 127.0.0.1, port: %d}
            sync:
              enabled: %s
              tokenUrl: %s/%s/token
              clientId: app
              clientSecretFile: %s
              baseUrl: %s/v1.0
              fullInterval: 1h
              incrementalInterval: %s
              pageSize: %d
            policy:
              profiles:
                wifi: {}
            """;

    private HttpServer graph;
    private ExecutorService graphThreads;
    private String root;
    private final List<String> tokenCalls = new CopyOnWriteArrayList<>();
    private final List<String> deviceCalls = new CopyOnWriteArrayList<>();
    /** When set, a device listing waits for it (a run held in progress). */
    private volatile CountDownLatch hold;
    private volatile CountDownLatch held;
    private int port;
    private Path secret;
    private Path cfg;

    @BeforeEach
    void graph() throws Exception {
        graph = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        graphThreads = Executors.newCachedThreadPool();
        graph.setExecutor(graphThreads);
        graph.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (path.endsWith("/token")) {
                tokenCalls.add(path + " " + body);
                respond(ex, 200, "{\"access_token\":\"t0k3n\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
            } else if (path.equals("/v1.0/deviceManagement/managedDevices")) {
                deviceCalls.add(ex.getRequestURI().getRawQuery());
                CountDownLatch h = hold;
                if (h != null) {
                    held.countDown();
                    try {
                        h.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                respond(ex, 200, "{\"value\":[" + DEVICE.formatted(Instant.now().minusSeconds(60)) + "]}");
            } else {
                respond(ex, 404, "{}");
            }
        });
        graph.start();
        root = "http://127.0.0.1:" + graph.getAddress().getPort();
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        secret = dir.resolve("graph.secret");
        Files.writeString(secret, "secret-one\n");
        cfg = dir.resolve("nacgw.yaml");
    }

    @AfterEach
    void stopGraph() {
        CountDownLatch h = hold;
        if (h != null) {
            h.countDown();
        }
        graph.stop(0);
        graphThreads.shutdownNow();
    }

    private void write(boolean enabled, String tenant, String incremental, int pageSize) throws IOException {
        Files.writeString(cfg, CONFIG.formatted(port, enabled, root, tenant, secret, root, incremental, pageSize));
    }

    private Gateway start() throws Exception {
        return Gateway.start(new ConfigLoader().load(cfg), Clock.systemUTC(), () -> new ConfigLoader().load(cfg));
    }


    private Cli.Result reloadOk() {
        Cli.Result r = Cli.run("reload", "--config", cfg.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(!r.out().contains("needs a restart"), r.out());
        return r;
    }

    private static SyncStatus status(Gateway g) {
        return g.sync().orElseThrow().status();
    }

    private static boolean full(String query) {
        return !query.contains("$filter");
    }

    @Test
    void intervalChange_reArmsTheSchedule_keepingHistoryAndMark() throws Exception {
        write(true, "tenant-a", "0", 100); // full syncs only: the scheduler looks every 5 minutes
        try (Gateway g = start()) {
            Await.until(() -> status(g).runs() == 1 && !status(g).running(), "the first full sync", 60);
            Instant mark = status(g).highWaterMark();
            assertNotNull(mark);

            write(true, "tenant-a", "1s", 100);
            Cli.Result r = reloadOk();
            assertTrue(r.out().contains("applied: sync: incrementalInterval PT0S -> PT1S; the next run uses them"),
                    r.out());
            // without re-arming, the next look would be 5 minutes away
            Await.until(() -> status(g).runs() >= 3, "incremental runs on the new interval", 60);
            assertTrue(deviceCalls.stream().skip(1).noneMatch(SyncReloadTest::full), deviceCalls.toString());
            assertEquals(SyncMode.INCREMENTAL, status(g).lastRun().mode(), "the mark was kept: no full sync again");
            assertEquals(0, status(g).failedRuns());
        }
    }

    @Test
    void credentialChange_isUsedByTheNextRun_andTenantChange_startsWithAFullSync() throws Exception {
        write(true, "tenant-a", "0", 100);
        try (Gateway g = start()) {
            Await.until(() -> status(g).runs() == 1 && !status(g).running(), "the first full sync", 60);
            assertTrue(tokenCalls.get(0).startsWith("/tenant-a/token ") && tokenCalls.get(0).contains("secret-one"),
                    tokenCalls.toString());

            Files.writeString(secret, "secret-two\n"); // rotated in place: the config text is the same
            Cli.Result r = reloadOk();
            assertTrue(r.out().contains("applied: sync: credential; the next run uses them"), r.out());
            assertTrue(!r.out().contains("secret-two"), "never printed");
            SyncReport inc = g.sync().orElseThrow().runIncremental();
            assertEquals(SyncReport.Outcome.SUCCEEDED, inc.outcome(), String.valueOf(inc.error()));
            assertEquals(SyncMode.INCREMENTAL, inc.mode(), "same tenant: the mark is kept");
            String last = tokenCalls.get(tokenCalls.size() - 1);
            assertTrue(last.contains("client_secret=secret-two"), tokenCalls.toString());
            assertEquals(2, status(g).runs());

            write(true, "tenant-b", "0", 100);
            Cli.Result t = reloadOk();
            assertTrue(t.out().contains("tokenUrl " + root + "/tenant-a/token -> " + root + "/tenant-b/token"), t.out());
            assertTrue(t.out().contains("new tenant or Graph URL: the next run is a full sync"), t.out());
            // the re-armed schedule looks at once: with no full sync of tenant B yet, one is due now
            Await.until(() -> status(g).runs() == 3 && !status(g).running(), "tenant B's first sync", 60);
            assertEquals(SyncMode.FULL, status(g).lastRun().mode(), "a new tenant starts with a full sync");
            assertTrue(status(g).lastRun().succeeded(), String.valueOf(status(g).lastRun().error()));
            assertTrue(tokenCalls.get(tokenCalls.size() - 1).startsWith("/tenant-b/token "), tokenCalls.toString());
            assertTrue(full(deviceCalls.get(deviceCalls.size() - 1)), deviceCalls.toString());
        }
    }

    @Test
    void runInProgress_finishesWithItsOwnSettings_theNextRunUsesTheNewOnes() throws Exception {
        write(true, "tenant-a", "0", 100);
        try (Gateway g = start()) {
            Await.until(() -> status(g).runs() == 1 && !status(g).running(), "the first full sync", 60);
            held = new CountDownLatch(1);
            hold = new CountDownLatch(1);
            SyncService s = g.sync().orElseThrow();
            ExecutorService one = Executors.newSingleThreadExecutor();
            try {
                CompletableFuture<SyncReport> running = s.startAsync(SyncMode.FULL, one).orElseThrow();
                assertTrue(held.await(60, TimeUnit.SECONDS), "the run reached the device listing");
                int tokens = tokenCalls.size();

                Files.writeString(secret, "secret-two\n");
                write(true, "tenant-a", "0", 7);
                Cli.Result r = reloadOk();
                assertTrue(r.out().contains("applied: sync: pageSize 100 -> 7; the next run uses them"), r.out());
                assertTrue(status(g).running(), "the run is still going");
                CountDownLatch gate = hold;
                hold = null; // later listings answer at once
                gate.countDown();
                SyncReport old = running.get(60, TimeUnit.SECONDS);
                assertEquals(SyncReport.Outcome.SUCCEEDED, old.outcome(), String.valueOf(old.error()));
                assertEquals(tokens, tokenCalls.size(), "the run kept its token");
                assertTrue(deviceCalls.get(deviceCalls.size() - 1).contains("$top=100"), "old page size kept");
                assertEquals(2, status(g).runs());
                assertNotNull(status(g).highWaterMark());

                SyncReport next = s.runIncremental();
                assertEquals(SyncMode.INCREMENTAL, next.mode(), "same tenant: the mark is kept");
                assertEquals(SyncReport.Outcome.SUCCEEDED, next.outcome(), String.valueOf(next.error()));
                assertTrue(deviceCalls.get(deviceCalls.size() - 1).contains("$top=7"), deviceCalls.toString());
                assertTrue(tokenCalls.get(tokenCalls.size() - 1).contains("client_secret=secret-two"),
                        tokenCalls.toString());
            } finally {
                one.shutdownNow();
            }
        }
    }

    @Test
    void invalidSyncSection_refusesTheWholeReload_andKeepsTheRunningSettings() throws Exception {
        write(true, "tenant-a", "0", 100);
        try (Gateway g = start()) {
            Await.until(() -> status(g).runs() == 1 && !status(g).running(), "the first full sync", 60);
            Files.writeString(cfg, CONFIG.formatted(port, true, root, "tenant-b", dir.resolve("missing.secret"), root,
                    "0", 100).replace("wifi: {}", "wifi: {allow: {vlan: \"300\"}}"));
            Cli.Result bad = Cli.run("reload", "--config", cfg.toString());
            assertEquals(1, bad.status(), bad.out() + bad.err());
            assertTrue(bad.err().contains("reload refused") && bad.err().contains("sync:")
                    && bad.err().contains("missing.secret"), bad.err());
            assertTrue(!"300".equals(g.policy().profile("wifi").attributesFor(io.nacgw.core.policy.Verdict.ALLOW)
                    .vlan()), "nothing else was applied either");

            write(true, "tenant-a", "0", 2000);
            Cli.Result range = Cli.run("reload", "--config", cfg.toString());
            assertEquals(1, range.status(), range.out() + range.err());
            assertTrue(range.err().contains("sync.pageSize must be 1 to 1000"), range.err());

            SyncReport r = g.sync().orElseThrow().runFull();
            assertEquals(SyncReport.Outcome.SUCCEEDED, r.outcome(), String.valueOf(r.error()));
            assertTrue(tokenCalls.stream().allMatch(c -> c.startsWith("/tenant-a/token ")), tokenCalls.toString());
            assertTrue(deviceCalls.get(deviceCalls.size() - 1).contains("$top=100"), deviceCalls.toString());
        }
    }

    @Test
    void enabledOffAndOn_stopsAndStartsTheSchedule_keepingHistory() throws Exception {
        write(false, "tenant-a", "0", 100);
        try (Gateway g = start()) {
            assertTrue(g.sync().isEmpty());
            Cli.Result off = Cli.run("sync", "status", "--config", cfg.toString());
            assertTrue(off.status() != 0 && (off.out() + off.err()).contains("sync is not enabled"), off.out() + off.err());

            write(true, "tenant-a", "1s", 100);
            Cli.Result on = reloadOk();
            assertTrue(on.out().contains("applied: sync: enabled, schedule started"), on.out());
            Await.until(() -> g.sync().isPresent() && status(g).runs() >= 2, "the schedule runs", 60);
            assertEquals(0, Cli.run("sync", "status", "--config", cfg.toString()).status());

            write(false, "tenant-a", "1s", 100);
            Cli.Result stop = reloadOk();
            assertTrue(stop.out().contains("applied: sync: disabled, schedule stopped"), stop.out());
            assertTrue(g.sync().isEmpty());
            int calls = deviceCalls.size();
            Cli.Result run = Cli.run("sync", "run", "--config", cfg.toString());
            assertTrue(run.status() != 0 && (run.out() + run.err()).contains("sync is not enabled"), run.out() + run.err());
            // the schedule ran every second; a run that was going finishes, then nothing more
            Thread.sleep(3_000);
            int settled = deviceCalls.size();
            assertTrue(settled <= calls + 1, deviceCalls.toString());
            Thread.sleep(3_000); // no upper bound on time is asserted: only that no new run starts while off
            assertEquals(settled, deviceCalls.size(), "no run while sync is off");

            write(true, "tenant-a", "1s", 100);
            reloadOk();
            long before = g.sync().orElseThrow().status().runs();
            assertTrue(before >= 2, "history kept across off and on");
            Await.until(() -> status(g).runs() > before, "the schedule runs again", 60);
        }
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }
}
