package io.nacgw.radius.server;

import java.util.concurrent.TimeUnit;

/**
 * Sizes one channel's socket receive buffer so that a full receive queue drains within {@code radius.maxQueueDelay}
 * at the rate the channel actually drains it: the kernel then drops the newest datagrams of an overload for free (the
 * NAS retransmits), and what is read has waited at most about that long, instead of a large buffer queueing seconds
 * of requests that are all answered after the NAS gave up on them.
 * <p>
 * The drain rate is measured, not configured, so it is right on every machine: datagrams read per second of wall-clock
 * time, over windows of at least {@link #WINDOW_NANOS} and {@link #MIN_SAMPLES} datagrams. Wall-clock, not the event
 * loop's busy time: the loop shares its CPU with other event loops and ports, the audit and session writers, GC and the
 * JIT, and a queue drains only at the share it gets (measured by busy time, a loop pinned with them to one CPU was
 * sized for 2-5× the rate it drained, so its queue held several times the bound and most answers came too late). Under
 * overload the queue never empties and the wall-clock rate is exactly the drain rate; below capacity it is the arrival
 * rate, which the loop outpaces, so a full queue drains faster than the bound. The buffer is {@code rate ×
 * maxQueueDelay ×} {@link #BYTES_PER_DATAGRAM}, between {@link #MIN_BYTES} and {@code radius.receiveBufferBytes},
 * changed only when it moves by more than a fifth. A window opens at the first datagram read after the last one closed,
 * so an idle stretch is never measured as a slow drain; one that saw fewer than {@link #MIN_SAMPLES} datagrams leaves
 * the buffer as it is (sparse traffic cannot fill it). Not thread-safe: one per channel, used on its event loop.
 */
final class ReceiveQueue {
    /**
     * SO_RCVBUF bytes set per datagram to be held. Linux doubles the value set and charges each datagram its buffer's
     * true size: 832 bytes for a small datagram on loopback (measured), 2-4 KiB from most NICs. So a queue sized with
     * 512 bytes holds 1.2× the intended count on loopback (120 ms for the default of 100 ms) and 0.25-0.5× from a NIC:
     * at most a little over the bound, never several times it.
     */
    static final int BYTES_PER_DATAGRAM = 512;
    /** The smallest buffer set (radius.receiveBufferBytes' own minimum): a burst of 64 datagrams always fits. */
    static final int MIN_BYTES = 64 * 1024;
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final int MIN_SAMPLES = 256;

    private final long maxDelayNanos;
    private final int maxBytes;
    private int bytes;
    private long windowStart;
    private long read;

    /** {@code bytes} is the buffer the socket was opened with (radius.receiveBufferBytes), also the largest set. */
    ReceiveQueue(long maxDelayNanos, int bytes) {
        this.maxDelayNanos = maxDelayNanos;
        this.maxBytes = bytes;
        this.bytes = bytes;
    }

    /** One datagram read from the socket; true when it opens a measuring window: then call {@link #windowStarted}. */
    boolean read() {
        return read++ == 0;
    }

    void windowStarted(long now) {
        windowStart = now;
    }

    /**
     * The end of a read loop. Returns the new SO_RCVBUF to set when a window closed and the size should change by
     * more than a fifth, else 0.
     */
    int loopEnded(long now) {
        long elapsed = now - windowStart;
        if (read == 0 || elapsed < WINDOW_NANOS) {
            return 0;
        }
        long n = read;
        read = 0; // the next datagram opens the next window
        if (n < MIN_SAMPLES) {
            return 0;
        }
        double perSecond = n * 1e9 / elapsed;
        long target = (long) (perSecond * maxDelayNanos / 1e9 * BYTES_PER_DATAGRAM);
        int next = (int) Math.max(MIN_BYTES, Math.min(maxBytes, target));
        if (Math.abs((long) next - bytes) * 5 <= bytes) {
            return 0;
        }
        bytes = next;
        return next;
    }

    /** The SO_RCVBUF last set (or opened with). */
    int bytes() {
        return bytes;
    }
}
