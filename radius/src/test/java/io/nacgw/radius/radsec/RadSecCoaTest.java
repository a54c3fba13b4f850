package io.nacgw.radius.radsec;

import io.nacgw.core.id.MacAddress;
import io.nacgw.radius.DropReason;
import io.nacgw.core.session.NasTransport;
import io.nacgw.core.session.Session;
import io.nacgw.radius.Replies;
import io.nacgw.radius.TestWorld;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadSec;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.codec.RadiusCrypto;
import io.nacgw.radius.coa.CoaRequest;
import io.nacgw.radius.coa.CoaResult;
import io.nacgw.radius.coa.CoaSender;
import io.nacgw.radius.coa.CoaSettings;
import io.nacgw.radius.coa.CoaTrigger;
import io.nacgw.radius.coa.NasStandIn;
import io.nacgw.radius.proxy.RadSecClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CoA to a RadSec NAS (RFC 6614 §2.5 with RFC 5176): the request goes over the TLS connection the NAS opened, signed
 * with the secret {@code radsec}, and the NAS's answer on that connection completes it; with no connection open the
 * CoA is not sent (no UDP fallback). The NAS is a {@link RadSecClient} answering like a switch.
 */
final class RadSecCoaTest {
    private static final MacAddress MAC = MacAddress.parse("00:11:22:33:44:55");

