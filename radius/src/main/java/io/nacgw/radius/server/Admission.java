package io.nacgw.radius.server;

import io.nacgw.radius.DropReason;
import io.nacgw.radius.codec.InboundPacket;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Load shedding at the front of a port, before the client lookup, parsing or any cryptography: at most
 * {@code radius.maxRequestsPerSecond} datagrams a second are admitted (a virtual-scheduling token bucket with a
 * burst of 50 ms worth, shared by all channels of the port); the newest beyond it are dropped and counted as
 * {@link DropReason#OVERLOADED}. An overload then costs a copy and a counter per datagram instead of a decode, an
 * HMAC, a lookup and an audit line, so the admitted requests are still answered while the NAS retransmits the rest.
 */
@Sharable
final class Admission extends SimpleChannelInboundHandler<InboundPacket> {
    private final long intervalNanos;
    private final long burstNanos;
    private final LongSupplier nanoTime;
    private final Counters counters;
    /** The theoretical arrival time of the next conforming datagram (GCRA). */
    private final AtomicLong tat = new AtomicLong(Long.MIN_VALUE);

    /** {@code perSecond} 0: everything is admitted. */
    Admission(int perSecond, LongSupplier nanoTime, Counters counters) {
        this.intervalNanos = perSecond == 0 ? 0 : Math.max(1, TimeUnit.SECONDS.toNanos(1) / perSecond);
        this.burstNanos = Math.max(intervalNanos * 16, TimeUnit.MILLISECONDS.toNanos(50));
        this.nanoTime = nanoTime;
        this.counters = counters;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, InboundPacket p) {
        if (intervalNanos == 0 || admit()) {
            ctx.fireChannelRead(p);
            return;
        }
        counters.received.increment();
        counters.drop(DropReason.OVERLOADED, p.sender(), "over radius.maxRequestsPerSecond, shed before parsing");
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
