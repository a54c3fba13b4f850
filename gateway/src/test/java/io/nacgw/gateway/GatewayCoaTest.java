package io.nacgw.gateway;

import io.nacgw.certs.CertificateAuthority;
import io.nacgw.certs.IssuedClient;
import io.nacgw.certs.Role;
import io.nacgw.certs.TlsContexts;
import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.secret.Secret;
import io.nacgw.core.session.Session;
import io.nacgw.core.testing.Needs;
import io.nacgw.core.testing.TestDevices;
import io.nacgw.gateway.cli.Main;
import io.nacgw.gateway.config.ConfigLoader;
import io.nacgw.gateway.config.NacgwConfig;
import io.nacgw.nacapi.auth.PasswordHash;
import io.nacgw.nacapi.json.DeviceJson;
import io.nacgw.radius.coa.NasStandIn;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.codec.RadiusCrypto;
import io.nacgw.radius.proxy.RadSecClient;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Change of Authorization end to end through the gateway: MAB and accounting from test NASes on 127.0.0.1 and
 * 127.0.0.2, device changes by {@code curl} PUT and bulk on the admin API (or the index, where the path does not
 * matter), CoA received and answered by NAS stand-ins.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
final class GatewayCoaTest {
    private static final String ADMIN_PASSWORD = "coa admin password";
    private static final String HASH = PasswordHash.create(ADMIN_PASSWORD.toCharArray(), 10_000).encoded();
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private String metrics = "metrics: {enabled: false}";
    /** More radius keys (one line, e.g. radsec). */
    private String radiusExtra = "";

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    /** A config with two NAS clients whose CoA goes to the stand-ins; {@code coa} adds radius.coa keys. */
    private NacgwConfig config(int coaPort1, int coaPort2, String coaSecret2, String coa) throws Exception {
        return TestConfig.gateway().apiUser("admin", "admin", HASH).metrics(metrics).coa(coa).radius(radiusExtra)
                .client("sw1", "127.0.0.1/32", "radius-secret-one", "vendor: cisco", "coaPort: " + coaPort1,
                        "coaSecret: coa-secret-one")
                .client("sw2", "127.0.0.2/32", "coa-secret-two", "coaPort: " + coaPort2, "coaSecret: " + coaSecret2,
                        "coaAddress: 127.0.0.1")
                .load(dir.resolve("nacgw.yaml"));
    }

    private Gateway start(NacgwConfig c) {
        return track(Gateway.start(c, Clock.systemUTC()));
    }

    private static TestNas nas(Gateway g, String address, String secret) throws Exception {
        var r = g.radius().orElseThrow();
        return new TestNas(address, secret, r.authAddress(), r.acctAddress());
    }

    private static DeviceRecord device(int n, ComplianceState state, Instant modified) {
        return TestDevices.compliant(n).lastCheckIn(Instant.now()).lastModified(modified).complianceState(state).build();
    }

    private static String curl(String... args) throws Exception {
        Path binary = Needs.executable("curl", "/usr/bin/curl");
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "-sS", "-w", "\nHTTP %{http_code}\n"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "curl finished");
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** PUT /api/v1/devices/{id} as admin; returns curl's output. */
    private static String put(Gateway g, NacgwConfig c, DeviceRecord d) throws Exception {
        return curl("--cacert", c.dataDir().resolve("pki/ca.pem").toString(), "-u", "admin:" + ADMIN_PASSWORD,
                "-X", "PUT", "-H", "Content-Type: application/json", "--data-binary", DeviceJson.toJson(d),
                "https://127.0.0.1:" + g.api().orElseThrow().address().getPort() + "/api/v1/devices/"
                        + d.deviceId().canonical());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        await(condition, what, () -> "");
    }

