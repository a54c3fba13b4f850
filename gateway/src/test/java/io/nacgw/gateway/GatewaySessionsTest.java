package io.nacgw.gateway;

import io.nacgw.gateway.cli.Main;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.testing.Needs;
import io.nacgw.core.testing.TestDevices;
import io.nacgw.gateway.config.ConfigLoader;
import io.nacgw.gateway.config.NacgwConfig;
import io.nacgw.nacapi.auth.PasswordHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway on its dual-stack defaults ({@code ::} for RADIUS and HTTPS): radclient over ::1 and 127.0.0.1 from
 * NASes that name themselves (NAS-IP-Address, NAS-Identifier), the sessions that builds, and how an operator sees
 * them: {@code nacgw sessions list} and {@code GET /api/v1/sessions} with curl.
 */
final class GatewaySessionsTest {
    @TempDir
    Path dir;

    private static String radclient(String hostPort, String command, String attributes) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Needs.executable("freeradius-utils", "/usr/bin/radclient").toString(),
                "-x", "-t", "5", "-r", "2"));
        if (hostPort.startsWith("[")) {
            cmd.add("-6");
        }
        cmd.addAll(List.of(hostPort, command, "sessions-secret-1"));
        return Processes.run(cmd, attributes + "\n");
    }

    private static String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Needs.executable("curl", "/usr/bin/curl").toString(), "-sS", "-g",
                "--max-time", "30", "-w", "\nHTTP %{http_code}\n"));
        cmd.addAll(List.of(args));
        return Processes.run(cmd, "");
    }

    private record Result(int status, String out) {
    }

    private static Result cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int status = Main.execute(args);
            return new Result(status, out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }

    /** Two sessions, both carrying their Access-Accept's verdict, one of them joined with the Start. */
    private static boolean bothAuthorized(String json) throws Exception {
        var sessions = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).path("sessions");
        int authorized = 0;
        boolean joined = false;
        for (var s : sessions) {
            authorized += "allow".equals(s.path("verdict").asText()) ? 1 : 0;
            joined |= "s-1".equals(s.path("acctSessionId").asText());
        }
        return sessions.size() == 2 && authorized == 2 && joined;
    }

    @Test
    void dualStackDefaults_nasIdentityFromAttributes_sessionsListedByCliAndApi() throws Exception {
        String hash = PasswordHash.create("correct horse battery".toCharArray(), 10_000).encoded();
        Path cfg = dir.resolve("nacgw.yaml");
        Files.writeString(cfg, """
                radius:
                  authPort: 0
                  acctPort: 0
                  clients:
                    lo4: {address: 127.0.0.0/8, secrets: [sessions-secret-1]}
                    lo6: {address: "::1/128", secrets: [sessions-secret-1]}
                api:
                  port: 0
                  users:
                    - {name: ise, role: partner, passwordHash: "%s"}
                metrics: {port: %d}
                policy:
                  profiles:
                    wifi:
                      allow: {vlan: "100", sessionTimeout: 3600}
                """.formatted(hash, TestConfig.freePort()));
        NacgwConfig config = new ConfigLoader().load(cfg, Map.of(), new Properties());
        try (Gateway g = Gateway.start(config, Clock.systemUTC())) {
            g.compliance().upsert(TestDevices.compliant(1).lastCheckIn(java.time.Instant.now()).build());
            MacAddress mac = TestDevices.mac(1);
            String hex = mac.toHex12().toLowerCase(java.util.Locale.ROOT);
            String hpe = hex.substring(0, 6) + "-" + hex.substring(6);
            int auth = g.radius().orElseThrow().authAddress().getPort();
            int acct = g.radius().orElseThrow().acctAddress().getPort();

            // switch A (NAS-IP-Address 10.9.0.1) over IPv6, switch B (NAS-Identifier sw-b) over IPv4, HPE spelling
            String a = radclient("[::1]:" + auth, "auth", "User-Name = \"" + hex + "\", User-Password = \"" + hex
                    + "\", Calling-Station-Id = \"" + mac.toRfc3580() + "\", Service-Type = Call-Check, "
                    + "NAS-IP-Address = 10.9.0.1, NAS-Port = 10110, Message-Authenticator = 0x00");
            assertTrue(a.contains("Received Access-Accept"), a);
            String b = radclient("127.0.0.1:" + auth, "auth", "User-Name = \"" + hpe + "\", User-Password = \"" + hpe
                    + "\", Calling-Station-Id = \"" + hpe + "\", Service-Type = Call-Check, "
                    + "NAS-Identifier = \"sw-b\", Message-Authenticator = 0x00");
            assertTrue(b.contains("Received Access-Accept"), b);
            String start = radclient("127.0.0.1:" + acct, "acct", "Acct-Status-Type = Start, Acct-Session-Id = \"s-1\", "
                    + "Calling-Station-Id = \"" + mac.toRfc3580() + "\", NAS-IP-Address = 10.9.0.1");
            assertTrue(start.contains("Received Accounting-Response"), start);

            // Accepts are recorded asynchronously: wait until both are in (no sleeping for time to pass)
            Result json = null;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < deadline) {
                json = cli("sessions", "list", "--mac", mac.toRfc3580(), "--active", "--json", "--config", cfg.toString());
                if (json.status() == 0 && bothAuthorized(json.out())) {
                    break;
                }
                Thread.sleep(50); // polling the running gateway for the asynchronous write
            }
            assertEquals(0, json.status(), json.out());
            assertTrue(bothAuthorized(json.out()), json.out());
            assertTrue(json.out().contains("\"id\":\"ip:10.9.0.1\",\"client\":\"lo"), json.out());
            assertTrue(json.out().contains("\"address\":\"10.9.0.1\""),
                    "the Start (IPv4) joined the Accept (IPv6) of the same switch: " + json.out());
            assertTrue(json.out().contains("\"id\":\"id:sw-b\",\"client\":\"lo4\",\"address\":\"127.0.0.1\""), json.out());

            Result table = cli("sessions", "list", "--nas", "sw-b", "--config", cfg.toString());
            assertEquals(0, table.status(), table.out());
            assertTrue(table.out().contains("id:sw-b") && table.out().contains("1 session(s)"), table.out());
            assertTrue(!table.out().contains("ip:10.9.0.1"), table.out());
            Result bad = cli("sessions", "list", "--mac", "not-a-mac", "--config", cfg.toString());
            assertEquals(2, bad.status(), bad.out());

            String ca = config.dataDir().resolve("pki/ca.pem").toString();
            int api = g.api().orElseThrow().address().getPort();
            String listed = curl("--cacert", ca, "-u", "ise:correct horse battery",
                    "https://[::1]:" + api + "/api/v1/sessions?active=true&mac=" + hpe);
            assertTrue(listed.contains("HTTP 200") && listed.contains("\"count\":2"), listed);
            String viaV4 = curl("--cacert", ca, "-u", "ise:correct horse battery",
                    "https://127.0.0.1:" + api + "/api/v1/sessions?nas=10.9.0.1");
            assertTrue(viaV4.contains("HTTP 200") && viaV4.contains("\"count\":1"), viaV4);
            String wrong = curl("--cacert", ca, "-u", "ise:correct horse battery",
                    "https://127.0.0.1:" + api + "/api/v1/sessions?mac=zz");
            assertTrue(wrong.contains("HTTP 400"), wrong);
            String anonymous = curl("--cacert", ca, "https://127.0.0.1:" + api + "/api/v1/sessions");
            assertTrue(anonymous.contains("HTTP 401"), anonymous);
        }
    }
}
