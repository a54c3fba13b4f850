package io.nacgw.radius.coa;

import io.nacgw.core.id.MacAddress;
import io.nacgw.core.session.CoaClaims;
import io.nacgw.core.session.NasRef;
import io.nacgw.core.session.Session;
import io.nacgw.core.session.SessionStore;
import io.nacgw.core.testing.MutableClock;
import io.nacgw.core.testing.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who sends a CoA among nodes on one store: nodes here share one embedded store's claims, driven by hand. */
final class CoaCoordinatorTest {
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
    private static final SharedCoaSettings SETTINGS = new SharedCoaSettings(Duration.ofSeconds(1),
            Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofHours(1));

    private final MutableClock clock = new MutableClock(T0);
    private final SessionStore store = SessionStore.open(TestStores.fresh(2), clock, "a");
    private final CoaClaims claims = store.claims();
    /** Each node's progress through the changes it received; "now" unless a test holds one back. */
    private final AtomicReference<Instant> aDone = new AtomicReference<>();
    private final CoaCoordinator a = node("a", aDone);
    private final CoaCoordinator b = node("b", new AtomicReference<>());
    private final CoaCoordinator c = node("c", new AtomicReference<>());

    private CoaCoordinator node(String name, AtomicReference<Instant> done) {
        return new CoaCoordinator(claims, name, SETTINGS, clock, () -> done.get() != null ? done.get() : clock.instant(),
                false);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static Session ownedBy(String owner) {
        return new Session("s1", new NasRef("ip:10.0.0.1", "sw", "10.0.0.1", "10.0.0.1"), "acct-1", null, null,
                MacAddress.parse("00:11:22:33:44:55"), null, null, null, null, null, "corp", null, null, T0, null,
                T0, T0, null, null, owner);
    }

    @Test
    void owner_claimsAndSendsAtOnce_once() {
        assertTrue(a.offer(ownedBy("a"), "dev@1", T0, () -> { throw new AssertionError("deferred"); }));
        assertFalse(a.offer(ownedBy("a"), "dev@1", T0, () -> { throw new AssertionError("deferred"); }));
        assertTrue(a.offer(ownedBy("a"), "dev@2", T0, () -> { throw new AssertionError("deferred"); }));
        assertEquals(2, a.stats().claimed());
        assertEquals(1, a.stats().lost());
    }

    @Test
    void sessionWithoutOwner_whoeverClaimsFirstSends() {
        assertTrue(b.offer(ownedBy(null), "dev@1", T0, () -> { }));
        assertFalse(a.offer(ownedBy(null), "dev@1", T0, () -> { }));
    }

    @Test
    void nonOwner_defers_andDropsItOnceTheLiveOwnerIsPastIt() {
        AtomicInteger sent = new AtomicInteger();
        aDone.set(T0.minusSeconds(1)); // the owner is busy with older changes
        a.tick();
        assertFalse(b.offer(ownedBy("a"), "dev@1", T0, sent::incrementAndGet));
        b.tick();
        assertEquals(1, b.deferred());
        clock.advance(Duration.ofSeconds(1));
        aDone.set(T0.plusSeconds(1)); // looked at what it received up to 1 s after b: not enough (grace 2 s)
        a.tick();
        b.tick();
        assertEquals(1, b.deferred());
        clock.advance(Duration.ofSeconds(2));
        aDone.set(null); // idle: done up to now
        a.tick();
        b.tick();
        assertEquals(0, b.deferred());
        assertEquals(0, sent.get());
        assertEquals(1, b.stats().ownerHandled());
    }

    @Test
    void deadOwner_exactlyOneOtherNodeSends() {
        AtomicInteger sent = new AtomicInteger();
        a.tick();
        assertFalse(b.offer(ownedBy("a"), "dev@1", T0, sent::incrementAndGet));
        assertFalse(c.offer(ownedBy("a"), "dev@1", T0, sent::incrementAndGet));
        aDone.set(T0.minusSeconds(60)); // it received the change but never got to it
        clock.advance(Duration.ofSeconds(5)); // the owner's heartbeat is exactly nodeTimeout old: still alive
        b.tick();
        c.tick();
        assertEquals(0, sent.get());
        clock.advance(Duration.ofMillis(1));
        b.tick();
        c.tick();
        assertEquals(1, sent.get());
        assertEquals(1, b.stats().takenOver() + c.stats().takenOver());
        assertEquals(1, b.stats().lost() + c.stats().lost());
        assertEquals(0, b.deferred() + c.deferred());
    }

    @Test
    void ownerThatClaimedThenDied_isNotDuplicated() {
        AtomicInteger sent = new AtomicInteger();
        a.tick();
        assertTrue(a.offer(ownedBy("a"), "dev@1", T0, sent::incrementAndGet));
        assertFalse(b.offer(ownedBy("a"), "dev@1", T0, sent::incrementAndGet));
        clock.advance(Duration.ofSeconds(30));
        b.tick();
        assertEquals(0, sent.get());
        assertEquals(0, b.deferred());
    }

    @Test
    void ownerThatLeft_isTakenOverAtTheNextHeartbeat() {
        AtomicInteger sent = new AtomicInteger();
        a.tick();
        assertFalse(b.offer(ownedBy("a"), "dev@1", T0, sent::incrementAndGet));
        aDone.set(T0.minusSeconds(1));
        a.tick();
        a.close();
        b.tick();
        assertEquals(1, sent.get());
        assertTrue(claims.nodes().containsKey("b"));
        assertFalse(claims.nodes().containsKey("a"));
    }

    @Test
    void storeDown_deferredCoaWaits_ownCoaIsNotSent_counted() {
        AtomicInteger sent = new AtomicInteger();
        assertFalse(b.offer(ownedBy("a"), "dev@1", T0, sent::incrementAndGet));
        store.close();
        assertThrows(RuntimeException.class, b::tick);
        assertEquals(1, b.deferred());
        assertFalse(a.offer(ownedBy("a"), "dev@2", T0, sent::incrementAndGet), "no claim, no CoA");
        assertEquals(1, a.stats().storeErrors());
        assertEquals(0, a.stats().claimed());
        assertEquals(0, sent.get());
    }

    private static Session session(String id, String owner) {
        Session s = ownedBy(owner);
        return new Session(id, s.nas(), "acct-" + id, null, null, s.mac(), null, null, null, null, null, "corp", null,
                null, T0, null, T0, T0, null, null, owner);
    }

    private static CoaCoordinator.Offer offer(Session s, AtomicInteger sent) {
        return new CoaCoordinator.Offer(s, "dev@1", T0, sent::incrementAndGet);
    }

    @Test
    void batch_mixingOwnedNotOwnedAndAlreadyClaimed_sendsOnlyWhatItWon() {
        AtomicInteger later = new AtomicInteger();
        assertTrue(claims.claim("s3", "dev@1", "c")); // another node got there first (the owner was dead)
        boolean[] now = a.offerAll(List.of(offer(session("s1", "a"), later), offer(session("s2", "b"), later),
                offer(session("s3", "a"), later), offer(session("s4", null), later),
                offer(session("s1", "a"), later))); // the same CoA twice in one batch: sent once
        assertArrayEquals(new boolean[]{true, false, false, true, false}, now);
        assertEquals(new CoaCoordinator.Stats(2, 2, 1, 1, 0, 0, 0, 0), a.stats());
        assertEquals(0, later.get());
        assertEquals(Set.of(), claims.claimAll(List.of(new CoaClaims.Claim("s1", "dev@1"),
                new CoaClaims.Claim("s4", "dev@1")), "b"), "claimed in the store");
    }

    /** The store's claims, but claimAll fails once: before touching the store, or after its transaction committed. */
    private CoaCoordinator flakyNode(String name, boolean afterCommit) {
        AtomicBoolean failed = new AtomicBoolean();
        CoaClaims flaky = new CoaClaims() {
            @Override
            public boolean claim(String sessionId, String changeKey, String node) {
                return claims.claim(sessionId, changeKey, node);
            }

            @Override
            public Set<Claim> claimAll(Collection<Claim> all, String node) {
                if (failed.compareAndSet(false, true)) {
                    if (afterCommit) {
                        claims.claimAll(all, node);
                    }
                    throw new IllegalStateException("connection reset");
                }
                return claims.claimAll(all, node);
            }

            @Override
            public void heartbeat(String node, Instant at, Instant doneAt) {
                claims.heartbeat(node, at, doneAt);
            }

            @Override
            public Map<String, Beat> nodes() {
                return claims.nodes();
            }

            @Override
            public void leave(String node) {
                claims.leave(node);
            }

            @Override
            public int pruneBefore(Instant cutoff) {
                return claims.pruneBefore(cutoff);
            }
        };
        return new CoaCoordinator(flaky, name, SETTINGS, clock, clock::instant, false);
    }

    @Test
    void batch_whoseClaimFails_isCountedDeferred_andClaimedAgainAtTheNextHeartbeat_once() {
        CoaCoordinator n = flakyNode("a", false);
        AtomicInteger sent = new AtomicInteger();
        boolean[] now = n.offerAll(List.of(offer(session("s1", "a"), sent), offer(session("s2", "a"), sent),
                offer(session("s3", "b"), sent)));
        assertArrayEquals(new boolean[3], now, "no claim, no CoA now");
        assertEquals(1, n.stats().storeErrors());
        assertEquals(3, n.deferred());
        b.tick();
        n.tick(); // claims its own two again and sends them; s3 stays with its live owner b
        assertEquals(2, sent.get());
        assertEquals(2, n.stats().claimed());
        assertEquals(1, n.deferred());
        n.tick();
        assertEquals(2, sent.get(), "sent once");
        assertFalse(b.offer(session("s1", "a"), "dev@1", T0, () -> { }), "the claims are in the store");
    }

    @Test
    void batch_whoseClaimCommittedButTheAnswerWasLost_isNeverSentTwice() {
        CoaCoordinator n = flakyNode("a", true);
        AtomicInteger sent = new AtomicInteger();
        assertArrayEquals(new boolean[2], n.offerAll(List.of(offer(session("s1", "a"), sent),
                offer(session("s2", "a"), sent))));
        n.tick();
        assertEquals(0, sent.get(), "at most once: the claims exist, so the retry does not send them");
        assertEquals(2, n.stats().lost());
        assertEquals(0, n.deferred());
    }

    @Test
    void ownClaimNotMadeWithinClaimRetention_isDropped_counted() {
        CoaCoordinator n = flakyNode("a", false);
        AtomicInteger sent = new AtomicInteger();
        n.offerAll(List.of(offer(session("s1", "a"), sent)));
        clock.advance(SETTINGS.claimRetention().plusMillis(1));
        n.tick();
        assertEquals(0, sent.get());
        assertEquals(1, n.stats().abandoned());
        assertEquals(0, n.deferred());
    }

    @Test
    void ownClaimFailing_whileTheStoreIsDown_waits() {
        AtomicInteger sent = new AtomicInteger();
        a.tick();
        store.close();
        assertFalse(a.offer(session("s1", "a"), "dev@1", T0, sent::incrementAndGet));
        assertEquals(1, a.deferred());
        assertThrows(RuntimeException.class, a::tick);
        assertEquals(1, a.deferred(), "kept for the next heartbeat");
        assertEquals(0, sent.get());
    }

    @Test
    void settings_areValidated_namingTheKey() {
        var e = assertThrows(IllegalArgumentException.class, () -> new SharedCoaSettings(Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofHours(1)));
        assertTrue(e.getMessage().startsWith("radius.coa.shared.nodeTimeout"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SharedCoaSettings(Duration.ofMillis(10),
                Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofHours(1)));
        assertTrue(e.getMessage().startsWith("radius.coa.shared.heartbeatInterval"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SharedCoaSettings(Duration.ofSeconds(1),
                Duration.ofSeconds(5), Duration.ofSeconds(-1), Duration.ofHours(1)));
        assertTrue(e.getMessage().startsWith("radius.coa.shared.ownerGrace"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SharedCoaSettings(Duration.ofSeconds(1),
                Duration.ofSeconds(5), Duration.ofSeconds(2), null));
        assertTrue(e.getMessage().startsWith("radius.coa.shared.claimRetention"), e.getMessage());
    }
}