    /** Waits up to 60 s; on timeout the failure says what {@code state} shows then. */
    private static void await(BooleanSupplier condition, String what, Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + state.get());
            }
            Thread.sleep(10);
        }
    }

    /** For a failure message: the CoA counters, what the stand-in received, the active sessions and the trigger's. */
    private static String coaState(Gateway g, NasStandIn nas, MacAddress mac) {
        StringBuilder b = new StringBuilder("\n  sender: ").append(g.coa().orElseThrow().stats())
                .append("\n  trigger: ").append(g.reauthorizer().orElseThrow().stats())
                .append("\n  stand-in (bad authenticators ").append(nas.badAuthenticators()).append("):");
        for (NasStandIn.Received r : nas.received()) {
            b.append("\n    code ").append(r.code()).append(" id ").append(r.identifier()).append(" session ")
                    .append(r.text(AttributeType.ACCT_SESSION_ID)).append(" station ")
                    .append(r.text(AttributeType.CALLING_STATION_ID));
        }
        b.append("\n  active sessions of ").append(mac).append(':');
        for (Session s : g.sessions().activeSessionsForMac(mac)) {
            b.append("\n    ").append(s.id()).append(" nas ").append(s.nas().id()).append(" acct ")
                    .append(s.acctSessionId());
        }
        return b.toString();
    }

    @Test
    void putNoncompliant_coaNamingTheSession_acked_thenQuarantine() throws Exception {
        NasStandIn standIn = track(new NasStandIn("coa-secret-one"));
        NacgwConfig c = config(standIn.port(), standIn.port(), "coa-secret-two", "");
        Gateway g = start(c);
        g.compliance().upsert(device(1, ComplianceState.COMPLIANT, Instant.now().minusSeconds(60)));
        TestNas sw1 = track(nas(g, "127.0.0.1", "radius-secret-one"));
        assertEquals("100", sw1.mab(TestDevices.mac(1)));
        sw1.start("sess-0001", TestDevices.mac(1));

        String out = put(g, c, device(1, ComplianceState.NONCOMPLIANT, Instant.now()));
        assertTrue(out.contains("HTTP 200") || out.contains("HTTP 204"), out);
        // how soon it arrives is a figure (bench/coa.sh, docs/benchmarks.md), not an assertion: waits up to 10 s
        NasStandIn.Received coa = standIn.await(1, 10).get(0);
        assertEquals(RadiusCode.COA_REQUEST, coa.code());
        assertEquals("sess-0001", coa.text(AttributeType.ACCT_SESSION_ID));
        assertEquals(TestDevices.mac(1).toRfc3580(), coa.text(AttributeType.CALLING_STATION_ID));
        assertTrue(coa.ciscoAvPairs().contains("subscriber:command=reauthenticate"), coa.ciscoAvPairs().toString());
        await(() -> g.coa().orElseThrow().stats().acked() == 1, "the ACK");
        assertEquals("999", sw1.mab(TestDevices.mac(1)), "the re-authentication gets the quarantine VLAN");
        g.close();
        String audit = Files.readString(c.dataDir().resolve("audit.jsonl"));
        assertTrue(audit.contains("\"type\":\"coa\"") && audit.contains("\"acctSessionId\":\"sess-0001\"")
                && audit.contains("\"trigger\":\"device-change\"") && audit.contains("\"answer\":\"ack\"")
                && audit.contains("\"reason\":\"allow -> quarantine (noncompliant)\""), audit);
    }

    @Test
    void unchangedVerdict_sendsNothing_twoSessionsOnTwoNas_bothGetIt() throws Exception {
        NasStandIn one = track(new NasStandIn("coa-secret-one"));
        NasStandIn two = track(new NasStandIn("coa-secret-two"));
        Gateway g = start(config(one.port(), two.port(), "coa-secret-two", ""));
        Instant t = Instant.now().minusSeconds(60);
        g.compliance().upsert(device(2, ComplianceState.COMPLIANT, t));
        TestNas sw1 = track(nas(g, "127.0.0.1", "radius-secret-one"));
        TestNas sw2 = track(nas(g, "127.0.0.2", "coa-secret-two"));
        sw1.start("wired-2", TestDevices.mac(2));
        sw2.start("wifi-2", TestDevices.mac(2));

        g.compliance().upsert(TestDevices.compliant(2).lastCheckIn(Instant.now()).lastModified(t.plusSeconds(1))
                .deviceName("renamed").build());
        await(() -> g.reauthorizer().orElseThrow().stats().unchanged() == 2, "both sessions re-decided");
        assertTrue(one.received().isEmpty() && two.received().isEmpty(), "a rename alters no decision: nothing sent");

        g.compliance().upsert(device(2, ComplianceState.NONCOMPLIANT, t.plusSeconds(2)));
        assertEquals("wired-2", one.await(1, 10).get(0).text(AttributeType.ACCT_SESSION_ID));
        NasStandIn.Received wifi = two.await(1, 10).get(0);
        assertEquals("wifi-2", wifi.text(AttributeType.ACCT_SESSION_ID));
        assertEquals(RadiusCode.DISCONNECT_REQUEST, wifi.code(), "sw2 is generic: Disconnect-Request");
        await(() -> g.coa().orElseThrow().stats().acked() == 2, "both ACKs");
    }

    @Test
    void nak503_stopsTheSession_noAnswer_andWrongSecret_areRetriedThenGivenUp() throws Exception {
        NasStandIn one = track(new NasStandIn("coa-secret-one")).answering(r -> NasStandIn.Answer.nak(503));
        NasStandIn two = track(new NasStandIn("coa-secret-two"));
        NacgwConfig c = config(one.port(), two.port(), "not-what-the-nas-has", "initialTimeout: 200ms, maxAttempts: 3");
        Gateway g = start(c);
        Instant t = Instant.now().minusSeconds(60);
        g.compliance().upsert(device(3, ComplianceState.COMPLIANT, t));
        g.compliance().upsert(device(4, ComplianceState.COMPLIANT, t));
        TestNas sw1 = track(nas(g, "127.0.0.1", "radius-secret-one"));
        TestNas sw2 = track(nas(g, "127.0.0.2", "coa-secret-two"));
        sw1.start("gone-3", TestDevices.mac(3));
        sw2.start("wifi-4", TestDevices.mac(4));

        g.compliance().upsert(device(3, ComplianceState.NONCOMPLIANT, t.plusSeconds(1)));
        await(() -> g.reauthorizer().orElseThrow().stats().sessionsClosed() == 1, "the session stopped after NAK 503");
        long checked = g.reauthorizer().orElseThrow().stats().changes();
        g.compliance().upsert(device(3, ComplianceState.COMPLIANT, t.plusSeconds(2)));
        await(() -> g.reauthorizer().orElseThrow().stats().changes() == checked + 1, "the second change checked");
        assertEquals(1, one.received().stream().map(NasStandIn.Received::identifier).distinct().count(),
                "the stopped session gets no more CoA (retransmissions of the first one aside)");

        g.compliance().upsert(device(4, ComplianceState.NONCOMPLIANT, t.plusSeconds(1)));
        await(() -> g.coa().orElseThrow().stats().timedOut() == 1, "the give-up");
        assertEquals(3, two.badAuthenticators(), "three transmissions, all refused by the NAS: wrong coaSecret");
        String scrape = g.metrics().scrape();
        assertTrue(scrape.contains("nacgw_coa_nakked_total{error_cause=\"503\"} 1.0"), scrape);
        assertTrue(g.coa().orElseThrow().stats().retransmitted() >= 2, scrape);
        g.close();
        String audit = Files.readString(c.dataDir().resolve("audit.jsonl"));
        assertTrue(audit.contains("\"answer\":\"nak\",\"errorCause\":503"), audit);
        assertTrue(audit.contains("\"answer\":\"timeout\",\"errorCause\":null,\"attempts\":3"), audit);
    }

    @Test
    void restart_keepsActiveSessions() throws Exception {
        NasStandIn one = track(new NasStandIn("coa-secret-one"));
        NacgwConfig c = config(one.port(), one.port(), "coa-secret-two", "");
        Instant t = Instant.now().minusSeconds(60);
        try (Gateway g = Gateway.start(c, Clock.systemUTC()); TestNas sw1 = nas(g, "127.0.0.1", "radius-secret-one")) {
            g.compliance().upsert(device(5, ComplianceState.COMPLIANT, t));
            sw1.start("survivor-5", TestDevices.mac(5));
        }
        Gateway g = start(c);
        String out = put(g, c, device(5, ComplianceState.NONCOMPLIANT, t.plusSeconds(1)));
        assertTrue(out.contains("HTTP 2"), out);
        assertEquals("survivor-5", one.await(1, 10).get(0).text(AttributeType.ACCT_SESSION_ID));
    }

    @Test
    void bulkFlipOf1000Devices_rateLimitHolds_allAcked() throws Exception {
        NasStandIn one = track(new NasStandIn("coa-secret-one"));
        NacgwConfig c = config(one.port(), one.port(), "coa-secret-two", "ratePerNas: 400, maxOutstandingPerNas: 64");
        Gateway g = start(c);
        Instant t = Instant.now().minusSeconds(60);
        List<DeviceRecord> before = new ArrayList<>();
        for (int n = 1000; n < 2000; n++) {
            before.add(device(n, ComplianceState.COMPLIANT, t));
        }
        g.compliance().upsertAll(before);
        TestNas sw1 = track(nas(g, "127.0.0.1", "radius-secret-one"));
        for (int n = 1000; n < 2000; n++) {
            sw1.start("bulk-" + n, TestDevices.mac(n));
        }
        StringBuilder ndjson = new StringBuilder();
        for (int n = 1000; n < 2000; n++) {
            ndjson.append(DeviceJson.toJson(device(n, ComplianceState.NONCOMPLIANT, t.plusSeconds(1)))).append('\n');
        }
        Path body = Files.writeString(dir.resolve("bulk.ndjson"), ndjson);
        String out = curl("--cacert", c.dataDir().resolve("pki/ca.pem").toString(), "-u", "admin:" + ADMIN_PASSWORD,
                "-X", "POST", "-H", "Content-Type: application/x-ndjson", "--data-binary", "@" + body,
                "https://127.0.0.1:" + g.api().orElseThrow().address().getPort() + "/api/v1/devices:bulk");
        assertTrue(out.contains("HTTP 200"), out);
        List<NasStandIn.Received> got = one.await(1000, 60);
        await(() -> g.coa().orElseThrow().stats().acked() == 1000, "1000 ACKs");
        assertEquals(1000, got.stream().map(r -> r.text(AttributeType.ACCT_SESSION_ID)).distinct().count());
        // 400/s with bursts of 40: the 1000 cannot arrive in less than (1000 - 40) / 400 s
        double spanSeconds = (got.get(got.size() - 1).receivedNanos() - got.get(0).receivedNanos()) / 1e9;
        assertTrue(spanSeconds >= 0.95 * 960 / 400.0, "1000 CoA in " + spanSeconds + " s: faster than the rate limit");
        assertEquals(0, g.coa().orElseThrow().stats().queueFull());
    }

    @Test
    void operator_reauthBySessionIdOverTheApi_disconnectByMacFromTheCli() throws Exception {
        NasStandIn one = track(new NasStandIn("coa-secret-one"));
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            metrics = "metrics: {host: 127.0.0.1, port: " + s.getLocalPort() + "}";
        }
        NacgwConfig c = config(one.port(), one.port(), "coa-secret-two", "");
        Gateway g = start(c);
        g.compliance().upsert(device(6, ComplianceState.COMPLIANT, Instant.now().minusSeconds(60)));
        TestNas sw1 = track(nas(g, "127.0.0.1", "radius-secret-one"));
        sw1.start("op-6", TestDevices.mac(6));
        String id = g.sessions().activeSessionsForMac(TestDevices.mac(6)).get(0).id();
        String base = "https://127.0.0.1:" + g.api().orElseThrow().address().getPort() + "/api/v1/sessions/";
        String ca = c.dataDir().resolve("pki/ca.pem").toString();

        String out = curl("--cacert", ca, "-u", "admin:" + ADMIN_PASSWORD, "-X", "POST", base + id + ":reauthenticate");
        assertTrue(out.contains("HTTP 200") && out.contains("\"answer\":\"ack\"")
                && out.contains("\"sent\":\"CoA-Request reauthenticate\""), out);
        NasStandIn.Received got = one.await(1, 10).get(0);
        assertEquals("op-6", got.text(AttributeType.ACCT_SESSION_ID));
        assertTrue(got.ciscoAvPairs().contains("subscriber:command=reauthenticate"), got.ciscoAvPairs().toString());
        String missing = curl("--cacert", ca, "-u", "admin:" + ADMIN_PASSWORD, "-X", "POST", base + "nope:disconnect");
        assertTrue(missing.contains("HTTP 404"), missing);

        int status = Main.execute(new String[]{"sessions", "reauth", "--mac", TestDevices.mac(6).toRfc3580(),
                "--disconnect", "--config", dir.resolve("nacgw.yaml").toString()});
        assertEquals(0, status, "every NAS acknowledged");
        assertEquals(RadiusCode.DISCONNECT_REQUEST, one.await(2, 10).get(1).code(), "--disconnect overrides coaAction");
        assertEquals(1, Main.execute(new String[]{"sessions", "reauth", "--mac", "02:00:00:00:99:99",
                "--config", dir.resolve("nacgw.yaml").toString()}), "no active session for that MAC");
        g.close();
        String audit = Files.readString(c.dataDir().resolve("audit.jsonl"));
        assertTrue(audit.contains("\"trigger\":\"operator\",\"reason\":\"operator: disconnect\""), audit);
    }

    @Test
    void policyReload_thatChangesAnActiveSessionsAnswer_sendsCoa() throws Exception {
        NasStandIn one = track(new NasStandIn("coa-secret-one"));
        NacgwConfig c = config(one.port(), one.port(), "coa-secret-two", "");
        Gateway g = start(c);
        g.compliance().upsert(device(7, ComplianceState.COMPLIANT, Instant.now().minusSeconds(60)));
        TestNas sw1 = track(nas(g, "127.0.0.1", "radius-secret-one"));
        assertEquals("100", sw1.mab(TestDevices.mac(7)));
        sw1.start("reload-7", TestDevices.mac(7));
        Path f = dir.resolve("nacgw.yaml");
        Files.writeString(f, Files.readString(f).replace("allow: {vlan: \"100\"}", "allow: {vlan: \"110\"}"));
        g.reload(new ConfigLoader().load(f, Map.of(), new Properties()));
        NasStandIn.Received got = one.await(1, 20).get(0);
        assertEquals("reload-7", got.text(AttributeType.ACCT_SESSION_ID));
        await(() -> g.coa().orElseThrow().stats().acked() == 1, "the ACK", () -> coaState(g, one, TestDevices.mac(7)));
        assertEquals("110", sw1.mab(TestDevices.mac(7)), "the re-authentication gets the new VLAN");
        g.close();
        String audit = Files.readString(c.dataDir().resolve("audit.jsonl"));
        assertTrue(audit.contains("\"trigger\":\"policy-reload\",\"reason\":\"profile wifi: allow -> allow (compliant)\""), audit);
    }

    @Test
    void radsecNas_putNoncompliant_coaArrivesOverItsTlsConnection_thenQuarantine() throws Exception {
        radiusExtra = "radsec: {enabled: true, port: 0}";
        NasStandIn udp = track(new NasStandIn("coa-secret-two")); // sw2's UDP CoA port: must stay silent
        NacgwConfig c = config(udp.port(), udp.port(), "coa-secret-two", ""); // sw2 (generic) is the RadSec NAS
        Gateway g = start(c);
        g.compliance().upsert(device(7, ComplianceState.COMPLIANT, Instant.now().minusSeconds(60)));
        CertificateAuthority ca = CertificateAuthority.open(c.dataDir().resolve("pki"));
        IssuedClient cert = ca.issueClient("sw2", Role.NAS, 30, "p12-pass".toCharArray());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        open.add(() -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly());
        RadSecClient nas = track(RadSecClient.connect(new InetSocketAddress("127.0.0.1",
                g.radius().orElseThrow().radsec().orElseThrow().address().getPort()),
                TlsContexts.client(List.of(ca.layout().caCertificate()), cert.chainFile(), cert.keyFile()), group,
                Duration.ofSeconds(20)).join());
        List<byte[]> coa = new java.util.concurrent.CopyOnWriteArrayList<>();
        Secret radsec = Secret.of("radsec");
        nas.answerServerRequests(d -> {
            int ma = RadiusCrypto.find(d, AttributeType.MESSAGE_AUTHENTICATOR);
            if (!RadiusCrypto.verifyAccountingRequest(radsec, d) || ma < 0
                    || !RadiusCrypto.verifyMessageAuthenticator(radsec, d, ma, true)) {
                return null;
            }
            coa.add(d);
            return NasStandIn.signedReply((d[0] & 0xFF) + 1, d[1] & 0xFF, null, radsec, Arrays.copyOfRange(d, 4, 20));
        });
        String mac = TestDevices.mac(7).toHex12();
        List<Attribute> mab = List.of(Attribute.text(AttributeType.USER_NAME, mac),
                Attribute.text(AttributeType.USER_PASSWORD, mac),
                Attribute.text(AttributeType.CALLING_STATION_ID, TestDevices.mac(7).toRfc3580()));
        byte[] accept = nas.send(RadiusCode.ACCESS_REQUEST, mab, Duration.ofSeconds(20)).join();
        assertEquals(RadiusCode.ACCESS_ACCEPT, accept[0] & 0xFF);
        assertEquals(RadiusCode.ACCOUNTING_RESPONSE, nas.send(RadiusCode.ACCOUNTING_REQUEST, List.of(
                Attribute.integer(AttributeType.ACCT_STATUS_TYPE, 1),
                Attribute.text(AttributeType.ACCT_SESSION_ID, "tls-sess-7"),
                Attribute.text(AttributeType.CALLING_STATION_ID, TestDevices.mac(7).toRfc3580())),
                Duration.ofSeconds(20)).join()[0] & 0xFF);

        String out = put(g, c, device(7, ComplianceState.NONCOMPLIANT, Instant.now()));
        assertTrue(out.contains("HTTP 200") || out.contains("HTTP 204"), out);
        await(() -> g.coa().orElseThrow().stats().acked() == 1, "the ACK read on the TLS connection");
        assertEquals(1, coa.size(), "the CoA came over the NAS's TLS connection");
        byte[] d = coa.get(0);
        assertEquals(RadiusCode.DISCONNECT_REQUEST, d[0] & 0xFF, "a generic NAS: Disconnect-Request");
        assertTrue(new String(d, StandardCharsets.ISO_8859_1).contains("tls-sess-7"), "names the session");
        assertEquals(1, g.coa().orElseThrow().stats().sent(), "one request, nothing by UDP besides");
        byte[] again = nas.send(RadiusCode.ACCESS_REQUEST, mab, Duration.ofSeconds(20)).join();
        assertTrue(new String(again, StandardCharsets.ISO_8859_1).contains("999"), "the re-authentication is quarantined");

        nas.close();
        await(() -> g.radius().orElseThrow().radsec().orElseThrow().links().find("sw2", "127.0.0.1") == null,
                "the connection forgotten");
        g.compliance().upsert(device(7, ComplianceState.COMPLIANT, Instant.now().plusSeconds(1)));
        await(() -> g.coa().orElseThrow().stats().noConnection() == 1, "no connection: not sent, counted");
        assertEquals(1, g.coa().orElseThrow().stats().sent(), "no UDP fallback");
        assertTrue(udp.received().isEmpty(), "nothing ever went to the NAS's UDP CoA port");
    }
}
