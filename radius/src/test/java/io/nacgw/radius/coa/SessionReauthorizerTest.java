package io.nacgw.radius.coa;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.service.DeviceChange;
import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.core.policy.Profile;
import io.nacgw.core.policy.ResponseAttributes;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.session.NasRef;
import io.nacgw.core.session.Session;
import io.nacgw.core.session.SessionEvent;
import io.nacgw.core.session.SessionStore;
import io.nacgw.radius.NasClient;
import io.nacgw.radius.TestWorld;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trigger against the real session table (H2) and a NAS stand-in: what is sent for which change. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class SessionReauthorizerTest {
    private static final NasRef NAS = new NasRef("ip:127.0.0.1", "switch", "127.0.0.1", "127.0.0.1");
    private TestWorld world;
    private NasStandIn nas;
    private CoaSender sender;
    private SessionReauthorizer trigger;
    private final Map<String, NasClient> clients = new HashMap<>();

    @BeforeEach
    void start() throws Exception {
        world = new TestWorld();
        nas = new NasStandIn(TestWorld.SECRET);
        clients.put("switch", TestWorld.switchClient("127.0.0.0/8").coaPort(nas.port()).build());
        sender = CoaSender.start(CoaSettings.DEFAULTS, clients::get, r -> { }, world.clock, r -> { });
        trigger = new SessionReauthorizer(world.policy, world.compliance, world.sessions, clients::get, sender, world.clock, 100);
        world.sessions.apply(new SessionEvent(SessionEvent.Kind.START, NAS, "sess-1", null, null, TestWorld.COMPLIANT,
                TestWorld.COMPLIANT_ID, "001122334401", null, null, "AUDIT-1", null, TestWorld.NOW, null));
    }

    @AfterEach
    void stop() throws Exception {
        trigger.close();
        sender.close();
        nas.close();
        world.close();
    }

    private Session session() {
        return world.sessions.get(NAS.id(), "sess-1").orElseThrow();
    }

    private static DeviceRecord compliant() {
        return TestWorld.device(TestWorld.COMPLIANT_ID, TestWorld.COMPLIANT, ComplianceState.COMPLIANT);
    }

    private static DeviceRecord noncompliant() {
        return TestWorld.device(TestWorld.COMPLIANT_ID, TestWorld.COMPLIANT, ComplianceState.NONCOMPLIANT);
    }

    @Test
    void verdictChange_sendsCoaForTheLiveSession() throws Exception {
        List<CompletableFuture<CoaResult>> sent = trigger.reevaluate(new DeviceChange(compliant(), noncompliant()));
        assertEquals(1, sent.size());
        CoaResult r = sent.get(0).get(10, TimeUnit.SECONDS);
        assertEquals(CoaResult.Answer.ACK, r.answer());
        assertEquals("allow -> deny (noncompliant)", r.request().reason());
        assertEquals(CoaTrigger.DEVICE_CHANGE, r.request().trigger());
        NasStandIn.Received got = nas.received().get(0);
        assertEquals(RadiusCode.COA_REQUEST, got.code());
        assertEquals("sess-1", got.text(AttributeType.ACCT_SESSION_ID));
        assertTrue(got.ciscoAvPairs().contains("audit-session-id=AUDIT-1"), got.ciscoAvPairs().toString());
    }

    /** An Access-Accept recorded for the session at {@code at}: the answer corp gives {@code device}. */
    private void authorized(DeviceRecord device, java.time.Instant at) {
        authorized("corp", device, at);
    }

    /** An Access-Accept recorded for the session at {@code at}: the answer {@code profile} gives {@code device}. */
    private void authorized(String profile, DeviceRecord device, java.time.Instant at) {
        var d = world.policy.profile(profile).decide(device, at.toEpochMilli());
        world.sessions.recordAuthorizations(List.of(new io.nacgw.core.session.Authorization(NAS, null, null,
                TestWorld.COMPLIANT, TestWorld.COMPLIANT_ID, null, profile, d.verdict(), null, "d-1", at,
                at.plusSeconds(3600), d.answerHash())));
    }

    @Test
    void sessionAuthorisedWithTheNewAnswer_getsNoCoa() {
        // the trigger's queue was busy: by the time it looks at "noncompliant -> compliant", the device has already
        // been let in with its new record; a CoA would only repeat the answer the session holds
        authorized(compliant(), TestWorld.NOW.plusSeconds(2));
        assertTrue(trigger.reevaluate(new DeviceChange(noncompliant(), compliant())).isEmpty(),
                "no CoA for a session that holds the new answer");
        assertEquals(1, trigger.stats().unchanged());
    }

    @Test
    void sessionHoldingAnOlderAnswer_getsItsCoa_evenWhenTheChangeItselfAltersNothing() throws Exception {
        // quarantined on guest-wifi; the change the trigger sees is "compliant -> compliant, renamed" (an earlier
        // noncompliant -> compliant was missed): the NAS still holds the quarantine, so the CoA goes out
        authorized("guest-wifi", noncompliant(), TestWorld.NOW.minusSeconds(2));
        DeviceRecord renamed = compliant().toBuilder().deviceName("renamed")
                .lastModified(compliant().lastModified().plusSeconds(1)).build();
        List<CompletableFuture<CoaResult>> sent = trigger.reevaluate(new DeviceChange(compliant(), renamed));
        assertEquals(1, sent.size());
        assertEquals("quarantine -> allow (compliant)", sent.get(0).get(10, TimeUnit.SECONDS).request().reason());
    }

    @Test
    void ackedCoa_recordsTheAnswerItAskedFor_soAChangeBackBeforeTheReauthIsSentToo() throws Exception {
        authorized(compliant(), TestWorld.NOW);
        assertEquals(CoaResult.Answer.ACK, trigger.reevaluate(new DeviceChange(compliant(), noncompliant())).get(0)
                .get(10, TimeUnit.SECONDS).answer());
        long deny = world.policy.profile("corp").decide(noncompliant(), TestWorld.NOW.toEpochMilli()).answerHash();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Long.valueOf(deny).equals(session().answerHash()) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(deny, session().answerHash(), "the NAS was told to re-authorise toward the new answer");
        // the device is compliant again before the NAS's new Access-Request was recorded: the NAS holds (or is
        // getting) the deny, so the change back is sent as well
        DeviceRecord back = compliant().toBuilder().lastModified(noncompliant().lastModified().plusSeconds(1)).build();
        assertEquals(1, trigger.reevaluate(new DeviceChange(noncompliant(), back)).size());
    }

    @Test
    void sessionHoldingTheSameAnswer_getsNothing_evenWhenTheChangeAltersTheDecision() {
        // recorded "allow" although the change says it was noncompliant before: the NAS already has the answer
        authorized(compliant(), TestWorld.NOW.minusSeconds(2));
        assertTrue(trigger.reevaluate(new DeviceChange(noncompliant(), compliant())).isEmpty());
        assertEquals(1, trigger.stats().unchanged());
    }

    @Test
    void policyReload_withoutEffectOnTheRecordedAnswer_sendsNothing_withEffect_sendsOne() throws Exception {
        authorized(compliant(), TestWorld.NOW);
        Profile corp = world.policy.profile("corp");
        Profile guest = world.policy.profile("guest-wifi");
        Map<String, Profile> before = Map.of("corp", corp, "guest-wifi", guest);
        // the quarantine attributes change, the allow answer the session holds does not
        world.policy.update(AccessPolicy.of(List.of(Profile.builder("corp").remediationUrl(TestWorld.REMEDIATION)
                .allow(new ResponseAttributes("100", "corp-acl", null, 3600, null, null, null))
                .quarantine(new ResponseAttributes("998", null, null, null, null, null, null)).build(), guest), "corp"));
        assertTrue(trigger.reevaluateAll(before).isEmpty());
        // the allow VLAN changes: one CoA
        Map<String, Profile> before2 = Map.of("corp", world.policy.profile("corp"), "guest-wifi", guest);
        world.policy.update(AccessPolicy.of(List.of(Profile.builder("corp")
                .allow(new ResponseAttributes("300", null, null, null, null, null, null)).build(), guest), "corp"));
        List<CompletableFuture<CoaResult>> sent = trigger.reevaluateAll(before2);
        assertEquals(1, sent.size());
        assertEquals("profile corp: allow -> allow (compliant)", sent.get(0).get(10, TimeUnit.SECONDS).request().reason());
        assertEquals(1, trigger.stats().unchanged());
    }

    @Test
    void policyReload_backToTheRulesTheSessionWasAuthorisedWith_sendsNothing() {
        authorized(compliant(), TestWorld.NOW);
        Profile corp = world.policy.profile("corp");
        Profile guest = world.policy.profile("guest-wifi");
        // the session was authorised, then VLAN 300 was configured and reverted before the trigger looked
        Map<String, Profile> before = Map.of("corp", Profile.builder("corp")
                .allow(new ResponseAttributes("300", null, null, null, null, null, null)).build(), "guest-wifi", guest);
        world.policy.update(AccessPolicy.of(List.of(corp, guest), "corp"));
        assertTrue(trigger.reevaluateAll(before).isEmpty(),
                "the old rules' answer differs from the new, but the new one is the one the session holds");
        assertEquals(1, trigger.stats().unchanged());
    }

    /** Sessions on distinct MACs/devices, each authorised allow by corp; their "compliant -> noncompliant" changes. */
    private List<DeviceChange> authorisedDevices(int n) {
        return authorisedDevices(n, world.sessions);
    }

    /** As above, in {@code store}. */
    private List<DeviceChange> authorisedDevices(int n, SessionStore store) {
        List<DeviceChange> changes = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            MacAddress mac = MacAddress.parse(String.format("02:00:00:00:%02x:%02x", i / 256, i % 256));
            io.nacgw.core.id.DeviceGuid id = io.nacgw.core.id.DeviceGuid.intune(
                    String.format("33333333-2222-4333-8444-%012d", i));
            DeviceRecord was = TestWorld.device(id, mac, ComplianceState.COMPLIANT);
            var d = world.policy.profile("corp").decide(was, TestWorld.NOW.toEpochMilli());
            store.apply(new SessionEvent(SessionEvent.Kind.START, NAS, "over-" + i, null, null, mac, id,
                    null, null, null, null, null, TestWorld.NOW, null));
            store.recordAuthorizations(List.of(new io.nacgw.core.session.Authorization(NAS, null, null, mac,
                    id, null, "corp", d.verdict(), null, "over-" + i, TestWorld.NOW, TestWorld.NOW.plusSeconds(3600),
                    d.answerHash())));
            changes.add(new DeviceChange(was, TestWorld.device(id, mac, ComplianceState.NONCOMPLIANT)));
        }
        return changes;
    }

    /**
     * A trigger with a queue of one whose thread stalls in its first session lookup until {@code release}: the first
     * change is being looked at, the second waits in the queue, the rest find the queue full.
     */
    private SessionReauthorizer stalledTrigger(java.util.concurrent.CountDownLatch entered,
                                               java.util.concurrent.CountDownLatch release) {
        return stalledTrigger(entered, release, world.compliance, world.sessions, sender,
                SessionReauthorizer.MAX_OVERFLOW, SessionReauthorizer.PAGE);
    }

    /** As above, on these services, keeping at most {@code maxOverflow} set-aside devices, reading pages of {@code page}. */
    private SessionReauthorizer stalledTrigger(java.util.concurrent.CountDownLatch entered,
                                               java.util.concurrent.CountDownLatch release,
                                               io.nacgw.core.service.ComplianceService compliance, SessionStore store,
                                               CoaSender via, int maxOverflow, int page) {
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        return new SessionReauthorizer(world.policy, compliance, store, name -> {
            if (first.getAndSet(false)) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return clients.get(name);
        }, via, world.clock, 1, maxOverflow, page);
    }

    /**
     * A {@link #stalledTrigger} (shared through {@code shared} unless null) given {@code changes}: the first stalls
     * it, the second fills its queue, the others are set aside. The caller releases it and closes it.
     */
    private SessionReauthorizer overflowed(List<DeviceChange> changes, CoaCoordinator shared,
                                           java.util.concurrent.CountDownLatch release) throws InterruptedException {
        return overflowed(changes, shared, release, world.compliance, world.sessions, sender,
                SessionReauthorizer.MAX_OVERFLOW, SessionReauthorizer.PAGE);
    }

    /** As above, on these services, keeping at most {@code maxOverflow} set-aside devices, reading pages of {@code page}. */
    private SessionReauthorizer overflowed(List<DeviceChange> changes, CoaCoordinator shared,
                                           java.util.concurrent.CountDownLatch release,
                                           io.nacgw.core.service.ComplianceService compliance, SessionStore store,
                                           CoaSender via, int maxOverflow, int page) throws InterruptedException {
        var entered = new java.util.concurrent.CountDownLatch(1);
        SessionReauthorizer small = stalledTrigger(entered, release, compliance, store, via, maxOverflow, page);
        if (shared != null) {
            small.share(shared);
        }
        small.onChange(changes.get(0));
        assertTrue(entered.await(30, TimeUnit.SECONDS));
        changes.subList(1, changes.size()).forEach(small::onChange);
        return small;
    }

    /**
     * The Acct-Session-Ids of the CoA the NAS got, asserting each arrived once. A retransmission (same identifier: the
     * sender's identifiers are sequential, so a second CoA has another) is the same CoA: a loaded machine answers late.
     */
    private static java.util.Set<String> oncePerSession(List<NasStandIn.Received> got) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        java.util.Set<String> datagrams = new java.util.HashSet<>();
        for (NasStandIn.Received r : got) {
            String session = r.text(AttributeType.ACCT_SESSION_ID);
            if (datagrams.add(session + "#" + r.identifier())) {
                assertTrue(ids.add(session), "one CoA per session: " + ids);
            }
        }
        return ids;
    }

    @Test
    void changesTheFullQueueRefused_areLookedAtWhenItDrains_eachSessionGetsItsCoaOnce() throws Exception {
        int n = 20;
        List<DeviceChange> changes = authorisedDevices(n);
        var release = new java.util.concurrent.CountDownLatch(1);
        try (SessionReauthorizer small = overflowed(changes, null, release)) {
            // a second, newer change of one set-aside device is merged with the first: still one CoA
            DeviceChange again = changes.get(n - 1);
            small.onChange(new DeviceChange(again.after(), again.after().toBuilder()
                    .deviceName("renamed").lastModified(again.after().lastModified().plusSeconds(1)).build()));
            assertTrue(small.stats().dropped() >= n - 2, "the queue of one was full: " + small.stats());
            release.countDown();
            java.util.Set<String> ids = oncePerSession(nas.await(n, 30));
            assertEquals(n, ids.size());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (small.stats().backlog() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(n, small.stats().coaQueued());
            assertEquals(0, small.stats().failed());
        }
        assertEquals(n, oncePerSession(nas.received()).size(), "nothing sent twice after the drain");
    }

    @Test
    void shared_changesTheFullQueueRefused_areClaimedUnderTheirChangeKey_onceAcrossNodes() throws Exception {
        int n = 12;
        List<DeviceChange> changes = authorisedDevices(n);
        var release = new java.util.concurrent.CountDownLatch(1);
        CoaCoordinator a = new CoaCoordinator(world.sessions.claims(), "node-a", SharedCoaSettings.DEFAULTS,
                world.clock, world.clock::instant, false);
        try (SessionReauthorizer small = overflowed(changes, a, release)) {
            release.countDown();
            assertEquals(n, oncePerSession(nas.await(n, 30)).size());
            // another node that did not overflow looks at the same changes: all claimed already, nothing sent
            CoaCoordinator b = new CoaCoordinator(world.sessions.claims(), "node-b", SharedCoaSettings.DEFAULTS,
                    world.clock, world.clock::instant, false);
            trigger.share(b);
            for (DeviceChange c : changes) {
                assertTrue(trigger.reevaluate(c).isEmpty());
            }
            assertEquals(n, a.stats().claimed());
            assertEquals(0, b.stats().claimed());
        }
        assertEquals(n, oncePerSession(nas.received()).size());
    }

    @Test
    void deviceChangeTheFullQueueSetsAside_isWarnedAsTheTriggers_withoutAPeer() throws Exception {
        ch.qos.logback.classic.Logger counters = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(io.nacgw.radius.server.Counters.class);
        var appender = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        appender.start();
        counters.addAppender(appender);
        var release = new java.util.concurrent.CountDownLatch(1);
        List<DeviceChange> changes = authorisedDevices(3); // the first stalls the trigger, the second fills its queue
        try (SessionReauthorizer small = overflowed(changes, null, release)) {
            assertEquals(1, small.stats().dropped(), small.stats().toString());
            release.countDown();
        } finally {
            counters.detachAppender(appender);
        }
        List<String> warnings = appender.list.stream()
                .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("coa_queue_full")).toList();
        assertEquals(List.of("dropped 1 for coa_queue_full since the last warning; latest: CoA trigger queue full: "
                + "device change of " + changes.get(2).after().deviceId().canonical()
                + " set aside, checked for CoA when the queue drains"), warnings);
    }

    @Test
    void policyReloadTheFullQueueRefused_reChecksEverySessionWhenItDrains() throws Exception {
        authorized(compliant(), TestWorld.NOW);
        var release = new java.util.concurrent.CountDownLatch(1);
        // two other devices' changes: the first stalls the trigger, the second fills its queue
        try (SessionReauthorizer small = overflowed(authorisedDevices(2), null, release)) {
            Profile guest = world.policy.profile("guest-wifi");
            Map<String, Profile> before = Map.of("corp", world.policy.profile("corp"), "guest-wifi", guest);
            world.policy.update(AccessPolicy.of(List.of(Profile.builder("corp")
                    .allow(new ResponseAttributes("300", null, null, null, null, null, null)).build(), guest), "corp"));
            small.policyReloaded(before);
            assertEquals(1, small.stats().dropped(), small.stats().toString());
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (toSession("sess-1").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            List<NasStandIn.Received> got = toSession("sess-1");
            assertEquals(1, got.size(), "the session the reload changed gets its CoA once");
        }
    }

    /**
     * {@code store} for a trigger that must read every active session a page at a time: listing them at once
     * fails the test, and the size of each page read is added to {@code pages}.
     */
    private static SessionStore pagedOnly(SessionStore store, List<Integer> pages) {
        return (SessionStore) java.lang.reflect.Proxy.newProxyInstance(SessionStore.class.getClassLoader(),
                new Class<?>[]{SessionStore.class}, (proxy, m, args) -> {
                    if (m.getName().equals("list")) {
                        throw new AssertionError("every session listed at once");
                    }
                    try {
                        Object r = m.invoke(store, args);
                        if (m.getName().equals("activeSessionsAfter")) {
                            pages.add(((List<?>) r).size());
                        }
                        return r;
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void policyReload_readsTheSessionsAPageAtATime_everySessionGetsItsCoa() throws Exception {
        List<DeviceChange> devices = authorisedDevices(5); // and sess-1: six active sessions, pages of two
        world.compliance.upsertAll(devices.stream().map(DeviceChange::before).toList());
        List<Integer> pages = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (SessionReauthorizer paged = new SessionReauthorizer(world.policy, world.compliance,
                pagedOnly(world.sessions, pages), clients::get, sender, world.clock, 100,
                SessionReauthorizer.MAX_OVERFLOW, 2)) {
            Profile guest = world.policy.profile("guest-wifi");
            Map<String, Profile> before = Map.of("corp", world.policy.profile("corp"), "guest-wifi", guest);
            world.policy.update(AccessPolicy.of(List.of(Profile.builder("corp")
                    .allow(new ResponseAttributes("300", null, null, null, null, null, null)).build(), guest), "corp"));
            assertEquals(6, paged.reevaluateAll(before).size());
        }
        assertEquals(6, oncePerSession(nas.await(6, 30)).size());
        assertTrue(pages.size() >= 3 && pages.stream().allMatch(k -> k <= 2), pages.toString());
    }

    @Test
    void changesBeyondTheSetAsideDevices_reCheckEverySessionAPageAtATime_eachGetsItsCoaOnce() throws Exception {
        int n = 8;
        List<DeviceChange> changes = authorisedDevices(n);
        world.compliance.upsertAll(changes.stream().map(DeviceChange::after).toList()); // the index has them now
        List<Integer> pages = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        var release = new java.util.concurrent.CountDownLatch(1);
        // one set-aside device kept: the third change is set aside, the others make it re-check every session
        try (SessionReauthorizer small = overflowed(changes, null, release, world.compliance,
                pagedOnly(world.sessions, pages), sender, 1, 3)) {
            assertTrue(small.stats().dropped() >= n - 2, small.stats().toString());
            release.countDown();
            assertEquals(n, oncePerSession(nas.await(n, 30)).size());
        }
        assertEquals(n, oncePerSession(nas.received()).size(), "nothing sent twice after the drain");
        assertTrue(pages.size() >= 3 && pages.stream().allMatch(k -> k <= 3), pages.toString());
    }

    @Test
    void coaAckWhileTheQueueIsFull_itsAnswerIsWrittenWhenTheQueueDrains() throws Exception {
        authorized(compliant(), TestWorld.NOW);
        long deny = world.policy.profile("corp").decide(noncompliant(), TestWorld.NOW.toEpochMilli()).answerHash();
        var release = new java.util.concurrent.CountDownLatch(1);
        try (SessionReauthorizer small = overflowed(authorisedDevices(2), null, release)) { // busy, queue of 1 full
            CoaResult r = small.reevaluate(new DeviceChange(compliant(), noncompliant())).get(0)
                    .get(10, TimeUnit.SECONDS);
            assertEquals(CoaResult.Answer.ACK, r.answer());
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Long.valueOf(deny).equals(session().answerHash()) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }
        assertEquals(deny, session().answerHash(), "the answer the ACK stands for is written: the queue had no room");
    }

    @Test
    void nak503WhileTheQueueIsFull_theSessionIsStoppedWhenTheQueueDrains() throws Exception {
        authorized(compliant(), TestWorld.NOW);
        nas.answering(r -> "sess-1".equals(r.text(AttributeType.ACCT_SESSION_ID)) ? NasStandIn.Answer.nak(503)
                : NasStandIn.Answer.ACK);
        var release = new java.util.concurrent.CountDownLatch(1);
        try (SessionReauthorizer small = overflowed(authorisedDevices(2), null, release)) {
            CoaResult r = small.reevaluate(new DeviceChange(compliant(), noncompliant())).get(0)
                    .get(10, TimeUnit.SECONDS);
            assertTrue(r.sessionGone());
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (session().active(world.clock.instant()) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertFalse(session().active(world.clock.instant()));
            assertEquals(1, small.stats().sessionsClosed());
        }
    }

    /** The NAS holds each CoA's ACK until the latch is counted down: the CoA stays in flight until then. */
    private java.util.concurrent.CountDownLatch answersHeld() {
        var answer = new java.util.concurrent.CountDownLatch(1);
        nas.answering(r -> {
            try {
                answer.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return NasStandIn.Answer.ACK;
        });
        return answer;
    }

    @Test
    void reCheckWhileTheSessionsCoaIsInFlight_sendsNoSecondOne() throws Exception {
        authorized(compliant(), TestWorld.NOW);
        var answer = answersHeld();
        DeviceRecord now = noncompliant().toBuilder().lastModified(noncompliant().lastModified().plusSeconds(1)).build();
        world.compliance.upsert(now);
        List<CompletableFuture<CoaResult>> first = trigger.reevaluate(new DeviceChange(compliant(), now));
        assertEquals(1, first.size());
        // the NAS has not answered: the session row still says allow, but the NAS is being told deny
        Map<String, Profile> same = Map.of("corp", world.policy.profile("corp"), "guest-wifi",
                world.policy.profile("guest-wifi"));
        assertTrue(trigger.reevaluateAll(same).isEmpty(), "the CoA in flight already asks for this answer");
        answer.countDown();
        assertEquals(CoaResult.Answer.ACK, first.get(0).get(10, TimeUnit.SECONDS).answer());
        assertEquals(1, trigger.stats().coaQueued());
    }

    @Test
    void changeBackWhileTheSessionsCoaIsInFlight_reasonNamesTheAnswerInFlight() throws Exception {
        authorized(compliant(), TestWorld.NOW);
        var answer = answersHeld();
        List<CompletableFuture<CoaResult>> first = trigger.reevaluate(new DeviceChange(compliant(), noncompliant()));
        assertEquals(1, first.size());
        // the session row still says allow, but the NAS is being told deny: going back is "deny -> allow"
        DeviceRecord back = compliant().toBuilder().lastModified(noncompliant().lastModified().plusSeconds(1)).build();
        List<CompletableFuture<CoaResult>> second = trigger.reevaluate(new DeviceChange(noncompliant(), back));
        assertEquals(1, second.size());
        answer.countDown();
        assertEquals("allow -> deny (noncompliant)", first.get(0).get(10, TimeUnit.SECONDS).request().reason());
        assertEquals("deny -> allow (compliant)", second.get(0).get(10, TimeUnit.SECONDS).request().reason());
    }

    @org.junit.jupiter.api.extension.RegisterExtension
    final io.nacgw.core.testing.Postgres pg = new io.nacgw.core.testing.Postgres();

    @Test
    void shared_onPostgres_reCheckAfterTooManySetAsideDevices_claimsUnderTheChangeKey_oneCoaPerSessionAcrossNodes()
            throws Exception {
        reCheckAfterTooManySetAsideDevices_onPostgres_oneCoaPerSessionAcrossNodes((index, planned) ->
                index.upsertAll(planned.stream().map(c -> c.after().toBuilder()
                        .lastModified(c.after().lastModified().plusSeconds(1)).build()).toList()));
    }

    @Test
    void shared_onPostgres_reCheckAfterTooManySetAsideDevices_deletedDevices_claimUnderTheDeletionsKey_onceAcrossNodes()
            throws Exception {
        // the deleted versions are gone from node A's memory: their MDM timestamps come from the shared change log
        reCheckAfterTooManySetAsideDevices_onPostgres_oneCoaPerSessionAcrossNodes((index, planned) ->
                planned.forEach(c -> assertTrue(index.delete(c.before().deviceId()))));
    }

    /**
     * Ten authorised devices on a shared PostgreSQL store, changed through {@code commit}: node B looks at each change
     * as it comes, node A sets most aside and re-checks every session; each session gets one CoA across the nodes.
     */
    private void reCheckAfterTooManySetAsideDevices_onPostgres_oneCoaPerSessionAcrossNodes(
            java.util.function.BiConsumer<io.nacgw.core.service.ComplianceService, List<DeviceChange>> commit)
            throws Exception {
        int n = 10;
        io.nacgw.core.store.StoreSettings settings = pg.freshSchema();
        CoaSender senderB = CoaSender.start(CoaSettings.DEFAULTS, clients::get, r -> { }, world.clock, r -> { });
        try (io.nacgw.core.store.ComplianceStore store = io.nacgw.core.store.ComplianceStore.open(settings);
             SessionStore shared = SessionStore.open(settings, world.clock)) {
            List<DeviceChange> planned = authorisedDevices(n, shared);
            store.upsertAll(planned.stream().map(DeviceChange::before).toList());
            try (io.nacgw.core.service.ComplianceService index = io.nacgw.core.service.ComplianceService.start(store,
                    io.nacgw.core.service.IndexSettings.DEFAULTS)) {
                List<DeviceChange> changes = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
                index.addListener(changes::add);
                commit.accept(index, planned);
                assertEquals(n, changes.size());
                // NAKed: no answer is recorded, so every node that looks at a session finds its CoA still to send
                nas.answering(r -> NasStandIn.Answer.nak(404));
                CoaCoordinator a = new CoaCoordinator(shared.claims(), "node-a", SharedCoaSettings.DEFAULTS,
                        world.clock, world.clock::instant, false);
                CoaCoordinator b = new CoaCoordinator(shared.claims(), "node-b", SharedCoaSettings.DEFAULTS,
                        world.clock, world.clock::instant, false);
                var release = new java.util.concurrent.CountDownLatch(1);
                // node A: busy with the first change, the second queued, one device set aside, the rest lost to a
                // re-check of every session; node B looks at each change as it comes
                try (SessionReauthorizer nodeA = overflowed(changes, a, release, index, shared, sender, 1, 4);
                     SessionReauthorizer nodeB = new SessionReauthorizer(world.policy, index, shared, clients::get,
                             senderB, world.clock, 100)) {
                    nodeB.share(b);
                    for (DeviceChange c : changes) {
                        assertEquals(1, nodeB.reevaluate(c).size());
                    }
                    release.countDown();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (a.stats().claimed() + a.stats().lost() < n + 3 && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    assertEquals(n + 3, a.stats().claimed() + a.stats().lost(), a.stats().toString());
                }
                assertEquals(n, b.stats().claimed());
                assertEquals(0, a.stats().claimed(), "node B sent each of them: node A's re-check claims the same keys");
                assertEquals(n, oncePerSession(nas.await(n, 30)).size());
                assertEquals(n, oncePerSession(nas.received()).size(), "one CoA per session across both nodes");
            }
        } finally {
            senderB.close();
        }
    }

    private List<NasStandIn.Received> toSession(String acctSessionId) {
        return nas.received().stream().filter(r -> acctSessionId.equals(r.text(AttributeType.ACCT_SESSION_ID))).toList();
    }

    @Test
    void deletedDevice_isAChangeToUnknown() throws Exception {
        List<CompletableFuture<CoaResult>> sent = trigger.reevaluate(new DeviceChange(compliant(), null));
        assertEquals(1, sent.size());
        assertEquals("allow -> deny (device_unknown)", sent.get(0).get(10, TimeUnit.SECONDS).request().reason());
    }

    @Test
    void changeThatAltersNoDecision_sendsNothing() {
        DeviceRecord renamed = compliant().toBuilder().deviceName("renamed").build();
        assertTrue(trigger.reevaluate(new DeviceChange(compliant(), renamed)).isEmpty());
        assertEquals(1, trigger.stats().unchanged());
        assertTrue(nas.received().isEmpty());
    }

    @Test
    void sessionsOfOtherDevicesAndStoppedSessions_areNotTouched() {
        world.sessions.apply(new SessionEvent(SessionEvent.Kind.STOP, NAS, "sess-1", null, null, null, null, null,
                null, null, null, null, TestWorld.NOW.plusSeconds(5), 1));
        assertTrue(trigger.reevaluate(new DeviceChange(compliant(), noncompliant())).isEmpty());
        DeviceRecord other = TestWorld.device(TestWorld.NONCOMPLIANT_ID, TestWorld.NONCOMPLIANT, ComplianceState.COMPLIANT);
        assertTrue(trigger.reevaluate(new DeviceChange(other, null)).isEmpty());
    }

    @Test
    void nak503_stopsTheSession() throws Exception {
        nas.answering(r -> NasStandIn.Answer.nak(503));
        CoaResult r = trigger.reevaluate(new DeviceChange(compliant(), noncompliant())).get(0).get(10, TimeUnit.SECONDS);
        assertTrue(r.sessionGone());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (session().active(world.clock.instant()) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertFalse(session().active(world.clock.instant()));
        assertEquals(1, trigger.stats().sessionsClosed());
    }

    @Test
    void removedClient_isSkipped() {
        clients.clear();
        assertTrue(trigger.reevaluate(new DeviceChange(compliant(), noncompliant())).isEmpty());
    }

    @Test
    void operatorDisconnect_sendsDisconnectRegardlessOfTheDecision() throws Exception {
        Session s = session();
        CoaResult r = trigger.reauthorize(s, true).get(10, TimeUnit.SECONDS);
        assertEquals(CoaResult.Answer.ACK, r.answer());
        assertEquals(CoaTrigger.OPERATOR, r.request().trigger());
        assertEquals(RadiusCode.DISCONNECT_REQUEST, nas.received().get(0).code());
    }

    @Test
    void ackAndNak503_tellTheSessionEndListener_otherAnswersDoNot() throws Exception {
        // the Accept recorder forgets the MAC, so the re-authentication's Accept is written even if identical
        java.util.concurrent.BlockingQueue<String> ended = new java.util.concurrent.LinkedBlockingQueue<>();
        trigger.onSessionEnd((mac, at) -> ended.add(mac.canonical() + "@" + at));
        Session s = session();
        nas.answering(r -> NasStandIn.Answer.nak(404));
        assertEquals(CoaResult.Answer.NAK, trigger.reauthorize(s, true).get(10, TimeUnit.SECONDS).answer());
        world.clock.advance(java.time.Duration.ofSeconds(5));
        nas.answering(r -> NasStandIn.Answer.ACK);
        assertEquals(CoaResult.Answer.ACK, trigger.reauthorize(s, true).get(10, TimeUnit.SECONDS).answer());
        assertEquals(TestWorld.COMPLIANT.canonical() + "@" + TestWorld.NOW.plusSeconds(5),
                ended.poll(10, TimeUnit.SECONDS), "the Disconnect-ACK, at the time it was sent; not the NAK 404");
        world.clock.advance(java.time.Duration.ofSeconds(5));
        nas.answering(r -> NasStandIn.Answer.nak(503));
        assertTrue(trigger.reauthorize(s, false).get(10, TimeUnit.SECONDS).sessionGone());
        assertEquals(TestWorld.COMPLIANT.canonical() + "@" + TestWorld.NOW.plusSeconds(10),
                ended.poll(10, TimeUnit.SECONDS), "NAK 503: the NAS has no such session");
    }

    @Test
    void changesAfterClose_areDroppedAndCounted_neverBlock() {
        trigger.close();
        trigger.onChange(new DeviceChange(compliant(), noncompliant()));
        assertEquals(1, trigger.stats().dropped());
    }

    @Test
    void policyReload_thatChangesTheSessionsAttributes_sendsCoa_otherChangesDoNot() throws Exception {
        Map<String, Profile> before = Map.of("corp", world.policy.profile("corp"), "guest-wifi",
                world.policy.profile("guest-wifi"));
        world.policy.update(AccessPolicy.of(List.of(
                Profile.builder("corp").remediationUrl(TestWorld.REMEDIATION)
                        .allow(new ResponseAttributes("100", "corp-acl", null, 3600, null, null, null))
                        .quarantine(new ResponseAttributes("998", null, null, null, null, null, null)).build(),
                before.get("guest-wifi")), "corp"));
        assertTrue(trigger.reevaluateAll(before).isEmpty(), "the device is allowed: new quarantine attributes do not matter");
        assertEquals(1, trigger.stats().unchanged());

        Map<String, Profile> before2 = Map.of("corp", world.policy.profile("corp"), "guest-wifi",
                world.policy.profile("guest-wifi"));
        world.policy.update(AccessPolicy.of(List.of(
                Profile.builder("corp").allow(new ResponseAttributes("300", null, null, null, null, null, null)).build(),
                before.get("guest-wifi")), "corp"));
        List<CompletableFuture<CoaResult>> sent = trigger.reevaluateAll(before2);
        assertEquals(1, sent.size());
        CoaResult r = sent.get(0).get(10, TimeUnit.SECONDS);
        assertEquals(CoaTrigger.POLICY_RELOAD, r.request().trigger());
        assertEquals("profile corp: allow -> allow (compliant)", r.request().reason());
        assertEquals("sess-1", nas.received().get(0).text(AttributeType.ACCT_SESSION_ID));
    }

    @Test
    void bulkChanges_areLookedAtInBatches_eachSessionGetsItsCoaOnce() throws Exception {
        int n = SessionReauthorizer.BATCH + 44; // two batches at least
        try (SessionReauthorizer bulk = new SessionReauthorizer(world.policy, world.compliance, world.sessions,
                clients::get, sender, world.clock, 2 * n)) {
            CoaCoordinator c = new CoaCoordinator(world.sessions.claims(), "node-a", SharedCoaSettings.DEFAULTS,
                    world.clock, world.clock::instant, false);
            bulk.share(c);
            List<DeviceChange> changes = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                MacAddress mac = MacAddress.parse(String.format("02:00:00:00:%02x:%02x", i / 256, i % 256));
                world.sessions.apply(new SessionEvent(SessionEvent.Kind.START, NAS, "bulk-" + i, null, null, mac,
                        null, null, null, null, null, null, TestWorld.NOW, null));
                io.nacgw.core.id.DeviceGuid id = io.nacgw.core.id.DeviceGuid.intune(
                        String.format("22222222-2222-4333-8444-%012d", i));
                changes.add(new DeviceChange(TestWorld.device(id, mac, ComplianceState.COMPLIANT),
                        TestWorld.device(id, mac, ComplianceState.NONCOMPLIANT)));
            }
            changes.forEach(bulk::onChange);
            List<NasStandIn.Received> got = nas.await(n, 50);
            java.util.Set<String> ids = new java.util.HashSet<>();
            got.forEach(r -> assertTrue(ids.add(r.text(AttributeType.ACCT_SESSION_ID)), "one CoA per session"));
            assertEquals(n, ids.size());
            assertEquals(n, c.stats().claimed());
            assertEquals(n, bulk.stats().changes());
            assertEquals(0, bulk.stats().backlog());
            assertEquals(0, bulk.stats().failed());
        }
    }

    @Test
    void batchWhoseSessionLookupFails_isCounted_nothingIsSent() throws Exception {
        world.sessions.close();
        trigger.onChange(new DeviceChange(compliant(), noncompliant()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        // the failure is counted before the change leaves the backlog: wait for both
        while ((trigger.stats().failed() == 0 || trigger.stats().backlog() != 0) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(1, trigger.stats().failed());
        assertEquals(0, trigger.stats().backlog());
        assertTrue(nas.received().isEmpty());
    }

    @Test
    void shared_aChangeIsClaimedOnce_aNewerVersionAgain() throws Exception {
        CoaCoordinator c = new CoaCoordinator(world.sessions.claims(), "node-a", SharedCoaSettings.DEFAULTS, world.clock,
                world.clock::instant, false);
        trigger.share(c);
        // NAKed (not 503, not retried): the session keeps its answer, so the same change is still a CoA to make
        nas.answering(r -> NasStandIn.Answer.nak(404));
        DeviceChange change = new DeviceChange(compliant(), noncompliant());
        assertEquals(ComplianceState.NONCOMPLIANT, change.after().complianceState());
        List<CompletableFuture<CoaResult>> first = trigger.reevaluate(change);
        assertEquals(1, first.size());
        assertEquals(CoaResult.Answer.NAK, first.get(0).get(10, TimeUnit.SECONDS).answer());
        // the same change again (another node's event, or a replay): claimed already, nothing sent
        assertTrue(trigger.reevaluate(new DeviceChange(compliant(), noncompliant())).isEmpty());
        assertEquals(1, c.stats().lost());
        // a newer version of the device is another change
        DeviceRecord newer = noncompliant().toBuilder().lastModified(noncompliant().lastModified().plusSeconds(1)).build();
        assertEquals(1, trigger.reevaluate(new DeviceChange(compliant(), newer)).size());
        assertEquals(2, nas.await(2, 10).size());
    }

    @Test
    void changeKey_isTheNewVersion_whateverTheNodeSawBefore() {
        DeviceRecord older = compliant().toBuilder().lastModified(compliant().lastModified().minusSeconds(60)).build();
        assertEquals(SessionReauthorizer.changeKey(new DeviceChange(compliant(), noncompliant())),
                SessionReauthorizer.changeKey(new DeviceChange(older, noncompliant())));
        assertEquals(SessionReauthorizer.changeKey(new DeviceChange(null, noncompliant())),
                SessionReauthorizer.changeKey(new DeviceChange(compliant(), noncompliant())));
        String deleted = SessionReauthorizer.changeKey(new DeviceChange(noncompliant(), null));
        assertTrue(deleted.contains("@deleted@"), deleted);
        assertFalse(deleted.equals(SessionReauthorizer.changeKey(new DeviceChange(null, noncompliant()))));
        assertTrue(deleted.length() <= 128);
    }

    @Test
    void reloadKey_isTheSameOnEveryNode_andDiffersByAnswer() {
        var profile = world.policy.profile(world.policy.names().iterator().next());
        var allow = profile.decide(compliant(), TestWorld.NOW.toEpochMilli());
        var deny = profile.decide(noncompliant(), TestWorld.NOW.toEpochMilli());
        assertEquals(SessionReauthorizer.reloadKey("wifi", session(), allow),
                SessionReauthorizer.reloadKey("wifi", session(), profile.decide(compliant(), TestWorld.NOW.toEpochMilli())));
        assertFalse(SessionReauthorizer.reloadKey("wifi", session(), allow)
                .equals(SessionReauthorizer.reloadKey("wifi", session(), deny)));
        assertTrue(SessionReauthorizer.reloadKey("p".repeat(64), session(), allow).length() <= 128);
    }

    @Test
    void macMovedAway_theSessionOnTheOldMacStillGetsIt() throws Exception {
        MacAddress old = MacAddress.parse("02:00:00:00:00:77");
        world.sessions.apply(new SessionEvent(SessionEvent.Kind.START, NAS, "sess-old-mac", null, null, old, null,
                null, null, null, null, null, TestWorld.NOW, null));
        DeviceRecord before = TestWorld.device(TestWorld.NONCOMPLIANT_ID, old, ComplianceState.COMPLIANT);
        DeviceRecord after = TestWorld.device(TestWorld.NONCOMPLIANT_ID, TestWorld.NONCOMPLIANT, ComplianceState.NONCOMPLIANT);
        List<CompletableFuture<CoaResult>> sent = trigger.reevaluate(new DeviceChange(before, after));
        assertEquals(1, sent.size());
        assertEquals("sess-old-mac", sent.get(0).get(10, TimeUnit.SECONDS).request().acctSessionId());
    }
}
