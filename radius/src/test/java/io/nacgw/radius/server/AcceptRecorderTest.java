package io.nacgw.radius.server;

import io.nacgw.core.id.MacAddress;
import io.nacgw.core.policy.Verdict;
import io.nacgw.core.session.Authorization;
import io.nacgw.core.session.NasRef;
import io.nacgw.core.session.Session;
import io.nacgw.core.session.SessionStore;
import io.nacgw.radius.TestWorld;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

/** Access-Accepts into the session table, with identical repeats within {@link AcceptRecorder#COALESCE} held back. */
final class AcceptRecorderTest {
    private static final NasRef SWITCH_A = new NasRef("ip:10.1.0.1", "switches", "10.1.0.1", "192.0.2.10");
    private static final NasRef SWITCH_B = new NasRef("ip:10.1.0.2", "switches", "10.1.0.2", "192.0.2.11");
    private static final MacAddress MAC = TestWorld.COMPLIANT;

    private final TestWorld world = new TestWorld();
    private final AcceptRecorder recorder = new AcceptRecorder(world.sessions, 1024, world.clock);

    @AfterEach
    void close() {
        recorder.close();
        world.close();
    }

    private static Authorization accept(NasRef nas, String profile, Verdict verdict, String decision, Instant at) {
        return new Authorization(nas, 50110L, "Gi1/0/10", MAC, TestWorld.COMPLIANT_ID, "001122334401", profile,
                verdict, "nacgw:" + decision, decision, at, at.plus(Duration.ofHours(8)));
    }

    private void record(Authorization a) throws InterruptedException {
        recorder.record(a);
        assertTrue(recorder.awaitIdle(Duration.ofSeconds(10)));
    }

    private Session activeOn(NasRef nas) {
        List<Session> s = world.sessions.activeSessionsForMac(MAC).stream().filter(x -> x.nas().id().equals(nas.id()))
                .toList();
        assertEquals(1, s.size(), "one active session on " + nas.id() + ": " + s);
        return s.get(0);
    }

    @Test
    void identicalAccept_withinTheWindow_isNotWrittenAgain() throws Exception {
        Instant t = TestWorld.NOW;
        record(accept(SWITCH_A, "corp", Verdict.ALLOW, "d1", t));
        record(accept(SWITCH_A, "corp", Verdict.ALLOW, "d2", t.plusSeconds(9)));
        assertEquals("d1", activeOn(SWITCH_A).decisionId(), "the repeat was taken as already recorded");
        assertEquals(1, recorder.coalesced());
        assertEquals(2, recorder.recorded(), "both count as recorded: the table holds the session");
    }

    @Test
    void identicalAccept_afterTheWindow_isWritten() throws Exception {
        record(accept(SWITCH_A, "corp", Verdict.ALLOW, "d1", TestWorld.NOW));
        record(accept(SWITCH_A, "corp", Verdict.ALLOW, "d2", TestWorld.NOW.plus(AcceptRecorder.COALESCE)));
        assertEquals("d2", activeOn(SWITCH_A).decisionId());
        assertEquals(0, recorder.coalesced());
    }

    @Test
    void changedVerdictOrProfile_isWrittenAtOnce() throws Exception {
        record(accept(SWITCH_A, "corp", Verdict.ALLOW, "d1", TestWorld.NOW));
        record(accept(SWITCH_A, "corp", Verdict.QUARANTINE, "d2", TestWorld.NOW.plusSeconds(1)));
        Session quarantined = activeOn(SWITCH_A);
        assertEquals(List.of("d2", Verdict.QUARANTINE), List.of(quarantined.decisionId(), quarantined.verdict()));
        record(accept(SWITCH_A, "guest-wifi", Verdict.QUARANTINE, "d3", TestWorld.NOW.plusSeconds(2)));
        assertEquals("guest-wifi", activeOn(SWITCH_A).profile(), "a new profile is written at once too");
        assertEquals(0, recorder.coalesced());
    }

