package io.nacgw.core.session;

import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.policy.Verdict;
import io.nacgw.core.store.StoreException;
import io.nacgw.core.store.StoreSettings;
import io.nacgw.core.testing.MutableClock;
import io.nacgw.core.testing.TestStores;
import io.nacgw.core.testing.Postgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class JdbcSessionStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
    private static final MacAddress MAC = MacAddress.parse("00:11:22:33:44:55");
    private static final MacAddress MAC2 = MacAddress.parse("00:11:22:33:44:66");
    private static final DeviceGuid DEVICE = DeviceGuid.intune("11111111-2222-4333-8444-555555555555");
    /** Two switches behind one proxy at 192.0.2.100. */
    private static final NasRef A = new NasRef("ip:10.1.0.1", "proxy", "10.1.0.1", "192.0.2.100");
    private static final NasRef B = new NasRef("ip:10.1.0.2", "proxy", "10.1.0.2", "192.0.2.100");
    private static final NasRef C_ACCOUNTED = new NasRef("ip:10.2.0.9", "wired", "10.2.0.9", "10.2.0.9");

    @RegisterExtension
    final Postgres pg = new Postgres();
    private final MutableClock clock = new MutableClock(T0);
    private SessionStore store;

    private void open(String kind) {
        StoreSettings settings = kind.equals("postgres") ? pg.freshSchema() : TestStores.fresh(2);
        store = SessionStore.open(settings, clock);
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private static SessionEvent acct(SessionEvent.Kind kind, NasRef nas, String id, Instant at, MacAddress mac,
                                     String user, String decisionId) {
        return new SessionEvent(kind, nas, id, 10L, "Gi1/0/10", mac, mac == null ? null : DEVICE, user, "10.0.0.5",
                decisionId == null ? null : "nacgw:" + decisionId, "AUDIT1", decisionId, at,
                kind == SessionEvent.Kind.STOP ? 1 : null);
    }

    private static Authorization accept(NasRef nas, MacAddress mac, String decisionId, Instant at, Verdict v) {
        return new Authorization(nas, 10L, "Gi1/0/10", mac, DEVICE, mac.toHex12(), "corp", v, "nacgw:" + decisionId,
                decisionId, at, at.plus(Duration.ofHours(8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void apply_startThenStop_keepsStartAndRecordsStop(String kind) {
        open(kind);
        store.apply(acct(SessionEvent.Kind.START, A, "s1", T0, MAC, "alice", null));
        Session live = store.get(A.id(), "s1").orElseThrow();
        assertTrue(live.active(T0));
        assertEquals(MAC, live.mac());
        assertEquals(DEVICE, live.deviceId());
        assertEquals(A, live.nas());
        assertEquals(10L, live.nasPort());
        assertEquals(T0, live.startedAt());
        store.apply(acct(SessionEvent.Kind.STOP, A, "s1", T0.plusSeconds(60), null, null, null));
        Session s = store.get(A.id(), "s1").orElseThrow();
        assertFalse(s.active(T0.plusSeconds(61)));
        assertEquals(T0.plusSeconds(60), s.stoppedAt());
        assertEquals(MAC, s.mac(), "a stop without Calling-Station-Id keeps the stored MAC");
        assertEquals("alice", s.userName());
        assertEquals(1, s.terminateCause());
        assertEquals(s, store.find(s.id()).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void apply_interimForUnseenSession_insertsIt_andOlderInterimKeepsUpdatedAt(String kind) {
        open(kind);
        store.apply(acct(SessionEvent.Kind.INTERIM, A, "s2", T0.plusSeconds(100), MAC, "bob", null));
        store.apply(acct(SessionEvent.Kind.INTERIM, A, "s2", T0, MAC, "bob", null));
        Session s = store.get(A.id(), "s2").orElseThrow();
        assertEquals(T0.plusSeconds(100), s.startedAt());
        assertEquals(T0.plusSeconds(100), s.updatedAt());
        assertEquals(1, store.activeCount());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void apply_twoNasBehindOneProxyReusingOneSessionId_areTwoSessions(String kind) {
        open(kind);
        store.apply(acct(SessionEvent.Kind.START, A, "same", T0, MAC, "u", null));
        store.apply(acct(SessionEvent.Kind.START, B, "same", T0, MAC2, "v", null));
        assertEquals(2, store.activeCount());
        assertEquals("u", store.get(A.id(), "same").orElseThrow().userName());
        assertEquals("v", store.get(B.id(), "same").orElseThrow().userName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void closeAll_closesOnlyThatNas_acceptOnlySessionsIncluded(String kind) {
        open(kind);
        store.apply(acct(SessionEvent.Kind.START, A, "a", T0, MAC, "u", null));
        store.recordAuthorizations(List.of(accept(A, MAC2, "d2", T0, Verdict.ALLOW)));
        store.apply(acct(SessionEvent.Kind.START, B, "b", T0, MAC, "u", null));
        assertEquals(2, store.closeAll(A.id(), T0.plusSeconds(5)));
        assertFalse(store.get(A.id(), "a").orElseThrow().active(T0.plusSeconds(6)));
        assertTrue(store.get(B.id(), "b").orElseThrow().active(T0.plusSeconds(6)));
        assertEquals(1, store.activeCount());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void acceptThenStart_joinByDecisionIdInClass_isOneSession(String kind) {
        open(kind);
        store.recordAuthorizations(List.of(accept(A, MAC, "d1", T0, Verdict.QUARANTINE)));
        Session before = store.activeSessionsForMac(MAC).get(0);
        assertFalse(before.accounted());
        assertEquals(T0.plus(Duration.ofHours(8)), before.expiresAt());
        // the Start carries no Calling-Station-Id: only the echoed Class joins it
        store.apply(acct(SessionEvent.Kind.START, A, "acct-1", T0.plusSeconds(1), null, "u", "d1"));
        List<Session> all = store.list(SessionFilter.all(10));
        assertEquals(1, all.size());
        Session s = all.get(0);
        assertEquals(before.id(), s.id());
        assertEquals("acct-1", s.acctSessionId());
        assertEquals(MAC, s.mac());
        assertEquals(Verdict.QUARANTINE, s.verdict());
        assertEquals("corp", s.profile());
        assertNull(s.expiresAt(), "accounting ends it from now on, not the Accept's lifetime");
        clock.advance(Duration.ofHours(9));
        assertEquals(1, store.activeSessionsForDevice(DEVICE).size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void startThenLateAccept_updatesTheAccountedSession(String kind) {
        open(kind);
        store.apply(acct(SessionEvent.Kind.START, A, "acct-1", T0, MAC, "u", null));
        store.recordAuthorizations(List.of(accept(A, MAC, "d1", T0, Verdict.ALLOW)));
        List<Session> all = store.list(SessionFilter.all(10));
        assertEquals(1, all.size());
        assertEquals("acct-1", all.get(0).acctSessionId());
        assertEquals(Verdict.ALLOW, all.get(0).verdict());
        assertEquals("d1", all.get(0).decisionId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void answerHash_isRecordedWithTheAccept_keptByAccounting_replacedByTheNextAccept(String kind) {
        open(kind);
        store.recordAuthorizations(List.of(withHash(accept(A, MAC, "d1", T0, Verdict.ALLOW), -42L)));
        assertEquals(-42L, store.activeSessionsForMac(MAC).get(0).answerHash());
        store.apply(acct(SessionEvent.Kind.START, A, "acct-1", T0.plusSeconds(1), MAC, "u", "d1"));
        store.apply(acct(SessionEvent.Kind.INTERIM, A, "acct-1", T0.plusSeconds(2), MAC, "u", "d1"));
        assertEquals(-42L, store.get(A.id(), "acct-1").orElseThrow().answerHash(), "accounting keeps the answer");
        store.recordAuthorizations(List.of(withHash(accept(A, MAC, "d2", T0.plusSeconds(3), Verdict.QUARANTINE),
                Long.MAX_VALUE)));
        assertEquals(Long.MAX_VALUE, store.get(A.id(), "acct-1").orElseThrow().answerHash());
        store.apply(acct(SessionEvent.Kind.START, B, "acct-b", T0, MAC2, "u", null));
        assertNull(store.get(B.id(), "acct-b").orElseThrow().answerHash(), "accounting only: no answer recorded");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void answerHash_ofAnAcceptOnlyRowLeftByARace_movesOntoTheAccountedSession(String kind) {
        open(kind);
        store.recordAuthorizations(List.of(withHash(accept(A, MAC, "d1", T0, Verdict.ALLOW), 7L)));
        store.apply(acct(SessionEvent.Kind.START, A, "acct-1", T0.plusSeconds(1), MAC, "u", "other"));
        List<Session> all = store.list(SessionFilter.all(10));
        assertEquals(1, all.size(), all.toString());
        assertEquals(7L, all.get(0).answerHash());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void answered_recordsTheCoasAnswer_unlessANewerAcceptReplacedTheAuthorisation(String kind) {
        open(kind);
        store.recordAuthorizations(List.of(withHash(accept(A, MAC, "d1", T0, Verdict.ALLOW), 1L)));
        Session s = store.activeSessionsForMac(MAC).get(0);
        assertTrue(store.answered(s.id(), "d1", 2L));
        assertEquals(2L, store.find(s.id()).orElseThrow().answerHash());
        store.recordAuthorizations(List.of(withHash(accept(A, MAC, "d2", T0.plusSeconds(1), Verdict.ALLOW), 3L)));
        assertFalse(store.answered(s.id(), "d1", 4L), "the Accept d2 decided after the CoA: its answer stands");
        assertEquals(3L, store.find(s.id()).orElseThrow().answerHash());
        store.apply(acct(SessionEvent.Kind.START, B, "acct-b", T0, MAC2, "u", null));
        Session accounted = store.get(B.id(), "acct-b").orElseThrow();
        assertTrue(store.answered(accounted.id(), null, 5L), "a session known from accounting only");
        assertEquals(5L, store.get(B.id(), "acct-b").orElseThrow().answerHash());
    }

    private static Authorization withHash(Authorization a, long hash) {
        return new Authorization(a.nas(), a.nasPort(), a.nasPortId(), a.mac(), a.deviceId(), a.userName(), a.profile(),
                a.verdict(), a.classValue(), a.decisionId(), a.at(), a.expiresAt(), hash);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void acceptOnlyRowLeftByARace_isFoldedIntoTheAccountedSession(String kind) {
        open(kind);
        // the Start was written first and did not see the Accept; the Accept's own write then found no accounted
        // row (simulated by recording it on a fresh Start-less store first and the Start after with another id)
        store.recordAuthorizations(List.of(accept(A, MAC, "d1", T0, Verdict.ALLOW)));
        store.apply(acct(SessionEvent.Kind.START, A, "acct-1", T0.plusSeconds(1), MAC, "u", "other"));
        List<Session> all = store.list(SessionFilter.all(10));
        assertEquals(1, all.size(), all.toString());
        assertEquals("acct-1", all.get(0).acctSessionId());
        assertEquals("d1", all.get(0).decisionId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void acceptOnly_isActiveForItsLifetime_andARenewalKeepsOneRow(String kind) {
        open(kind);
        store.recordAuthorizations(List.of(accept(A, MAC, "d1", T0, Verdict.ALLOW)));
        store.recordAuthorizations(List.of(accept(A, MAC, "d2", T0.plusSeconds(60), Verdict.QUARANTINE)));
        List<Session> active = store.activeSessionsForMac(MAC);
        assertEquals(1, active.size());
        assertEquals("d2", active.get(0).decisionId());
        assertEquals(Verdict.QUARANTINE, active.get(0).verdict());
        assertEquals(T0, active.get(0).startedAt());
        clock.advance(Duration.ofHours(8).plusSeconds(61));
        assertTrue(store.activeSessionsForMac(MAC).isEmpty());
        assertEquals(0, store.activeCount());
        assertEquals(1, store.list(SessionFilter.all(10)).size());
        assertEquals(1, store.purgeEndedBefore(clock.instant()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void acceptOnly_onAnotherNas_endsTheFormerAcceptOnlySession_butNotAnAccountedOne(String kind) {
        open(kind);
        store.recordAuthorizations(List.of(accept(A, MAC, "d1", T0, Verdict.ALLOW)));
        store.apply(acct(SessionEvent.Kind.START, C_ACCOUNTED, "wired-1", T0, MAC, "u", null));
        store.recordAuthorizations(List.of(accept(B, MAC, "d2", T0.plusSeconds(30), Verdict.ALLOW)));
        List<String> nases = store.activeSessionsForMac(MAC).stream().map(s -> s.nas().id()).sorted().toList();
        assertEquals(List.of(B.id(), C_ACCOUNTED.id()), nases, "roamed from A to B; the accounted session stays");
        assertEquals(1, store.list(new SessionFilter(A.id(), null, null, null, false, 10)).size(), "A's row is kept, ended");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void list_filtersByNasMacAndActive(String kind) {
        open(kind);
        NasRef byName = new NasRef("id:sw-floor2", "wlc", "192.0.2.7", "192.0.2.7");
        NasRef v6 = new NasRef("ipv6:2001:db8::7", "v6net", "2001:db8::7", "2001:db8::7");
        store.apply(acct(SessionEvent.Kind.START, A, "a", T0, MAC, "u", null));
        store.apply(acct(SessionEvent.Kind.START, byName, "b", T0, MAC2, "u", null));
        store.apply(acct(SessionEvent.Kind.START, v6, "c", T0, MAC2, "u", null));
        store.apply(acct(SessionEvent.Kind.STOP, v6, "c", T0.plusSeconds(1), MAC2, "u", null));
        assertEquals(List.of("a"), ids(new SessionFilter("10.1.0.1", null, null, null, false, 10)));
        assertEquals(List.of("a"), ids(new SessionFilter("ip:10.1.0.1", null, null, null, false, 10)));
        assertEquals(List.of("b"), ids(new SessionFilter("sw-floor2", null, null, null, false, 10)));
        assertEquals(List.of("b"), ids(new SessionFilter("wlc", null, null, null, false, 10)));
        assertEquals(List.of("c"), ids(new SessionFilter("2001:DB8:0:0:0:0:0:7", null, null, null, false, 10)));
        assertEquals(List.of("b"), ids(new SessionFilter(null, MAC2, null, null, true, 10)));
        assertEquals(2, ids(new SessionFilter(null, MAC2, null, null, false, 10)).size());
        assertEquals(1, ids(new SessionFilter(null, null, null, null, false, 1)).size());
        assertThrows(IllegalArgumentException.class, () -> new SessionFilter(null, null, null, null, false, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void activeSessionsAfter_pagesThroughEveryActiveSessionOnce_inIdOrder(String kind) {
        open(kind);
        for (int i = 0; i < 7; i++) {
            store.apply(acct(SessionEvent.Kind.START, A, "s" + i, T0, MacAddress.of(0x020000000100L + i), "u", null));
        }
        store.apply(acct(SessionEvent.Kind.STOP, A, "s3", T0.plusSeconds(1), null, null, null));
        java.util.List<String> seen = new java.util.ArrayList<>();
        String after = null;
        int pages = 0;
        for (List<Session> page; !(page = store.activeSessionsAfter(after, 2)).isEmpty(); pages++) {
            assertTrue(page.size() <= 2, "a page holds at most its limit");
            page.forEach(s -> seen.add(s.id()));
            after = page.get(page.size() - 1).id();
        }
        assertEquals(3, pages, "6 active sessions, 2 a page");
        assertEquals(seen.stream().sorted().toList(), seen, "id order");
        assertEquals(6, new java.util.HashSet<>(seen).size(), "each active session once, the stopped one not");
        assertFalse(seen.contains(store.get(A.id(), "s3").orElseThrow().id()));
        assertThrows(IllegalArgumentException.class, () -> store.activeSessionsAfter(null, 0));
    }

    private List<String> ids(SessionFilter f) {
        return store.list(f).stream().map(Session::acctSessionId).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void sessionIdsMadeBefore_andTimeOrderedOnes_coexist(String kind) throws Exception {
        StoreSettings settings = kind.equals("postgres") ? pg.freshSchema() : TestStores.fresh(2);
        store = SessionStore.open(settings, clock);
        store.recordAuthorizations(List.of(accept(A, MAC2, "d0", T0, Verdict.ALLOW)));
        String old = "c0ffee0123456789"; // how session ids were made before: 16 hex digits, random
        try (java.sql.Connection c = kind.equals("postgres")
                ? java.sql.DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password())
                : java.sql.DriverManager.getConnection(settings.jdbcUrl());
             java.sql.PreparedStatement ps = c.prepareStatement("UPDATE nas_sessions SET id = ? WHERE mac = ?")) {
            ps.setString(1, old);
            ps.setLong(2, MAC2.value());
            assertEquals(1, ps.executeUpdate());
        }
        clock.advance(Duration.ofSeconds(1));
        store.recordAuthorizations(List.of(accept(A, MAC, "d1", T0.plusSeconds(1), Verdict.ALLOW)));
        String fresh = store.activeSessionsForMac(MAC).get(0).id();
        assertTrue(fresh.matches("[0-9a-f]{32}"), fresh);
        assertEquals(String.format("%012x", T0.plusSeconds(1).toEpochMilli()), fresh.substring(0, 12),
                "ordered by the store clock's millisecond");
        // the old row is renewed by the next Accept and joined by accounting, under its own id
        store.recordAuthorizations(List.of(accept(A, MAC2, "d2", T0.plusSeconds(2), Verdict.ALLOW)));
        store.apply(acct(SessionEvent.Kind.START, A, "s2", T0.plusSeconds(3), MAC2, null, "d2"));
        assertEquals(old, store.get(A.id(), "s2").orElseThrow().id());
        java.util.List<String> seen = new java.util.ArrayList<>();
        String after = null;
        for (List<Session> page; !(page = store.activeSessionsAfter(after, 1)).isEmpty(); ) {
            seen.add(page.get(0).id());
            after = page.get(0).id();
        }
        assertEquals(List.of(fresh, old), seen, "keyset pages hold both kinds, each once, in text order");
        assertTrue(store.stop(old, T0.plusSeconds(4), null));
        assertEquals(List.of(fresh), store.activeSessionsAfter(null, 10).stream().map(Session::id).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void transport_isRecorded_andTheLatestRecordsTransportWins(String kind) {
        open(kind);
        NasRef overTls = new NasRef(A.id(), A.client(), A.address(), "198.51.100.4", NasTransport.RADSEC);
        store.recordAuthorizations(List.of(accept(overTls, MAC, "d1", T0, Verdict.ALLOW)));
        Session accepted = store.activeSessionsForMac(MAC).get(0);
        assertEquals(NasTransport.RADSEC, accepted.nas().transport());
        assertEquals("198.51.100.4", accepted.nas().source(), "the TLS connection's peer");
        store.apply(acct(SessionEvent.Kind.START, overTls, "s1", T0.plusSeconds(1), MAC, null, "d1"));
        assertEquals(NasTransport.RADSEC, store.get(A.id(), "s1").orElseThrow().nas().transport());
        store.apply(acct(SessionEvent.Kind.INTERIM, A, "s1", T0.plusSeconds(2), MAC, null, null));
        assertEquals(NasTransport.UDP, store.get(A.id(), "s1").orElseThrow().nas().transport(),
                "the NAS moved to UDP: its CoA follows");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void stop_endsOneSessionById(String kind) {
        open(kind);
        store.recordAuthorizations(List.of(accept(A, MAC, "d1", T0, Verdict.ALLOW)));
        String id = store.activeSessionsForMac(MAC).get(0).id();
        assertTrue(store.stop(id, T0.plusSeconds(1), null));
        assertFalse(store.stop(id, T0.plusSeconds(2), null), "already stopped");
        assertFalse(store.stop("nonexistent", T0, null));
        assertTrue(store.activeSessionsForMac(MAC).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite"})
    void apply_afterClose_failsWithStoreException(String kind) {
        open(kind);
        store.close();
        assertThrows(StoreException.class, () -> store.apply(acct(SessionEvent.Kind.START, A, "z", T0, MAC, "u", null)));
        store = null;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite"})
    void authorization_withoutMacOrDevice_orForADeny_isRefused(String kind) {
        assertThrows(IllegalArgumentException.class, () -> new Authorization(A, null, null, null, null, "u", "corp",
                Verdict.ALLOW, null, "d", T0, T0));
        assertThrows(IllegalArgumentException.class, () -> accept(A, MAC, "d", T0, Verdict.DENY));
    }

    private long statementsRun() {
        return ((JdbcSessionStore) store).statementsRun();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void recordAuthorizations_ofNewMacs_isOneLookupOneInsertBatchAndOneCheck_perBatch(String kind) {
        open(kind);
        List<Authorization> fresh = new java.util.ArrayList<>();
        List<Authorization> again = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            MacAddress mac = MacAddress.of(0x0011_2233_0000L + i);
            fresh.add(accept(A, mac, "n" + i, T0, Verdict.ALLOW));
            again.add(accept(A, mac, "r" + i, T0.plusSeconds(60), Verdict.ALLOW));
        }
        long before = statementsRun();
        store.recordAuthorizations(fresh);
        assertEquals(3, statementsRun() - before, "the batch's lookup, one JDBC batch of inserts, the post-commit check");
        assertEquals(40, store.activeCount());
        before = statementsRun();
        store.recordAuthorizations(again);
        assertEquals(40 + 2, statementsRun() - before, "re-authentications: one update each, plus the two queries");
        assertEquals(40, store.list(SessionFilter.all(100)).size(), "renewed, not inserted again");
        assertTrue(store.list(SessionFilter.all(100)).stream().allMatch(x -> x.decisionId().startsWith("r")));
    }

    /** Every row as NAS, MAC, Acct-Session-Id, decision, verdict, start, stop and expiry, sorted (ids differ). */
    private List<String> rows() {
        return store.list(SessionFilter.all(100)).stream().map(x -> String.join("|", x.nas().id(),
                String.valueOf(x.mac()), String.valueOf(x.acctSessionId()), String.valueOf(x.decisionId()),
                String.valueOf(x.verdict()), String.valueOf(x.startedAt()), String.valueOf(x.stoppedAt()),
                String.valueOf(x.expiresAt()))).sorted().toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void oneBatch_writesWhatTheSameAcceptsOneByOneWrite(String kind) {
        List<Authorization> accepts = List.of(
                accept(A, MAC, "d1", T0, Verdict.ALLOW),
                accept(B, MAC, "d2", T0.plusSeconds(1), Verdict.ALLOW), // roamed to B: A's session ends
                accept(A, MAC, "d3", T0.plusSeconds(2), Verdict.QUARANTINE), // back on A: revived, B's ends
                accept(C_ACCOUNTED, MAC2, "d4", T0.plusSeconds(3), Verdict.ALLOW), // onto the accounted session
                accept(A, MAC2, "d5", T0.plusSeconds(4), Verdict.ALLOW),
                accept(A, MAC2, "d6", T0.plusSeconds(5), Verdict.QUARANTINE)); // renews the row d5 inserted
        open(kind);
        store.apply(acct(SessionEvent.Kind.START, C_ACCOUNTED, "wired-1", T0, MAC2, "u", null));
        store.recordAuthorizations(accepts);
        List<String> batched = rows();
        store.close();
        open(kind);
        store.apply(acct(SessionEvent.Kind.START, C_ACCOUNTED, "wired-1", T0, MAC2, "u", null));
        for (Authorization a : accepts) {
            store.recordAuthorizations(List.of(a));
        }
        assertEquals(rows(), batched);
        assertEquals(4, batched.size(), batched.toString());
    }

    @Test
    void accept_onAnEmbeddedStore_findsItsRowsByMac_notByScanningTheNas() throws Exception {
        // the plan SQLite picks for the statements of every Access-Accept: before V50 the Accept-only update read
        // every Accept-only row of the NAS through the (nas_id, acct_session_id) index
        StoreSettings settings = TestStores.fresh(2);
        store = SessionStore.open(settings, clock);
        store.recordAuthorizations(List.of(accept(A, MAC, "d1", T0, Verdict.ALLOW)));
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(settings.jdbcUrl())) {
            // and the batch's lookup of its MACs' rows, which reads them by MAC too
            for (var expected : java.util.Map.of(JdbcSessionStore.AUTHORIZE_ACCOUNTED + "mac = ?", "mac=? AND nas_id=?",
                    JdbcSessionStore.AUTHORIZE_ACCEPT_ONLY + "mac = ?", "mac=? AND nas_id=?",
                    JdbcSessionStore.knownRowsSql(3), "mac=?)").entrySet()) {
                String sql = expected.getKey();
                StringBuilder plan = new StringBuilder();
                try (java.sql.PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql);
                     java.sql.ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString("detail")).append('\n');
                    }
                }
                assertTrue(plan.toString().contains("USING INDEX nas_sessions_mac_nas (" + expected.getValue()),
                        sql + "\n" + plan);
            }
        }
    }
}
