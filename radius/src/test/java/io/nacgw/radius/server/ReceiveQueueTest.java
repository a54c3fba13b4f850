package io.nacgw.radius.server;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The receive buffer follows the measured service rate so that a full queue drains within radius.maxQueueDelay. */
final class ReceiveQueueTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long US = TimeUnit.MICROSECONDS.toNanos(1);

    /**
     * Read loops of {@code perLoop} datagrams taking {@code perDatagram} each, back to back for at most
     * {@code spanNanos}; returns the first resize (then stops), or 0.
     */
    private static int serve(ReceiveQueue q, long[] clock, int perLoop, long perDatagram, long spanNanos) {
        long end = clock[0] + spanNanos;
        while (clock[0] < end) {
            for (int i = 0; i < perLoop; i++) {
                if (q.firstOfLoop()) {
                    q.loopStarted(clock[0]);
                }
                clock[0] += perDatagram;
            }
            int r = q.loopEnded(clock[0]);
            if (r != 0) {
                return r;
            }
        }
        return 0;
    }

    @Test
    void buffer_holdsMaxQueueDelayWorth_atTheMeasuredRate() {
        long[] clock = {1_000 * MS};
        ReceiveQueue q = new ReceiveQueue(100 * MS, 4 << 20, clock[0]);
        // 50 µs a datagram = 20,000/s: 100 ms of it is 2,000 datagrams, 2,000 KiB
        int set = serve(q, clock, 16, 50 * US, 1_100 * MS);
        assertEquals(2000 * ReceiveQueue.BYTES_PER_DATAGRAM, set);
        assertEquals(set, q.bytes());
        // twice as fast (a warmed-up JIT, a faster machine): twice the buffer
        set = serve(q, clock, 16, 25 * US, 1_100 * MS);
        assertEquals(4000 * ReceiveQueue.BYTES_PER_DATAGRAM, set);
    }

    @Test
    void idleTime_betweenLoops_isNotServiceTime() {
        long[] clock = {0};
        ReceiveQueue q = new ReceiveQueue(100 * MS, 4 << 20, clock[0]);
        int set = 0;
        for (int i = 0; i < 2_000; i++) { // one datagram a millisecond, each processed in 50 µs
            if (q.firstOfLoop()) {
                q.loopStarted(clock[0]);
            }
            clock[0] += 50 * US;
            int r = q.loopEnded(clock[0]);
            set = r != 0 ? r : set;
            clock[0] += 950 * US;
        }
        assertEquals(2000 * ReceiveQueue.BYTES_PER_DATAGRAM, set, "sized by what it can serve, not what it is offered");
    }

    @Test
    void buffer_staysWithinTheMinimumAndTheConfiguredSize() {
        long[] clock = {0};
        ReceiveQueue slow = new ReceiveQueue(100 * MS, 4 << 20, 0);
        assertEquals(ReceiveQueue.MIN_BYTES, serve(slow, clock, 1, 10 * MS, 3_000 * MS), "100/s: 10 datagrams");
        ReceiveQueue fast = new ReceiveQueue(10_000 * MS, 1 << 20, clock[0]);
        int set = serve(fast, clock, 16, 10 * US, 1_100 * MS);
        assertTrue(set == 0 && fast.bytes() == 1 << 20, "never beyond radius.receiveBufferBytes: " + set);
    }

    @Test
    void noResize_beforeAWindowAndEnoughSamples_norForSmallChanges() {
        long[] clock = {0};
        ReceiveQueue q = new ReceiveQueue(100 * MS, 4 << 20, 0);
        assertEquals(0, serve(q, clock, 16, 50 * US, 900 * MS), "under a second measured");
        assertEquals(2000 * ReceiveQueue.BYTES_PER_DATAGRAM, serve(q, clock, 16, 50 * US, 200 * MS));
        assertEquals(0, serve(q, clock, 16, 45 * US, 1_100 * MS), "11% faster: left alone");
        ReceiveQueue sparse = new ReceiveQueue(100 * MS, 4 << 20, 0);
        long[] t = {0};
        for (int i = 0; i < 255; i++) { // 255 datagrams over 25 s: too few to measure
            assertTrue(sparse.firstOfLoop());
            sparse.loopStarted(t[0]);
            t[0] += 100 * MS;
            assertEquals(0, sparse.loopEnded(t[0]));
        }
    }
}
