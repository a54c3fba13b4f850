package io.nacgw.radius.server;

import io.nacgw.radius.DropReason;
import io.nacgw.radius.codec.InboundPacket;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Load shedding at the front of a port, before the client lookup, parsing or any cryptography:
 * <ul>
 *   <li><b>queue delay</b> ({@code radius.maxQueueDelay}, on by default): each channel's socket receive buffer is
 *   sized so that a full queue drains within the bound at the rate the channel is measured to drain it (wall-clock)
 *   ({@link ReceiveQueue}); the kernel drops the newest datagrams beyond it at no cost to the server (counted by the
 *   kernel: {@code /proc/net/udp} drops, {@code nacgw_radius_receive_queue_drops_total}). What is read has therefore
 *   waited about the bound at most, whatever the machine's capacity: an overload is answered at capacity and in time
 *   instead of late for everyone (a NAS retransmits after 1-5 s; an answer after that helps nobody).</li>
 *   <li><b>rate</b> ({@code radius.maxRequestsPerSecond}, off by default): at most that many datagrams a second (a
 *   virtual-scheduling token bucket with a burst of 50 ms worth, shared by all channels of the port); the newest
 *   beyond it are dropped and counted as {@link DropReason#OVERLOADED}, at the cost of a copy and a counter.</li>
 * </ul>
 */
@Sharable
final class Admission extends SimpleChannelInboundHandler<InboundPacket> {
    private static final Logger log = LoggerFactory.getLogger(Admission.class);
    /** Per channel, touched only on its event loop. */
    private static final AttributeKey<ReceiveQueue> QUEUE = AttributeKey.valueOf(Admission.class, "receiveQueue");

    private final long intervalNanos;
    private final long burstNanos;
    private final long maxQueueDelayNanos;
    private final int receiveBufferBytes;
    private final LongSupplier nanoTime;
    private final Counters counters;
    /** The theoretical arrival time of the next conforming datagram (GCRA). */
    private final AtomicLong tat = new AtomicLong(Long.MIN_VALUE);

    /** Only the rate bound ({@code perSecond} 0: everything is admitted). */
    Admission(int perSecond, LongSupplier nanoTime, Counters counters) {
        this(perSecond, 0, 0, nanoTime, counters);
    }

    /**
     * @param perSecond          datagrams admitted a second, 0 for no rate bound
     * @param maxQueueDelayNanos how long a full receive queue may take to drain, 0 to leave the buffer as opened
     * @param receiveBufferBytes the SO_RCVBUF the channels were opened with, the largest ever set
     */
    Admission(int perSecond, long maxQueueDelayNanos, int receiveBufferBytes, LongSupplier nanoTime,
              Counters counters) {
        this.intervalNanos = perSecond == 0 ? 0 : Math.max(1, TimeUnit.SECONDS.toNanos(1) / perSecond);
        this.burstNanos = Math.max(intervalNanos * 16, TimeUnit.MILLISECONDS.toNanos(50));
        this.maxQueueDelayNanos = maxQueueDelayNanos;
        this.receiveBufferBytes = receiveBufferBytes;
        this.nanoTime = nanoTime;
        this.counters = counters;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, InboundPacket p) {
        if (maxQueueDelayNanos > 0) {
            ReceiveQueue q = queue(ctx);
            if (q.firstOfLoop()) {
                q.loopStarted(nanoTime.getAsLong());
            }
        }
        if (intervalNanos == 0 || admit()) {
            ctx.fireChannelRead(p);
            return;
        }
        counters.received.increment();
        counters.drop(DropReason.OVERLOADED, p.sender(), "over radius.maxRequestsPerSecond, shed before parsing");
    }

    /** The end of a read loop: what it read has been processed (or handed off); the buffer may be resized. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (maxQueueDelayNanos > 0) {
            int resize = queue(ctx).loopEnded(nanoTime.getAsLong());
            if (resize > 0) {
                ctx.channel().config().setOption(ChannelOption.SO_RCVBUF, resize);
                if (log.isDebugEnabled()) {
                    log.debug("receive buffer of {} set to {} bytes (radius.maxQueueDelay {} ms at the measured rate)",
                            ctx.channel().localAddress(), resize, TimeUnit.NANOSECONDS.toMillis(maxQueueDelayNanos));
                }
            }
        }
        ctx.fireChannelReadComplete();
    }

    private ReceiveQueue queue(ChannelHandlerContext ctx) {
        ReceiveQueue q = ctx.channel().attr(QUEUE).get();
        if (q == null) {
            q = new ReceiveQueue(maxQueueDelayNanos, receiveBufferBytes, nanoTime.getAsLong());
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
