package io.nacgw.radius.server;

import io.nacgw.core.session.Session;
import io.nacgw.radius.DropReason;
import io.nacgw.radius.NasClient;
import io.nacgw.radius.NasRegistry;
import io.nacgw.radius.Replies;
import io.nacgw.radius.RequestBuilder;
import io.nacgw.core.secret.Secret;
import io.nacgw.radius.TestWorld;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Accounting through the pipeline into the real session table; replies only after the write. */
final class AccountingTest {
    private static final Secret SECRET = Secret.of(TestWorld.SECRET);
    private final TestWorld world = new TestWorld();
    private final Queue<Runnable> held = new ArrayDeque<>();
    private Pipeline p;

    @AfterEach
    void tearDown() {
        if (p != null) {
            p.close();
        }
        world.close();
    }

    private Pipeline direct() {
        return p = new Pipeline(world);
    }

    /** Accounting writes wait in {@link #held} until the test runs them. */
    private Pipeline holding() {
        return p = new Pipeline(world, List.of(TestWorld.switchClient("192.0.2.0/24").build()), held::add);
    }

    private static RequestBuilder acct(int id, int status, String session) {
        return acct(id, status, session, "00-11-22-33-44-01");
    }

    private static RequestBuilder acct(int id, int status, String session, String callingStationId) {
        return RequestBuilder.accounting(id)
                .integer(AttributeType.ACCT_STATUS_TYPE, status)
                .text(AttributeType.ACCT_SESSION_ID, session)
                .text(AttributeType.USER_NAME, "001122334401")
                .text(AttributeType.CALLING_STATION_ID, callingStationId)
                .raw(AttributeType.FRAMED_IP_ADDRESS, new byte[]{10, 1, 2, 3})
                .text(AttributeType.CLASS, "nacgw:00000000000000aa")
                .vendorText(9, 1, "audit-session-id=0A0B0C0D0000001")
                .integer(AttributeType.ACCT_DELAY_TIME, 5);
    }

    private byte[] send(RequestBuilder b) {
        byte[] d = b.build(SECRET);
        byte[] reply = p.acct(d);
        if (reply != null) {
            assertEquals(RadiusCode.ACCOUNTING_RESPONSE, reply[0]);
            byte[] requestAuth = java.util.Arrays.copyOfRange(d, 4, 20);
            Replies.assertSigned(reply, requestAuth, SECRET, false);
        }
        return reply;
    }

    @Test
    void accounting_startThenStop_buildsSessionRow() {
        direct();
        assertNotNull(send(acct(1, AttributeType.ACCT_START, "sess-1")));
        Session s = world.sessions.get("ip:192.0.2.10", "sess-1").orElseThrow();
        assertTrue(s.active(world.clock.instant()));
        assertEquals(TestWorld.COMPLIANT, s.mac());
        assertEquals(TestWorld.COMPLIANT_ID, s.deviceId(), "device resolved from the index by MAC");
        assertEquals("10.1.2.3", s.framedIp());
        assertEquals("nacgw:00000000000000aa", s.classValue());
        assertEquals("0A0B0C0D0000001", s.auditSessionId());
        assertEquals(TestWorld.NOW.minusSeconds(5), s.startedAt(), "Acct-Delay-Time subtracted");

        world.clock.advance(Duration.ofMinutes(10));
        assertNotNull(send(acct(2, AttributeType.ACCT_INTERIM, "sess-1")));
        world.clock.advance(Duration.ofMinutes(10));
        assertNotNull(send(acct(3, AttributeType.ACCT_STOP, "sess-1").integer(AttributeType.ACCT_TERMINATE_CAUSE, 1)));
        Session stopped = world.sessions.get("ip:192.0.2.10", "sess-1").orElseThrow();
        assertEquals(TestWorld.NOW.minusSeconds(5), stopped.startedAt());
        assertEquals(TestWorld.NOW.plus(Duration.ofMinutes(20)).minusSeconds(5), stopped.stoppedAt());
        assertEquals(1, stopped.terminateCause());
        assertEquals(3, p.components.stats().accountingStored());
    }

