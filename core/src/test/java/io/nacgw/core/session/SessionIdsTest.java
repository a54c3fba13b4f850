package io.nacgw.core.session;

import io.nacgw.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class SessionIdsTest {
    private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

    private static long millis(String id) {
        return HexFormat.fromHexDigitsToLong(id, 0, 12);
    }

    private static int sequence(String id) {
        return HexFormat.fromHexDigits(id, 12, 16);
    }

    /** Every id strictly greater than the one before it, as text (how the store orders and pages them). */
    private static void assertIncreasing(List<String> ids) {
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(ids.get(i - 1).compareTo(ids.get(i)) < 0, ids.get(i - 1) + " then " + ids.get(i));
        }
    }

    @Test
    void next_is32LowercaseHexDigits_startingWithTheClocksMillisecond() {
        MutableClock clock = new MutableClock(T0);
        SessionIds ids = new SessionIds(clock);
        String id = ids.next();
        assertTrue(id.matches("[0-9a-f]{32}"), id);
        assertEquals(T0.toEpochMilli(), millis(id));
        clock.advance(Duration.ofMillis(1234));
        assertEquals(T0.toEpochMilli() + 1234, millis(ids.next()));
        // a session id of before (16 hex digits, top bit set) is never one of these, whatever the clock says
        assertNotEquals(16, id.length());
    }

    @Test
    void idsMadeLater_sortAfterEarlierOnes() {
        MutableClock clock = new MutableClock(T0);
        SessionIds ids = new SessionIds(clock);
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            made.add(ids.next());
            clock.advance(Duration.ofMillis(i % 3)); // some in the same millisecond, some not
        }
        assertIncreasing(made);
    }

    @Test
    void manyIdsInOneMillisecond_areUniqueAndIncreasing_andCarryIntoTheNextMillisecond() {
        SessionIds ids = new SessionIds(Clock.fixed(T0, java.time.ZoneOffset.UTC));
        int n = 200_000; // more than the 65,536 sequence numbers of one millisecond
        List<String> made = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            made.add(ids.next());
        }
        assertIncreasing(made);
        assertEquals(n, new HashSet<>(made).size());
        assertEquals(T0.toEpochMilli(), millis(made.get(0)));
        assertEquals(0, sequence(made.get(0)));
        assertEquals(0xFFFF, sequence(made.get(65_535)));
        assertEquals(T0.toEpochMilli() + 1, millis(made.get(65_536)), "the sequence carried into the next millisecond");
        assertEquals(0, sequence(made.get(65_536)));
        assertEquals(T0.toEpochMilli() + 3, millis(made.get(n - 1)));
    }

    @Test
    void aClockThatStepsBack_isHeldAtTheLatestMillisecond_idsKeepIncreasing() {
        MutableClock clock = new MutableClock(T0);
        SessionIds ids = new SessionIds(clock);
        List<String> made = new ArrayList<>();
        made.add(ids.next());
        clock.advance(Duration.ofSeconds(-10)); // NTP stepped the clock back
        made.add(ids.next());
        made.add(ids.next());
        assertEquals(T0.toEpochMilli(), millis(made.get(1)), "held at the latest millisecond seen");
        assertEquals(T0.toEpochMilli(), millis(made.get(2)));
        clock.advance(Duration.ofSeconds(10).plusMillis(5)); // caught up and passed it
        made.add(ids.next());
        assertEquals(T0.toEpochMilli() + 5, millis(made.get(3)));
        assertIncreasing(made);
        assertEquals(4, new HashSet<>(made).size());
    }

    @Test
    void twoGenerators_onTheSameMillisecondAndSequence_differInTheirRandomBits() {
        // two nodes sharing PostgreSQL, same clock: their time parts collide, the rest must not
        Clock fixed = Clock.fixed(T0, java.time.ZoneOffset.UTC);
        SessionIds a = new SessionIds(fixed);
        SessionIds b = new SessionIds(fixed);
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 50_000; i++) {
            String x = a.next();
            String y = b.next();
            assertEquals(x.substring(0, 16), y.substring(0, 16), "same millisecond and sequence");
            assertTrue(all.add(x) && all.add(y), "duplicate " + x + " / " + y);
        }
    }

    @Test
    void twoGeneratorsWhoseRandomStreamsAreAlike_differByTheirSalt() {
        // the worst case of two nodes: their threads' random streams seeded alike, same clock
        Clock fixed = Clock.fixed(T0, java.time.ZoneOffset.UTC);
        SessionIds a = new SessionIds(fixed, new SplittableRandom(42)::nextLong, 0x1234_5678_9abc_def0L);
        SessionIds b = new SessionIds(fixed, new SplittableRandom(42)::nextLong, 0x0fed_cba9_8765_4321L);
        SessionIds sameSalt = new SessionIds(fixed, new SplittableRandom(42)::nextLong, 0x1234_5678_9abc_def0L);
        for (int i = 0; i < 1000; i++) {
            String x = a.next();
            assertNotEquals(x, b.next());
            assertEquals(x, sameSalt.next(), "without the salt, alike streams would give the same ids");
        }
    }

    @Test
    void concurrentCallers_getUniqueIds() throws Exception {
        SessionIds ids = new SessionIds(Clock.fixed(T0, java.time.ZoneOffset.UTC));
        Set<String> timeParts = ConcurrentHashMap.newKeySet();
        int threads = 4;
        int each = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < each; i++) {
                    timeParts.add(ids.next().substring(0, 16));
                }
            });
            w.start();
            workers.add(w);
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        // the time parts alone are unique within one generator: no two callers got the same millisecond and sequence
        assertEquals(threads * each, timeParts.size());
    }
}
