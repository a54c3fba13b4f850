package io.nacgw.gateway;

import io.nacgw.gateway.cli.Main;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.testing.TestDevices;
import io.nacgw.gateway.config.ConfigLoader;
import io.nacgw.gateway.config.NacgwConfig;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shared-mode benchmark (not a test; {@code bench/shared-propagation.sh} runs it): two gateways A and B in this JVM
 * on one PostgreSQL schema, B serving RADIUS. (1) Propagation: A writes device changes at a fixed rate (a batch of
 * what is due every 10 ms or so, through its index, as the API and the sync do); each change is timed from A's commit returning to
 * B's change event (B's index holds it: its next decision uses it). Every change must arrive. (2) RADIUS
 * throughput of B (closed loop, {@code nacgw loadtest radius}, every answer checked) idle and while A ingests at
 * the high rate, alternating, RUNS times each. The churned devices are not the load generator's, so its expected
 * verdicts stay true. Writes one TSV line per measurement to OUT.
 *
 * <p>Arguments: CONFIG (bench/lib/nacgw-conf.sh output) JDBC_URL DB_USER SECRET_FILE DEVICES SEED RATES(comma)
 * SECONDS RADIUS_DURATION RADIUS_WARMUP CONCURRENCY RUNS WORKDIR OUT
 */
public final class SharedPropagationBench {
    private static final int CHURN_DEVICES = 2_000;
    private final AtomicLong stamp = new AtomicLong(1_000_000);

    private SharedPropagationBench() {
    }

    public static void main(String[] args) throws Exception {
        new SharedPropagationBench().run(args);
    }

