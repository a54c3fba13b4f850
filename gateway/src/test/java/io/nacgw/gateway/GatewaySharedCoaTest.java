package io.nacgw.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.store.StoreSettings;
import io.nacgw.core.testing.Needs;
import io.nacgw.core.testing.Postgres;
import io.nacgw.core.testing.TestDevices;
import io.nacgw.gateway.config.ConfigLoader;
import io.nacgw.gateway.config.NacgwConfig;
import io.nacgw.nacapi.json.DeviceJson;
import io.nacgw.nacapi.auth.PasswordHash;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.coa.NasStandIn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared sessions and exactly-once CoA: two gateways on one PostgreSQL schema, FreeRADIUS's radclient as the switch
 * (MAB and accounting to node A), curl as the operator and the MDM partner, one NAS stand-in counting every
 * CoA it receives from either node.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
final class GatewaySharedCoaTest {
    private static final String ADMIN_PASSWORD = "shared coa admin";
    private static final String HASH = PasswordHash.create(ADMIN_PASSWORD.toCharArray(), 10_000).encoded();
    private static final String SECRET = "shared-radius-secret";
    private static final String COA_SECRET = "shared-coa-secret";
    /** Long enough for a second CoA to show: several heartbeats, the grace and the kill -9 case's dead-node timeout. */
    private static final long QUIET_MS = 6_000;
    /**
     * {@code nodeTimeout} where both nodes live: far beyond any heartbeat stall a loaded machine causes (one of 2 s was
     * seen), so "the owner sends it" cannot turn into a take-over; a dead node is tested with {@link #KILL_TIMEOUT}.
     */
    private static final String LIVE_TIMEOUT = "60s";
    /** {@code nodeTimeout} of the kill -9 case, which measures that B waits it out. */
    private static final String KILL_TIMEOUT = "2s";

    @RegisterExtension
    final Postgres pg = new Postgres();
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

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

    private NacgwConfig config(StoreSettings store, String node, int coaPort) throws Exception {
        return config(store, node, coaPort, 0, LIVE_TIMEOUT);
    }

    /**
     * A node's config; {@code authPort} 0: any free ports, else RADIUS on it and the next one (accounting);
     * {@code nodeTimeout} after which the other node takes over its CoA.
     */
    private NacgwConfig config(StoreSettings store, String node, int coaPort, int authPort, String nodeTimeout)
            throws Exception {
        return TestConfig.gateway().line("dataDir: .").line("cluster: {nodeName: " + node + "}")
                .line("store: {url: \"" + store.jdbcUrl() + "\", user: \"" + store.user() + "\", catchUpInterval: 500ms}")
                .apiUser("admin", "admin", HASH).radiusPorts(authPort, authPort == 0 ? 0 : authPort + 1)
                .coa("shared: {heartbeatInterval: 200ms, nodeTimeout: " + nodeTimeout + ", ownerGrace: 1s}")
                .client("sw1", "127.0.0.1/32", SECRET, "vendor: cisco", "coaPort: " + coaPort, "coaSecret: " + COA_SECRET)
                .load(Files.createDirectories(dir.resolve(node)).resolve("nacgw.yaml"));
    }

    /** A node; the last one started is closed first. */
    private Gateway start(NacgwConfig c) {
        return track(Gateway.start(c, Clock.systemUTC()));
    }

    private static String radclient(int port, String command, String attributes) throws Exception {
        return Processes.run(List.of(Needs.executable("freeradius-utils", "/usr/bin/radclient").toString(), "-x", "-t", "5",
                "-r", "2", "127.0.0.1:" + port, command, SECRET), attributes + "\n");
    }

