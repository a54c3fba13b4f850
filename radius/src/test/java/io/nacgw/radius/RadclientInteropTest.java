package io.nacgw.radius;

import io.nacgw.core.session.Session;
import io.nacgw.core.testing.Needs;
import io.nacgw.radius.Radclient.Run;
import io.nacgw.radius.bootstrap.RadiusServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * End to end with FreeRADIUS's {@code radclient} (Debian freeradius-utils) against a server bound to {@code ::}
 * (the dual-stack default) on free ports, reached over 127.0.0.1 and ::1: a third-party implementation checks our
 * authenticators, Message-Authenticator and attribute encoding. Must not skip in CI ({@code CI=true}): there a
 * missing radclient fails the build.
 */
final class RadclientInteropTest {
    private static TestWorld world;
    private static RadiusServer server;

    @BeforeAll
    static void start() {
        Needs.executable("freeradius-utils", Radclient.BINARY);
        world = new TestWorld();
        server = RadiusServer.start(TestWorld.settings().withBindAddress("::"), List.of(
                TestWorld.switchClient("127.0.0.1").build(),
                NasClient.builder("switch6", "::1/128", TestWorld.SECRET).profile("corp").build()), world.services());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (world != null) {
            world.close();
        }
    }

    private static Run radclient(int port, String command, String secret, String attributes) throws IOException,
            InterruptedException {
        return radclient("127.0.0.1", port, command, secret, attributes);
    }

    private static Radclient.Run radclient(String host, int port, String command, String secret, String attributes)
            throws IOException, InterruptedException {
        return Radclient.run(host, port, command, secret, attributes, 5, 2); // a loaded CI machine
    }

    private static Radclient.Run auth(String attributes) throws Exception {
        return radclient(server.authAddress().getPort(), "auth", TestWorld.SECRET, attributes);
    }

    private static String mab(String mac) {
        return "User-Name = \"" + mac.replace("-", "").toLowerCase() + "\", User-Password = \""
                + mac.replace("-", "").toLowerCase() + "\", Calling-Station-Id = \"" + mac + "\", "
                + "Service-Type = Call-Check, NAS-Port-Type = Ethernet, Message-Authenticator = 0x00";
    }