    @Test
    void accounting_on_closesTheNasSessions() {
        direct();
        send(acct(1, AttributeType.ACCT_START, "a"));
        send(acct(2, AttributeType.ACCT_START, "b"));
        assertEquals(2, world.sessions.activeCount());
        assertNotNull(send(RequestBuilder.accounting(3).integer(AttributeType.ACCT_STATUS_TYPE, AttributeType.ACCT_ON)));
        assertEquals(0, world.sessions.activeCount());
    }

    @Test
    void accounting_otherStatusType_isAcknowledgedWithoutWriting() {
        holding();
        byte[] reply = send(RequestBuilder.accounting(4).integer(AttributeType.ACCT_STATUS_TYPE, 15)); // Failed
        assertNotNull(reply, "nothing to store, answered at once");
        assertTrue(held.isEmpty());
    }

    @Test
    void accounting_on_leavesOtherNasesOfTheSameClientAlone() {
        direct();
        java.net.InetSocketAddress other = new java.net.InetSocketAddress("192.0.2.11", 40000);
        send(acct(1, AttributeType.ACCT_START, "a"));
        assertNotNull(Pipeline.send(p.acct, acct(1, AttributeType.ACCT_START, "a").build(SECRET), other));
        assertEquals(2, world.sessions.activeCount(), "same Acct-Session-Id on two switches: two sessions");
        assertNotNull(Pipeline.send(p.acct, RequestBuilder.accounting(2)
                .integer(AttributeType.ACCT_STATUS_TYPE, AttributeType.ACCT_ON).build(SECRET), other));
        assertTrue(world.sessions.get("ip:192.0.2.10", "a").orElseThrow().active(world.clock.instant()));
        assertTrue(!world.sessions.get("ip:192.0.2.11", "a").orElseThrow().active(world.clock.instant()));
    }

    private static final byte[] SWITCH_A = {10, 1, 0, 1};
    private static final byte[] SWITCH_B = {10, 1, 0, 2};

    /** From one proxy (the NAS address 192.0.2.10), a record of the switch with this NAS-IP-Address. */
    private static RequestBuilder viaProxy(RequestBuilder b, byte[] nasIp) {
        return b.raw(AttributeType.NAS_IP_ADDRESS, nasIp);
    }

    @Test
    void proxy_twoSwitchesReusingOneSessionId_doNotCollide() {
        direct();
        assertNotNull(send(viaProxy(acct(1, AttributeType.ACCT_START, "0000001A"), SWITCH_A)));
        assertNotNull(send(viaProxy(acct(2, AttributeType.ACCT_START, "0000001A", "00-11-22-33-44-02"), SWITCH_B)));
        assertEquals(2, world.sessions.activeCount());
        Session a = world.sessions.get("ip:10.1.0.1", "0000001A").orElseThrow();
        Session b = world.sessions.get("ip:10.1.0.2", "0000001A").orElseThrow();
        assertEquals(TestWorld.COMPLIANT, a.mac());
        assertEquals(TestWorld.NONCOMPLIANT, b.mac());
        assertEquals("10.1.0.1", a.nas().address(), "CoA goes to the switch, not the proxy");
        assertEquals("192.0.2.10", a.nas().source());
        assertEquals("switch", a.nas().client());
    }

    @Test
    void proxy_accountingOnFromOneSwitch_leavesTheOtherSwitchsSessions() {
        direct();
        send(viaProxy(acct(1, AttributeType.ACCT_START, "a1"), SWITCH_A));
        send(viaProxy(acct(2, AttributeType.ACCT_START, "b1"), SWITCH_B));
        assertNotNull(send(viaProxy(RequestBuilder.accounting(3)
                .integer(AttributeType.ACCT_STATUS_TYPE, AttributeType.ACCT_ON), SWITCH_B)));
        assertTrue(world.sessions.get("ip:10.1.0.1", "a1").orElseThrow().active(world.clock.instant()));
        assertTrue(!world.sessions.get("ip:10.1.0.2", "b1").orElseThrow().active(world.clock.instant()));
    }

