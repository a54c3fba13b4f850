package io.nacgw.gateway;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.store.StoreSettings;
import io.nacgw.core.testing.Postgres;
import io.nacgw.core.testing.TestDevices;
import io.nacgw.gateway.config.NacgwConfig;
import io.nacgw.nacapi.json.DeviceJson;
import io.nacgw.nacapi.auth.PasswordHash;
import io.nacgw.radius.coa.NasStandIn;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * CoA benchmark (not a test): the gateway in-process with N NAS stand-ins on 127.0.0.1..N, S sessions spread over
 * them, then (1) one bulk request flipping B devices to noncompliant: time from the bulk's commit (the first and the
 * last change committed, seen by a change listener) to the last CoA at a NAS (which ACKs at once); (2) P single PUTs
 * (curl), each timed from its commit to its CoA at the NAS. Defaults: 10 NAS, 10,000 sessions, 1,000 in the bulk,
 * 200 PUTs; the CoA settings are the defaults (100/s and 32 outstanding per NAS).
 *
 * <p>Mode (fifth argument): {@code sqlite} one node on the embedded store (the default); {@code pg1} one node on
 * PostgreSQL (shared mode: every CoA is claimed in the database first); {@code pg2} two nodes on one PostgreSQL
 * schema, the sessions accounted at node A (A owns them) and every change committed at node B, so each CoA crosses
 * the change log and is sent by A while B defers it. PostgreSQL modes use a fresh schema of the test database
 * ({@code NACGW_TEST_PG_URL}, default {@code jdbc:postgresql://127.0.0.1:5432/test}), dropped at the end. After the
 * last CoA the bench waits 3 s more and counts every CoA the stand-ins received: a duplicate would show there.
 * The last line is machine-readable: {@code RESULT mode=... key=value ...} (bench/coa.sh reads it).
 *
 * <pre>
 * mvn -q -pl gateway -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * CP=gateway/target/test-classes:gateway/target/classes
 * for m in core certs sync radius nac-api loadgen; do CP=$CP:$m/target/classes:$m/target/test-classes; done
 * java -cp "$CP:$(cat /tmp/cp.txt)" io.nacgw.gateway.CoaBench 10 10000 1000 200 pg2
 * </pre>
 */
public final class CoaBench {
    private static final String PASSWORD = "bench admin password";
    private static final long QUIET_MS = 3_000;

    private CoaBench() {
    }

    public static void main(String[] args) throws Exception {
        int nases = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int sessions = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int bulk = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        int puts = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        String mode = args.length > 4 ? args[4] : "sqlite";
        if (!List.of("sqlite", "pg1", "pg2").contains(mode) || bulk + puts > sessions) {
            throw new IllegalArgumentException("usage: CoaBench NAS SESSIONS BULK PUTS sqlite|pg1|pg2 "
                    + "(BULK + PUTS <= SESSIONS)");
        }
        Postgres pg = new Postgres();
        try {
            run(nases, sessions, bulk, puts, mode, mode.equals("sqlite") ? null : pg.freshSchema());
        } finally {
            pg.dropSchemas();
        }
    }

    private static NacgwConfig config(Path dir, String node, StoreSettings store, List<NasStandIn> standIns)
            throws Exception {
        TestConfig c = TestConfig.gateway().line("dataDir: .").line("cluster: {nodeName: " + node + "}");
        if (store != null) {
            c.line("store: {url: \"" + store.jdbcUrl() + "\", user: \"" + store.user() + "\", catchUpInterval: 1s}");
        }
        c.apiUser("admin", "admin", PasswordHash.create(PASSWORD.toCharArray(), 10_000).encoded());
        for (int i = 1; i <= standIns.size(); i++) {
            c.client("nas" + i, "127.0.0." + i + "/32", "coa-bench-secret", "vendor: cisco",
                    "coaPort: " + standIns.get(i - 1).port(), "coaAddress: 127.0.0.1");
        }
        return c.load(Files.createDirectories(dir.resolve(node)).resolve("nacgw.yaml"));
    }

    private static void run(int nases, int sessions, int bulk, int puts, String mode, StoreSettings store)
            throws Exception {
        Path dir = Files.createTempDirectory("nacgw-coa-bench");
        List<NasStandIn> standIns = new ArrayList<>();
        for (int i = 1; i <= nases; i++) {
            standIns.add(new NasStandIn("coa-bench-secret"));
        }
        Map<DeviceGuid, Long> committed = new ConcurrentHashMap<>();
        Instant t = Instant.now().minusSeconds(600);
        List<Gateway> nodes = new ArrayList<>();
        try {
            Gateway a = Gateway.start(config(dir, "node-a", store, standIns), Clock.systemUTC());
            nodes.add(a);
            NacgwConfig configB = mode.equals("pg2") ? config(dir, "node-b", store, standIns) : null;
            Gateway b = configB == null ? a : Gateway.start(configB, Clock.systemUTC());
            if (b != a) {
                nodes.add(b);
            }
            NacgwConfig committing = configB != null ? configB : config(dir, "node-a", store, standIns);
            List<DeviceRecord> devices = new ArrayList<>();
            for (int n = 0; n < sessions; n++) {
                devices.add(TestDevices.compliant(n).lastCheckIn(Instant.now()).lastModified(t).build());
            }
            a.compliance().upsertAll(devices);
            awaitCondition(() -> b.compliance().residentCount() == sessions, "every device on the committing node");
            // the CoA trigger has looked at every new device before a session exists (else a late look sends CoA)
            for (Gateway g : nodes) {
                awaitCondition(() -> g.reauthorizer().orElseThrow().stats().changes() >= sessions
                        && g.reauthorizer().orElseThrow().stats().backlog() == 0, "the CoA trigger's backlog");
            }
            var radius = a.radius().orElseThrow();
            for (int i = 1; i <= nases; i++) {
                try (TestNas nas = new TestNas("127.0.0." + i, "coa-bench-secret", radius.authAddress(), radius.acctAddress())) {
                    for (int n = i - 1; n < sessions; n += nases) {
                        nas.start("s-" + n, TestDevices.mac(n));
                    }
                }
            }
            b.compliance().addListener(c -> committed.put((c.after() != null ? c.after() : c.before()).deviceId(),
                    System.nanoTime()));
            System.out.printf("%s: %d sessions on %d NAS stand-ins stored at %s, changes committed at %s%n", mode,
                    sessions, nases, a.nodeName(), b.nodeName());

            StringBuilder ndjson = new StringBuilder();
            for (int n = 0; n < bulk; n++) {
                ndjson.append(DeviceJson.toJson(TestDevices.compliant(n).lastCheckIn(Instant.now())
                        .lastModified(t.plusSeconds(1)).complianceState(ComplianceState.NONCOMPLIANT).build())).append('\n');
            }
            Path body = Files.writeString(dir.resolve("bulk.ndjson"), ndjson);
            String base = "https://127.0.0.1:" + b.api().orElseThrow().address().getPort();
            String ca = committing.dataDir().resolve("pki/ca.pem").toString();
            curl("--cacert", ca, "-u", "admin:" + PASSWORD, "-X", "POST", "-H", "Content-Type: application/x-ndjson",
                    "--data-binary", "@" + body, base + "/api/v1/devices:bulk");
            long lastAt = awaitTotal(standIns, bulk);
            long firstCommit = committed.values().stream().mapToLong(Long::longValue).min().orElseThrow();
            long lastCommit = committed.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            double bulkSpan = (lastAt - firstCommit) / 1e6;
            double bulkLast = (lastAt - lastCommit) / 1e6;
            System.out.printf("bulk of %d: commits over %.0f ms; first commit -> last CoA at the NAS %.0f ms; "
                    + "last commit -> last CoA %.0f ms%n", bulk, (lastCommit - firstCommit) / 1e6, bulkSpan, bulkLast);

            long[] lat = new long[puts];
            for (int k = 0; k < puts; k++) {
                int n = bulk + k;
                int before = total(standIns);
                curl("--cacert", ca, "-u", "admin:" + PASSWORD, "-X", "PUT", "-H", "Content-Type: application/json",
                        "--data-binary", DeviceJson.toJson(TestDevices.compliant(n).lastCheckIn(Instant.now())
                                .lastModified(t.plusSeconds(1)).complianceState(ComplianceState.NONCOMPLIANT).build()),
                        base + "/api/v1/devices/" + TestDevices.id(n).canonical());
                long at = awaitTotal(standIns, before + 1);
                lat[k] = at - committed.get(TestDevices.id(n));
            }
            Arrays.sort(lat);
            double p50 = lat[puts / 2] / 1e6;
            double p99 = lat[Math.min(puts - 1, (int) Math.ceil(puts * 0.99) - 1)] / 1e6;
            double max = lat[puts - 1] / 1e6;
            System.out.printf("single PUTs (%d): commit -> CoA at the NAS p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", puts,
                    p50, p99, max);
            Thread.sleep(QUIET_MS); // a duplicate from another node would arrive in this window
            int received = total(standIns);
            long distinct = standIns.stream().flatMap(s -> s.received().stream())
                    .map(r -> r.text(io.nacgw.radius.codec.AttributeType.ACCT_SESSION_ID)).distinct().count();
            long acked = nodes.stream().mapToLong(g -> g.coa().orElseThrow().stats().acked()).sum();
            for (Gateway g : nodes) {
                System.out.println(g.nodeName() + " CoA stats: " + g.coa().orElseThrow().stats()
                        + g.coaCoordinator().map(c -> "; coordination " + c.stats()).orElse(""));
            }
            System.out.printf(java.util.Locale.ROOT, "RESULT mode=%s nas=%d sessions=%d bulk=%d puts=%d bulkSpanMs=%.0f "
                            + "bulkLastMs=%.0f p50Ms=%.1f p99Ms=%.1f maxMs=%.1f received=%d expected=%d duplicates=%d "
                            + "acked=%d%n", mode, nases, sessions, bulk, puts, bulkSpan, bulkLast, p50, p99, max, received,
                    bulk + puts, received - distinct, acked);
        } finally {
            for (int i = nodes.size() - 1; i >= 0; i--) {
                nodes.get(i).close();
            }
            for (NasStandIn s : standIns) {
                s.close();
            }
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void awaitCondition(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private static int total(List<NasStandIn> standIns) {
        return standIns.stream().mapToInt(s -> s.received().size()).sum();
    }

    /** Waits until the stand-ins together received {@code n} requests; the arrival time of the last one. */
    private static long awaitTotal(List<NasStandIn> standIns, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (total(standIns) < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + total(standIns) + " of " + n + " CoA arrived");
            }
            Thread.sleep(1);
        }
        return standIns.stream().flatMap(s -> s.received().stream()).mapToLong(NasStandIn.Received::receivedNanos)
                .max().orElseThrow();
    }

    private static void curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || !out.startsWith("2")) {
            throw new IllegalStateException("curl " + String.join(" ", args) + ": " + out);
        }
    }
}