    private void run(String[] a) throws Exception {
        Path cfg = Path.of(a[0]);
        String url = a[1];
        String user = a[2];
        Path secret = Path.of(a[3]);
        int devices = Integer.parseInt(a[4]);
        long seed = Long.parseLong(a[5]);
        int[] rates = Arrays.stream(a[6].split(",")).mapToInt(Integer::parseInt).toArray();
        int seconds = Integer.parseInt(a[7]);
        String radiusDuration = a[8];
        String radiusWarmup = a[9];
        int concurrency = Integer.parseInt(a[10]);
        int runs = Integer.parseInt(a[11]);
        Path work = Path.of(a[12]);
        Path out = Path.of(a[13]);
        System.setProperty("nacgw.store.url", url);
        System.setProperty("nacgw.store.user", user);
        System.setProperty("nacgw.store.catchUpInterval", "1s");
        int imported = Main.execute("devices", "import", "--config", cfg.toString(),
                work.resolve("devices.jsonl").toString());
        if (imported != 0) {
            throw new IllegalStateException("import failed: " + imported);
        }
        NacgwConfig base = new ConfigLoader().load(cfg, Map.of(), System.getProperties());
        try (Gateway nodeA = Gateway.start(node(cfg, "bench-a", false).withDataDir(work.resolve("a")), Clock.systemUTC());
             Gateway nodeB = Gateway.start(node(cfg, "bench-b", true).withDataDir(work.resolve("b")), Clock.systemUTC());
             PrintWriter tsv = new PrintWriter(Files.newBufferedWriter(out))) {
            if (nodeB.compliance().residentCount() < devices) {
                throw new IllegalStateException("B holds " + nodeB.compliance().residentCount() + " of " + devices);
            }
            // per churned device, the versions B applied (lastModified, when): B reads the store's current record, so
            // a device changed twice before B read it arrives once, at the newer version, which answers both
            Map<java.util.UUID, List<long[]>> arrived = new ConcurrentHashMap<>();
            nodeB.compliance().addListener(c -> {
                if (c.after() != null) {
                    List<long[]> l = arrived.computeIfAbsent(c.after().deviceId().uuid(),
                            k -> java.util.Collections.synchronizedList(new ArrayList<>()));
                    l.add(new long[] {c.after().lastModifiedEpochMilli(), System.nanoTime()});
                }
            });
            for (int rate : rates) {
                Map<Long, Long> committed = new ConcurrentHashMap<>();
                double achieved = ingest(nodeA, rate, seconds * 1_000_000_000L, committed, new AtomicBoolean(true));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (committed.keySet().stream().anyMatch(st -> seenAt(arrived, st) < 0) && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                long[] micros = new long[committed.size()];
                int i = 0;
                long missing = 0;
                for (Map.Entry<Long, Long> e : committed.entrySet()) {
                    long seen = seenAt(arrived, e.getKey());
                    if (seen < 0) {
                        missing++;
                        continue;
                    }
                    micros[i++] = Math.max(0, (seen - e.getValue()) / 1_000);
                }
                micros = Arrays.copyOf(micros, i);
                Arrays.sort(micros);
                tsv.printf("propagation\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%d\t%d%n", rate, achieved, pct(micros, 0.50),
                        pct(micros, 0.99), micros.length == 0 ? 0 : micros[micros.length - 1] / 1e3, i, missing);
                tsv.flush();
                System.err.printf("propagation at %d/s (achieved %.0f/s): p50 %.2f ms, p99 %.2f ms, %d changes, %d missing%n",
                        rate, achieved, pct(micros, 0.50), pct(micros, 0.99), i, missing);
            }
            int port = nodeB.radius().orElseThrow().authAddress().getPort();
            int high = Arrays.stream(rates).max().orElse(5_000);
            // one unrecorded run first: the first measured run must not pay for B's JIT warming up
            Main.execute("loadtest", "radius", "--target", "127.0.0.1:" + port, "--secret-file", secret.toString(),
                    "--count", Integer.toString(devices), "--seed", Long.toString(seed), "--profile", "allowlist",
                    "--concurrency", Integer.toString(concurrency), "--duration", radiusDuration, "--quiet");
            for (int r = 1; r <= runs; r++) {
                for (String mode : List.of("idle", "ingest")) {
                    AtomicBoolean going = new AtomicBoolean(true);
                    Thread writer = null;
                    double[] achieved = {0};
                    if (mode.equals("ingest")) {
                        writer = new Thread(() -> achieved[0] = ingest(nodeA, high, Long.MAX_VALUE,
                                new ConcurrentHashMap<>(), going), "bench-ingest");
                        writer.start();
                    }
                    Path json = work.resolve("radius-" + mode + "-" + r + ".json");
                    Main.execute("loadtest", "radius", "--target", "127.0.0.1:" + port, "--secret-file",
                            secret.toString(), "--count", Integer.toString(devices), "--seed", Long.toString(seed),
                            "--profile", "allowlist", "--concurrency", Integer.toString(concurrency), "--duration",
                            radiusDuration, "--warmup", radiusWarmup, "--quiet", "--json", json.toString());
                    going.set(false);
                    if (writer != null) {
                        writer.join();
                    }
                    JsonNode report = new ObjectMapper().readTree(json.toFile());
                    double tput = report.path("throughput").asDouble();
                    long errors = report.path("correctnessErrors").asLong() + report.path("availabilityErrors").asLong();
                    tsv.printf("radius\t%s\t%d\t%.0f\t%d\t%.0f%n", mode, r, tput, errors, achieved[0]);
                    tsv.flush();
                    System.err.printf("RADIUS on B, %s, run %d: %.0f answers/s, %d wrong or missing%s%n", mode, r, tput,
                            errors, mode.equals("ingest") ? String.format(" (A ingesting %.0f/s)", achieved[0]) : "");
                }
            }
        }
        if (base.store().url().isEmpty()) {
            throw new IllegalStateException("store.url was not applied");
        }
    }

    /** The node's config: the bench config, RADIUS only on B, its own name. */
    private static NacgwConfig node(Path cfg, String name, boolean radius) {
        Properties p = new Properties();
        p.putAll(System.getProperties());
        p.setProperty("nacgw.cluster.nodeName", name);
        p.setProperty("nacgw.radius.enabled", Boolean.toString(radius));
        return new ConfigLoader().load(cfg, Map.of(), p);
    }

    /**
     * Writes changes to A at {@code rate}/s (a batch every 10 ms) for {@code nanos} or until {@code going} is false;
     * records each change's commit time by its unique lastModified; returns the rate achieved.
     */
    private double ingest(Gateway a, int rate, long nanos, Map<Long, Long> committed, AtomicBoolean going) {
        long start = System.nanoTime();
        long sent = 0;
        while (going.get() && System.nanoTime() - start < nanos) {
            long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
            if (sent >= due) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                continue;
            }
            // a batch per 10 ms at the asked rate; behind schedule (a slow commit), the next batch takes what is due
            int batch = (int) Math.min(due - sent, 5_000);
            List<DeviceRecord> records = new ArrayList<>(batch);
            List<Long> stamps = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                long s = stamp.incrementAndGet();
                stamps.add(s);
                records.add(TestDevices.compliant(device(s)).lastModified(Instant.ofEpochMilli(s))
                        .complianceState(s % 2 == 0 ? ComplianceState.COMPLIANT : ComplianceState.NONCOMPLIANT).build());
            }
            a.compliance().upsertAll(records);
            long t = System.nanoTime();
            for (Long s : stamps) {
                committed.put(s, t);
            }
            sent += batch;
        }
        return sent / ((System.nanoTime() - start) / 1e9);
    }

    /** When B first held the churned device of {@code stamp} at that version or newer; -1: not yet. */
    private static long seenAt(Map<java.util.UUID, List<long[]>> arrived, long stamp) {
        List<long[]> l = arrived.get(TestDevices.id(device(stamp)).uuid());
        if (l == null) {
            return -1;
        }
        long first = -1;
        synchronized (l) {
            for (long[] v : l) {
                if (v[0] >= stamp && (first < 0 || v[1] < first)) {
                    first = v[1];
                }
            }
        }
        return first;
    }

    /** The churned device a stamp was written to. */
    private static int device(long stamp) {
        return 1 + (int) (stamp % CHURN_DEVICES);
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e3;
    }
}