    @Test
    void nasIdentifierOnly_identifiesTheNas_andIpv6AddressToo() {
        direct();
        send(acct(1, AttributeType.ACCT_START, "s").text(AttributeType.NAS_IDENTIFIER, "sw-floor2"));
        byte[] v6 = new byte[16];
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[2] = 0x0d;
        v6[3] = (byte) 0xb8;
        v6[15] = 7;
        send(acct(2, AttributeType.ACCT_START, "s").raw(AttributeType.NAS_IPV6_ADDRESS, v6));
        Session byName = world.sessions.get("id:sw-floor2", "s").orElseThrow();
        assertEquals("192.0.2.10", byName.nas().address(), "no NAS address sent: the source is the best guess");
        assertEquals("2001:db8::7", world.sessions.get("ipv6:2001:db8::7", "s").orElseThrow().nas().address());
    }

    @Test
    void nasIdentitySource_ignoresTheNasAttributes() {
        p = new Pipeline(world, List.of(TestWorld.switchClient("192.0.2.0/24")
                .nasIdentity(io.nacgw.radius.NasIdentity.SOURCE).build()), Runnable::run);
        send(viaProxy(acct(1, AttributeType.ACCT_START, "x"), SWITCH_A));
        assertTrue(world.sessions.get("ip:192.0.2.10", "x").isPresent());
        assertTrue(world.sessions.get("ip:10.1.0.1", "x").isEmpty());
    }

    @Test
    void accessAccept_isASessionBeforeAccounting_andStartJoinsIt() throws Exception {
        direct();
        byte[] d = RequestBuilder.access(20).text(AttributeType.USER_NAME, "001122334401")
                .text(AttributeType.CALLING_STATION_ID, "00-11-22-33-44-01")
                .integer(AttributeType.SERVICE_TYPE, AttributeType.SERVICE_TYPE_CALL_CHECK)
                .integer(AttributeType.NAS_PORT, 50110).text(AttributeType.NAS_PORT_ID, "GigabitEthernet1/0/10")
                .raw(AttributeType.NAS_IP_ADDRESS, SWITCH_A).pap("001122334401").build(SECRET);
        byte[] reply = p.auth(d);
        assertEquals(RadiusCode.ACCESS_ACCEPT, reply[0]);
        assertTrue(p.components.awaitSessionsRecorded(Duration.ofSeconds(10)));
        List<Session> active = world.sessions.activeSessionsForMac(TestWorld.COMPLIANT);
        assertEquals(1, active.size());
        Session s = active.get(0);
        assertEquals("ip:10.1.0.1", s.nas().id());
        assertEquals(50110L, s.nasPort());
        assertEquals("GigabitEthernet1/0/10", s.nasPortId());
        assertEquals(TestWorld.COMPLIANT_ID, s.deviceId());
        assertEquals("corp", s.profile());
        assertEquals(io.nacgw.core.policy.Verdict.ALLOW, s.verdict());
        assertEquals(TestWorld.NOW.plusSeconds(3600), s.expiresAt(), "the profile's Session-Timeout");
        String cls = s.classValue();
        assertTrue(cls.startsWith("nacgw:"), cls);
        assertEquals(1, p.components.stats().acceptsRecorded());

        // the Start echoes the Class: one session, now ended by accounting instead of the lifetime
        assertNotNull(send(viaProxy(RequestBuilder.accounting(21).integer(AttributeType.ACCT_STATUS_TYPE,
                AttributeType.ACCT_START).text(AttributeType.ACCT_SESSION_ID, "acct-9")
                .text(AttributeType.CLASS, cls), SWITCH_A)));
        Session joined = world.sessions.get("ip:10.1.0.1", "acct-9").orElseThrow();
        assertEquals(s.id(), joined.id());
        assertNull(joined.expiresAt());
        assertEquals(1, world.sessions.list(io.nacgw.core.session.SessionFilter.all(10)).size());
    }

