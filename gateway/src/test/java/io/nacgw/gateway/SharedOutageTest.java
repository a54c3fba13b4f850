package io.nacgw.gateway;

import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.IdentifierKind;
import io.nacgw.core.store.StoreSettings;
import io.nacgw.core.testing.Await;
import io.nacgw.core.testing.Postgres;
import io.nacgw.core.testing.TcpProxy;
import io.nacgw.core.testing.ThrowawayPostgres;
import io.nacgw.gateway.config.ConfigLoader;
import io.nacgw.gateway.config.NacgwConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared mode with a real PostgreSQL that goes away: one node's link cut (a partition) while the other keeps
 * writing, then the whole database stopped and restarted under load on both nodes. Lookups never fail, writes fail
 * cleanly (503 with Retry-After), and every change made while a node could not see it is applied after. Also the
 * ISE paging state across the pair.
 */
final class SharedOutageTest {
    private static final int DEVICES = 20;

    @TempDir
    Path dir;
    @RegisterExtension
    final Postgres pg = new Postgres();

    private record Result(int status, String retryAfter, String body) {
    }

    private record Node(Gateway gateway, HttpClient http, String api, String ops) {
    }

    private static Node node(Path dir, String name, String jdbcUrl) throws Exception {
        return node(dir, name, jdbcUrl, "postgres", "");
    }