    private static String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Needs.executable("curl", "/usr/bin/curl").toString(), "-sS",
                "--max-time", "30", "-w", "\nHTTP %{http_code}\n"));
        cmd.addAll(List.of(args));
        return Processes.run(cmd, "");
    }

    private static String api(Gateway g, NacgwConfig c, String method, String path, String body) throws Exception {
        List<String> args = new ArrayList<>(List.of("--cacert", c.dataDir().resolve("pki/ca.pem").toString(), "-u",
                "admin:" + ADMIN_PASSWORD, "-X", method));
        if (body != null) {
            args.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", body));
        }
        args.add("https://127.0.0.1:" + g.api().orElseThrow().address().getPort() + path);
        return curl(args.toArray(String[]::new));
    }

    private static DeviceRecord device(int n, ComplianceState state, Instant modified) {
        return TestDevices.compliant(n).lastCheckIn(Instant.now()).lastModified(modified).complianceState(state).build();
    }

    /** The switch authorises {@code mac} by MAB and starts accounting for it, both at node {@code g}. */
    private static void mabAndStart(Gateway g, MacAddress mac, String acctSessionId) throws Exception {
        mabAndStart(g.radius().orElseThrow().authAddress().getPort(), g.radius().orElseThrow().acctAddress().getPort(),
                mac, acctSessionId);
    }

    private static void mabAndStart(int authPort, int acctPort, MacAddress mac, String acctSessionId) throws Exception {
        String hex = mac.toHex12().toLowerCase(java.util.Locale.ROOT);
        String accept = radclient(authPort, "auth", "User-Name = \"" + hex
                + "\", User-Password = \"" + hex + "\", Calling-Station-Id = \"" + mac.toRfc3580()
                + "\", Service-Type = Call-Check, NAS-IP-Address = 127.0.0.1, NAS-Port = 10, Message-Authenticator = 0x00");
        assertTrue(accept.contains("Received Access-Accept"), accept);
        String start = radclient(acctPort, "acct", "Acct-Status-Type = Start, "
                + "Acct-Session-Id = \"" + acctSessionId + "\", Calling-Station-Id = \"" + mac.toRfc3580()
                + "\", NAS-IP-Address = 127.0.0.1, NAS-Port = 10");
        assertTrue(start.contains("Received Accounting-Response"), start);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** The CoA requests the stand-in got once no more arrive for {@link #QUIET_MS} after the first {@code n}. */
    private static List<NasStandIn.Received> settled(NasStandIn nas, int n) throws InterruptedException {
        nas.await(n, 60);
        Thread.sleep(QUIET_MS); // a duplicate from the other node would arrive in this window
        return nas.received();
    }

    private static JsonNode sessionsOf(Gateway g, NacgwConfig c, MacAddress mac) throws Exception {
        String out = api(g, c, "GET", "/api/v1/sessions?active=true&mac=" + mac.toRfc3580(), null);
        assertTrue(out.contains("HTTP 200"), out);
        return new ObjectMapper().readTree(out.substring(0, out.lastIndexOf("\nHTTP"))).path("sessions");
    }

    /** Two nodes on a fresh schema and the NAS both send CoA to. */
    private record Nodes(NasStandIn nas, NacgwConfig ca, Gateway a, NacgwConfig cb, Gateway b) {
    }

    private Nodes nodes() throws Exception {
        StoreSettings store = pg.freshSchema();
        NasStandIn nas = track(new NasStandIn(COA_SECRET));
        NacgwConfig ca = config(store, "node-a", nas.port());
        NacgwConfig cb = config(store, "node-b", nas.port());
        return new Nodes(nas, ca, start(ca), cb, start(cb));
    }

    /** Device {@code n}, compliant since {@code t}, with a session authorised and accounted at A (A owns it). */
    private static void sessionOnA(Nodes x, int n, Instant t) throws Exception {
        x.a().compliance().upsert(device(n, ComplianceState.COMPLIANT, t));
        await(() -> x.b().compliance().findResident(TestDevices.mac(n)) != null, "device " + n + " on B");
        mabAndStart(x.a(), TestDevices.mac(n), "acct-" + n);
        await(() -> x.b().sessions().activeSessionsForMac(TestDevices.mac(n)).size() == 1
                && x.b().sessions().activeSessionsForMac(TestDevices.mac(n)).get(0).verdict() != null, "the session");
    }

    @Test
    void accountingOnA_sessionListedOnB_operatorReauthOnB_reachesTheNasOnce() throws Exception {
        Nodes x = nodes();
        NasStandIn nas = x.nas();
        Gateway a = x.a();
        Gateway b = x.b();
        NacgwConfig cb = x.cb();
        sessionOnA(x, 1, Instant.now().minusSeconds(60));

        await(() -> {
            try {
                JsonNode s = sessionsOf(b, cb, TestDevices.mac(1));
                return s.size() == 1 && "acct-1".equals(s.get(0).path("acctSessionId").asText())
                        && "allow".equals(s.get(0).path("verdict").asText());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "the session, accounted and authorised on A, listed by B");
        JsonNode s = sessionsOf(b, cb, TestDevices.mac(1)).get(0);
        assertEquals("node-a", s.path("owner").asText(), s.toString());

        String out = api(b, cb, "POST", "/api/v1/sessions/" + s.path("id").asText() + ":reauthenticate", null);
        assertTrue(out.contains("HTTP 200") && out.contains("\"answer\":\"ack\""), out);
        List<NasStandIn.Received> got = settled(nas, 1);
        assertEquals(1, got.size(), "one CoA at the NAS: " + nas.codes());
        assertEquals(RadiusCode.COA_REQUEST, got.get(0).code());
        assertEquals("acct-1", got.get(0).text(AttributeType.ACCT_SESSION_ID));
        assertEquals(1, b.coa().orElseThrow().stats().acked());
        assertEquals(0, a.coa().orElseThrow().stats().sent());
    }

    @Test
    void oneDeviceChange_exactlyOneCoaAcrossBothNodes_fromWhicheverNodeCommitsIt() throws Exception {
        Nodes x = nodes();
        NasStandIn nas = x.nas();
        Gateway a = x.a();
        Gateway b = x.b();
        Instant t = Instant.now().minusSeconds(60);
        sessionOnA(x, 2, t);

        // committed on B (not the owner): A sends it, B leaves it to A
        String put = api(b, x.cb(), "PUT", "/api/v1/devices/" + TestDevices.id(2).canonical(),
                DeviceJson.toJson(device(2, ComplianceState.NONCOMPLIANT, t.plusSeconds(1))));
        assertTrue(put.contains("HTTP 200") || put.contains("HTTP 204"), put);
        List<NasStandIn.Received> got = settled(nas, 1);
        assertEquals(1, got.size(), "one CoA for one change: " + nas.codes());
        assertEquals("acct-2", got.get(0).text(AttributeType.ACCT_SESSION_ID));
        assertEquals(1, a.coa().orElseThrow().stats().sent());
        assertEquals(0, b.coa().orElseThrow().stats().sent());
        await(() -> b.coaCoordinator().orElseThrow().stats().ownerHandled() == 1, "B saw A handle it");

        // committed on A (the owner): the same, the other way round
        a.compliance().upsert(device(2, ComplianceState.COMPLIANT, t.plusSeconds(2)));
        got = settled(nas, 2);
        assertEquals(2, got.size(), "one CoA for the second change: " + nas.codes());
        assertEquals(2, a.coa().orElseThrow().stats().sent());
        assertEquals(0, b.coa().orElseThrow().stats().sent());
        assertEquals(0, b.coaCoordinator().orElseThrow().stats().waiting());
    }

    @Test
    void ownerStopped_theOtherNodeSendsTheCoa_once() throws Exception {
        Nodes x = nodes();
        NasStandIn nas = x.nas();
        Gateway b = x.b();
        Instant t = Instant.now().minusSeconds(60);
        sessionOnA(x, 3, t);
        x.a().close(); // A is gone: its sessions stay in the store, their NAS keeps them

        b.compliance().upsert(device(3, ComplianceState.NONCOMPLIANT, t.plusSeconds(1)));
        List<NasStandIn.Received> got = settled(nas, 1);
        assertEquals(1, got.size(), nas.codes().toString());
        assertEquals("acct-3", got.get(0).text(AttributeType.ACCT_SESSION_ID));
        await(() -> b.coa().orElseThrow().stats().acked() == 1, "the ACK at B");
        assertEquals(1, b.coaCoordinator().orElseThrow().stats().takenOver());
    }

    @Test
    void policyReloadedOnBothNodes_oneCoaFromTheOwner() throws Exception {
        Nodes x = nodes();
        sessionOnA(x, 4, Instant.now().minusSeconds(60));
        for (var node : List.of(x.cb(), x.ca())) {
            Path f = node.dataDir().resolve("nacgw.yaml");
            Files.writeString(f, Files.readString(f).replace("allow: {vlan: \"100\"}", "allow: {vlan: \"110\"}"));
        }
        x.b().reload(new ConfigLoader().load(x.cb().dataDir().resolve("nacgw.yaml"), Map.of(), new Properties()));
        x.a().reload(new ConfigLoader().load(x.ca().dataDir().resolve("nacgw.yaml"), Map.of(), new Properties()));
        List<NasStandIn.Received> got = settled(x.nas(), 1);
        assertEquals(1, got.size(), x.nas().codes().toString());
        assertEquals("acct-4", got.get(0).text(AttributeType.ACCT_SESSION_ID));
        assertEquals(1, x.a().coa().orElseThrow().stats().sent());
        assertEquals(0, x.b().coa().orElseThrow().stats().sent());
    }

    /** Two free UDP ports on 127.0.0.1, the second right after the first (RADIUS authentication and accounting). */
    private static int freeUdpPair() throws Exception {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (var first = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
                int p = first.getLocalPort();
                if (p < 65535) {
                    try (var second = new java.net.DatagramSocket(p + 1, java.net.InetAddress.getLoopbackAddress())) {
                        return p;
                    } catch (java.net.SocketException taken) {
                        // try another
                    }
                }
            }
        }
        throw new IllegalStateException("no two free consecutive UDP ports");
    }

    @Test
    void ownerKilled9_theOtherNodeSendsTheCoaAfterNodeTimeout_once() throws Exception {
        StoreSettings store = pg.freshSchema();
        NasStandIn nas = track(new NasStandIn(COA_SECRET));
        int radiusA = freeUdpPair();
        NacgwConfig ca = config(store, "node-a", nas.port(), radiusA, KILL_TIMEOUT);
        Gateway b = start(config(store, "node-b", nas.port(), 0, KILL_TIMEOUT));
        GatewayProcess a = track(GatewayProcess.start(ca.dataDir().resolve("nacgw.yaml"), dir.resolve("node-a.log"),
                "256m", 180));
        Instant t = Instant.now().minusSeconds(60);
        b.compliance().upsert(device(5, ComplianceState.COMPLIANT, t));
        await(() -> { // A applies it from the change log before the switch asks A
            try {
                return curl("--cacert", ca.dataDir().resolve("pki/ca.pem").toString(), "-u", "admin:" + ADMIN_PASSWORD,
                        "https://127.0.0.1:" + a.apiPort() + "/api/v1/devices/lookup?deviceId="
                                + TestDevices.id(5).canonical()).contains("\"found\":true");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "device 5 at A");
        mabAndStart(radiusA, radiusA + 1, TestDevices.mac(5), "acct-5");
        await(() -> b.sessions().activeSessionsForMac(TestDevices.mac(5)).size() == 1
                && "node-a".equals(b.sessions().activeSessionsForMac(TestDevices.mac(5)).get(0).owner())
                && b.sessions().activeSessionsForMac(TestDevices.mac(5)).get(0).verdict() != null, "A's session");
        await(() -> b.sessions().claims().nodes().containsKey("node-a"), "A's heartbeat");

        a.kill9(); // no shutdown: A's heartbeat stays in the table, ageing
        long killed = System.nanoTime();
        long killedWall = System.currentTimeMillis();
        // A's last beat: under load it can be well before the kill (a stalled heartbeat), so B's wait is measured
        // from it, not from the kill
        Instant lastBeat = b.sessions().claims().nodes().get("node-a").heartbeatAt();
        b.compliance().upsert(device(5, ComplianceState.NONCOMPLIANT, t.plusSeconds(1)));
        List<NasStandIn.Received> got = settled(nas, 1);
        assertEquals(1, got.size(), nas.codes().toString());
        assertEquals("acct-5", got.get(0).text(AttributeType.ACCT_SESSION_ID));
        long receivedWall = killedWall + TimeUnit.NANOSECONDS.toMillis(got.get(0).receivedNanos() - killed);
        assertTrue(receivedWall - lastBeat.toEpochMilli() >= 1_990, "B waited for A's last heartbeat (" + lastBeat
                + ") to age past nodeTimeout (2 s) before taking over; sent after " + (receivedWall
                - lastBeat.toEpochMilli()) + " ms");
        assertEquals(1, b.coaCoordinator().orElseThrow().stats().takenOver());
        await(() -> b.coa().orElseThrow().stats().acked() == 1, "the ACK at B");
    }
}