    private byte[] mabAccept(int id) {
        byte[] reply = p.auth(RequestBuilder.access(id).text(AttributeType.USER_NAME, "001122334401")
                .text(AttributeType.CALLING_STATION_ID, "00-11-22-33-44-01")
                .integer(AttributeType.SERVICE_TYPE, AttributeType.SERVICE_TYPE_CALL_CHECK)
                .integer(AttributeType.NAS_PORT, 50110).raw(AttributeType.NAS_IP_ADDRESS, SWITCH_A)
                .pap("001122334401").build(SECRET));
        assertEquals(RadiusCode.ACCESS_ACCEPT, reply[0]);
        return reply;
    }

    @Test
    void accountingStop_thenReauthentication_withinTheCoalescingWindow_isASessionAgain() throws Exception {
        direct();
        mabAccept(30);
        assertTrue(p.components.awaitSessionsRecorded(Duration.ofSeconds(10)));
        String cls = world.sessions.activeSessionsForMac(TestWorld.COMPLIANT).get(0).classValue();
        send(viaProxy(RequestBuilder.accounting(31).integer(AttributeType.ACCT_STATUS_TYPE, AttributeType.ACCT_START)
                .text(AttributeType.ACCT_SESSION_ID, "acct-30").text(AttributeType.CLASS, cls)
                .text(AttributeType.CALLING_STATION_ID, "00-11-22-33-44-01"), SWITCH_A));
        world.clock.advance(Duration.ofSeconds(2));
        send(viaProxy(RequestBuilder.accounting(32).integer(AttributeType.ACCT_STATUS_TYPE, AttributeType.ACCT_STOP)
                .text(AttributeType.ACCT_SESSION_ID, "acct-30").text(AttributeType.CLASS, cls)
                .text(AttributeType.CALLING_STATION_ID, "00-11-22-33-44-01"), SWITCH_A));
        assertEquals(0, world.sessions.activeCount(), "the Stop ended the session");

        // the NAS sends no more accounting for the new session: the re-authentication's Accept is all there is
        world.clock.advance(Duration.ofSeconds(1));
        mabAccept(33);
        assertTrue(p.components.awaitSessionsRecorded(Duration.ofSeconds(10)));
        List<Session> active = world.sessions.activeSessionsForMac(TestWorld.COMPLIANT);
        assertEquals(1, active.size(), "the identical Accept 3 s later is written: " + active);
        assertEquals(TestWorld.NOW.plusSeconds(3), active.get(0).authorizedAt());
    }

    @Test
    void accountingOn_thenReauthentication_withinTheCoalescingWindow_isASessionAgain() throws Exception {
        direct();
        mabAccept(40);
        assertTrue(p.components.awaitSessionsRecorded(Duration.ofSeconds(10)));
        world.clock.advance(Duration.ofSeconds(2));
        send(viaProxy(RequestBuilder.accounting(41).integer(AttributeType.ACCT_STATUS_TYPE, AttributeType.ACCT_ON),
                SWITCH_A));
        assertEquals(0, world.sessions.activeCount(), "the NAS rebooted");
        world.clock.advance(Duration.ofSeconds(1));
        mabAccept(42);
        assertTrue(p.components.awaitSessionsRecorded(Duration.ofSeconds(10)));
        assertEquals(1, world.sessions.activeSessionsForMac(TestWorld.COMPLIANT).size());
    }

    @Test
    void accessReject_recordsNoSession() throws Exception {
        direct();
        byte[] reply = p.auth(RequestBuilder.access(22).text(AttributeType.USER_NAME, "001122334402")
                .text(AttributeType.CALLING_STATION_ID, "00-11-22-33-44-02")
                .integer(AttributeType.SERVICE_TYPE, AttributeType.SERVICE_TYPE_CALL_CHECK)
                .pap("001122334402").build(SECRET));
        assertEquals(RadiusCode.ACCESS_REJECT, reply[0]);
        assertTrue(p.components.awaitSessionsRecorded(Duration.ofSeconds(10)));
        assertEquals(0, world.sessions.activeCount());
    }

