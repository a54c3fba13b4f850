package io.nacgw.radius.coa;

import io.nacgw.core.id.MacAddress;
import io.nacgw.radius.CoaAction;
import io.nacgw.radius.DropReason;
import io.nacgw.core.testing.MutableClock;
import io.nacgw.radius.NasClient;
import io.nacgw.radius.Replies;
import io.nacgw.core.secret.Secret;
import io.nacgw.radius.VendorProfile;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.codec.RadiusCrypto;
import io.nacgw.radius.server.Counters;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CoA state machine with a hand-moved clock and a capturing transport: nothing sleeps, nothing binds. */
final class CoaEngineTest {
    private static final String SECRET = "coa-secret-5176";
    private static final MacAddress MAC = MacAddress.parse("00:11:22:33:44:55");
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private record Sent(InetSocketAddress to, byte[] packet) {
        int code() {
            return packet[0] & 0xFF;
        }

        int id() {
            return packet[1] & 0xFF;
        }

        byte[] authenticator() {
            return Arrays.copyOfRange(packet, 4, 20);
        }
    }

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T05:00:00Z"));
    private long now = 1_000 * SECOND;
    private final List<Sent> sent = new ArrayList<>();
    private final List<CoaResult> results = new ArrayList<>();
    private final Map<String, NasClient> clients = new HashMap<>();
    private final Counters counters = new Counters(clock);
    private CoaEngine engine;

    CoaEngineTest() {
        clients.put("switch", NasClient.builder("switch", "10.0.0.0/24", "radius-secret")
                .vendor(VendorProfile.CISCO).coaSecret(SECRET).build());
        clients.put("aruba", NasClient.builder("aruba", "10.0.1.0/24", SECRET).vendor(VendorProfile.ARUBA).build());
        clients.put("bouncer", NasClient.builder("bouncer", "10.0.2.0/24", SECRET).vendor(VendorProfile.CISCO)
                .coaAction(CoaAction.BOUNCE_PORT).coaPort(1700).coaAddress(ip("192.0.2.7")).build());
        engine(CoaSettings.DEFAULTS);
    }

    private void engine(CoaSettings s) {
        engine = new CoaEngine(s, clients::get, (to, p) -> sent.add(new Sent(to, p)), () -> now, clock, results::add,
                counters, null);
    }

    private static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CoaRequest request(String nas, String nasAddress, String session) {
        return new CoaRequest(nas, nasAddress, null, session, MAC, "00-11-22-33-44-55", "0A0000010000001234ABCD",
                "11111111-2222-4333-8444-000000000001", CoaTrigger.DEVICE_CHANGE, null, "allow -> quarantine");
    }

    private CompletableFuture<CoaResult> submit(CoaRequest r) {
        CoaEngine.Pending p = new CoaEngine.Pending(r, new CompletableFuture<>(), now);
        if (engine.admit(p)) {
            engine.enqueue(p);
        }
        return p.future;
    }

    private void reply(Sent s, int code, Integer cause) {
        engine.onReply(s.to(), NasStandIn.signedReply(code, s.id(), cause, Secret.of(SECRET), s.authenticator()));
    }

    private void advance(long nanos) {
        now += nanos;
        clock.advance(Duration.ofNanos(nanos));
        engine.tick();
    }

