package io.nacgw.gateway;

import io.nacgw.gateway.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The read and backup commands an operator runs while the gateway serves, against a gateway in its own process
 * (so its store is really locked): {@code devices get|explain|export} and {@code store backup} print the same as on
 * a stopped store; {@code store restore} refuses a running gateway and puts a backup back once stopped; export and
 * import round-trip.
 */
final class DayTwoCommandsTest {
    @TempDir
    Path dir;

    static final String DEVICES = """
            {"deviceId":"1759c0fd-7b3c-4d2a-9f5e-0123456789ab","deviceName":"LAPTOP-1","complianceState":"compliant","managementState":"managed","policyAssigned":true,"lastCheckIn":"2026-11-23T11:00:00Z","lastModified":"2026-11-23T11:00:00Z","macs":["aa:bb:cc:00:00:01"]}
            {"deviceId":"2759c0fd-7b3c-4d2a-9f5e-0123456789ab","deviceName":"PHONE-2","complianceState":"noncompliant","managementState":"managed","policyAssigned":true,"lastCheckIn":"2026-11-23T11:00:00Z","lastModified":"2026-11-23T11:00:00Z","macs":["aa:bb:cc:00:00:02"],"imei":"490154203237518"}
            """;

    private Path config(String dataDir, int metricsPort) throws Exception {
        Path f = dir.resolve(dataDir + ".yaml");
        Files.writeString(f, """
                dataDir: %s
                api: {host: 127.0.0.1, port: 0}
                radius: {enabled: false}
                metrics: {host: 127.0.0.1, port: %d}
                policy:
                  profiles:
                    wifi: {noncompliant: quarantine, quarantine: {vlan: "999"}}
                    vpn: {}
                """.formatted(dir.resolve(dataDir), metricsPort));
        return f;
    }

    private static Cli.Result ok(String... args) {
        Cli.Result r = Cli.run(args);
        assertEquals(0, r.status(), String.join(" ", args) + ": " + r.out() + r.err());
        return r;
    }

    private static Cli.Result fails(String... args) {
        Cli.Result r = Cli.run(args);
        assertNotEquals(0, r.status(), String.join(" ", args) + ": " + r.out());
        return r;
    }

    private static String[] with(String[] cmd, String... more) {
        String[] all = Arrays.copyOf(cmd, cmd.length + more.length);
        System.arraycopy(more, 0, all, cmd.length, more.length);
        return all;
    }

    @Test
    void readCommands_whileTheGatewayRuns_printWhatTheyPrintOffline_andBackupRestoreRoundTrips() throws Exception {
        Path f = config("data", TestConfig.freePort());
        Path devices = dir.resolve("devices.jsonl");
        Files.writeString(devices, DEVICES);
        ok("devices", "import", devices.toString(), "--config", f.toString());
        String[][] commands = {
                {"devices", "get", "AA-BB-CC-00-00-01"},
                {"devices", "get", "490154203237518", "--kind", "imei"},
                {"devices", "explain", "aa:bb:cc:00:00:02", "--profile", "wifi", "--at", "2026-11-23T12:00:00Z"},
                {"devices", "explain", "aa:bb:cc:00:00:01", "--at", "2026-11-23T12:00:00Z"},
                {"devices", "explain", "02:ff:ff:ff:ff:ff", "--at", "2026-11-23T12:00:00Z"},
                {"devices", "export"},
        };
        String[] offline = new String[commands.length];
        for (int i = 0; i < commands.length; i++) {
            offline[i] = ok(with(commands[i], "--config", f.toString())).out();
        }
        assertTrue(offline[0].contains("\"deviceName\" : \"LAPTOP-1\""), offline[0]);
        assertTrue(offline[2].contains("verdict:  QUARANTINE"), offline[2]);
        assertEquals(2, offline[5].lines().count(), offline[5]);

        Path backup = dir.resolve("backup.db");
        try (GatewayProcess g = GatewayProcess.start(f, dir.resolve("gateway.log"), "256m", 120)) {
            for (int i = 0; i < commands.length; i++) {
                assertEquals(offline[i], ok(with(commands[i], "--config", f.toString())).out(),
                        "same output as offline: " + String.join(" ", commands[i]));
            }
            Cli.Result missing = fails("devices", "get", "02:ff:ff:ff:ff:ff", "--config", f.toString());
            assertEquals(1, missing.status());
            assertTrue(missing.err().contains("no device with identifier '02:ff:ff:ff:ff:ff'"), missing.err());
            assertTrue(fails("devices", "explain", "aa:bb:cc:00:00:01", "--profile", "nope", "--config", f.toString())
                    .err().contains("unknown profile 'nope'"));

            Cli.Result b = ok("store", "backup", backup.toString(), "--config", f.toString());
            assertTrue(b.out().contains("taken by the running gateway"), b.out());
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(backup), "a backup holds device data: owner-only");
            assertTrue(fails("store", "backup", backup.toString(), "--config", f.toString()).err()
                    .contains("exists already"));
            assertTrue(fails("store", "restore", backup.toString(), "--config", f.toString()).err()
                    .contains("stop it first"));
        }

        // the export imports into an empty store and exports the same again (the import format)
        Path exported = dir.resolve("exported.jsonl");
        ok("devices", "export", "--out", exported.toString(), "--config", f.toString());
        assertEquals(offline[5], Files.readString(exported));
        assertTrue(fails("devices", "export", "--out", exported.toString(), "--config", f.toString()).err()
                .contains("exists already"));
        Path f2 = config("data2", TestConfig.freePort());
        ok("devices", "import", exported.toString(), "--config", f2.toString());
        assertEquals(offline[5], ok("devices", "export", "--config", f2.toString()).out());

        // a change after the backup is gone once it is restored; the replaced store is kept
        Path third = dir.resolve("third.jsonl");
        Files.writeString(third, DEVICES.lines().findFirst().orElseThrow()
                .replace("1759c0fd", "3759c0fd").replace("aa:bb:cc:00:00:01", "aa:bb:cc:00:00:03") + "\n");
        ok("devices", "import", third.toString(), "--config", f.toString());
        ok("devices", "get", "aa:bb:cc:00:00:03", "--config", f.toString());
        Cli.Result restored = ok("store", "restore", backup.toString(), "--config", f.toString());
        assertTrue(restored.out().contains("restored 2 devices") && restored.out().contains("kept as"), restored.out());
        assertEquals(1, fails("devices", "get", "aa:bb:cc:00:00:03", "--config", f.toString()).status());
        assertEquals(offline[0], ok("devices", "get", "AA-BB-CC-00-00-01", "--config", f.toString()).out());
        assertFalse(Files.exists(dir.resolve("data").resolve("restore-staging")));

        Path notADb = dir.resolve("not-a-db");
        Files.writeString(notADb, "hello");
        assertTrue(fails("store", "restore", notADb.toString(), "--config", f.toString()).err()
                .contains("not an SQLite database"));
        assertTrue(fails("store", "restore", dir.resolve("nope.db").toString(), "--config", f.toString()).err()
                .contains("no such backup file"));
    }
}
