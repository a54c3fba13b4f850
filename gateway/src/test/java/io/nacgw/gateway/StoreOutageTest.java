package io.nacgw.gateway;

import io.nacgw.core.testing.ThrowawayPostgres;
import io.nacgw.gateway.config.ConfigLoader;
import io.nacgw.gateway.config.NacgwConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 item 4 with a real PostgreSQL that goes away under load: lookups and listings keep answering from
 * memory, writes get 503 with Retry-After at once (after the first one found the store gone), /health says
 * degraded with the reason, and everything recovers when the database is back.
 */
final class StoreOutageTest {
    private static final int DEVICES = 50;

    @TempDir
    Path dir;

    private record Result(int status, long millis, String retryAfter, String body) {
    }

    @Test
    void postgresStoppedUnderLoad_readsAnswer_writesFailFastWith503_healthDegraded_thenRecovers() throws Exception {
        try (ThrowawayPostgres pg = ThrowawayPostgres.start()) {
            Path cfg = dir.resolve("nacgw.yaml");
            Files.writeString(cfg, """
                    dataDir: data
                    store: {url: "%s", user: postgres, maxPoolSize: 4}
                    radius: {enabled: false}
                    api: {host: 127.0.0.1, port: 0, workerThreads: 2}
                    metrics: {host: 127.0.0.1, port: 0}
                    policy: {profiles: {wifi: {}}}
                    """.formatted(pg.jdbcUrl()));
            NacgwConfig config = new ConfigLoader().load(cfg, Map.of(), new Properties());
            try (Gateway g = Gateway.start(config, Clock.systemUTC())) {
                HttpClient http = AdminClient.create(config.dataDir().resolve("pki"), "ops");
                String api = "https://127.0.0.1:" + g.api().orElseThrow().address().getPort();
                String ops = "http://127.0.0.1:" + g.metricsServer().orElseThrow().address().getPort();
                AtomicLong version = new AtomicLong(1);
                for (int d = 0; d < DEVICES; d++) {
                    assertEquals(201, put(http, api, d, version.incrementAndGet()).status());
                }
                assertTrue(get(http, ops + "/health").body().contains("\"status\":\"up\""));

                pg.stop();
                long until = System.nanoTime() + Duration.ofSeconds(12).toNanos();
                List<Result> writes = Collections.synchronizedList(new ArrayList<>());
                List<Result> reads = Collections.synchronizedList(new ArrayList<>());
                List<Result> listings = Collections.synchronizedList(new ArrayList<>());
                ExecutorService load = Executors.newFixedThreadPool(6);
                List<Future<?>> running = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    int writer = w;
                    running.add(load.submit(() -> {
                        while (System.nanoTime() < until) {
                            writes.add(put(http, api, writer, version.incrementAndGet()));
                        }
                        return null;
                    }));
                }
                running.add(load.submit(() -> {
                    for (int i = 0; System.nanoTime() < until; i++) {
                        reads.add(get(http, api + "/api/v1/devices/lookup?deviceId="
                                + KillNineHarness.uuid(i % DEVICES)));
                    }
                    return null;
                }));
                running.add(load.submit(() -> {
                    while (System.nanoTime() < until) {
                        listings.add(get(http, api + "/ciscoise/mdmapi/v3/devices/?paging=0&querycriteria=compliance&value=true"));
                    }
                    return null;
                }));
                for (Future<?> f : running) {
                    f.get();
                }
                load.shutdown();

                Result health = get(http, ops + "/health");
                assertEquals(200, health.status(), "degraded still answers: " + health);
                assertTrue(health.body().contains("\"status\":\"degraded\"") && health.body().contains("store unreachable"),
                        health.body());

                assertTrue(reads.size() > 10 && reads.stream().allMatch(r -> r.status() == 200
                        && r.body().contains("\"verdict\"")), "every lookup answered from memory: " + sample(reads));
                assertTrue(!listings.isEmpty() && listings.stream().allMatch(r -> r.status() == 200),
                        "every ISE listing answered: " + sample(listings));
                assertTrue(writes.stream().allMatch(r -> r.status() == 503), "every write refused: " + sample(writes));
                assertTrue(writes.stream().allMatch(r -> "5".equals(r.retryAfter())), "Retry-After on each: " + sample(writes));
                // the first writes wait for the pool's connection timeout (5 s) and open the breaker; the rest are refused
                // by the open breaker without waiting for a connection: most writes never waited for the pool
                long waitedForPool = writes.stream().filter(r -> r.millis() >= 4_500).count();
                assertTrue(waitedForPool * 2 < writes.size(), "writes fail fast once the store is known down: "
                        + waitedForPool + " of " + writes.size() + " writes waited for the pool's connection timeout");

                pg.restart();
                Result back = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (System.nanoTime() < deadline) {
                    back = put(http, api, 0, version.incrementAndGet());
                    if (back.status() == 200) {
                        break;
                    }
                    Thread.sleep(500);
                }
                assertEquals(200, back.status(), "writes accepted again once PostgreSQL is back: " + back);
                assertTrue(get(http, ops + "/health").body().contains("\"status\":\"up\""));
            }
        }
    }

    private static String sample(List<Result> results) {
        synchronized (results) {
            return results.size() + " results, first " + results.subList(0, Math.min(3, results.size()));
        }
    }

    private static Result put(HttpClient http, String base, int device, long version) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/devices/" + KillNineHarness.uuid(device)))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(KillNineHarness.json(device, version))).build();
        return send(http, req);
    }

    private static Result get(HttpClient http, String url) throws Exception {
        return send(http, HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET().build());
    }

    private static Result send(HttpClient http, HttpRequest req) throws Exception {
        long t = System.nanoTime();
        HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
        return new Result(res.statusCode(), (System.nanoTime() - t) / 1_000_000,
                res.headers().firstValue("Retry-After").orElse(null), res.body());
    }
}