    @Test
    void cisco_reauthenticate_isSignedCoaRequestNamingTheSession() {
        CompletableFuture<CoaResult> f = submit(request("switch", "10.0.0.5", "sess-1"));
        assertEquals(1, sent.size());
        Sent s = sent.get(0);
        assertEquals(new InetSocketAddress(ip("10.0.0.5"), 3799), s.to());
        assertEquals(RadiusCode.COA_REQUEST, s.code());
        Secret secret = Secret.of(SECRET);
        assertTrue(RadiusCrypto.verifyAccountingRequest(secret, s.packet()), "Request Authenticator per RFC 5176 §2.3");
        assertEquals(AttributeType.MESSAGE_AUTHENTICATOR, s.packet()[20] & 0xFF, "Message-Authenticator first");
        assertTrue(RadiusCrypto.verifyMessageAuthenticator(secret, s.packet(), 20, true), "Message-Authenticator");
        assertFalse(RadiusCrypto.verifyAccountingRequest(Secret.of("radius-secret"), s.packet()), "signed with coaSecret");
        List<Attribute> a = Replies.attributes(s.packet());
        assertArrayEquals(ip("10.0.0.5").getAddress(), Replies.first(s.packet(), AttributeType.NAS_IP_ADDRESS).value());
        assertEquals("sess-1", Replies.first(s.packet(), AttributeType.ACCT_SESSION_ID).asText());
        assertEquals("00-11-22-33-44-55", Replies.first(s.packet(), AttributeType.CALLING_STATION_ID).asText());
        assertEquals(clock.instant().getEpochSecond(), Replies.first(s.packet(), AttributeType.EVENT_TIMESTAMP).asInt());
        assertNull(Replies.first(s.packet(), AttributeType.USER_NAME), "Cisco matches by its own session ids");
        assertEquals(List.of("audit-session-id=0A0000010000001234ABCD", CoaPackets.CISCO_REAUTHENTICATE,
                CoaPackets.CISCO_REAUTH_LAST), a.stream().filter(Attribute::isVendor).map(Attribute::asText).toList());
        assertFalse(f.isDone());

        advance(SECOND / 100);
        reply(s, RadiusCode.COA_ACK, null);
        CoaResult r = f.join();
        assertEquals(CoaResult.Answer.ACK, r.answer());
        assertEquals(1, r.attempts());
        assertEquals(SECOND / 100, r.latencyNanos());
        assertEquals("CoA-Request reauthenticate", r.sent());
        assertEquals("10.0.0.5:3799", r.destination());
        assertEquals(List.of(r), results);
        assertEquals(1, engine.stats().acked());
        assertEquals(0, engine.stats().outstanding());
    }

    @Test
    void aruba_getsDisconnectRequestWithUserName() {
        submit(request("aruba", "10.0.1.9", "sess-2"));
        Sent s = sent.get(0);
        assertEquals(RadiusCode.DISCONNECT_REQUEST, s.code());
        assertEquals("00-11-22-33-44-55", Replies.first(s.packet(), AttributeType.USER_NAME).asText());
        assertTrue(Replies.attributes(s.packet()).stream().noneMatch(Attribute::isVendor), "no Cisco AV pairs");
        reply(s, RadiusCode.DISCONNECT_ACK, null);
        assertEquals(CoaResult.Answer.ACK, results.get(0).answer());
        assertEquals("Disconnect-Request disconnect", results.get(0).sent());
    }

    @Test
    void bouncePort_goesToCoaAddressAndPort_withBounceCommand() {
        submit(request("bouncer", "10.0.2.3", "sess-3"));
        Sent s = sent.get(0);
        assertEquals(new InetSocketAddress(ip("192.0.2.7"), 1700), s.to());
        assertArrayEquals(ip("10.0.2.3").getAddress(), Replies.first(s.packet(), AttributeType.NAS_IP_ADDRESS).value(),
                "NAS-IP-Address is the NAS's, not the CoA address");
        assertTrue(Replies.attributes(s.packet()).stream().anyMatch(a -> a.isVendor()
                && a.asText().equals(CoaPackets.CISCO_BOUNCE)));
    }

    @Test
    void operatorDisconnect_overridesTheClientsAction_andIpv6NasGetsNasIpv6Address() {
        submit(new CoaRequest("switch", "2001:db8::5", null, "sess-4", MAC, null, null, null, CoaTrigger.OPERATOR,
                CoaAction.DISCONNECT, null));
        Sent s = sent.get(0);
        assertEquals(RadiusCode.DISCONNECT_REQUEST, s.code());
        assertEquals(16, Replies.first(s.packet(), AttributeType.NAS_IPV6_ADDRESS).length());
        assertNull(Replies.first(s.packet(), AttributeType.NAS_IP_ADDRESS));
        assertEquals("00-11-22-33-44-55", Replies.first(s.packet(), AttributeType.CALLING_STATION_ID).asText());
    }