    @Test
    void radclient_compliantMab_getsAcceptWithVlan() throws Exception {
        Radclient.Run r = auth(mab("00-11-22-33-44-01"));
        assertTrue(r.received("Access-Accept"), r.output());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("Tunnel-Type:0 = VLAN"), r.output());
        assertTrue(r.output().contains("Tunnel-Medium-Type:0 = IEEE-802"), r.output());
        assertTrue(r.output().contains("Tunnel-Private-Group-Id:0 = \"100\""), r.output());
        assertTrue(r.output().contains("Filter-Id = \"corp-acl\""), r.output());
        assertTrue(r.output().contains("Session-Timeout = 3600"), r.output());
        assertTrue(r.output().contains("Termination-Action = RADIUS-Request"), r.output());
        assertTrue(r.output().matches("(?s).*Class = 0x6e616367773a[0-9a-f]{32}.*"), r.output());
    }

    @Test
    void radclient_noncompliantMab_getsRejectWithReplyMessage() throws Exception {
        Radclient.Run r = auth(mab("00-11-22-33-44-02"));
        assertTrue(r.received("Access-Reject"), r.output());
        assertTrue(r.output().contains("Reply-Message = \"Denied: the device is not compliant"), r.output());
    }

    @Test
    void radclient_unknownDeviceOnGuestSsid_isQuarantinedWithRedirect() throws Exception {
        Radclient.Run r = auth(mab("00-11-22-33-44-0F") + ", Called-Station-Id = \"AA-BB-CC-DD-EE-FF:guest\"");
        assertTrue(r.received("Access-Accept"), r.output());
        assertTrue(r.output().contains("Tunnel-Private-Group-Id:0 = \"999\""), r.output());
        assertTrue(r.output().contains("Cisco-AVPair = \"url-redirect=https://portal.example.com/q\""), r.output());
        assertTrue(r.output().contains("Cisco-AVPair = \"url-redirect-acl=REDIRECT-ACL\""), r.output());
    }

    @Test
    void radclient_unknownDeviceOnCorp_isRejected() throws Exception {
        Radclient.Run r = auth(mab("00-11-22-33-44-0F"));
        assertTrue(r.received("Access-Reject"), r.output());
    }

    @Test
    void radclient_chapMab_isAccepted() throws Exception {
        Radclient.Run r = auth("User-Name = \"00-11-22-33-44-01\", CHAP-Password = \"00-11-22-33-44-01\", "
                + "Calling-Station-Id = \"00-11-22-33-44-01\", Service-Type = Call-Check, Message-Authenticator = 0x00");
        assertTrue(r.received("Access-Accept"), r.output());
    }

    @Test
    void radclient_wrongSecret_getsNoAnswer() throws Exception {
        long before = server.stats().drops(DropReason.BAD_MESSAGE_AUTHENTICATOR);
        Radclient.Run r = radclient(server.authAddress().getPort(), "auth", "wrong-secret", mab("00-11-22-33-44-01"));
        assertTrue(!r.output().contains("Received "), r.output());
        assertTrue(r.exit() != 0, r.output());
        assertTrue(server.stats().drops(DropReason.BAD_MESSAGE_AUTHENTICATOR) >= before + 1);
    }

    @Test
    void radclient_statusServer_isAnsweredOnBothPorts() throws Exception {
        Radclient.Run auth = radclient(server.authAddress().getPort(), "status", TestWorld.SECRET,
                "Message-Authenticator = 0x00");
        assertTrue(auth.received("Access-Accept"), auth.output());
        Radclient.Run acct = radclient(server.acctAddress().getPort(), "status", TestWorld.SECRET,
                "Message-Authenticator = 0x00");
        assertTrue(acct.received("Accounting-Response"), acct.output());
    }

    @Test
    void radclient_accountingStartStop_buildsSessionRow() throws Exception {
        String common = "Acct-Session-Id = \"radclient-1\", User-Name = \"001122334401\", "
                + "Calling-Station-Id = \"00-11-22-33-44-01\", Framed-IP-Address = 10.9.8.7, "
                + "Class = \"nacgw:0123456789abcdef\"";
        Radclient.Run start = radclient(server.acctAddress().getPort(), "acct", TestWorld.SECRET,
                "Acct-Status-Type = Start, " + common);
        assertTrue(start.received("Accounting-Response"), start.output());
        Session live = world.sessions.get("ip:127.0.0.1", "radclient-1").orElseThrow();
        assertTrue(live.active(world.clock.instant()));
        assertEquals(TestWorld.COMPLIANT_ID, live.deviceId());
        assertEquals("10.9.8.7", live.framedIp());
        assertEquals("nacgw:0123456789abcdef", live.classValue());
        Radclient.Run stop = radclient(server.acctAddress().getPort(), "acct", TestWorld.SECRET,
                "Acct-Status-Type = Stop, Acct-Terminate-Cause = User-Request, " + common);
        assertTrue(stop.received("Accounting-Response"), stop.output());
        Session ended = world.sessions.get("ip:127.0.0.1", "radclient-1").orElseThrow();
        assertTrue(!ended.active(world.clock.instant()));
        assertEquals(1, ended.terminateCause());
    }

    @Test
    void radclient_overIpv6AndIpv4_isAnsweredByTheDualStackServer() throws Exception {
        assertTrue(server.authAddress().getAddress().getAddress().length == 16, "bound to " + server.authAddress());
        for (String host : List.of("::1", "127.0.0.1")) {
            Radclient.Run r = radclient(host, server.authAddress().getPort(), "auth", TestWorld.SECRET, mab("00-11-22-33-44-01"));
            assertTrue(r.received("Access-Accept"), host + ": " + r.output());
        }
        String ipv6Start = "Acct-Status-Type = Start, Acct-Session-Id = \"v6-1\", Calling-Station-Id = \"00-11-22-33-44-01\"";
        Radclient.Run acct = radclient("::1", server.acctAddress().getPort(), "acct", TestWorld.SECRET, ipv6Start);
        assertTrue(acct.received("Accounting-Response"), acct.output());
        Session s = world.sessions.get("ipv6:::1", "v6-1").orElseThrow();
        assertEquals("switch6", s.nas().client());
    }

    /** HPE, D-Link, dotted pairs and Huawei spellings in User-Name, User-Password, CHAP and Calling-Station-Id. */
    @Test
    void radclient_vendorMacSpellings_areAccepted() throws Exception {
        for (String m : List.of("001122-334401", "001122.334401", "00.11.22.33.44.01", "0011:2233:4401")) {
            String upper = m.toUpperCase(java.util.Locale.ROOT);
            Radclient.Run pap = auth("User-Name = \"" + m + "\", User-Password = \"" + m + "\", Calling-Station-Id = \""
                    + upper + "\", Service-Type = Call-Check, Message-Authenticator = 0x00");
            assertTrue(pap.received("Access-Accept"), m + " (PAP): " + pap.output());
            Radclient.Run chap = auth("User-Name = \"" + upper + "\", CHAP-Password = \"" + m + "\", Calling-Station-Id = \""
                    + m + "\", Service-Type = Call-Check, Message-Authenticator = 0x00");
            assertTrue(chap.received("Access-Accept"), m + " (CHAP): " + chap.output());
        }
    }

    /** One source (a proxy) speaking for two switches that reuse one Acct-Session-Id; Accounting-On from one. */
    @Test
    void radclient_twoNasIpAddressesFromOneSource_areTwoNases() throws Exception {
        int port = server.acctAddress().getPort();
        String common = "Acct-Session-Id = \"proxied-1\", Calling-Station-Id = \"00-11-22-33-44-01\", ";
        for (String record : List.of(common + "Acct-Status-Type = Start, NAS-IP-Address = 10.20.0.1",
                common + "Acct-Status-Type = Start, NAS-IP-Address = 10.20.0.2",
                "Acct-Status-Type = Accounting-On, NAS-IP-Address = 10.20.0.2")) {
            Radclient.Run r = radclient(port, "acct", TestWorld.SECRET, record);
            assertTrue(r.received("Accounting-Response"), r.output());
        }
        java.time.Instant now = world.clock.instant();
        assertTrue(world.sessions.get("ip:10.20.0.1", "proxied-1").orElseThrow().active(now), "switch A untouched");
        assertTrue(!world.sessions.get("ip:10.20.0.2", "proxied-1").orElseThrow().active(now), "switch B rebooted");
        assertEquals("127.0.0.1", world.sessions.get("ip:10.20.0.1", "proxied-1").orElseThrow().nas().source());
    }
}
