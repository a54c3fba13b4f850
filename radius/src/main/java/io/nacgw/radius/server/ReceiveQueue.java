package io.nacgw.radius.server;

import java.util.concurrent.TimeUnit;

/**
 * Sizes one channel's socket receive buffer so that a full receive queue drains within {@code radius.maxQueueDelay}
 * at the rate the channel actually serves: the kernel then drops the newest datagrams of an overload for free (the
 * NAS retransmits), and what is read has waited at most about that long, instead of a large buffer queueing seconds
 * of requests that are all answered after the NAS gave up on them.
 * <p>
 * The service rate is measured, not configured, so it is right on every machine: datagrams processed per second of
 * event-loop time spent processing them (from the first read of a read loop to its end), over windows of at least
 * {@link #WINDOW_NANOS} and {@link #MIN_SAMPLES} datagrams. The buffer is {@code rate × maxQueueDelay ×}
 * {@link #BYTES_PER_DATAGRAM}, between {@link #MIN_BYTES} and {@code radius.receiveBufferBytes}, changed only when it
 * moves by more than a fifth. Not thread-safe: one per channel, used on its event loop.
 */
final class ReceiveQueue {
    /**
     * SO_RCVBUF bytes per datagram to be held. The kernel doubles the value for its bookkeeping and charges each
     * datagram its buffer's true size: about 1 KiB for a small datagram on loopback, 2-4 KiB from most NICs. So a
     * queue sized with 1 KiB holds between 0.5× and 2× the intended count: 50-200 ms for the default of 100 ms.
     */
    static final int BYTES_PER_DATAGRAM = 1024;
    /** The smallest buffer set (radius.receiveBufferBytes' own minimum): a burst of 64 datagrams always fits. */
    static final int MIN_BYTES = 64 * 1024;
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final int MIN_SAMPLES = 256;

    private final long maxDelayNanos;
    private final int maxBytes;
    private int bytes;
    private int inLoop;
    private long loopStart;
    private long windowStart;
    private long busyNanos;
    private long processed;

    /** {@code bytes} is the buffer the socket was opened with (radius.receiveBufferBytes), also the largest set. */
    ReceiveQueue(long maxDelayNanos, int bytes, long now) {
        this.maxDelayNanos = maxDelayNanos;
        this.maxBytes = bytes;
        this.bytes = bytes;
        this.windowStart = now;
    }

    /** True when this datagram is the first of a read loop: then call {@link #loopStarted(long)}. */
    boolean firstOfLoop() {
        return inLoop++ == 0;
    }

    void loopStarted(long now) {
        loopStart = now;
    }

    /**
     * The end of a read loop. Returns the new SO_RCVBUF to set when a window closed and the size should change by
     * more than a fifth, else 0.
     */
    int loopEnded(long now) {
        if (inLoop == 0) {
            return 0;
        }
        busyNanos += Math.max(0, now - loopStart);
        processed += inLoop;
        inLoop = 0;
        if (now - windowStart < WINDOW_NANOS || processed < MIN_SAMPLES) {
            return 0;
        }
        double perSecond = processed * 1e9 / Math.max(1, busyNanos);
        windowStart = now;
        busyNanos = 0;
        processed = 0;
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
