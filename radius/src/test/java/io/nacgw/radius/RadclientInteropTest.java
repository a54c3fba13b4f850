package io.nacgw.radius;

import io.nacgw.core.session.Session;
import io.nacgw.core.testing.Needs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * End to end with FreeRADIUS's {@code radclient} (Debian freeradius-utils) against a server bound to 127.0.0.1
 * on free ports: a third-party implementation checks our authenticators, Message-Authenticator and attribute
 * encoding. Must not skip in CI ({@code CI=true}): there a missing radclient fails the build.
 */
final class RadclientInteropTest {
    private static final String RADCLIENT = "/usr/bin/radclient";
    private static TestWorld world;
    private static RadiusServer server;

    @BeforeAll
    static void start() {
        Needs.executable("freeradius-utils", RADCLIENT);
        world = new TestWorld();
        server = RadiusServer.start(TestWorld.settings(),
                List.of(TestWorld.switchClient("127.0.0.1").build()), world.services());
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

    /** What radclient printed and how it exited. */
    record Run(int exit, String output) {
        boolean received(String code) {
            return output.contains("Received " + code);
        }
    }

    private static Run radclient(int port, String command, String secret, String attributes) throws IOException,
            InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(RADCLIENT, "-x", "-t", "1", "-r", "1",
                "127.0.0.1:" + port, command, secret));
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (OutputStream in = proc.getOutputStream()) {
            in.write(attributes.getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream s = proc.getInputStream()) {
            s.transferTo(out);
        }
        if (!proc.waitFor(30, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            fail("radclient did not finish");
        }
        return new Run(proc.exitValue(), out.toString(StandardCharsets.UTF_8));
    }

    private static Run auth(String attributes) throws Exception {
        return radclient(server.authAddress().getPort(), "auth", TestWorld.SECRET, attributes);
    }

    private static String mab(String mac) {
        return "User-Name = \"" + mac.replace("-", "").toLowerCase() + "\", User-Password = \""
                + mac.replace("-", "").toLowerCase() + "\", Calling-Station-Id = \"" + mac + "\", "
                + "Service-Type = Call-Check, NAS-Port-Type = Ethernet, Message-Authenticator = 0x00";
    }

    @Test
    void radclient_compliantMab_getsAcceptWithVlan() throws Exception {
        Run r = auth(mab("00-11-22-33-44-01"));
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
        Run r = auth(mab("00-11-22-33-44-02"));
        assertTrue(r.received("Access-Reject"), r.output());
        assertTrue(r.output().contains("Reply-Message = \"Denied: the device is not compliant"), r.output());
    }

    @Test
    void radclient_unknownDeviceOnGuestSsid_isQuarantinedWithRedirect() throws Exception {
        Run r = auth(mab("00-11-22-33-44-0F") + ", Called-Station-Id = \"AA-BB-CC-DD-EE-FF:guest\"");
        assertTrue(r.received("Access-Accept"), r.output());
        assertTrue(r.output().contains("Tunnel-Private-Group-Id:0 = \"999\""), r.output());
        assertTrue(r.output().contains("Cisco-AVPair = \"url-redirect=https://portal.example.com/q\""), r.output());
        assertTrue(r.output().contains("Cisco-AVPair = \"url-redirect-acl=REDIRECT-ACL\""), r.output());
    }

    @Test
    void radclient_unknownDeviceOnCorp_isRejected() throws Exception {
        Run r = auth(mab("00-11-22-33-44-0F"));
        assertTrue(r.received("Access-Reject"), r.output());
    }

    @Test
    void radclient_chapMab_isAccepted() throws Exception {
        Run r = auth("User-Name = \"00-11-22-33-44-01\", CHAP-Password = \"00-11-22-33-44-01\", "
                + "Calling-Station-Id = \"00-11-22-33-44-01\", Service-Type = Call-Check, Message-Authenticator = 0x00");
        assertTrue(r.received("Access-Accept"), r.output());
    }

    @Test
    void radclient_wrongSecret_getsNoAnswer() throws Exception {
        long before = server.stats().drops(DropReason.BAD_MESSAGE_AUTHENTICATOR);
        Run r = radclient(server.authAddress().getPort(), "auth", "wrong-secret", mab("00-11-22-33-44-01"));
        assertTrue(!r.output().contains("Received "), r.output());
        assertTrue(r.exit() != 0, r.output());
        assertTrue(server.stats().drops(DropReason.BAD_MESSAGE_AUTHENTICATOR) >= before + 1);
    }

    @Test
    void radclient_statusServer_isAnsweredOnBothPorts() throws Exception {
        Run auth = radclient(server.authAddress().getPort(), "status", TestWorld.SECRET,
                "Message-Authenticator = 0x00");
        assertTrue(auth.received("Access-Accept"), auth.output());
        Run acct = radclient(server.acctAddress().getPort(), "status", TestWorld.SECRET,
                "Message-Authenticator = 0x00");
        assertTrue(acct.received("Accounting-Response"), acct.output());
    }

    @Test
    void radclient_accountingStartStop_buildsSessionRow() throws Exception {
        String common = "Acct-Session-Id = \"radclient-1\", User-Name = \"001122334401\", "
                + "Calling-Station-Id = \"00-11-22-33-44-01\", Framed-IP-Address = 10.9.8.7, "
                + "Class = \"nacgw:0123456789abcdef\"";
        Run start = radclient(server.acctAddress().getPort(), "acct", TestWorld.SECRET,
                "Acct-Status-Type = Start, " + common);
        assertTrue(start.received("Accounting-Response"), start.output());
        Session live = world.sessions.get("127.0.0.1", "radclient-1").orElseThrow();
        assertTrue(live.live());
        assertEquals(TestWorld.COMPLIANT_ID, live.deviceId());
        assertEquals("10.9.8.7", live.framedIp());
        assertEquals("nacgw:0123456789abcdef", live.classValue());
        Run stop = radclient(server.acctAddress().getPort(), "acct", TestWorld.SECRET,
                "Acct-Status-Type = Stop, Acct-Terminate-Cause = User-Request, " + common);
        assertTrue(stop.received("Accounting-Response"), stop.output());
        Session ended = world.sessions.get("127.0.0.1", "radclient-1").orElseThrow();
        assertTrue(!ended.live());
        assertEquals(1, ended.terminateCause());
    }
}
