package io.nacgw.radius.server;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The receive buffer follows the measured drain rate so that a full queue drains within radius.maxQueueDelay. */
final class ReceiveQueueTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long US = TimeUnit.MICROSECONDS.toNanos(1);

    /**
     * Read loops of {@code perLoop} datagrams taking {@code perDatagram} each, then {@code gap} of wall-clock time in
     * which the loop does not run, for at most {@code spanNanos}; returns the first resize (then stops), or 0.
     */
    private static int serve(ReceiveQueue q, long[] clock, int perLoop, long perDatagram, long gap, long spanNanos) {
        long end = clock[0] + spanNanos;
        while (clock[0] < end) {
            for (int i = 0; i < perLoop; i++) {
                if (q.firstOfLoop()) {
                    q.loopStarted(clock[0]);
                }
                clock[0] += perDatagram;
            }
            int r = q.loopEnded(clock[0]);
            clock[0] += gap;
            if (r != 0) {
                return r;
            }
        }
        return 0;
    }

    private static int serve(ReceiveQueue q, long[] clock, int perLoop, long perDatagram, long spanNanos) {
        return serve(q, clock, perLoop, perDatagram, 0, spanNanos);
    }

    /** {@code bytes} is the buffer for {@code datagrams}, give or take the one read loop that closes a window. */
    private static void assertHolds(int datagrams, int bytes) {
        double expected = (double) datagrams * ReceiveQueue.BYTES_PER_DATAGRAM;
        assertEquals(expected, bytes, expected / 100, "holds " + bytes / ReceiveQueue.BYTES_PER_DATAGRAM + " datagrams");
    }

    @Test
    void buffer_holdsMaxQueueDelayWorth_atTheMeasuredRate() {
        long[] clock = {1_000 * MS};
        ReceiveQueue q = new ReceiveQueue(100 * MS, 4 << 20, clock[0]);
        // 50 µs a datagram = 20,000/s: 100 ms of it is 2,000 datagrams
        int set = serve(q, clock, 16, 50 * US, 1_100 * MS);
        assertEquals(2000 * ReceiveQueue.BYTES_PER_DATAGRAM, set);
        assertEquals(set, q.bytes());
        // twice as fast (a warmed-up JIT, a faster machine): twice the buffer
        set = serve(q, clock, 16, 25 * US, 1_100 * MS);
        assertEquals(4000 * ReceiveQueue.BYTES_PER_DATAGRAM, set);
    }

    @Test
    void loopSharingItsCpu_isSizedByTheRateItDrains_notByItsBusyTime() {
        long[] clock = {0};
        ReceiveQueue q = new ReceiveQueue(100 * MS, 4 << 20, clock[0]);
        // 16 datagrams in 400 µs of loop time (40,000/s while it runs), then 1,200 µs on other threads of the same
        // CPU: it drains 10,000/s, so 100 ms is 1,000 datagrams, not the 4,000 its busy time would suggest
        assertHolds(1000, serve(q, clock, 16, 25 * US, 1_200 * US, 1_100 * MS));
    }

    @Test
    void belowCapacity_theArrivalRateSizesIt_whichTheLoopOutpaces() {
        long[] clock = {0};
        ReceiveQueue q = new ReceiveQueue(100 * MS, 4 << 20, clock[0]);
        // one datagram a millisecond, each processed in 50 µs: 100 ms is 100 arrivals, drained in 5 ms
        assertEquals(ReceiveQueue.MIN_BYTES, serve(q, clock, 1, 50 * US, 950 * US, 1_100 * MS));
        // 4,000/s arriving in loops of 4: 400 datagrams = 100 ms of arrivals
        assertHolds(400, serve(q, clock, 4, 50 * US, 800 * US, 1_100 * MS));
    }

    @Test
    void buffer_staysWithinTheMinimumAndTheConfiguredSize() {
        long[] clock = {0};
        ReceiveQueue slow = new ReceiveQueue(100 * MS, 4 << 20, clock[0]);
        assertEquals(ReceiveQueue.MIN_BYTES, serve(slow, clock, 1, 1 * MS, 3_000 * MS), "1,000/s: 100 datagrams");
        ReceiveQueue fast = new ReceiveQueue(10_000 * MS, 1 << 20, clock[0]);
        int set = serve(fast, clock, 16, 10 * US, 1_100 * MS);
        assertTrue(set == 0 && fast.bytes() == 1 << 20, "never beyond radius.receiveBufferBytes: " + set);
    }

    @Test
    void noResize_beforeAWindowAndEnoughSamples_norForSmallChanges_butASlowChannelIsMeasured() {
        long[] clock = {0};
        ReceiveQueue q = new ReceiveQueue(100 * MS, 4 << 20, clock[0]);
        assertEquals(0, serve(q, clock, 16, 50 * US, 900 * MS), "under a second measured");
        assertEquals(2000 * ReceiveQueue.BYTES_PER_DATAGRAM, serve(q, clock, 16, 50 * US, 200 * MS));
        assertEquals(0, serve(q, clock, 16, 45 * US, 1_100 * MS), "11% faster: left alone");
        // 10 ms a datagram, back to back (an expensive request type): 100/s, and 256 datagrams take 2.56 s, over
        // which it is measured; 10 s of it is 1,000 datagrams, far less than the 4 MiB it was opened with
        ReceiveQueue slow = new ReceiveQueue(10_000 * MS, 4 << 20, clock[0]);
        assertEquals(0, serve(slow, clock, 1, 10 * MS, 2_500 * MS), "not yet 256 datagrams");
        assertEquals(1000 * ReceiveQueue.BYTES_PER_DATAGRAM, serve(slow, clock, 1, 10 * MS, 100 * MS));
    }

    @Test
    void sparseTraffic_leavesTheBuffer_andAnIdleStretchIsNotMeasuredAsADrainRate() {
        long[] t = {0};
        ReceiveQueue q = new ReceiveQueue(100 * MS, 4 << 20, t[0]);
        for (int i = 0; i < 255; i++) { // 255 datagrams over 25.5 s: too few to measure
            assertTrue(q.firstOfLoop());
            q.loopStarted(t[0]);
            t[0] += 100 * MS;
            assertEquals(0, q.loopEnded(t[0]));
        }
        assertEquals(4 << 20, q.bytes());
        // a minute of silence, then 20,000/s: measured from the first read loop after the silence, not over the
        // 86 s since the window opened (about 3/s: the minimum buffer)
        t[0] += 60_000 * MS;
        assertEquals(2000 * ReceiveQueue.BYTES_PER_DATAGRAM, serve(q, t, 16, 50 * US, 1_100 * MS));
    }
}
