package io.nacgw.gateway.cli;

import io.nacgw.gateway.Gateway;
import io.nacgw.gateway.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nacgw reload} against a running gateway, through its operations port: what it prints and its status. */
final class ReloadCommandTest {
    @TempDir
    Path dir;

    private static final String CONFIG = """
            dataDir: data
            api: {enabled: false}
            metrics: {host: 127.0.0.1, port: %d}
            radius: {bindAddress: 127.0.0.1, authPort: 0, acctPort: 0, channels: %d,
                     clients: {lo: {address: 127.0.0.0/8, secrets: [a-long-secret-1]}}}
            policy:
              profiles:
                wifi: {allow: {vlan: "%s"}}
            """;

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void reload_printsWhatWasApplied_namesRestartKeys_andExits1WhenRefused() throws Exception {
        int port = freePort();
        Path f = dir.resolve("nacgw.yaml");
        Files.writeString(f, CONFIG.formatted(port, 1, "100"));
        try (Gateway g = Gateway.start(new ConfigLoader().load(f), Clock.systemUTC(), () -> new ConfigLoader().load(f))) {
            Cli.Result same = Cli.run("reload", "--config", f.toString());
            assertEquals(0, same.status(), same.err());
            assertTrue(same.out().contains("no changes"), same.out());

            Files.writeString(f, CONFIG.formatted(port, 2, "200"));
            Cli.Result r = Cli.run("reload", "--config", f.toString());
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().contains("applied: policy.profiles: changed wifi"), r.out());
            assertTrue(r.out().contains("needs a restart (the old value stays until then): radius.channels"), r.out());
            assertEquals("200", g.policy().profile("wifi").attributesFor(io.nacgw.core.policy.Verdict.ALLOW).vlan());

            Files.writeString(f, "policy: [broken\n");
            Cli.Result bad = Cli.run("reload", "--config", f.toString());
            assertEquals(1, bad.status(), bad.out() + bad.err());
            assertTrue(bad.err().contains("reload refused") && bad.err().contains("not valid YAML"), bad.err());
            assertEquals("200", g.policy().profile("wifi").attributesFor(io.nacgw.core.policy.Verdict.ALLOW).vlan());
        }
    }
}
