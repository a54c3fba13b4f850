package io.nacgw.gateway.cli;

import io.nacgw.loadgen.Expectations;
import io.nacgw.loadgen.FakeRadiusServer;
import io.nacgw.loadgen.SyntheticDevices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nacgw loadtest radius} end to end against the load generator's fake RADIUS server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class RadiusLoadtestTest {
    private static final String SECRET = "cli-test-secret-99";
    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private Run run(String... args) {
        Cli.Result c = Cli.run(args);
        return new Run(c.status(), c.out(), c.err());
    }

    private Path secretFile() throws Exception {
        Path f = dir.resolve("secret");
        Files.writeString(f, SECRET + "\n");
        return f;
    }

    private static FakeRadiusServer server(String profile, FakeRadiusServer.Fault fault, int count, long seed) throws Exception {
        return new FakeRadiusServer(SECRET.getBytes(StandardCharsets.US_ASCII),
                new SyntheticDevices(seed, count, SyntheticDevices.defaultMix(), "SYN-", Instant.now()),
                Expectations.preset(profile), fault);
    }

    @Test
    void radius_devicesFileFromLoadtestDevices_allAnswersMatch_jsonWritten() throws Exception {
        Path devices = dir.resolve("devices.jsonl");
        assertEquals(0, run("loadtest", "devices", "--count", "500", "--seed", "9", "--out", devices.toString()).status);
        try (FakeRadiusServer s = server("corp-wifi", FakeRadiusServer.Fault.NONE, 500, 9)) {
            Path json = dir.resolve("report.json");
            Run r = run("loadtest", "radius", "--target", "127.0.0.1:" + s.address().getPort(), "--secret-file",
                    secretFile().toString(), "--devices", devices.toString(), "--concurrency", "8", "--requests", "1000",
                    "--json", json.toString());
            assertEquals(0, r.status, r.out + r.err);
            assertTrue(r.out.contains("result: OK"), r.out);
            assertTrue(r.out.contains("latency ms: p50"), r.out);
            String j = Files.readString(json);
            assertTrue(j.contains("\"answers\":1000"), j);
            assertTrue(j.contains("\"exitStatus\":0"), j);
            assertFalse(r.out.contains(SECRET) || r.err.contains(SECRET) || j.contains(SECRET));
        }
    }

    @Test
    void radius_allowlistServerWithExpectOptions_matches_wrongExpectation_exitsOne() throws Exception {
        try (FakeRadiusServer s = server("allowlist", FakeRadiusServer.Fault.NONE, 300, 4)) {
            String[] base = {"loadtest", "radius", "--target", "127.0.0.1:" + s.address().getPort(), "--secret-file",
                    secretFile().toString(), "--count", "300", "--seed", "4", "--rate", "500", "--duration", "1s", "--quiet"};
            Run ok = run(concat(base, "--expect-others", "reject"));
            assertEquals(0, ok.status, ok.out + ok.err);
            Run wrong = run(concat(base, "--profile", "allowlist", "--expect-unknown", "accept:999"));
            assertEquals(1, wrong.status, wrong.out + wrong.err);
            assertTrue(wrong.out.contains("verdict_mismatch="), wrong.out);
            assertTrue(wrong.out.contains("unknown reject="), wrong.out);
        }
    }

    @Test
    void devices_allowlistOut_holdsEveryMacOfCompliantAndGraceDevicesOnly() throws Exception {
        Path devices = dir.resolve("d.jsonl");
        Path allow = dir.resolve("allow.txt");
        assertEquals(0, run("loadtest", "devices", "--count", "300", "--seed", "3", "--out", devices.toString(),
                "--allowlist-out", allow.toString()).status);
        SyntheticDevices set = new SyntheticDevices(3, 300, SyntheticDevices.defaultMix(), "SYN-", Instant.now());
        java.util.Set<String> expected = new java.util.TreeSet<>();
        for (int i = 0; i < 300; i++) {
            io.nacgw.loadgen.DeviceClass c = set.classOf(i);
            if (c == io.nacgw.loadgen.DeviceClass.COMPLIANT || c == io.nacgw.loadgen.DeviceClass.GRACE) {
                set.device(i).macs().forEach(m -> expected.add(m.toHex12()));
            }
        }
        assertEquals(expected, new java.util.TreeSet<>(Files.readAllLines(allow)));
    }

    @Test
    void radius_silentServer_exitsThreeWithTimeouts() throws Exception {
        try (FakeRadiusServer s = server("corp-wifi", FakeRadiusServer.Fault.DROP_ALL, 100, 1)) {
            Run r = run("loadtest", "radius", "--target", "127.0.0.1:" + s.address().getPort(), "--secret-file",
                    secretFile().toString(), "--count", "100", "--concurrency", "4", "--duration", "300ms",
                    "--timeout", "100", "--retries", "1");
            assertEquals(3, r.status, r.out + r.err);
            assertTrue(r.out.contains("timeout="), r.out);
            assertTrue(r.err.contains("p99 so far"), r.err);
        }
    }

    @Test
    void radius_badArguments_exitTwo() throws Exception {
        String secret = secretFile().toString();
        assertEquals(2, run("loadtest", "radius", "--target", "nocolon", "--secret-file", secret, "--count", "10",
                "--concurrency", "1", "--requests", "1").status);
        assertEquals(2, run("loadtest", "radius", "--target", "127.0.0.1:1812", "--secret-file", secret, "--count", "10",
                "--concurrency", "1", "--rate", "5", "--requests", "1").status);
        assertEquals(2, run("loadtest", "radius", "--target", "127.0.0.1:1812", "--secret-file", secret, "--count", "10",
                "--concurrency", "600", "--sources", "1", "--requests", "1").status);
        assertEquals(2, run("loadtest", "radius", "--target", "127.0.0.1:1812", "--secret-file", secret, "--count", "10",
                "--concurrency", "1", "--requests", "1", "--expect-unknown", "maybe").status);
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
