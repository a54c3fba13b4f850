package io.nacgw.gateway.cli;

import io.nacgw.gateway.Gateway;
import io.nacgw.gateway.TestConfig;
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

    @Test
    void reload_printsWhatWasApplied_namesRestartKeys_andExits1WhenRefused() throws Exception {
        int port = TestConfig.freePort();
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

    private static final String API_CONFIG = """
            dataDir: data
            api: {host: 127.0.0.1, port: 0, users: [{name: ise, role: partner, passwordHash: "%s"}]}
            metrics: {host: 127.0.0.1, port: %d}
            radius: {enabled: false}
            logging: {levels: {%s}}
            ise: {%s}
            policy:
              profiles:
                wifi: {allow: {vlan: "100"}}
            """;

    private static int basic(java.net.http.HttpClient client, String url, String user, String password) throws Exception {
        String auth = java.util.Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                        .header("Authorization", "Basic " + auth).timeout(java.time.Duration.ofSeconds(60)).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void reload_appliesApiUsersAndLogLevelsLive_andSaysSo() throws Exception {
        int port = TestConfig.freePort();
        String oldHash = io.nacgw.nacapi.auth.PasswordHash.create("old password 1".toCharArray(), 10_000).encoded();
        String newHash = io.nacgw.nacapi.auth.PasswordHash.create("new password 2".toCharArray(), 10_000).encoded();
        Path f = dir.resolve("nacgw.yaml");
        Files.writeString(f, API_CONFIG.formatted(oldHash, port, "io.nacgw.sync: warn", ""));
        var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.nacgw.radius.coa");
        ch.qos.logback.classic.Level before = logger.getLevel();
        try (Gateway g = Gateway.start(new ConfigLoader().load(f), Clock.systemUTC(), () -> new ConfigLoader().load(f))) {
            Path pki = g.config().dataDir().resolve("pki");
            var client = java.net.http.HttpClient.newBuilder().sslContext(io.nacgw.certs.TlsContexts.client(
                    java.util.List.of(pki.resolve("ca.pem"))).sslContext()).build();
            String url = "https://127.0.0.1:" + g.api().orElseThrow().address().getPort() + "/api/v1/devices/lookup?mac=020000000001";
            assertEquals(200, basic(client, url, "ise", "old password 1"), "authenticated (an unknown device is an answer)");

            Files.writeString(f, API_CONFIG.formatted(newHash, port, "io.nacgw.radius.coa: debug", ""));
            Cli.Result r = Cli.run("reload", "--config", f.toString());
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().contains("applied: api.users: 1 users (changed ise); cached verifications forgotten"), r.out());
            assertTrue(r.out().contains("applied: logging.levels: io.nacgw.radius.coa=debug, io.nacgw.sync back to"),
                    r.out());
            assertTrue(!r.out().contains("needs a restart"), r.out());
            assertEquals(ch.qos.logback.classic.Level.DEBUG, logger.getLevel());
            assertEquals(401, basic(client, url, "ise", "old password 1"), "the old password, even cached, is refused");
            assertEquals(200, basic(client, url, "ise", "new password 2"));

            Files.writeString(f, API_CONFIG.formatted("not-a-hash", port, "", ""));
            Cli.Result bad = Cli.run("reload", "--config", f.toString());
            assertEquals(1, bad.status(), bad.out() + bad.err());
            assertTrue(bad.err().contains("api.users[0]"), bad.err());
            assertEquals(200, basic(client, url, "ise", "new password 2"), "a refused reload keeps the users");

            Files.writeString(f, API_CONFIG.formatted(newHash, port, "io.nacgw.radius.coa: debug",
                    "vendor: ACME NAC, queryMaxSize: 5, busyWaitSeconds: 9"));
            Cli.Result ise = Cli.run("reload", "--config", f.toString());
            assertEquals(0, ise.status(), ise.err());
            assertTrue(ise.out().contains("applied: ise: queryMaxSize 1000 -> 5, mdminfo ACME NAC /"), ise.out());
            assertTrue(ise.out().contains(", busyWaitSeconds 30 -> 9"), ise.out());
            assertTrue(!ise.out().contains("needs a restart"), ise.out());
            String auth = java.util.Base64.getEncoder().encodeToString("ise:new password 2".getBytes(
                    java.nio.charset.StandardCharsets.UTF_8));
            String info = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url.replace(
                    "/api/v1/devices/lookup?mac=020000000001", "/ciscoise/mdminfo/?ise_api_version=3")))
                    .header("Authorization", "Basic " + auth).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(info.contains("<vendor>ACME NAC</vendor>") && info.contains("<query_max_size>5</query_max_size>"),
                    info);
        } finally {
            logger.setLevel(before);
        }
    }
}