    @Test
    void acceptOnlySession_withoutAcctSessionId_isIdentifiedByCallingStationId() {
        submit(new CoaRequest("aruba", "10.0.1.9", "s-77", null, MAC, null, null, null, CoaTrigger.DEVICE_CHANGE, null, null));
        Sent s = sent.get(0);
        assertNull(Replies.first(s.packet(), AttributeType.ACCT_SESSION_ID));
        assertEquals("00-11-22-33-44-55", Replies.first(s.packet(), AttributeType.CALLING_STATION_ID).asText());
        reply(s, RadiusCode.DISCONNECT_ACK, null);
        assertTrue(CoaSender.auditRecord(results.get(0), clock).toJson().contains("\"session\":\"s-77\""));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new CoaRequest("aruba",
                "10.0.1.9", null, null, null, null, null, null, CoaTrigger.OPERATOR, null, null));
    }

    @Test
    void noAnswer_retransmitsTheSameDatagramAfter1sAnd2s_thenGivesUpAfter4s() {
        CompletableFuture<CoaResult> f = submit(request("switch", "10.0.0.5", "sess-1"));
        advance(SECOND - 1);
        assertEquals(1, sent.size(), "nothing before the first timeout");
        advance(1);
        assertEquals(2, sent.size());
        assertArrayEquals(sent.get(0).packet(), sent.get(1).packet(), "a retransmission is the identical datagram");
        advance(2 * SECOND - 1);
        assertEquals(2, sent.size());
        advance(1);
        assertEquals(3, sent.size());
        advance(4 * SECOND - 1);
        assertFalse(f.isDone());
        advance(1);
        CoaResult r = f.join();
        assertEquals(CoaResult.Answer.TIMEOUT, r.answer());
        assertEquals(3, r.attempts());
        assertEquals(7 * SECOND, r.latencyNanos());
        assertEquals(3, sent.size());
        assertEquals(1, engine.stats().timedOut());
        assertEquals(2, engine.stats().retransmitted());
        assertEquals(0, engine.stats().outstanding());
    }

    @Test
    void nak503_endsWithSessionGone() {
        CompletableFuture<CoaResult> f = submit(request("switch", "10.0.0.5", "sess-1"));
        reply(sent.get(0), RadiusCode.COA_NAK, CoaResult.SESSION_CONTEXT_NOT_FOUND);
        CoaResult r = f.join();
        assertEquals(CoaResult.Answer.NAK, r.answer());
        assertEquals(503, r.errorCause());
        assertTrue(r.sessionGone());
        assertEquals(Map.of(503, 1L), engine.stats().nakked());
    }

    @Test
    void nak506_isSentAgainUnderANewIdentifierAfterTheBackoff_thenAcked() {
        CompletableFuture<CoaResult> f = submit(request("switch", "10.0.0.5", "sess-1"));
        reply(sent.get(0), RadiusCode.COA_NAK, CoaResult.RESOURCES_UNAVAILABLE);
        assertFalse(f.isDone());
        advance(SECOND - 1);
        assertEquals(1, sent.size());
        advance(1);
        assertEquals(2, sent.size());
        assertNotEquals(sent.get(0).id(), sent.get(1).id());
        reply(sent.get(1), RadiusCode.COA_ACK, null);
        CoaResult r = f.join();
        assertEquals(CoaResult.Answer.ACK, r.answer());
        assertEquals(2, r.attempts());
        assertEquals(Map.of(506, 1L), engine.stats().nakked());
    }

    @Test
    void nak506_onTheLastAttempt_isTheAnswer() {
        engine(CoaSettings.DEFAULTS.withRetries(1, Duration.ofSeconds(1)));
        CompletableFuture<CoaResult> f = submit(request("switch", "10.0.0.5", "sess-1"));
        reply(sent.get(0), RadiusCode.COA_NAK, CoaResult.RESOURCES_UNAVAILABLE);
        assertEquals(CoaResult.Answer.NAK, f.join().answer());
        assertEquals(506, f.join().errorCause());
    }

    @Test
    void nakWithoutErrorCause_isCountedUnderZero() {
        submit(request("switch", "10.0.0.5", "sess-1"));
        reply(sent.get(0), RadiusCode.COA_NAK, null);
        assertNull(results.get(0).errorCause());
        assertFalse(results.get(0).sessionGone());
        assertEquals(Map.of(0, 1L), engine.stats().nakked());
    }

    @Test
    void replyWithWrongSecret_isDroppedAndCounted_requestStaysOutstanding() {
        CompletableFuture<CoaResult> f = submit(request("switch", "10.0.0.5", "sess-1"));
        Sent s = sent.get(0);
        engine.onReply(s.to(), NasStandIn.signedReply(RadiusCode.COA_ACK, s.id(), null, Secret.of("wrong"), s.authenticator()));
        assertFalse(f.isDone());
        assertEquals(1, counters.drops(DropReason.COA_REPLY_BAD_AUTHENTICATOR));
        assertEquals(1, engine.stats().badReplies());
        reply(s, RadiusCode.COA_ACK, null);
        assertEquals(CoaResult.Answer.ACK, f.join().answer());
    }

    @Test
    void replyWithWrongMessageAuthenticator_isDropped() {
        CompletableFuture<CoaResult> f = submit(request("switch", "10.0.0.5", "sess-1"));
        Sent s = sent.get(0);
        byte[] reply = NasStandIn.signedReply(RadiusCode.COA_ACK, s.id(), null, Secret.of(SECRET), s.authenticator());
        reply[25] ^= 1; // inside the Message-Authenticator value; then re-sign the Response Authenticator over it
        RadiusCrypto.signResponse(Secret.of(SECRET), reply, s.authenticator(), -1);
        engine.onReply(s.to(), reply);
        assertFalse(f.isDone());
        assertEquals(1, counters.drops(DropReason.COA_REPLY_BAD_AUTHENTICATOR));
    }

    @Test
    void replyWithoutMessageAuthenticator_isAccepted_asFreeRadius321Sends() {
        CompletableFuture<CoaResult> f = submit(request("switch", "10.0.0.5", "sess-1"));
        Sent s = sent.get(0);
        byte[] reply = new byte[20];
        reply[0] = (byte) RadiusCode.COA_ACK;
        reply[1] = (byte) s.id();
        reply[3] = 20;
        RadiusCrypto.signResponse(Secret.of(SECRET), reply, s.authenticator(), -1);
        engine.onReply(s.to(), reply);
        assertEquals(CoaResult.Answer.ACK, f.join().answer());
    }

    @Test
    void unexpectedDatagrams_areDroppedAndCounted() {
        CompletableFuture<CoaResult> f = submit(request("switch", "10.0.0.5", "sess-1"));
        Sent s = sent.get(0);
        byte[] ack = NasStandIn.signedReply(RadiusCode.COA_ACK, s.id(), null, Secret.of(SECRET), s.authenticator());
        engine.onReply(new InetSocketAddress(ip("10.9.9.9"), 3799), ack);                  // not a NAS we sent to
        engine.onReply(s.to(), Arrays.copyOf(ack, 10));                                      // shorter than a header
        engine.onReply(s.to(), NasStandIn.signedReply(RadiusCode.DISCONNECT_ACK, s.id(), null, Secret.of(SECRET),
                s.authenticator()));                                                          // answers another code
        engine.onReply(s.to(), NasStandIn.signedReply(RadiusCode.COA_ACK, (s.id() + 1) & 0xFF, null, Secret.of(SECRET),
                s.authenticator()));                                                          // no such identifier
        byte[] request = s.packet();
        engine.onReply(s.to(), request);                                                     // a request, not a reply
        assertFalse(f.isDone());
        assertEquals(5, counters.drops(DropReason.COA_REPLY_UNEXPECTED));
        engine.onReply(s.to(), ack);
        engine.onReply(s.to(), ack);                                                         // a duplicate answer
        assertEquals(CoaResult.Answer.ACK, f.join().answer());
        assertEquals(6, counters.drops(DropReason.COA_REPLY_UNEXPECTED));
        assertEquals(1, results.size());
    }

    @Test
    void outstandingLimit_holdsBackRequestsUntilAnswers() {
        engine(CoaSettings.DEFAULTS.withLimits(2, 1000, 100));
        for (int i = 0; i < 5; i++) {
            submit(request("switch", "10.0.0.5", "sess-" + i));
        }
        assertEquals(2, sent.size());
        assertEquals(3, engine.stats().queued());
        assertEquals(2, engine.stats().outstanding());
        reply(sent.get(0), RadiusCode.COA_ACK, null);
        assertEquals(3, sent.size());
        assertEquals("sess-2", Replies.first(sent.get(2).packet(), AttributeType.ACCT_SESSION_ID).asText(), "FIFO");
        assertNotEquals(sent.get(1).id(), sent.get(2).id(), "no identifier reused while outstanding");
        submit(request("aruba", "10.0.1.9", "other-nas"));
        assertEquals(4, sent.size(), "the limit is per NAS");
    }

    @Test
    void rateLimit_spreadsABulkOverTime() {
        engine(CoaSettings.DEFAULTS.withLimits(256, 100, 1000).withRetries(1, Duration.ofSeconds(30))); // 100/s, bursts of 10
        for (int i = 0; i < 50; i++) {
            submit(request("switch", "10.0.0.5", "sess-" + i));
        }
        assertEquals(10, sent.size(), "one burst at once");
        advance(SECOND / 10);
        assertEquals(20, sent.size());
        advance(SECOND);
        assertEquals(30, sent.size(), "a quiet spell earns one burst, no more");
        advance(SECOND / 10);
        advance(SECOND / 10);
        assertEquals(50, sent.size());
        assertEquals(0, engine.stats().queued());
    }

    @Test
    void fullQueue_refusesAtOnce_countedAndAnswered() {
        engine(CoaSettings.DEFAULTS.withLimits(1, 1, 2));
        submit(request("switch", "10.0.0.5", "sent"));
        submit(request("switch", "10.0.0.5", "waits-1"));
        submit(request("switch", "10.0.0.5", "waits-2"));
        CompletableFuture<CoaResult> refused = submit(request("switch", "10.0.0.5", "refused"));
        assertEquals(CoaResult.Answer.QUEUE_FULL, refused.join().answer());
        assertEquals(0, refused.join().attempts());
        assertEquals(1, engine.stats().queueFull());
        assertEquals(1, counters.drops(DropReason.COA_QUEUE_FULL));
        assertEquals(2, engine.stats().queued());
    }

    @Test
    void unknownClientOrBadAddress_isNoClient() {
        assertEquals(CoaResult.Answer.NO_CLIENT, submit(request("gone", "10.0.0.5", "s")).join().answer());
        assertEquals(CoaResult.Answer.NO_CLIENT, submit(request("switch", "nas.example.org", "s")).join().answer());
        assertTrue(sent.isEmpty());
        assertEquals(2, engine.stats().noClient());
        assertEquals(0, engine.stats().queued());
    }

    @Test
    void closeAll_endsEverythingWaitingOrOutstanding() {
        engine(CoaSettings.DEFAULTS.withLimits(1, 1000, 100));
        CompletableFuture<CoaResult> a = submit(request("switch", "10.0.0.5", "a"));
        CompletableFuture<CoaResult> b = submit(request("switch", "10.0.0.5", "b"));
        engine.closeAll();
        assertEquals(CoaResult.Answer.CLOSED, a.join().answer());
        assertEquals(CoaResult.Answer.CLOSED, b.join().answer());
        assertEquals(0, engine.stats().queued());
        assertEquals(0, engine.stats().outstanding());
    }

    @Test
    void settings_validateWithKeyNames() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CoaSettings.DEFAULTS.withLimits(257, 10, 10));
        assertTrue(e.getMessage().contains("radius.coa.maxOutstandingPerNas"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CoaSettings.DEFAULTS.withRetries(3, Duration.ofMillis(1)));
        assertTrue(e.getMessage().contains("radius.coa.initialTimeout"), e.getMessage());
        assertEquals(4 * SECOND, CoaSettings.DEFAULTS.timeoutNanos(3));
    }

    @Test
    void auditRecord_namesDeviceSessionNasTriggerSentAnswerLatency() {
        submit(request("switch", "10.0.0.5", "sess-1"));
        advance(SECOND / 1000 * 7);
        reply(sent.get(0), RadiusCode.COA_NAK, 503);
        String json = CoaSender.auditRecord(results.get(0), clock).toJson();
        assertEquals("{\"time\":\"2026-11-30T05:00:00.007Z\",\"type\":\"coa\",\"nas\":\"switch\",\"nasAddress\":\"10.0.0.5:3799\","
                + "\"deviceId\":\"11111111-2222-4333-8444-000000000001\",\"mac\":\"00:11:22:33:44:55\",\"session\":\"sess-1\","
                + "\"acctSessionId\":\"sess-1\",\"trigger\":\"device-change\",\"reason\":\"allow -> quarantine\",\"sent\":\"CoA-Request reauthenticate\","
                + "\"answer\":\"nak\",\"errorCause\":503,\"attempts\":1,\"latencyMicros\":7000}", json);
    }
}
