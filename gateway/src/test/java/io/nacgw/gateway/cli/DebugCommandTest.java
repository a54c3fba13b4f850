package io.nacgw.gateway.cli;

import io.nacgw.core.testing.Needs;
import io.nacgw.core.testing.TestDevices;
import io.nacgw.gateway.Gateway;
import io.nacgw.gateway.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nacgw debug} against a running gateway, with radclient as the NAS: one device's requests, live. */
final class DebugCommandTest {
    @TempDir
    Path dir;

    private static String radclient(int port, String mac, String password) throws Exception {
        Needs.executable("freeradius-utils", "/usr/bin/radclient");
        Process p = new ProcessBuilder("radclient", "-x", "-r", "2", "-t", "4", "127.0.0.1:" + port, "auth",
                "debug-secret-1").redirectErrorStream(true).start();
        p.getOutputStream().write(("User-Name = \"" + mac + "\", User-Password = \"" + password
                + "\", Calling-Station-Id = \"" + mac + "\", Service-Type = Call-Check, Message-Authenticator = 0x00\n")
                .getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "radclient finished");
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void debug_tracesOnlyTheDevice_masked_withRulesAndAnswer_andStopsAtItsEventLimit() throws Exception {
        int metrics;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            metrics = s.getLocalPort();
        }
        Path f = dir.resolve("nacgw.yaml");
        Files.writeString(f, """
                dataDir: data
                api: {enabled: false}
                metrics: {host: 127.0.0.1, port: %d}
                radius:
                  bindAddress: 127.0.0.1
                  authPort: 0
                  acctPort: 0
                  clients: {lo: {address: 127.0.0.0/8, secrets: [debug-secret-1]}}
                policy:
                  profiles:
                    wifi: {allow: {vlan: "100"}}
                """.formatted(metrics));
        try (Gateway g = Gateway.start(new ConfigLoader().load(f), Clock.systemUTC())) {
            g.compliance().upsert(TestDevices.compliant(1).lastCheckIn(Instant.now()).build());
            int port = g.radius().orElseThrow().authAddress().getPort();
            String traced = TestDevices.mac(1).toRfc3580();
            String other = TestDevices.mac(2).toRfc3580();
            CompletableFuture<Cli.Result> debug = CompletableFuture.supplyAsync(() -> Cli.run("debug", "--mac",
                    traced, "--seconds", "120", "--events", "2", "--config", f.toString()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!g.radius().orElseThrow().debug().active() && System.nanoTime() < deadline && !debug.isDone()) {
                Thread.sleep(20);
            }
            assertTrue(g.radius().orElseThrow().debug().active(), "the trace started");
            assertTrue(radclient(port, other, other).contains("Access-"));
            assertTrue(radclient(port, traced, traced).contains("Access-Accept"));
            assertTrue(radclient(port, traced, "wrong-password-42").contains("Access-Reject"));
            Cli.Result r = debug.get(60, TimeUnit.SECONDS);
            assertEquals(0, r.status(), r.err());
            String out = r.out();
            assertTrue(out.contains("tracing Access-Requests of mac " + traced), out);
            assertTrue(out.contains("Calling-Station-Id = \"" + traced + "\""), out);
            assertFalse(out.contains(other), "another device is not traced: " + out);
            assertTrue(out.contains("User-Password = <masked"), out);
            assertFalse(out.contains("wrong-password-42") || out.contains("debug-secret-1"), out);
            assertTrue(out.contains("| rules:"), out);
            assertTrue(out.contains("answer:   Access-Accept accept"), out);
            assertTrue(out.contains("answer:   Access-Reject reject [mab_password_mismatch]"), out);
            assertTrue(out.contains("2 request(s) traced"), out);
            assertFalse(g.radius().orElseThrow().debug().active(), "ended at its event limit, long before 120 s");

            Cli.Result bad = Cli.run("debug", "--mac", "not-a-mac", "--config", f.toString());
            assertNotEquals(0, bad.status());
            assertTrue(bad.err().contains("is not a MAC address"), bad.err());
            Cli.Result tooLong = Cli.run("debug", "--nas", "lo", "--seconds", "601", "--config", f.toString());
            assertNotEquals(0, tooLong.status());
            assertTrue(tooLong.err().contains("seconds must be 1 to 600"), tooLong.err());
        }
    }
}
