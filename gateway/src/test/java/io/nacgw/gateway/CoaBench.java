package io.nacgw.gateway;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.testing.TestDevices;
import io.nacgw.gateway.config.ConfigLoader;
import io.nacgw.gateway.config.NacgwConfig;
import io.nacgw.nacapi.DeviceJson;
import io.nacgw.nacapi.PasswordHash;
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
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * CoA benchmark (not a test): the gateway in-process with N NAS stand-ins on 127.0.0.1..N, S sessions spread over
 * them, then (1) one bulk request flipping B devices to noncompliant: time from the bulk's commit (the first and the
 * last change committed, seen by a change listener) to the last CoA at a NAS (which ACKs at once); (2) P single PUTs
 * (curl), each timed from its commit to its CoA at the NAS. Defaults: 10 NAS, 10,000 sessions, 1,000 in the bulk,
 * 200 PUTs; the CoA settings are the defaults (100/s and 32 outstanding per NAS).
 *
 * <pre>
 * mvn -q -pl gateway -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * CP=gateway/target/test-classes:gateway/target/classes
 * for m in core certs sync radius nac-api loadgen; do CP=$CP:$m/target/classes:$m/target/test-classes; done
 * java -cp "$CP:$(cat /tmp/cp.txt)" io.nacgw.gateway.CoaBench 10 10000 1000 200
 * </pre>
 */
public final class CoaBench {
    private CoaBench() {
    }

    public static void main(String[] args) throws Exception {
        int nases = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int sessions = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int bulk = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        int puts = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        Path dir = Files.createTempDirectory("nacgw-coa-bench");
        String password = "bench admin password";
        List<NasStandIn> standIns = new ArrayList<>();
        StringBuilder clients = new StringBuilder();
        for (int i = 1; i <= nases; i++) {
            NasStandIn s = new NasStandIn("coa-bench-secret");
            standIns.add(s);
            clients.append("    nas").append(i).append(": {address: 127.0.0.").append(i)
                    .append("/32, secrets: [coa-bench-secret], vendor: cisco, coaPort: ").append(s.port())
                    .append(", coaAddress: 127.0.0.1}\n");
        }
        Path f = dir.resolve("nacgw.yaml");
        Files.writeString(f, """
                api:
                  host: 127.0.0.1
                  port: 0
                  users:
                    - {name: admin, role: admin, passwordHash: "%s"}
                metrics: {enabled: false}
                radius:
                  bindAddress: 127.0.0.1
                  authPort: 0
                  acctPort: 0
                  clients:
                %s
                policy:
                  profiles:
                    wifi:
                      noncompliant: quarantine
                      allow: {vlan: "100"}
                      quarantine: {vlan: "999"}
                """.formatted(PasswordHash.create(password.toCharArray(), 10_000).encoded(), clients));
        NacgwConfig config = new ConfigLoader().load(f, Map.of(), new Properties());
        Map<DeviceGuid, Long> committed = new ConcurrentHashMap<>();
        Instant t = Instant.now().minusSeconds(600);
        try (Gateway g = Gateway.start(config, Clock.systemUTC())) {
            List<DeviceRecord> devices = new ArrayList<>();
            for (int n = 0; n < sessions; n++) {
                devices.add(TestDevices.compliant(n).lastCheckIn(Instant.now()).lastModified(t).build());
            }
            g.compliance().upsertAll(devices);
            var radius = g.radius().orElseThrow();
            for (int i = 1; i <= nases; i++) {
                try (TestNas nas = new TestNas("127.0.0." + i, "coa-bench-secret", radius.authAddress(), radius.acctAddress())) {
                    for (int n = i - 1; n < sessions; n += nases) {
                        nas.start("s-" + n, TestDevices.mac(n));
                    }
                }
            }
            g.compliance().addListener(c -> committed.put((c.after() != null ? c.after() : c.before()).deviceId(),
                    System.nanoTime()));
            System.out.printf("%d sessions on %d NAS stand-ins stored%n", sessions, nases);

            StringBuilder ndjson = new StringBuilder();
            for (int n = 0; n < bulk; n++) {
                ndjson.append(DeviceJson.toJson(TestDevices.compliant(n).lastCheckIn(Instant.now())
                        .lastModified(t.plusSeconds(1)).complianceState(ComplianceState.NONCOMPLIANT).build())).append('\n');
            }
            Path body = Files.writeString(dir.resolve("bulk.ndjson"), ndjson);
            String base = "https://127.0.0.1:" + g.api().orElseThrow().address().getPort();
            String ca = config.dataDir().resolve("pki/ca.pem").toString();
            curl("--cacert", ca, "-u", "admin:" + password, "-X", "POST", "-H", "Content-Type: application/x-ndjson",
                    "--data-binary", "@" + body, base + "/api/v1/devices:bulk");
            long lastAt = awaitTotal(standIns, bulk);
            long firstCommit = committed.values().stream().mapToLong(Long::longValue).min().orElseThrow();
            long lastCommit = committed.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            System.out.printf("bulk of %d: commits over %.0f ms; first commit -> last CoA at the NAS %.0f ms; "
                            + "last commit -> last CoA %.0f ms%n", bulk, (lastCommit - firstCommit) / 1e6,
                    (lastAt - firstCommit) / 1e6, (lastAt - lastCommit) / 1e6);

            long[] lat = new long[puts];
            for (int k = 0; k < puts; k++) {
                int n = bulk + k;
                int before = total(standIns);
                curl("--cacert", ca, "-u", "admin:" + password, "-X", "PUT", "-H", "Content-Type: application/json",
                        "--data-binary", DeviceJson.toJson(TestDevices.compliant(n).lastCheckIn(Instant.now())
                                .lastModified(t.plusSeconds(1)).complianceState(ComplianceState.NONCOMPLIANT).build()),
                        base + "/api/v1/devices/" + TestDevices.id(n).canonical());
                long at = awaitTotal(standIns, before + 1);
                lat[k] = at - committed.get(TestDevices.id(n));
            }
            Arrays.sort(lat);
            System.out.printf("single PUTs (%d): commit -> CoA at the NAS p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", puts,
                    lat[puts / 2] / 1e6, lat[Math.min(puts - 1, (int) Math.ceil(puts * 0.99) - 1)] / 1e6,
                    lat[puts - 1] / 1e6);
            System.out.println("CoA stats: " + g.coa().orElseThrow().stats());
        } finally {
            for (NasStandIn s : standIns) {
                s.close();
            }
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
