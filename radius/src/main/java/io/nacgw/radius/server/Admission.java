package io.nacgw.radius.server;

import io.nacgw.radius.DropReason;
import io.nacgw.radius.codec.InboundPacket;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.AttributeKey;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Load shedding at the front of a port, before the client lookup, parsing or any cryptography. Two bounds, each
 * dropping the datagram it is looking at (counted as {@link DropReason#OVERLOADED}), so an overload costs a copy and
 * a counter per datagram instead of a decode, an HMAC, a lookup and an audit line:
 * <ul>
 *   <li><b>queue delay</b> ({@code radius.maxQueueDelay}, on by default): a read loop that gets fewer datagrams
 *   than it asked for has found the socket's receive queue empty, so what the next loop reads arrived after that; the
 *   first datagram of that next loop marks the start of a busy period (the event loop is woken as soon as a datagram
 *   arrives at an empty socket). While the busy period is longer than the bound, what is read may have waited longer
 *   and is dropped, at the cost of a copy each, until a loop finds the socket empty again. What is processed has
 *   therefore waited less than the bound, whatever the machine's capacity: an overload is answered at capacity and
 *   in time instead of late for everyone (a NAS retransmits after 1-5 s; an answer after that helps nobody). A
 *   pause of the event loop that starts while the socket is empty is not seen (its datagrams count from the read
 *   after it); a standing queue always is.</li>
 *   <li><b>rate</b> ({@code radius.maxRequestsPerSecond}, off by default): at most that many datagrams a second (a
 *   virtual-scheduling token bucket with a burst of 50 ms worth, shared by all channels of the port).</li>
 * </ul>
 */
@Sharable
final class Admission extends SimpleChannelInboundHandler<InboundPacket> {
    /** Per channel, touched only on its event loop. */
    private static final AttributeKey<Queue> QUEUE = AttributeKey.valueOf(Admission.class, "queue");

    private final long intervalNanos;
    private final long burstNanos;
    private final long maxQueueDelayNanos;
    private final int readBatch;
    private final LongSupplier nanoTime;
    private final Counters counters;
    /** The theoretical arrival time of the next conforming datagram (GCRA). */
    private final AtomicLong tat = new AtomicLong(Long.MIN_VALUE);

    /** The receive queue of one channel as seen from its read loops. */
    private static final class Queue {
        /** The first read after the socket was last found empty: the start of the current busy period. */
        long busySince;
        /** The last read loop ended on an empty socket (true before the first). */
        boolean drained = true;
        /** Datagrams read since the last read loop ended. */
        int readInLoop;
    }

    /** Only the rate bound ({@code perSecond} 0: everything is admitted). */
    Admission(int perSecond, LongSupplier nanoTime, Counters counters) {
        this(perSecond, 0, Integer.MAX_VALUE, nanoTime, counters);
    }

    /**
     * @param perSecond          datagrams admitted a second, 0 for no rate bound
     * @param maxQueueDelayNanos longest a processed datagram may have waited in the receive queue, 0 for no bound
     * @param readBatch          the most datagrams one read loop of the channel reads (its maxMessagesPerRead): a loop
     *                           that reads fewer ended because the socket was empty
     */
    Admission(int perSecond, long maxQueueDelayNanos, int readBatch, LongSupplier nanoTime, Counters counters) {
        if (readBatch < 1) {
            throw new IllegalArgumentException("readBatch must be positive, got " + readBatch);
        }
        this.intervalNanos = perSecond == 0 ? 0 : Math.max(1, TimeUnit.SECONDS.toNanos(1) / perSecond);
        this.burstNanos = Math.max(intervalNanos * 16, TimeUnit.MILLISECONDS.toNanos(50));
        this.maxQueueDelayNanos = maxQueueDelayNanos;
        this.readBatch = readBatch;
        this.nanoTime = nanoTime;
        this.counters = counters;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, InboundPacket p) {
        if (maxQueueDelayNanos > 0) {
            Queue q = queue(ctx);
            long now = nanoTime.getAsLong();
            if (q.readInLoop++ == 0 && q.drained) {
                q.busySince = now;
                q.drained = false;
            }
            if (now - q.busySince > maxQueueDelayNanos) {
                counters.received.increment();
                counters.drop(DropReason.OVERLOADED, p.sender(),
                        "may have waited in the receive queue longer than radius.maxQueueDelay, shed before parsing");
                return;
            }
        }
        if (intervalNanos == 0 || admit()) {
            ctx.fireChannelRead(p);
            return;
        }
        counters.received.increment();
        counters.drop(DropReason.OVERLOADED, p.sender(), "over radius.maxRequestsPerSecond, shed before parsing");
    }

    /** The end of a read loop: fewer datagrams than a full batch means the socket was found empty. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (maxQueueDelayNanos > 0) {
            Queue q = queue(ctx);
            if (q.readInLoop < readBatch) {
                q.drained = true;
            }
            q.readInLoop = 0;
        }
        ctx.fireChannelReadComplete();
    }

    private Queue queue(ChannelHandlerContext ctx) {
        Queue q = ctx.channel().attr(QUEUE).get();
        if (q == null) {
            q = new Queue();
            ctx.channel().attr(QUEUE).set(q);
        }
        return q;
    }

    private boolean admit() {
        long now = nanoTime.getAsLong();
        while (true) {
            long t = tat.get();
            long start = t == Long.MIN_VALUE || t - now < 0 ? now : t;
            if (start - now > burstNanos) {
                return false;
            }
            if (tat.compareAndSet(t, start + intervalNanos)) {
                return true;
            }
        }
    }
}
