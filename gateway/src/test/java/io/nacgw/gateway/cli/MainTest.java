package io.nacgw.gateway.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line end to end, in-process, on a throw-away data directory. */
final class MainTest {
    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private Run run(String... args) {
        // the default config binds RADIUS to 1812, which a FreeRADIUS on this machine may hold: any free port instead
        System.setProperty("nacgw.radius.authPort", "0");
        System.setProperty("nacgw.radius.acctPort", "0");
        System.setProperty("nacgw.api.port", "0");
        System.setProperty("nacgw.metrics.port", "0");
        try {
            Cli.Result c = Cli.run(args);
            return new Run(c.status(), c.out(), c.err());
        } finally {
            System.clearProperty("nacgw.radius.authPort");
            System.clearProperty("nacgw.radius.acctPort");
            System.clearProperty("nacgw.api.port");
            System.clearProperty("nacgw.metrics.port");
        }
    }

    @Test
    void everyCommand_hasHelp() {
        for (String[] cmd : new String[][]{{"--help"}, {"run", "--help"}, {"devices", "--help"}, {"devices", "import", "--help"},
                {"devices", "get", "--help"}, {"devices", "explain", "--help"}, {"version", "--help"}, {"reload", "--help"},
                {"api", "hash-password", "--help"}, {"sync", "status", "--help"}, {"sync", "run", "--help"},
                {"sessions", "--help"}, {"sessions", "list", "--help"},
                {"loadtest", "--help"}, {"loadtest", "devices", "--help"}, {"loadtest", "radius", "--help"}, {"loadtest", "api", "--help"}}) {
            Run r = run(cmd);
            assertEquals(0, r.status, String.join(" ", cmd));
            assertTrue(r.out.contains("Usage: nacgw"), r.out);
        }
    }

    @Test
    void version_printsVersion() {
        Run r = run("version");
        assertEquals(0, r.status);
        assertTrue(r.out.startsWith("nacgw 0."), r.out);
    }

    @Test
    void runCheck_firstStart_writesDefaultConfigAndStore() {
        Path data = dir.resolve("data");
        Run r = run("run", "--data-dir", data.toString(), "--check");
        assertEquals(0, r.status, r.err);
        assertTrue(Files.exists(data.resolve("nacgw.yaml")));
        assertTrue(Files.exists(data.resolve("nacgw.db")));
        assertTrue(r.out.contains("wrote default config"), r.out);
        assertTrue(r.out.contains("configuration OK"), r.out);
    }

    @Test
    void generateImportGetExplain_endToEnd() throws Exception {
        Path data = dir.resolve("data");
        Path devices = dir.resolve("devices.jsonl");
        Run gen = run("loadtest", "devices", "--count", "500", "--seed", "11", "--at", "2026-11-23T12:00:00Z",
                "--out", devices.toString());
        assertEquals(0, gen.status, gen.err);
        Run imp = run("devices", "import", devices.toString(), "--data-dir", data.toString(), "--format", "JSONL");
        assertEquals(0, imp.status, imp.err);
        assertTrue(imp.out.contains("500 records, 500 inserted"), imp.out);
        String firstLine = Files.readAllLines(devices).get(0);
        String mac = firstLine.replaceAll(".*\"macs\":\\[\"([0-9a-f:]+)\".*", "$1");
        Run get = run("devices", "get", mac.toUpperCase().replace(':', '-'), "--data-dir", data.toString());
        assertEquals(0, get.status, get.err);
        assertTrue(get.out.contains("\"deviceName\" : \"SYN-0000000\""), get.out);
        Run explain = run("devices", "explain", mac, "--profile", "vpn", "--at", "2026-11-23T12:00:00Z",
                "--data-dir", data.toString());
        assertEquals(0, explain.status, explain.err);
        assertTrue(explain.out.contains("profile:  vpn"), explain.out);
        assertTrue(explain.out.contains("rules:"), explain.out);
        Run unknown = run("devices", "explain", "02:ff:ff:ff:ff:ff", "--data-dir", data.toString());
        assertTrue(unknown.out.contains("device_unknown"), unknown.out + unknown.err);
        Run missing = run("devices", "get", "02:ff:ff:ff:ff:ff", "--data-dir", data.toString());
        assertEquals(1, missing.status);
        assertTrue(missing.err.contains("no device with identifier"), missing.err);
    }