    @Test
    void changedAnswer_sameVerdictAndProfile_isWrittenAtOnce() throws Exception {
        // a reload that changes only the attributes (another VLAN): the session must record the new answer, or the
        // CoA trigger would compare later changes with an answer the NAS no longer holds
        Instant t = TestWorld.NOW;
        record(withAnswer(accept(SWITCH_A, "corp", Verdict.ALLOW, "d1", t), 100L));
        record(withAnswer(accept(SWITCH_A, "corp", Verdict.ALLOW, "d2", t.plusSeconds(1)), 200L));
        assertEquals(List.of("d2", 200L), List.of(activeOn(SWITCH_A).decisionId(), activeOn(SWITCH_A).answerHash()));
        record(withAnswer(accept(SWITCH_A, "corp", Verdict.ALLOW, "d3", t.plusSeconds(2)), 200L));
        assertEquals(1, recorder.coalesced(), "the same answer again is coalesced");
    }

    private static Authorization withAnswer(Authorization a, long answerHash) {
        return new Authorization(a.nas(), a.nasPort(), a.nasPortId(), a.mac(), a.deviceId(), a.userName(), a.profile(),
                a.verdict(), a.classValue(), a.decisionId(), a.at(), a.expiresAt(), answerHash);
    }

    @Test
    void acceptsArrivingOneAtATime_areWrittenAsOneBatch_whileTheWriterLingers() throws Exception {
        // a writer that lingers (an hour here: only awaitIdle ends the wait) has taken the first Accept; the others
        // arrive one by one, as from NASes with 16 requests outstanding, and join its batch instead of a batch each
        try (AcceptRecorder lingering = new AcceptRecorder(world.sessions, 1024, world.clock, Duration.ofHours(1))) {
            Instant t = TestWorld.NOW;
            lingering.record(accept(SWITCH_A, MacAddress.of(0x0200_0000_0000L), t));
            while (lingering.queued() > 0) {
                Thread.onSpinWait(); // until the writer has taken it
            }
            for (int i = 1; i < 100; i++) {
                lingering.record(accept(SWITCH_A, MacAddress.of(0x0200_0000_0000L + i), t));
            }
            assertTrue(lingering.awaitIdle(Duration.ofSeconds(10)));
            assertEquals(List.of(1L, 100L), List.of(lingering.writes(), lingering.written()));
            assertEquals(100, world.sessions.activeCount());
        }
    }

    private static Authorization accept(NasRef nas, MacAddress mac, Instant at) {
        return new Authorization(nas, 1L, null, mac, null, mac.toHex12(), "corp", Verdict.ALLOW, null, "d-" + mac.toHex12(),
                at, at.plus(Duration.ofHours(8)));
    }

    @Test
    void roamingBack_toTheFirstNas_withinTheWindow_isWritten() throws Exception {
        Instant t = TestWorld.NOW;
        record(accept(SWITCH_A, "corp", Verdict.ALLOW, "d1", t));
        record(accept(SWITCH_B, "corp", Verdict.ALLOW, "d2", t.plusSeconds(1))); // ends the session on A
        record(accept(SWITCH_A, "corp", Verdict.ALLOW, "d3", t.plusSeconds(2)));
        assertEquals("d3", activeOn(SWITCH_A).decisionId(), "back on A: a live session there again");
        assertEquals(0, recorder.coalesced());
    }

    @Test
    void shortLifetime_coalescesForHalfOfIt_only() throws Exception {
        Instant t = TestWorld.NOW;
        Authorization first = new Authorization(SWITCH_A, 1L, null, MAC, TestWorld.COMPLIANT_ID, null, "corp",
                Verdict.ALLOW, "nacgw:d1", "d1", t, t.plusSeconds(4));
        record(first);
        record(new Authorization(SWITCH_A, 1L, null, MAC, TestWorld.COMPLIANT_ID, null, "corp", Verdict.ALLOW,
                "nacgw:d2", "d2", t.plusSeconds(2), t.plusSeconds(6)));
        assertEquals("d2", activeOn(SWITCH_A).decisionId(), "past half of a 4 s lifetime: refreshed");
    }