    @Test
    void accessAccept_sessionTableDown_isCountedNotBlocking() throws Exception {
        direct();
        world.sessions.close();
        byte[] reply = p.auth(RequestBuilder.access(23).text(AttributeType.USER_NAME, "001122334401")
                .text(AttributeType.CALLING_STATION_ID, "00-11-22-33-44-01")
                .integer(AttributeType.SERVICE_TYPE, AttributeType.SERVICE_TYPE_CALL_CHECK)
                .pap("001122334401").build(SECRET));
        assertEquals(RadiusCode.ACCESS_ACCEPT, reply[0], "answered regardless of the session table");
        assertTrue(p.components.awaitSessionsRecorded(Duration.ofSeconds(10)));
        assertEquals(1, p.components.stats().acceptsUnrecorded());
    }

    @Test
    void accounting_withoutSessionId_isDropped() {
        direct();
        assertNull(send(RequestBuilder.accounting(1).integer(AttributeType.ACCT_STATUS_TYPE, 1)));
        assertEquals(1, p.counters().drops(DropReason.ACCOUNTING_INCOMPLETE));
    }

    @Test
    void accounting_replyWaitsForTheWrite() {
        holding();
        assertNull(send(acct(1, AttributeType.ACCT_START, "sess-1")), "nothing before the row is committed");
        assertTrue(world.sessions.get("ip:192.0.2.10", "sess-1").isEmpty());
        held.poll().run();
        byte[] reply = Pipeline.poll(p.acct, Pipeline.NAS);
        assertNotNull(reply, "answered once stored");
        assertTrue(world.sessions.get("ip:192.0.2.10", "sess-1").isPresent());
    }

    @Test
    void duplicate_inProgress_isDroppedThenAnsweredFromCache() {
        holding();
        byte[] d = acct(7, AttributeType.ACCT_START, "sess-7").build(SECRET);
        assertNull(p.acct(d));
        assertNull(p.acct(d), "retransmission while the write is pending");
        assertEquals(1, p.counters().drops(DropReason.DUPLICATE_IN_PROGRESS));
        assertEquals(1, held.size(), "written once");
        held.poll().run();
        byte[] reply = Pipeline.poll(p.acct, Pipeline.NAS);
        assertArrayEquals(reply, p.acct(d), "a later retransmission gets the same bytes");
        assertTrue(held.isEmpty(), "and is not written again");
    }

    @Test
    void accounting_queueFull_isDroppedAndRetransmissionRetried() {
        boolean[] full = {true};
        p = new Pipeline(world, List.of(TestWorld.switchClient("192.0.2.0/24").build()), r -> {
            if (full[0]) {
                throw new RejectedExecutionException("full");
            }
            r.run();
        });
        byte[] d = acct(8, AttributeType.ACCT_START, "sess-8").build(SECRET);
        assertNull(p.acct(d));
        assertEquals(1, p.counters().drops(DropReason.ACCOUNTING_OVERLOADED));
        full[0] = false;
        assertNotNull(p.acct(d), "the NAS's retransmission is processed, not treated as in progress");
    }

    @Test
    void accounting_storeFailure_isNotAcknowledged() {
        direct();
        world.sessions.close(); // the database is gone
        assertNull(send(acct(9, AttributeType.ACCT_START, "sess-9")));
        assertEquals(1, p.counters().drops(DropReason.ACCOUNTING_STORE_FAILED));
    }

    @Test
    void reload_inFlightRequest_finishesWithItsOriginalSecret() {
        holding();
        RequestBuilder b = acct(10, AttributeType.ACCT_START, "sess-10");
        byte[] d = b.build(SECRET);
        assertNull(p.acct(d));
        p.components.reload(NasRegistry.of(List.of(NasClient.builder("switch", "192.0.2.0/24", "brand-new-secret")
                .profile("corp").build())));
        held.poll().run();
        byte[] reply = Pipeline.poll(p.acct, Pipeline.NAS);
        assertNotNull(reply);
        Replies.assertSigned(reply, java.util.Arrays.copyOfRange(d, 4, 20), SECRET, false);
        assertNull(p.acct(acct(11, AttributeType.ACCT_START, "sess-11").build(SECRET)), "new requests see the new secret");
        assertEquals(1, p.counters().drops(DropReason.BAD_REQUEST_AUTHENTICATOR));
    }
}