    private static Node node(Path dir, String name, String jdbcUrl, String user, String extra) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        Path cfg = d.resolve("nacgw.yaml");
        Files.writeString(cfg, """
                dataDir: data
                store: {url: "%s", user: %s, maxPoolSize: 4, catchUpInterval: 200ms}
                cluster: {nodeName: %s, leaderCheckInterval: 300ms}
                radius: {enabled: false}
                api: {host: 127.0.0.1, port: 0, workerThreads: 2}
                metrics: {host: 127.0.0.1, port: 0}
                policy: {profiles: {wifi: {}}}
                %s
                """.formatted(jdbcUrl, user, name, extra));
        NacgwConfig config = new ConfigLoader().load(cfg, Map.of(), new Properties());
        Gateway g = Gateway.start(config, Clock.systemUTC());
        return new Node(g, AdminClient.create(config.dataDir().resolve("pki"), "ops"),
                "https://127.0.0.1:" + g.api().orElseThrow().address().getPort(),
                "http://127.0.0.1:" + g.metricsServer().orElseThrow().address().getPort());
    }

    private static Instant modified(Node n, int device) {
        DeviceRecord r = n.gateway().compliance().findResident(
                DeviceGuid.of(IdentifierKind.INTUNE_ID, KillNineHarness.uuid(device)));
        return r == null ? null : r.lastModified();
    }

    @Test
    void partitionThenDatabaseRestart_underLoad_lookupsNeverFail_writes503_everyChangeAppliedAfter() throws Exception {
        try (ThrowawayPostgres pg = ThrowawayPostgres.start();
             TcpProxy linkB = TcpProxy.to(URI.create(pg.jdbcUrl().substring(5)).getPort())) {
            Node a = node(dir, "gw-a", pg.jdbcUrl());
            Node b = node(dir, "gw-b", "jdbc:postgresql://127.0.0.1:" + linkB.port() + "/postgres");
            try (Gateway ga = a.gateway(); Gateway gb = b.gateway()) {
                AtomicLong version = new AtomicLong(1);
                for (int d = 0; d < DEVICES; d++) {
                    assertEquals(201, put(a, d, version.incrementAndGet()).status());
                }
                Await.until(() -> gb.compliance().residentCount() == DEVICES, "A's devices on B");

                // 1. B's link to the database is cut; A goes on writing
                linkB.cut();
                long v = version.incrementAndGet();
                assertEquals(200, put(a, 3, v).status());
                Result refused = put(b, 4, version.incrementAndGet());
                assertEquals(503, refused.status(), "B cannot write without its store: " + refused);
                assertEquals("5", refused.retryAfter());
                for (int i = 0; i < DEVICES; i++) {
                    Result r = lookup(b, i);
                    assertEquals(200, r.status(), "B answers from memory: " + r);
                }
                assertTrue(get(b, b.ops() + "/health").body().contains("store unreachable"));
                Instant onA = modified(a, 3);
                assertTrue(!onA.equals(modified(b, 3)), "B cannot see A's change yet");
                linkB.restore();
                Await.until(() -> onA.equals(modified(b, 3)), "A's change made during the partition, applied on B after");

                // 2. the database itself stops and comes back, under load on both nodes
                pg.stop();
                long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
                List<Result> writes = Collections.synchronizedList(new ArrayList<>());
                List<Result> reads = Collections.synchronizedList(new ArrayList<>());
                ExecutorService load = Executors.newFixedThreadPool(4);
                List<Future<?>> running = new ArrayList<>();
                for (Node n : List.of(a, b)) {
                    running.add(load.submit(() -> {
                        for (int w = 0; System.nanoTime() < until; w++) {
                            writes.add(put(n, w % DEVICES, version.incrementAndGet()));
                        }
                        return null;
                    }));
                    running.add(load.submit(() -> {
                        for (int i = 0; System.nanoTime() < until; i++) {
                            reads.add(lookup(n, i % DEVICES));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : running) {
                    f.get();
                }
                load.shutdown();
                assertTrue(reads.size() > 10 && reads.stream().allMatch(r -> r.status() == 200
                        && r.body().contains("\"verdict\"")), "every lookup answered on both nodes: " + sample(reads));
                assertTrue(!writes.isEmpty() && writes.stream().allMatch(r -> r.status() == 503 && "5".equals(r.retryAfter())),
                        "every write refused with Retry-After: " + sample(writes));
                for (Node n : List.of(a, b)) {
                    Result h = get(n, n.ops() + "/health");
                    assertEquals(200, h.status(), h.body());
                    assertTrue(h.body().contains("\"status\":\"degraded\"") && h.body().contains("store unreachable"),
                            h.body());
                }

                pg.restart();
                long after = version.incrementAndGet();
                Await.until(() -> {
                    try {
                        return put(a, 7, after).status() == 200;
                    } catch (Exception e) {
                        return false;
                    }
                }, "A accepting writes again");
                Instant changed = modified(a, 7);
                Await.until(() -> changed.equals(modified(b, 7)), "A's change after the restart on B");
                Await.until(() -> get(b, b.ops() + "/health").body().contains("\"status\":\"up\""), "B up again");
                Await.until(() -> b.gateway().changeLog().stats().connected(), "B following the log again");
            }
        }
    }

    @Test
    void isePaging_aPageTokenFromOneNodeWorksOnTheOther() throws Exception {
        StoreSettings store = pg.freshSchema();
        Node a = node(dir, "gw-a", store.jdbcUrl(), store.user(), "ise: {queryMaxSize: 7}");
        Node b = node(dir, "gw-b", store.jdbcUrl(), store.user(), "ise: {queryMaxSize: 7}");
        try (Gateway ga = a.gateway(); Gateway gb = b.gateway()) {
            for (int d = 0; d < DEVICES; d++) {
                assertEquals(201, put(d % 2 == 0 ? a : b, d, 2).status());
            }
            Await.until(() -> ga.compliance().residentCount() == DEVICES && gb.compliance().residentCount() == DEVICES,
                    "every device on both nodes");
            List<String> macs = new ArrayList<>();
            String paging = "0";
            int pages = 0;
            do {
                Node n = pages % 2 == 0 ? a : b; // ISE's next request may reach the other node of the pair
                Result page = get(n, n.api() + "/ciscoise/mdmapi/v1/devices/" + paging + "/all");
                assertEquals(200, page.status(), page.body());
                Matcher m = MAC.matcher(page.body());
                while (m.find()) {
                    macs.add(m.group(1));
                }
                Matcher p = PAGING.matcher(page.body());
                assertTrue(p.find(), page.body());
                paging = p.group(1);
                pages++;
            } while (!"0".equals(paging) && pages < 10);
            assertEquals(3, pages, "20 devices, 7 a page");
            assertEquals(DEVICES, macs.size(), "each device once: " + macs);
            assertEquals(DEVICES, new java.util.HashSet<>(macs).size(), "no device twice: " + macs);
        }
    }

    private static final Pattern MAC = Pattern.compile("<macaddress>([0-9A-F]{12})</macaddress>");
    private static final Pattern PAGING = Pattern.compile("<paging_info>([0-9]+)</paging_info>");

    private static String sample(List<Result> results) {
        synchronized (results) {
            return results.size() + " results, first " + results.subList(0, Math.min(3, results.size()));
        }
    }

    private static Result put(Node n, int device, long version) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(n.api() + "/api/v1/devices/" + KillNineHarness.uuid(device)))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(KillNineHarness.json(device, version))).build();
        return send(n.http(), req);
    }

    private static Result lookup(Node n, int device) throws Exception {
        return get(n, n.api() + "/api/v1/devices/lookup?deviceId=" + KillNineHarness.uuid(device));
    }

    private static Result get(Node n, String url) {
        try {
            return send(n.http(), HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET().build());
        } catch (Exception e) {
            throw new AssertionError(url + ": " + e, e);
        }
    }

    private static Result send(HttpClient http, HttpRequest req) throws Exception {
        HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
        return new Result(res.statusCode(), res.headers().firstValue("Retry-After").orElse(null), res.body());
    }
}