    @Test
    void explain_registrationHeld_ownReasonCode_andTheProfileSetting() throws Exception {
        Path data = dir.resolve("data");
        Path devices = dir.resolve("held.jsonl");
        Files.writeString(devices, "{\"deviceId\":\"1759c0fd-7b3c-4d2a-9f5e-0123456789ab\",\"managementState\":"
                + "\"registrationHeld\",\"complianceState\":\"compliant\",\"policyAssigned\":true,"
                + "\"lastCheckIn\":\"2026-11-23T11:00:00Z\",\"macs\":[\"aa:bb:cc:00:00:01\"]}\n");
        assertEquals(0, run("run", "--data-dir", data.toString(), "--check").status); // writes the default config
        assertEquals(0, run("devices", "import", devices.toString(), "--data-dir", data.toString()).status);

        Run held = run("devices", "explain", "aa:bb:cc:00:00:01", "--at", "2026-11-23T12:00:00Z",
                "--data-dir", data.toString());

        assertEquals(0, held.status, held.err);
        assertTrue(held.out.contains("registration_held"), held.out);
        assertTrue(held.out.contains("registrationHeld: unmanaged"), held.out);

        Path cfg = data.resolve("nacgw.yaml");
        Files.writeString(cfg, Files.readString(cfg).replace("  profiles:\n",
                "  profiles:\n    lenient: {registrationHeld: managed}\n"));
        Run managed = run("devices", "explain", "aa:bb:cc:00:00:01", "--profile", "lenient",
                "--at", "2026-11-23T12:00:00Z", "--config", cfg.toString());
        assertEquals(0, managed.status, managed.err);
        assertTrue(managed.out.contains("registrationHeld: managed"), managed.out);
        assertTrue(managed.out.contains("allow"), managed.out);
    }

    @Test
    void badInput_clearErrorsAndStatus() throws Exception {
        Run r = run("devices", "get", "!!", "--data-dir", dir.toString());
        assertEquals(2, r.status);
        assertTrue(r.err.contains("nacgw: '!!' is not a MAC"), r.err);
        r = run("devices", "import", dir.resolve("nope.jsonl").toString(), "--data-dir", dir.toString());
        assertEquals(2, r.status);
        assertTrue(r.err.contains("no such file"), r.err);
        Path cfg = dir.resolve("bad.yaml");
        Files.writeString(cfg, "policy:\n  profiles:\n    wifi:\n      unknownDevice: maybe\n");
        r = run("run", "--config", cfg.toString(), "--check");
        assertEquals(2, r.status);
        assertTrue(r.err.contains("policy.profiles.wifi.unknownDevice"), r.err);
        Files.writeString(cfg, "policy:\n  profiles:\n    wifi:\n      registrationHeld: sometimes\n");
        r = run("run", "--config", cfg.toString(), "--check");
        assertEquals(2, r.status);
        assertTrue(r.err.contains("policy.profiles.wifi.registrationHeld must be unmanaged or managed, got 'sometimes'"),
                r.err);
        Files.writeString(cfg, "sync: {enabled: true, tokenUrl: 'https://login.example/t', clientId: a, "
                + "clientSecretFile: " + cfg + ", retireGuardPercent: 200}\npolicy: {profiles: {wifi: {}}}\n");
        r = run("run", "--config", cfg.toString(), "--check");
        assertEquals(2, r.status);
        assertTrue(r.err.contains("sync.retireGuardPercent must be 0 to 100"), r.err);
        r = run("devices", "explain", "aa:bb:cc:dd:ee:ff", "--profile", "nope", "--data-dir", dir.toString());
        assertEquals(2, r.status);
        assertTrue(r.err.contains("unknown profile 'nope'"), r.err);
        r = run("frobnicate");
        assertEquals(2, r.status);
        Path typo = dir.resolve("dat");
        r = run("devices", "get", "aa:bb:cc:dd:ee:ff", "--data-dir", typo.toString());
        assertEquals(2, r.status, r.out + r.err);
        assertTrue(r.err.contains("data directory " + typo.toAbsolutePath() + " does not exist"), r.err);
        r = run("devices", "explain", "aa:bb:cc:dd:ee:ff", "--data-dir", typo.toString());
        assertEquals(2, r.status, r.out + r.err);
        assertFalse(Files.exists(typo), "a read command must not create a store");
    }

    @Test
    void storeLockedByARunningGateway_isExplained() {
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cl = new picocli.CommandLine(new io.nacgw.gateway.cli.Main()).setErr(new java.io.PrintWriter(err, true));
        int status = new Failures().handleExecutionException(new io.nacgw.core.store.StoreException(
                "cannot migrate the store schema at jdbc:sqlite:/x/nacgw.db: [SQLITE_BUSY] The database file is locked (database is locked)", null), cl, null);
        assertEquals(1, status);
        assertTrue(err.toString().contains("in use by another process (a running gateway?)"), err.toString());
    }

    @Test
    void reload_withoutRunningGateway_saysSo() {
        Run r = run("reload", "--data-dir", dir.toString());
        assertEquals(1, r.status);
        assertTrue(r.err.contains("no running gateway"), r.err);
    }

    @Test
    void syncStatus_withoutRunningGateway_saysSo() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path cfg = dir.resolve("c.yaml");
        Files.writeString(cfg, "metrics: {port: " + port + "}\npolicy:\n  profiles:\n    wifi: {}\n");
        Run r = run("sync", "status", "--config", cfg.toString());
        assertEquals(1, r.status, r.err);
        assertTrue(r.err.contains("no gateway answers on http://127.0.0.1:"), r.err); // run() forces metrics.port
        r = run("sync", "run", "--full", "--incremental", "--config", cfg.toString());
        assertEquals(2, r.status);
    }
}
