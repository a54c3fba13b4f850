package io.nacgw.radius.coa;

import io.nacgw.core.id.MacAddress;
import io.nacgw.radius.CoaAction;
import io.nacgw.radius.FreeRadius;
import io.nacgw.core.testing.MutableClock;
import io.nacgw.radius.NasClient;
import io.nacgw.radius.VendorProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * FreeRADIUS 3.2 as a second NAS stand-in: a private configuration in a temporary directory with a
 * {@code listen { type = coa }} on a free loopback port that requires Message-Authenticator, checks the Request
 * Authenticator with its secret, and answers by what the request carries: ACK when the NAS and session
 * identification and (for CoA) the Cisco reauthenticate command are there, NAK 402 when something is missing,
 * NAK 503 for the session "gone". Skipped where FreeRADIUS is not installed, except with CI=true.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
final class FreeRadiusCoaInteropTest {
    private static final String SECRET = "coa-interop-5176";
    @TempDir
    static Path dir;
    private static FreeRadius server;
    private static int port;
    private static CoaSender sender;
    private static final Map<String, NasClient> CLIENTS = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        port = FreeRadius.freePort();
        server = new FreeRadius("CoA", dir, port);
        writeConfig(server, port);
        server.start();
        CLIENTS.put("cisco", NasClient.builder("cisco", "127.0.0.1", "unused-radius-secret").vendor(VendorProfile.CISCO)
                .coaSecret(SECRET).coaPort(port).build());
        CLIENTS.put("generic", NasClient.builder("generic", "127.0.0.2", SECRET).coaAddress(InetAddress.getLoopbackAddress())
                .coaPort(port).build());
        CLIENTS.put("wrong", NasClient.builder("wrong", "127.0.0.3", "not-the-nas-secret").coaAddress(InetAddress.getLoopbackAddress())
                .coaPort(port).build());
        sender = CoaSender.start(CoaSettings.DEFAULTS.withRetries(2, Duration.ofMillis(300)), CLIENTS::get, r -> { },
                new MutableClock(Instant.now()), r -> { });
    }

    @AfterAll
    static void stop() throws Exception {
        if (sender != null) {
            sender.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static CoaRequest request(String nas, String nasAddress, String session, CoaAction action) {
        return new CoaRequest(nas, nasAddress, null, session, MacAddress.parse("00:11:22:33:44:55"), "001122334455", null,
                null, CoaTrigger.DEVICE_CHANGE, action, null);
    }

    private static CoaResult send(CoaRequest r) throws Exception {
        return sender.submit(r).get(30, TimeUnit.SECONDS);
    }

    private static String log() {
        return server.log();
    }

    @Test
    void ciscoReauthenticate_isAcked() throws Exception {
        CoaResult r = send(request("cisco", "127.0.0.1", "sess-1", null));
        assertEquals(CoaResult.Answer.ACK, r.answer(), r + "\n" + log());
        assertEquals("CoA-Request reauthenticate", r.sent());
    }

    @Test
    void ciscoBouncePort_isNakked402ByThisNasWhichOnlyKnowsReauthenticate() throws Exception {
        CoaResult r = send(request("cisco", "127.0.0.1", "sess-1", CoaAction.BOUNCE_PORT));
        assertEquals(CoaResult.Answer.NAK, r.answer(), r + "\n" + log());
        assertEquals(402, r.errorCause());
    }

    @Test
    void disconnect_isAcked() throws Exception {
        CoaResult r = send(request("generic", "127.0.0.2", "sess-2", null));
        assertEquals(CoaResult.Answer.ACK, r.answer(), r + "\n" + log());
        assertEquals("Disconnect-Request disconnect", r.sent());
    }

    @Test
    void unknownSession_isNakked503_sessionGone() throws Exception {
        CoaResult r = send(request("generic", "127.0.0.2", "gone", null));
        assertEquals(CoaResult.Answer.NAK, r.answer(), r + "\n" + log());
        assertEquals(503, r.errorCause());
        assertEquals(true, r.sessionGone());
    }

    @Test
    void wrongSecret_isIgnoredByFreeRadius_timesOut() throws Exception {
        CoaResult r = send(request("wrong", "127.0.0.3", "sess-3", null));
        assertEquals(CoaResult.Answer.TIMEOUT, r.answer(), r + "\n" + log());
        assertEquals(2, r.attempts());
    }

    private static void writeConfig(FreeRadius fr, int port) throws IOException {
        fr.configure(false, """
                client nacgw {
                \tipaddr = 127.0.0.1
                \tsecret = "SECRET"
                \trequire_message_authenticator = yes
                }
                modules {
                \talways reject {
                \t\trcode = reject
                \t}
                \talways ok {
                \t\trcode = ok
                \t}
                }
                server coa {
                \tlisten {
                \t\ttype = coa
                \t\tipaddr = 127.0.0.1
                \t\tport = PORT
                \t}
                \trecv-coa {
                \t\tif (!&NAS-IP-Address || !&Acct-Session-Id || !&Calling-Station-Id || !&Event-Timestamp) {
                \t\t\tupdate reply {
                \t\t\t\tError-Cause := Missing-Attribute
                \t\t\t}
                \t\t\treject
                \t\t}
                \t\tif (&Acct-Session-Id == "gone") {
                \t\t\tupdate reply {
                \t\t\t\tError-Cause := Session-Context-Not-Found
                \t\t\t}
                \t\t\treject
                \t\t}
                \t\tif (&request:Packet-Type == CoA-Request && &Cisco-AVPair[*] != "subscriber:command=reauthenticate") {
                \t\t\tupdate reply {
                \t\t\t\tError-Cause := Missing-Attribute
                \t\t\t}
                \t\t\treject
                \t\t}
                \t\tok
                \t}
                \tsend-coa {
                \t\tok
                \t}
                }
                """.replace("SECRET", SECRET).replace("PORT", Integer.toString(port)));
    }
}
