package io.nacgw.radius.radsec;

import io.nacgw.radius.codec.InboundPacket;
import io.nacgw.radius.codec.OutboundPacket;
import io.nacgw.radius.codec.RadiusCode;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * RadSec admission: a connection's reading is paused (autoRead off, so TCP back-pressure holds further requests in
 * the NAS's and the kernel's buffers, before TLS decryption, parsing or any cryptography of ours) while
 * <ul>
 *   <li>it has {@code radius.radsec.maxInFlightPerConnection} requests without an answer, or</li>
 *   <li>all connections together have {@code radius.radsec.maxInFlight}, or</li>
 *   <li>its replies back up because the NAS does not read them (the channel is not writable),</li>
 * </ul>
 * and resumed when answers drain. A request is in flight from its read until an answer with its identifier is
 * written (Access-Accept, -Reject, -Challenge, Accounting-Response), its connection closes, or {@link #STALE_NANOS}
 * passed (a request the path dropped without an answer frees its place then, or when the NAS reuses its identifier
 * and that request is answered). What one read already decrypted is still processed: the bounds are exceeded by at
 * most one read's packets. One instance per connection, on its event loop; {@link Limits} is shared.
 */
final class RequestAdmission extends ChannelDuplexHandler {
    /** After this long without an answer a request no longer holds its place (beyond any NAS's timeout). */
    static final long STALE_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** The bound over all connections, and the connections waiting for it; thread-safe. */
    static final class Limits {
        final int perConnection;
        final int total;
        private final AtomicInteger inFlight = new AtomicInteger();
        private final Queue<RequestAdmission> waiting = new ConcurrentLinkedQueue<>();
        final LongAdder paused = new LongAdder();
        private final LongSupplier nanoTime;

        Limits(int perConnection, int total) {
            this(perConnection, total, System::nanoTime);
        }

        /** {@code nanoTime}: the clock requests are aged by (tests). */
        Limits(int perConnection, int total, LongSupplier nanoTime) {
            this.perConnection = perConnection;
            this.total = total;
            this.nanoTime = nanoTime;
        }

        int inFlight() {
            return inFlight.get();
        }

        private void release(int n) {
            if (n > 0 && inFlight.addAndGet(-n) < total) {
                RequestAdmission next = waiting.poll();
                if (next != null) {
                    next.ctx.executor().execute(next::resume);
                }
            }
        }
    }

    private final Limits limits;
    private final long[] sinceById = new long[256];
    private final boolean[] pendingById = new boolean[256];
    private int pending;
    private boolean paused;
    private boolean waitingForTotal;
    private boolean expiryScheduled;
    private ChannelHandlerContext ctx;

    RequestAdmission(Limits limits) {
        this.limits = limits;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof InboundPacket p && p.data().length > 1) {
            int id = p.data()[1] & 0xFF;
            sinceById[id] = limits.nanoTime.getAsLong();
            if (!pendingById[id]) { // the same identifier again (a duplicate) holds no second place
                pendingById[id] = true;
                pending++;
                limits.inFlight.incrementAndGet();
            }
            update();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof OutboundPacket p && p.data().length > 1 && isAnswer(p.data()[0] & 0xFF)) {
            answered(p.data()[1] & 0xFF);
        }
        ctx.write(msg, promise);
    }

    private static boolean isAnswer(int code) {
        return code == RadiusCode.ACCESS_ACCEPT || code == RadiusCode.ACCESS_REJECT
                || code == RadiusCode.ACCESS_CHALLENGE || code == RadiusCode.ACCOUNTING_RESPONSE;
    }

    private void answered(int id) {
        if (pendingById[id]) {
            pendingById[id] = false;
            pending--;
            limits.release(1);
            update();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        update();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        int n = pending;
        java.util.Arrays.fill(pendingById, false);
        pending = 0;
        limits.release(n);
        ctx.fireChannelInactive();
    }

    /** Pauses or resumes reading by the three conditions; counts each pause. On the event loop. */
    private void update() {
        if (!ctx.channel().isOpen()) {
            return;
        }
        boolean overConnection = pending >= limits.perConnection;
        boolean overTotal = limits.inFlight() >= limits.total;
        boolean pause = overConnection || overTotal || !ctx.channel().isWritable();
        if (pause && !paused) {
            limits.paused.increment();
        }
        paused = pause;
        ctx.channel().config().setAutoRead(!pause);
        if (overTotal && !overConnection) {
            waitForTotal();
        }
        if (pause && pending > 0 && !expiryScheduled) {
            expiryScheduled = true;
            ctx.executor().schedule(this::expireStale, STALE_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    /** Called when another connection freed a place while this one waited for it. */
    private void resume() {
        waitingForTotal = false;
        update();
    }

    /** Asks to be resumed when another connection's answer frees a place (re-checked then). */
    private void waitForTotal() {
        if (!waitingForTotal) {
            waitingForTotal = true;
            limits.waiting.add(this);
        }
        if (limits.inFlight() < limits.total && limits.waiting.remove(this)) { // freed meanwhile
            waitingForTotal = false;
            ctx.executor().execute(this::update);
        }
    }

    /** Frees the places of requests older than {@link #STALE_NANOS}: the path dropped them without an answer. */
    private void expireStale() {
        expiryScheduled = false;
        long now = limits.nanoTime.getAsLong();
        for (int id = 0; id < 256; id++) {
            if (pendingById[id] && now - sinceById[id] >= STALE_NANOS) {
                answered(id);
            }
        }
        update();
    }
}