    /** Ends the live session on {@code nas} in the table at {@code at} and tells the recorder, as a Stop does. */
    private void end(NasRef nas, Instant at) {
        assertTrue(world.sessions.stop(activeOn(nas).id(), at, 1));
        recorder.sessionEnded(MAC, at);
    }

    private boolean activeAnywhere() {
        return !world.sessions.activeSessionsForMac(MAC).isEmpty();
    }

    @Test
    void sessionEnded_thenIdenticalAccept_withinTheWindow_isWritten() throws Exception {
        Instant t = TestWorld.NOW;
        record(accept(SWITCH_A, "corp", Verdict.ALLOW, "d1", t));
        end(SWITCH_A, t.plusSeconds(2));
        record(accept(SWITCH_A, "corp", Verdict.ALLOW, "d2", t.plusSeconds(3)));
        assertEquals("d2", activeOn(SWITCH_A).decisionId(), "the re-authentication is a session again");
        assertEquals(0, recorder.coalesced());
    }

    @Test
    void acceptHeldBack_afterTheEnd_isWrittenWhenTheEndArrives() throws Exception {
        // the re-authentication's Accept reached the writer before the news of the end did
        Instant t = TestWorld.NOW;
        record(accept(SWITCH_A, "corp", Verdict.ALLOW, "d1", t));
        record(accept(SWITCH_A, "corp", Verdict.ALLOW, "d2", t.plusSeconds(3)));
        assertEquals(1, recorder.coalesced());
        end(SWITCH_A, t.plusSeconds(2));
        assertTrue(recorder.awaitIdle(Duration.ofSeconds(10)));
        assertEquals("d2", activeOn(SWITCH_A).decisionId());
        assertEquals(2, recorder.recorded(), "the held-back Accept is not counted twice");
    }

    @Test
    void acceptHeldBack_beforeTheEnd_staysEnded() throws Exception {
        Instant t = TestWorld.NOW;
        record(accept(SWITCH_A, "corp", Verdict.ALLOW, "d1", t));
        record(accept(SWITCH_A, "corp", Verdict.ALLOW, "d2", t.plusSeconds(1)));
        end(SWITCH_A, t.plusSeconds(2));
        assertTrue(recorder.awaitIdle(Duration.ofSeconds(10)));
        assertTrue(!activeAnywhere(), "an Accept of the session that ended does not bring it back");
        record(accept(SWITCH_A, "corp", Verdict.ALLOW, "d3", t.plusSeconds(3)));
        assertEquals("d3", activeOn(SWITCH_A).decisionId());
    }

    @Test
    void nasSessionsEnded_forgetsThatNasOnly() throws Exception {
        Instant t = TestWorld.NOW;
        record(accept(SWITCH_A, "corp", Verdict.ALLOW, "d1", t));
        world.sessions.closeAll(SWITCH_A.id(), t.plusSeconds(2));
        recorder.nasSessionsEnded(SWITCH_B.id(), t.plusSeconds(2));
        record(accept(SWITCH_A, "corp", Verdict.ALLOW, "d2", t.plusSeconds(3)));
        assertEquals(1, recorder.coalesced(), "another NAS's reboot does not touch this MAC");
        recorder.nasSessionsEnded(SWITCH_A.id(), t.plusSeconds(2));
        assertTrue(recorder.awaitIdle(Duration.ofSeconds(10)));
        assertEquals("d2", activeOn(SWITCH_A).decisionId(), "the held-back Accept after the reboot is written");
    }

    // ---- while the RADIUS ports are saturated, the writer leaves the CPU to answering ----

