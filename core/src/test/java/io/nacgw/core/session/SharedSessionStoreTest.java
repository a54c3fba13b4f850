package io.nacgw.core.session;

import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.policy.Verdict;
import io.nacgw.core.store.StoreSettings;
import io.nacgw.core.testing.MutableClock;
import io.nacgw.core.testing.Postgres;
import io.nacgw.core.testing.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Session ownership and CoA claims: one store per node on one database (PostgreSQL), and the embedded store. */
final class SharedSessionStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
    private static final MacAddress MAC = MacAddress.parse("00:11:22:33:44:55");
    private static final DeviceGuid DEVICE = DeviceGuid.intune("11111111-2222-4333-8444-555555555555");
    private static final NasRef NAS = new NasRef("ip:10.1.0.1", "sw", "10.1.0.1", "10.1.0.1");

    @RegisterExtension
    final Postgres pg = new Postgres();
    private final MutableClock clock = new MutableClock(T0);
    private final List<SessionStore> open = new ArrayList<>();

    @AfterEach
    void close() {
        open.forEach(SessionStore::close);
    }

    private SessionStore open(StoreSettings s, String node) {
        SessionStore store = SessionStore.open(s, clock, node);
        open.add(store);
        return store;
    }

    private StoreSettings settings(String kind) {
        return kind.equals("postgres") ? pg.freshSchema() : TestStores.fresh(2);
    }

    private static SessionEvent start(String acctId, Instant at) {
        return new SessionEvent(SessionEvent.Kind.START, NAS, acctId, 10L, "Gi1/0/10", MAC, DEVICE, "alice",
                "10.0.0.5", null, null, null, at, null);
    }

    private static Authorization accept(String decisionId, Instant at) {
        return new Authorization(NAS, 10L, "Gi1/0/10", MAC, DEVICE, MAC.toHex12(), "corp", Verdict.ALLOW,
                "nacgw:" + decisionId, decisionId, at, at.plus(Duration.ofHours(8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void owner_isTheNodeThatRecordedTheLastAcceptOrAccounting(String kind) {
        SessionStore a = open(settings(kind), "node-a");
        a.apply(start("s1", T0));
        assertEquals("node-a", a.get(NAS.id(), "s1").orElseThrow().owner());
        a.recordAuthorizations(List.of(accept("d2", T0.plusSeconds(5))));
        Session s = a.get(NAS.id(), "s1").orElseThrow();
        assertEquals("node-a", s.owner());
        assertEquals("d2", s.decisionId());
    }

    @Test
    void withoutNodeName_noOwner() {
        SessionStore a = open(TestStores.fresh(2), null);
        a.apply(start("s1", T0));
        assertNull(a.get(NAS.id(), "s1").orElseThrow().owner());
    }

    @Test
    void nodeName_isValidated() {
        assertThrows(IllegalArgumentException.class, () -> SessionStore.open(TestStores.fresh(2), clock, " "));
        assertThrows(IllegalArgumentException.class, () -> SessionStore.open(TestStores.fresh(2), clock, "n".repeat(65)));
    }

    @Test
    void twoNodes_accountingOnA_isSeenFromB_andTheNodeRecordingLastOwnsIt() {
        StoreSettings s = pg.freshSchema();
        SessionStore a = open(s, "node-a");
        SessionStore b = open(s, "node-b");
        a.apply(start("s1", T0));
        Session seen = b.get(NAS.id(), "s1").orElseThrow();
        assertEquals("node-a", seen.owner());
        assertEquals(List.of(seen.id()), b.activeSessionsForDevice(DEVICE).stream().map(Session::id).toList());
        assertEquals(1, b.list(new SessionFilter(null, MAC, null, null, true, 10)).size());
        // the NAS's secondary server is B now: B records the interim and owns the session
        b.apply(new SessionEvent(SessionEvent.Kind.INTERIM, NAS, "s1", null, null, null, null, null, null, null,
                null, null, T0.plusSeconds(60), null));
        assertEquals("node-b", a.find(seen.id()).orElseThrow().owner());
        // B stops it: A sees it ended
        b.apply(new SessionEvent(SessionEvent.Kind.STOP, NAS, "s1", null, null, null, null, null, null, null,
                null, null, T0.plusSeconds(90), 1));
        assertTrue(a.activeSessionsForMac(MAC).isEmpty());
    }

    @Test
    void twoNodes_recordingNewEndpointsInTheSameMillisecond_neverMakeTheSameSessionId() {
        // both nodes' clocks read the same millisecond throughout: their ids' time parts are equal, one for one
        StoreSettings s = pg.freshSchema();
        SessionStore a = open(s, "node-a");
        SessionStore b = open(s, "node-b");
        int perNode = 2000;
        for (int from = 0; from < perNode; from += 250) {
            for (SessionStore node : List.of(a, b)) {
                List<Authorization> batch = new ArrayList<>();
                for (int i = from; i < from + 250; i++) {
                    MacAddress mac = MacAddress.of((node == a ? 0x02_0000_000000L : 0x06_0000_000000L) + i);
                    batch.add(new Authorization(NAS, 10L, null, mac, null, mac.toHex12(), "corp", Verdict.ALLOW,
                            null, null, T0, T0.plus(Duration.ofHours(8))));
                }
                node.recordAuthorizations(batch); // a duplicate id would fail the batch on the primary key
            }
        }
        List<String> ids = new ArrayList<>();
        String after = null;
        for (List<Session> page; !(page = a.activeSessionsAfter(after, 1000)).isEmpty(); ) {
            page.forEach(x -> ids.add(x.id()));
            after = page.get(page.size() - 1).id();
        }
        assertEquals(2 * perNode, ids.size());
        assertEquals(2 * perNode, new java.util.HashSet<>(ids).size());
        assertTrue(ids.stream().allMatch(id -> id.startsWith(String.format("%012x", T0.toEpochMilli()))), "same ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void claim_onceForEachSessionAndChange(String kind) {
        CoaClaims c = open(settings(kind), "node-a").claims();
        assertTrue(c.claim("s1", "dev@1", "node-a"));
        assertFalse(c.claim("s1", "dev@1", "node-a"));
        assertFalse(c.claim("s1", "dev@1", "node-b"));
        assertTrue(c.claim("s1", "dev@2", "node-b"));
        assertTrue(c.claim("s2", "dev@1", "node-b"));
    }

    @Test
    void claim_racingNodes_exactlyOneWins() throws Exception {
        StoreSettings s = pg.freshSchema();
        CoaClaims a = open(s, "node-a").claims();
        CoaClaims b = open(s, "node-b").claims();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 50; round++) {
                String key = "dev@" + round;
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (CoaClaims c : List.of(a, b, a, b)) {
                    Callable<Boolean> claim = () -> {
                        go.await();
                        return c.claim("s1", key, c == a ? "node-a" : "node-b");
                    };
                    results.add(pool.submit(claim));
                }
                go.countDown();
                int won = 0;
                for (Future<Boolean> f : results) {
                    won += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertEquals(1, won, "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void heartbeat_isUpdated_andLeaveRemovesIt(String kind) {
        CoaClaims c = open(settings(kind), "node-a").claims();
        assertTrue(c.nodes().isEmpty());
        c.heartbeat("node-a", T0, T0.minusSeconds(1));
        c.heartbeat("node-b", T0, T0);
        c.heartbeat("node-a", T0.plusSeconds(1), T0.plusSeconds(1));
        assertEquals(new CoaClaims.Beat("node-a", T0.plusSeconds(1), T0.plusSeconds(1)), c.nodes().get("node-a"));
        assertEquals(2, c.nodes().size());
        c.leave("node-a");
        assertEquals(List.of("node-b"), List.copyOf(c.nodes().keySet()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void prune_deletesOldClaimsOnly(String kind) {
        CoaClaims c = open(settings(kind), "node-a").claims();
        assertTrue(c.claim("s1", "old", "node-a"));
        clock.advance(Duration.ofMinutes(10));
        assertTrue(c.claim("s1", "new", "node-a"));
        assertEquals(1, c.pruneBefore(T0.plusSeconds(1)));
        assertTrue(c.claim("s1", "old", "node-a"));
        assertFalse(c.claim("s1", "new", "node-a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void claimAll_winsWhatNobodyClaimed_eachOnce_acrossStatements(String kind) {
        CoaClaims c = open(settings(kind), "node-a").claims();
        assertTrue(c.claim("s1", "k", "node-b"));
        List<CoaClaims.Claim> batch = new ArrayList<>(List.of(new CoaClaims.Claim("s1", "k"),
                new CoaClaims.Claim("s2", "k"), new CoaClaims.Claim("s2", "k"), new CoaClaims.Claim("s1", "k2")));
        for (int i = 0; i < JdbcCoaClaims.CLAIMS_PER_STATEMENT * 2; i++) {
            batch.add(new CoaClaims.Claim("bulk-" + i, "k"));
        }
        var won = c.claimAll(batch, "node-a");
        assertEquals(2 + JdbcCoaClaims.CLAIMS_PER_STATEMENT * 2, won.size());
        assertFalse(won.contains(new CoaClaims.Claim("s1", "k")), "node-b had it");
        assertTrue(won.contains(new CoaClaims.Claim("s2", "k")));
        assertTrue(won.contains(new CoaClaims.Claim("bulk-" + (JdbcCoaClaims.CLAIMS_PER_STATEMENT * 2 - 1), "k")));
        assertTrue(c.claimAll(batch, "node-b").isEmpty(), "all taken now");
        assertFalse(c.claim("bulk-0", "k", "node-b"));
        assertTrue(c.claimAll(List.of(), "node-a").isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void activeSessionsFor_findsByDeviceOrMac_eachOnce_liveOnly_alsoOverManyQueries(String kind) {
        SessionStore a = open(settings(kind), "node-a");
        a.apply(start("s1", T0)); // MAC and DEVICE
        DeviceGuid other = DeviceGuid.intune("11111111-2222-4333-8444-666666666666");
        MacAddress otherMac = MacAddress.parse("00:11:22:33:44:66");
        a.apply(new SessionEvent(SessionEvent.Kind.START, NAS, "s2", 11L, null, otherMac, null, null, null, null,
                null, null, T0.plusSeconds(1), null));
        a.apply(new SessionEvent(SessionEvent.Kind.START, NAS, "s3", 12L, null, null, other, null, null, null, null,
                null, T0.plusSeconds(2), null));
        a.apply(new SessionEvent(SessionEvent.Kind.START, NAS, "s4", 13L, null, otherMac, null, null, null, null,
                null, null, T0, null));
        a.apply(new SessionEvent(SessionEvent.Kind.STOP, NAS, "s4", 13L, null, otherMac, null, null, null, null,
                null, null, T0.plusSeconds(3), null));
        assertEquals(List.of("s1"), acct(a.activeSessionsFor(List.of(DEVICE), List.of(MAC))));
        assertEquals(List.of("s3", "s2", "s1"), acct(a.activeSessionsFor(List.of(DEVICE, other), List.of(otherMac))));
        assertEquals(List.of(), acct(a.activeSessionsFor(List.of(), List.of())));
        List<MacAddress> many = new ArrayList<>();
        for (int i = 0; i < SessionStore.MAX_LOOKUP_KEYS + 10; i++) {
            many.add(MacAddress.parse(String.format("02:00:00:00:%02x:%02x", i / 256, i % 256)));
        }
        many.add(otherMac);
        assertEquals(List.of("s3", "s2", "s1"), acct(a.activeSessionsFor(List.of(DEVICE, other), many)));
    }

    private static List<String> acct(List<Session> l) {
        return l.stream().map(Session::acctSessionId).toList();
    }
}
