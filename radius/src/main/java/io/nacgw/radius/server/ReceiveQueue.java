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
 * changed only when it moves by more than a fifth. A window lasts until it has seen {@link #MIN_SAMPLES} datagrams (a
 * slow channel is measured over as long as that takes), and starts again at a read loop that follows {@link
 * #IDLE_NANOS} without one, so an idle stretch is never measured as a slow drain. Not thread-safe: one per channel,
 * used on its event loop.
 */
final class ReceiveQueue {
    /**
     * SO_RCVBUF bytes set per datagram to be held. Linux doubles the value set and charges each datagram its buffer's
     * true size: on loopback 832 bytes up to about 190 bytes of payload (a MAB request) and 1,280 above (measured from
     * /proc/net/udp), 2-4 KiB from most NICs. So a queue sized with 512 bytes holds 1.2× the intended count for MAB on
     * loopback (120 ms for the default of 100 ms), 0.8× for larger requests and 0.25-0.5× from a NIC: at most a little
     * over the bound, never several times it.
     */
    static final int BYTES_PER_DATAGRAM = 512;
    /** The smallest buffer set (radius.receiveBufferBytes' own minimum): a burst of 64 datagrams always fits. */
    static final int MIN_BYTES = 64 * 1024;
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final int MIN_SAMPLES = 256;
    static final long IDLE_NANOS = WINDOW_NANOS;

    private final long maxDelayNanos;
    private final int maxBytes;
    private int bytes;
    private int inLoop;
    private long windowStart;
    private long lastLoopEnd;
    private long read;

    /** {@code bytes} is the buffer the socket was opened with (radius.receiveBufferBytes), also the largest set. */
    ReceiveQueue(long maxDelayNanos, int bytes, long now) {
        this.maxDelayNanos = maxDelayNanos;
        this.maxBytes = bytes;
        this.bytes = bytes;
        this.windowStart = now;
        this.lastLoopEnd = now;
    }

    /** True when this datagram is the first of a read loop: then call {@link #loopStarted(long)}. */
    boolean firstOfLoop() {
        return inLoop++ == 0;
    }

    /** After {@link #IDLE_NANOS} without a read loop the channel was idle, not slow: the window starts again here. */
    void loopStarted(long now) {
        if (now - lastLoopEnd >= IDLE_NANOS) {
            windowStart = now;
            read = 0;
        }
    }

    /**
     * The end of a read loop. Returns the new SO_RCVBUF to set when a window closed and the size should change by
     * more than a fifth, else 0.
     */
    int loopEnded(long now) {
        if (inLoop == 0) {
            return 0;
        }
        read += inLoop;
        inLoop = 0;
        lastLoopEnd = now;
        long elapsed = now - windowStart;
        if (elapsed < WINDOW_NANOS || read < MIN_SAMPLES) {
            return 0;
        }
        double perSecond = read * 1e9 / elapsed;
        windowStart = now;
        read = 0;
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
