package io.nacgw.nacapi;

import io.nacgw.nacapi.ise.IseSettings;
import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.MacAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A rough same-machine throughput/latency probe (not a benchmark harness: the JDK client shares the CPU with the
 * server). Run with {@code -Dtest=ApiLoadProbe -Dnacgw.probe=true}; it is off in normal builds.
 */
@EnabledIfSystemProperty(named = "nacgw.probe", matches = "true")
final class ApiLoadProbe {
    private static final int DEVICES = 10_000;
    private static final int THREADS = 4;
    private static final long SECONDS = 8;

    @Test
    void probe() throws Exception {
        try (TestGateway gw = new TestGateway(s -> s, IseSettings.defaults(TestGateway.REDIRECT))) {
            List<DeviceRecord> batch = new ArrayList<>();
            for (int i = 0; i < DEVICES; i++) {
                batch.add(TestGateway.device(new UUID(0x1234, i), i % 10 == 0 ? ComplianceState.NONCOMPLIANT
                        : ComplianceState.COMPLIANT, MacAddress.of(0x0200_0000_0000L | i).canonical()));
            }
            long s0 = System.nanoTime();
            for (int from = 0; from < DEVICES; from += 1000) {
                gw.service.upsertAll(batch.subList(from, from + 1000));
            }
            long storeMs = (System.nanoTime() - s0) / 1_000_000;
            System.out.printf("store only: %d records via ComplianceService.upsertAll in batches of 1000: %d ms (%d records/s)%n",
                    DEVICES, storeMs, DEVICES * 1000L / Math.max(1, storeMs));
            long b0 = System.nanoTime();
            HttpResponse<String> bulk = gw.client(gw.adminCert).send(HttpRequest.newBuilder(gw.uri("/api/v1/devices:bulk"))
                    .header("Content-Type", "application/x-ndjson").timeout(Duration.ofMinutes(5))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> BulkIngestTest.lines(0x5678, DEVICES))).build(),
                    HttpResponse.BodyHandlers.ofString());
            long bulkMs = (System.nanoTime() - b0) / 1_000_000;
            assertEquals(200, bulk.statusCode());
            System.out.printf("bulk NDJSON over HTTPS: %d records: %d ms (%d records/s)%n", DEVICES, bulkMs,
                    DEVICES * 1000L / Math.max(1, bulkMs));
            run(gw, "ISE v3 XML", i -> "/ciscoise/mdmapi/v3/devices/?paging=0&querycriteria=macaddress&value="
                    + MacAddress.of(0x0200_0000_0000L | i).toHex12() + "&filter=all");
            run(gw, "JSON lookup", i -> "/api/v1/devices/lookup?mac=" + MacAddress.of(0x0200_0000_0000L | i).toHex12());
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/h2load"))) {
                String ise = gw.uri("/ciscoise/mdmapi/v3/devices/?paging=0&querycriteria=macaddress&value=02000000002A&filter=all").toString();
                String json = gw.uri("/api/v1/devices/lookup?mac=02000000002A").toString();
                h2load("ISE v3 XML, HTTP/1.1", List.of("--h1", "-c", "4", ise));
                h2load("JSON lookup, HTTP/1.1", List.of("--h1", "-c", "4", json));
                h2load("ISE v3 XML, HTTP/2", List.of("-c", "4", "-m", "8", ise));
            }
        }
    }

    /** h2load (nghttp2-client) with Basic auth; it cannot present a client certificate. */
    private static void h2load(String name, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/h2load", "-D", Long.toString(SECONDS), "--warm-up-time=2",
                "-H", "Authorization: " + TestGateway.basic("ise", TestGateway.PARTNER_PASSWORD)));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        StringBuilder summary = new StringBuilder(name).append(":");
        for (String line : out.split("\n")) {
            if (line.startsWith("finished in") || line.startsWith("requests:") || line.startsWith("status codes:")
                    || line.startsWith("time for request:")) {
                summary.append("\n    ").append(line.strip());
            }
        }
        System.out.println(summary);
    }

    private static void run(TestGateway gw, String name, java.util.function.IntFunction<String> path) throws Exception {
        ExecutorService ex = Executors.newFixedThreadPool(THREADS);
        List<Future<long[]>> futures = new ArrayList<>();
        long end = System.nanoTime() + SECONDS * 1_000_000_000L;
        for (int t = 0; t < THREADS; t++) {
            futures.add(ex.submit(() -> {
                HttpClient c = gw.client(gw.partnerCert);
                long[] lat = new long[1 << 20];
                int n = 0;
                while (System.nanoTime() < end && n < lat.length) {
                    HttpRequest req = HttpRequest.newBuilder(gw.uri(path.apply(ThreadLocalRandom.current().nextInt(DEVICES))))
                            .timeout(Duration.ofSeconds(5)).build();
                    long t0 = System.nanoTime();
                    HttpResponse<byte[]> r = c.send(req, HttpResponse.BodyHandlers.ofByteArray());
                    lat[n++] = System.nanoTime() - t0;
                    assertEquals(200, r.statusCode());
                }
                return Arrays.copyOf(lat, n);
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<long[]> f : futures) {
            for (long l : f.get()) {
                all.add(l);
            }
        }
        ex.shutdown();
        all.sort(Long::compare);
        System.out.printf("%s: %d requests in %d s over %d keep-alive mTLS connections = %.0f req/s; p50 %.2f ms, "
                        + "p99 %.2f ms, p99.9 %.2f ms%n", name, all.size(), SECONDS, THREADS, all.size() / (double) SECONDS,
                all.get(all.size() / 2) / 1e6, all.get((int) (all.size() * 0.99)) / 1e6,
                all.get((int) (all.size() * 0.999)) / 1e6);
    }
}