    @TempDir
    Path dir;
    private RadSecFixture f;
    private CoaSender sender;
    private final List<byte[]> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        f = new RadSecFixture(dir);
    }

    @AfterEach
    void stop() {
        if (sender != null) {
            sender.close();
        }
        f.close();
    }

    private void sender(CoaSettings settings) {
        sender = CoaSender.start(settings, f.radius::client, a -> { }, Clock.systemUTC(), r -> { }, f.radsec.links());
    }

    private static CoaRequest request(String radsecPeer) {
        return new CoaRequest("switch", "192.0.2.1", "s-1", "acct-7", MAC, null, null, null, CoaTrigger.OPERATOR,
                null, null, radsecPeer);
    }

    /** A NAS on a RadSec connection that checks each CoA with the secret radsec and answers as {@code answer} says. */
    private RadSecClient nas(Function<byte[], NasStandIn.Answer> answer) {
        RadSecClient c = f.connect();
        c.answerServerRequests(d -> {
            int ma = RadiusCrypto.find(d, AttributeType.MESSAGE_AUTHENTICATOR);
            if (!RadiusCrypto.verifyAccountingRequest(RadSec.SECRET, d) || ma < 0
                    || !RadiusCrypto.verifyMessageAuthenticator(RadSec.SECRET, d, ma, true)) {
                return null;
            }
            received.add(d);
            NasStandIn.Answer a = answer.apply(d);
            return a.silent() ? null : NasStandIn.signedReply((d[0] & 0xFF) + (a.ack() ? 1 : 2), d[1] & 0xFF,
                    a.errorCause(), RadSec.SECRET, Arrays.copyOfRange(d, 4, 20));
        });
        RadSecFixture.await("the NAS's connection is known", () -> f.radsec.links().find("switch", "127.0.0.1") != null);
        return c;
    }

    @Test
    void coa_forARadSecSession_goesOverTheNasConnection_andItsAckCompletesIt() throws Exception {
        sender(CoaSettings.DEFAULTS);
        try (RadSecClient c = nas(d -> NasStandIn.Answer.ACK)) {
            CoaResult r = sender.submit(request("127.0.0.1")).get(20, TimeUnit.SECONDS);

            assertEquals(CoaResult.Answer.ACK, r.answer());
            assertEquals(1, received.size(), "the CoA came over the TLS connection");
            byte[] d = received.get(0);
            assertEquals(RadiusCode.COA_REQUEST, d[0] & 0xFF, "switch is a Cisco client: CoA-Request reauthenticate");
            List<Attribute> attrs = Replies.attributes(d);
            assertEquals("acct-7", text(attrs, AttributeType.ACCT_SESSION_ID));
            assertEquals("127.0.0.1:" + c.localAddress().getPort(), r.destination(),
                    "the destination is the NAS's end of the connection");
            assertEquals(1, sender.stats().acked());
            assertEquals(0, sender.stats().noConnection());
        }
    }

    @Test
    void mabOverRadSec_recordsARadSecSession_whoseCoaGoesBackOverTheConnection() throws Exception {
        sender(CoaSettings.DEFAULTS);
        try (RadSecClient c = nas(d -> NasStandIn.Answer.ACK)) {
            assertEquals(RadiusCode.ACCESS_ACCEPT, RadSecFixture.accessRequest(c, TestWorld.COMPLIANT)[0] & 0xFF);
            RadSecFixture.await("the Accept recorded as a session",
                    () -> !f.world.sessions.activeSessionsForMac(TestWorld.COMPLIANT).isEmpty());
            Session s = f.world.sessions.activeSessionsForMac(TestWorld.COMPLIANT).get(0);
            assertEquals(NasTransport.RADSEC, s.nas().transport());
            assertEquals("127.0.0.1", s.nas().source());

            CoaResult r = sender.submit(CoaRequest.of(s, CoaTrigger.OPERATOR, null, "test")).get(20, TimeUnit.SECONDS);
            assertEquals(CoaResult.Answer.ACK, r.answer());
            assertEquals(1, received.size());
            assertEquals(TestWorld.COMPLIANT, MacAddress.parse(text(Replies.attributes(received.get(0)),
                    AttributeType.CALLING_STATION_ID)));
        }
    }

    @Test
    void nak503_overTheConnection_isANakWithItsErrorCause() throws Exception {
        sender(CoaSettings.DEFAULTS);
        try (RadSecClient c = nas(d -> NasStandIn.Answer.nak(CoaResult.SESSION_CONTEXT_NOT_FOUND))) {
            CoaResult r = sender.submit(request("127.0.0.1")).get(20, TimeUnit.SECONDS);
            assertEquals(CoaResult.Answer.NAK, r.answer());
            assertEquals(CoaResult.SESSION_CONTEXT_NOT_FOUND, r.errorCause());
        }
    }

    @Test
    void noConnectionFromThatNas_isNotSent_andCountedAsNoConnection() throws Exception {
        sender(CoaSettings.DEFAULTS);
        CoaResult r = sender.submit(request("127.0.0.1")).get(20, TimeUnit.SECONDS);
        assertEquals(CoaResult.Answer.NO_CONNECTION, r.answer());
        assertEquals(0, r.attempts());
        assertEquals(1, sender.stats().noConnection());
        assertEquals(0, sender.stats().sent(), "no UDP fallback");
    }

    @Test
    void afterTheNasClosedItsConnection_theCoaIsNotSent() throws Exception {
        sender(CoaSettings.DEFAULTS);
        nas(d -> NasStandIn.Answer.ACK).close();
        RadSecFixture.await("the closed connection is forgotten", () -> f.radsec.links().find("switch", "127.0.0.1") == null);
        CoaResult r = sender.submit(request("127.0.0.1")).get(20, TimeUnit.SECONDS);
        assertEquals(CoaResult.Answer.NO_CONNECTION, r.answer());
        assertTrue(received.isEmpty());
    }

    @Test
    void silentNas_isNotRetransmittedOnTheConnection_andTimesOut() throws Exception {
        sender(new CoaSettings(true, 3, Duration.ofMillis(50), 32, 100, 1000));
        try (RadSecClient c = nas(d -> NasStandIn.Answer.SILENT)) {
            CoaResult r = sender.submit(request("127.0.0.1")).get(20, TimeUnit.SECONDS);
            assertEquals(CoaResult.Answer.TIMEOUT, r.answer());
            assertEquals(1, r.attempts(), "TCP: one transmission (RFC 6613 §2.6.1)");
            assertEquals(1, received.size());
            assertEquals(0, sender.stats().retransmitted());
        }
    }

    @Test
    void coaAnswerWhileCoaIsOff_isCounted_andTheConnectionKeepsServing() throws Exception {
        try (RadSecClient c = f.connect()) {
            byte[] ack = NasStandIn.signedReply(RadiusCode.COA_ACK, 9, null, RadSec.SECRET, new byte[16]);
            c.writeRaw(ack).syncUninterruptibly();
            byte[] reply = RadSecFixture.accessRequest(c, MAC);
            assertNotNull(reply);
            assertEquals(1, f.radius.stats().drops(DropReason.UNSOLICITED_COA_ANSWER));
            assertTrue(c.isOpen());
        }
    }

    private static String text(List<Attribute> attrs, int type) {
        return attrs.stream().filter(a -> !a.isVendor() && a.type() == type).findFirst().map(Attribute::asText)
                .orElse(null);
    }
}
