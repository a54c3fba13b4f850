package io.nacgw.gateway.cli;

import io.nacgw.core.testing.Needs;
import io.nacgw.core.testing.TestDevices;
import io.nacgw.gateway.Gateway;
import io.nacgw.radius.Radclient;
import io.nacgw.gateway.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

    private static String radclientAcct(int port, String attributes) throws Exception {
        Needs.executable("freeradius-utils", Radclient.BINARY);
        return Radclient.run("127.0.0.1", port, "acct", "debug-secret-1", attributes + "\n", 4, 2).output();
    }

    /** A gateway config with one client (secret debug-secret-1) and a profile allowing into VLAN 100. */
    private Path config() throws Exception {
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
        return f;
    }

    /** Runs {@code nacgw debug args} in the background; returns once the gateway's trace runs. */
    private static CompletableFuture<Cli.Result> startDebug(Gateway g, Path f, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("debug"));
        all.addAll(List.of(args));
        all.addAll(List.of("--config", f.toString()));
        CompletableFuture<Cli.Result> debug = CompletableFuture.supplyAsync(() -> Cli.run(all.toArray(String[]::new)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!g.radius().orElseThrow().debug().active() && System.nanoTime() < deadline && !debug.isDone()) {
            Thread.sleep(20);
        }
        assertTrue(g.radius().orElseThrow().debug().active(), "the trace started");
        return debug;
    }

    @Test
    void debug_tracesOnlyTheDevice_masked_withRulesAndAnswer_andStopsAtItsEventLimit() throws Exception {
        Path f = config();
        try (Gateway g = Gateway.start(new ConfigLoader().load(f), Clock.systemUTC())) {
            g.compliance().upsert(TestDevices.compliant(1).lastCheckIn(Instant.now()).build());
            int port = g.radius().orElseThrow().authAddress().getPort();
            String traced = TestDevices.mac(1).toRfc3580();
            String other = TestDevices.mac(2).toRfc3580();
            CompletableFuture<Cli.Result> debug = startDebug(g, f, "--mac", traced, "--seconds", "120", "--events", "2");
            assertTrue(radclient(port, other, other).contains("Access-"));
            assertTrue(radclient(port, traced, traced).contains("Access-Accept"));
            assertTrue(radclient(port, traced, "wrong-password-42").contains("Access-Reject"));
            Cli.Result r = debug.get(60, TimeUnit.SECONDS);
            assertEquals(0, r.status(), r.err());
            String out = r.out();
            assertTrue(out.contains("tracing requests of mac " + traced), out);
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

    @Test
    void debug_tracesTheDevicesAccountingRequests_theSessionFoundOrCreated_whatWasStored_andTheAnswer()
            throws Exception {
        Path f = config();
        try (Gateway g = Gateway.start(new ConfigLoader().load(f), Clock.systemUTC())) {
            g.compliance().upsert(TestDevices.compliant(1).lastCheckIn(Instant.now()).build());
            int auth = g.radius().orElseThrow().authAddress().getPort();
            int acct = g.radius().orElseThrow().acctAddress().getPort();
            String traced = TestDevices.mac(1).toRfc3580();
            String other = TestDevices.mac(2).toRfc3580();
            CompletableFuture<Cli.Result> debug = startDebug(g, f, "--mac", traced, "--seconds", "120", "--events", "4");
            assertTrue(radclient(auth, traced, traced).contains("Access-Accept"));
            assertTrue(radclientAcct(acct, "Acct-Status-Type = Start, Acct-Session-Id = \"acct-other\", "
                    + "Calling-Station-Id = \"" + other + "\"").contains("Accounting-Response"));
            assertTrue(radclientAcct(acct, "Acct-Status-Type = Start, Acct-Session-Id = \"acct-dbg-1\", "
                    + "Calling-Station-Id = \"" + traced + "\", Framed-IP-Address = 10.20.30.40")
                    .contains("Accounting-Response"));
            assertTrue(radclientAcct(acct, "Acct-Status-Type = Stop, Acct-Session-Id = \"acct-dbg-1\", "
                    + "Calling-Station-Id = \"" + traced + "\", Acct-Terminate-Cause = User-Request")
                    .contains("Accounting-Response"));
            // no Acct-Session-Id: dropped unanswered (radclient gives up), still traced
            assertFalse(Radclient.run("127.0.0.1", acct, "acct", "debug-secret-1", "Acct-Status-Type = Interim-Update, "
                    + "Calling-Station-Id = \"" + traced + "\"\n", 1, 1).received("Accounting-Response"));
            Cli.Result r = debug.get(60, TimeUnit.SECONDS);
            assertEquals(0, r.status(), r.err());
            String out = r.out();
            assertTrue(out.contains("tracing requests of mac " + traced), out);
            assertFalse(out.contains(other) || out.contains("acct-other"), "another device is not traced: " + out);
            assertTrue(out.contains("answer:   Access-Accept accept"), out);
            String start = section(out, "Acct-Session-Id = \"acct-dbg-1\"", "Acct-Status-Type = 0x00000001");
            assertTrue(start.contains("Accounting-Request id"), start);
            assertTrue(start.contains("session:  none with Acct-Session-Id acct-dbg-1 on NAS "), start);
            assertTrue(start.contains("stored:   START: "), start);
            assertTrue(start.contains(" live, mac " + TestDevices.mac(1)), start);
            assertTrue(start.contains("framed IP 10.20.30.40"), start);
            assertTrue(start.contains("answer:   Accounting-Response (sent once stored)"), start);
            String stop = section(out, "Acct-Session-Id = \"acct-dbg-1\"", "Acct-Status-Type = 0x00000002");
            assertTrue(stop.contains("session:  found "), stop);
            assertTrue(stop.contains("stored:   STOP: "), stop);
            assertTrue(stop.contains(" stopped at ") && stop.contains("(cause 1)"), stop);
            String incomplete = section(out, "Acct-Status-Type = 0x00000003");
            assertTrue(incomplete.contains("stored:   nothing: no Acct-Session-Id"), incomplete);
            assertTrue(incomplete.contains("answer:   none: dropped as incomplete"), incomplete);
            assertTrue(out.contains("4 request(s) traced"), out);
        }
    }

    /** The one traced request (text between blank lines) that contains every one of {@code parts}. */
    private static String section(String out, String... parts) {
        for (String event : out.split("\n\n")) {
            if (Arrays.stream(parts).allMatch(event::contains)) {
                return event;
            }
        }
        throw new AssertionError("no traced request with " + Arrays.toString(parts) + " in:\n" + out);
    }
}