    /** A recorder whose store takes {@code writeMillis} of the test's clock per transaction, pauses recorded. */
    private final class Yielding implements AutoCloseable {
        final AtomicLong nanos = new AtomicLong(1_000_000_000L);
        final AtomicBoolean saturated = new AtomicBoolean();
        final AtomicInteger looks = new AtomicInteger();
        final List<Long> pauses = Collections.synchronizedList(new ArrayList<>());
        final AcceptRecorder recorder;
        long writeMillis = 8;

        Yielding() {
            // a store that takes its time: Mockito wraps the real one (fault injection, not a peer)
            SessionStore slow = mock(SessionStore.class, delegatesTo(world.sessions));
            doAnswer(call -> {
                nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(writeMillis));
                world.sessions.recordAuthorizations(call.getArgument(0));
                return null;
            }).when(slow).recordAuthorizations(anyList());
            recorder = new AcceptRecorder(slow, 1024, world.clock, AcceptRecorder.LINGER, () -> {
                looks.incrementAndGet();
                return saturated.get();
            }, nanos::get, pauses::add);
        }

        /** Records one Accept for a MAC of its own (never coalesced) and waits until the writer is done with it. */
        void write(int i) throws InterruptedException {
            recorder.record(accept(SWITCH_A, MacAddress.of(0x0200_0000_0000L + i), TestWorld.NOW));
            assertTrue(recorder.awaitIdle(Duration.ofSeconds(10)));
        }

        void advance(Duration d) {
            nanos.addAndGet(d.toNanos());
        }

        @Override
        public void close() {
            recorder.close();
        }
    }

    @Test
    void whileThePortsAreSaturated_theWriterPausesThreeTimesAsLongAsEachTransactionTook() throws Exception {
        try (Yielding y = new Yielding()) {
            y.saturated.set(true);
            y.write(1);
            assertEquals(List.of(TimeUnit.MILLISECONDS.toNanos(24)), y.pauses, "8 ms of work, then 24 ms of pause");
            y.write(2);
            assertEquals(1, y.looks.get(), "no second look within SHED_POLL");
            assertEquals(2, y.pauses.size());
            assertEquals(TimeUnit.MILLISECONDS.toNanos(48), y.recorder.pausedNanos());
            assertEquals(2, y.recorder.written(), "every Accept is still written");
        }
    }

    @Test
    void withoutSaturation_theWriterNeverPauses() throws Exception {
        try (Yielding y = new Yielding()) {
            for (int i = 0; i < 5; i++) {
                y.write(i);
                y.advance(AcceptRecorder.SHED_POLL);
            }
            assertEquals(5, y.looks.get());
            assertEquals(List.of(), y.pauses);
            assertEquals(0, y.recorder.pausedNanos());
        }
    }

    @Test
    void saturation_thatEnded_stopsThePauses_afterTheMemory() throws Exception {
        try (Yielding y = new Yielding()) {
            y.saturated.set(true);
            y.write(1);
            y.saturated.set(false);
            y.advance(AcceptRecorder.SHED_MEMORY.minus(AcceptRecorder.SHED_POLL));
            y.write(2);
            assertEquals(2, y.pauses.size(), "still within the memory of the last saturated look");
            y.advance(AcceptRecorder.SHED_POLL);
            y.write(3);
            assertEquals(2, y.pauses.size(), "a second without a saturated look: no more pauses");
        }
    }

    @Test
    void aVerySlowTransaction_pausesAtMostMaxPause() throws Exception {
        try (Yielding y = new Yielding()) {
            y.saturated.set(true);
            y.writeMillis = 2_000;
            y.write(1);
            assertEquals(List.of(AcceptRecorder.MAX_PAUSE.toNanos()), y.pauses);
        }
    }

    @Test
    void coalescedAccepts_costNoTransaction_andNoPause() throws Exception {
        try (Yielding y = new Yielding()) {
            y.write(1);
            y.saturated.set(true);
            y.advance(AcceptRecorder.SHED_POLL);
            y.write(1); // the same Accept again within COALESCE: nothing written
            assertEquals(List.of(), y.pauses);
            assertEquals(1, y.recorder.coalesced());
        }
    }
}
