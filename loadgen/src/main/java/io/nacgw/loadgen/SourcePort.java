package io.nacgw.loadgen;

import io.nacgw.loadgen.radius.RadiusCodec;
import io.nacgw.loadgen.radius.RadiusPacket;
import io.nacgw.loadgen.radius.ReplyError;
import io.nacgw.loadgen.radius.ReplyException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * One UDP source port: owns its 256 identifiers (reused least-recently-freed first, RFC 5080 §2.2.1), the requests in
 * flight on it, their retransmissions and timeouts, and answer checking. Every method runs on the channel's event loop,
 * so nothing here is locked; the reporting thread reads only {@link Stats} and the volatile {@link #inFlight}.
 * Timeouts are found by a periodic scan rather than a timer per request: every request has the same timeout, so
 * transmissions time out in the order they were made, and the scan reads a queue of deadlines only up to the first
 * that has not passed. The port schedules nothing itself: its event loop's driver calls {@link #tick()} every
 * millisecond and {@link #scan()} every {@link #scanPeriodNanos(long)} for all its ports (hundreds of ports with a
 * timer each cost more than the requests).
 */
final class SourcePort extends SimpleChannelInboundHandler<DatagramPacket> {
    /** A request on the wire or waiting for an identifier. */
    private static final class Pending {
        int id;
        byte[] bytes;
        final byte[] authenticator = new byte[16];
        TargetClass truth;
        long intendedNanos;
        long deadlineNanos;
        int retriesLeft;
    }

    private final LoadSettings settings;
    private final Targets targets;
    private final Expectations expectations;
    private final Stats stats;
    private Run run;
    private final RadiusCodec codec;
    /** MAB requests are patched into a pre-encoded template; other shapes are encoded from their attributes. */
    private final MabTemplate mab;
    private final SplittableRandom random;
    private final int slots;
    private final double periodNanos;
    private final long timeoutNanos;
    /** The time every decision here reads ({@link System#nanoTime()} in a run): tests step it by hand. */
    private final LongSupplier nanos;

    private final Pending[] inFlightById = new Pending[256];
    /**
     * Response Authenticators (first 8 bytes) of answers already accepted, in two generations of up to
     * {@link #RECENT} each: a second copy of an answer (a server answering a retransmission too, or a duplicating
     * network) arriving after its identifier was reused is recognised and counted as stray, not as a bad answer.
     */
    private LongSet recent = new LongSet(RECENT);
    private LongSet older = new LongSet(RECENT);
    private static final int RECENT = 16_384;
    private final int[] freeIds = new int[256];
    private int freeHead;
    private int freeCount;
    private final ArrayDeque<Long> backlog = new ArrayDeque<>();
    /** A transmission's deadline; stale once its request completed or was transmitted again. */
    private record Deadline(Pending pending, long at) {
    }

    /** Every transmission in order, so in deadline order. */
    private final ArrayDeque<Deadline> deadlines = new ArrayDeque<>();
    /** Identifiers of timed-out requests with the time they may be reused: a late answer must not meet a new request. */
    private final ArrayDeque<long[]> cooling = new ArrayDeque<>();
    private static final int MAX_BACKLOG = 1_000_000;
    /**
     * Request Authenticators of the last {@link #LATE} requests per identifier that timed out: an overloaded server
     * may answer one seconds later, after the identifier was reused; such an answer is late (stray), not wrong.
     */
    private static final int LATE = 8;
    private final byte[][] timedOut = new byte[256 * LATE][];
    private final int[] timedOutNext = new int[256];
    private volatile int inFlight;
    private volatile boolean idle;
    private Channel channel;
    private long scheduledCount;
    private int nasPort;
    private boolean ticking;
    /** Something was written since the last flush: a flush of nothing still walks the pipeline, hundreds of ports × 1,000/s. */
    private boolean unflushed;

    /**
     * @param slots  closed loop: requests this port keeps outstanding; open loop: 0
     * @param rate   open loop: this port's share of the rate (per second); closed loop: 0
     * @param nanos  the clock of the run ({@link Run} times are read from it)
     */
    SourcePort(LoadSettings settings, Targets targets, Expectations expectations, Stats stats, int index,
               int slots, double rate, LongSupplier nanos) {
        this.nanos = nanos;
        this.settings = settings;
        this.targets = targets;
        this.expectations = expectations;
        this.stats = stats;
        this.codec = new RadiusCodec(settings.secret());
        this.mab = settings.shape() == RequestShape.MAB ? new MabTemplate(codec, settings.messageAuthenticator()) : null;
        this.random = new SplittableRandom(settings.seed() * 31 + index);
        this.slots = slots;
        this.periodNanos = rate > 0 ? 1e9 / rate : 0;
        this.timeoutNanos = settings.timeout().toNanos();
        for (int i = 0; i < 256; i++) {
            freeIds[i] = (i + index * 17) & 0xFF; // each port starts at another id: easier to read in captures
        }
        freeCount = 256;
        this.nasPort = index * 100_000;
    }

    /** How often the driver calls {@link #scan()}: a quarter of the timeout, 1-10 ms. */
    static long scanPeriodNanos(long timeoutNanos) {
        return Math.max(1_000_000L, Math.min(10_000_000L, timeoutNanos / 4));
    }

    /** Starts sending; called on the event loop once the channel is connected and the run's clock started. */
    void start(Channel ch, Run run) {
        this.channel = ch;
        this.run = run;
        if (slots > 0) {
            for (int i = 0; i < slots; i++) {
                long now = nanos.getAsLong();
                if (!run.tryIssue(now)) {
                    break;
                }
                send(now);
            }
            flush();
        } else {
            ticking = true;
        }
        updateIdle();
    }

    /** Open loop: issue every request whose intended time has come, at exactly start + k × period. */
    void tick() {
        if (!ticking) {
            return;
        }
        long now = nanos.getAsLong();
        while (true) {
            long intended = run.startNanos + (long) (scheduledCount * periodNanos);
            if (intended > now) {
                break;
            }
            if (!run.tryIssue(intended)) {
                ticking = false;
                break;
            }
            scheduledCount++;
            if (freeCount > 0 && backlog.isEmpty()) {
                send(intended);
            } else if (backlog.size() < MAX_BACKLOG) {
                backlog.add(intended); // every identifier busy: wait, and let the latency show it
            } else {
                stats.failed(ReplyError.NOT_SENT, run.measured(intended));
            }
        }
        flush();
        updateIdle();
    }

    /** Builds and writes one new request intended for {@code intendedNanos}. */
    private void send(long intendedNanos) {
        int id = freeIds[freeHead];
        freeHead = (freeHead + 1) & 0xFF;
        freeCount--;
        Pending p = new Pending();
        p.id = id;
        long mac;
        int device = -1;
        if (random.nextDouble() < settings.unknownShare()) {
            mac = targets.unknownMac(random);
            p.truth = TargetClass.UNKNOWN;
        } else {
            device = random.nextInt(targets.size());
            mac = targets.mac(device);
            p.truth = targets.classOf(device);
        }
        long r1 = random.nextLong();
        long r2 = random.nextLong();
        for (int b = 0; b < 8; b++) {
            p.authenticator[b] = (byte) (r1 >>> (8 * b));
            p.authenticator[8 + b] = (byte) (r2 >>> (8 * b));
        }
        nasPort = nasPort + 1;
        if (mab != null) {
            p.bytes = mab.encode(id, p.authenticator, mac, nasPort);
        } else {
            String user = device < 0 ? "unknown" + (mac & 0xFFFF) + "@synthetic.nacgw.invalid" : targets.user(device);
            p.bytes = codec.accessRequest(id, p.authenticator, settings.shape().attributes(mac, user, nasPort),
                    settings.messageAuthenticator());
        }
        p.intendedNanos = intendedNanos;
        p.retriesLeft = settings.retries();
        inFlightById[id] = p;
        inFlight++;
        long now = nanos.getAsLong();
        if (run.measured(intendedNanos)) {
            stats.sendLag.recordValue(Math.max(0, now - intendedNanos));
        }
        if (now - run.warmupEndNanos >= 0 && now - run.endNanos < 0) {
            stats.windowSent.increment();
        }
        transmit(p, now);
    }

    private void transmit(Pending p, long now) {
        p.deadlineNanos = now + timeoutNanos;
        deadlines.add(new Deadline(p, p.deadlineNanos));
        stats.sent.increment();
        channel.write(Unpooled.wrappedBuffer(p.bytes), channel.voidPromise());
        unflushed = true;
    }

    /**
     * Hands what was written since the last call to the socket in one flush: on epoll several datagrams of one flush
     * leave in one sendmmsg call.
     */
    private void flush() {
        if (unflushed) {
            unflushed = false;
            channel.flush();
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
        long now = nanos.getAsLong();
        stats.received.increment();
        ByteBuf buf = msg.content();
        int len = buf.readableBytes();
        if (len < 2) {
            stats.strayAnswers.increment();
            return;
        }
        int id = buf.getUnsignedByte(buf.readerIndex() + 1);
        Pending p = inFlightById[id];
        if (p == null) {
            stats.strayAnswers.increment(); // late answer to a request that timed out, or a duplicate
            return;
        }
        byte[] data = new byte[len];
        buf.getBytes(buf.readerIndex(), data);
        ReplyError error = null;
        String verdict = null;
        try {
            RadiusPacket answer = codec.verifyResponse(data, len, p.authenticator, settings.requireReplyMessageAuthenticator());
            boolean accepted;
            if (answer.code() == RadiusCodec.ACCESS_ACCEPT) {
                accepted = true;
            } else if (answer.code() == RadiusCodec.ACCESS_REJECT) {
                accepted = false;
            } else {
                throw new ReplyException(ReplyError.UNEXPECTED_CODE, "code " + answer.code());
            }
            String vlan = accepted ? answer.vlan() : null;
            verdict = !accepted ? "reject" : vlan == null ? "accept" : "accept:" + vlan;
            if (!expectations.of(p.truth).matches(accepted, vlan)) {
                error = ReplyError.VERDICT_MISMATCH;
            }
        } catch (ReplyException e) {
            if (e.error() == ReplyError.BAD_RESPONSE_AUTHENTICATOR || e.error() == ReplyError.MALFORMED) {
                // RFC 2865 §3: a response that fails the authenticator check (or cannot be parsed) is silently
                // discarded and the request keeps waiting; it is counted unless it is a copy of an earlier answer
                if (len >= RadiusCodec.HEADER && (seenBefore(key(data)) || answersTimedOut(id, data, len))) {
                    stats.strayAnswers.increment();
                } else {
                    stats.error(e.error());
                }
                return;
            }
            error = e.error();
        }
        remember(key(data));
        complete(id, p, now, error, verdict);
    }

    /** True when {@code data} is the answer to one of the last requests that timed out on identifier {@code id}. */
    private boolean answersTimedOut(int id, byte[] data, int len) {
        int length = Math.min(len, ((data[2] & 0xFF) << 8) | (data[3] & 0xFF));
        for (int i = 0; i < LATE; i++) {
            byte[] authenticator = timedOut[id * LATE + i];
            if (authenticator != null && codec.responseAuthenticatorMatches(data, length, authenticator)) {
                return true;
            }
        }
        return false;
    }

    private void rememberTimedOut(int id, Pending p) {
        timedOut[id * LATE + timedOutNext[id]] = p.authenticator;
        timedOutNext[id] = (timedOutNext[id] + 1) % LATE;
    }

    private static long key(byte[] data) {
        long k = 0;
        for (int i = 4; i < 12; i++) {
            k = (k << 8) | (data[i] & 0xFF);
        }
        return k;
    }

    private boolean seenBefore(long key) {
        return recent.contains(key) || older.contains(key);
    }

    private void remember(long key) {
        if (recent.full()) {
            LongSet oldest = older;
            older = recent;
            oldest.clear();
            recent = oldest;
        }
        recent.add(key);
    }

    private void complete(int id, Pending p, long now, ReplyError error, String verdict) {
        inFlightById[id] = null;
        inFlight--;
        if (error == ReplyError.TIMEOUT) {
            rememberTimedOut(id, p);
        }
        if (error == ReplyError.TIMEOUT || p.retriesLeft < settings.retries()) {
            // timed out or retransmitted: an(other) answer may still come, so keep the identifier out of use a while
            cooling.add(new long[]{id, now + timeoutNanos});
        } else {
            freeIds[(freeHead + freeCount) & 0xFF] = id;
            freeCount++;
        }
        boolean measured = run.measured(p.intendedNanos);
        if (error != null) {
            stats.failed(error, measured);
        }
        if (verdict != null) {
            stats.verdict(p.truth, verdict);
            if (error == null && now - run.warmupEndNanos >= 0 && now - run.endNanos < 0) {
                stats.windowAnswers.increment();
            }
            if (measured) {
                stats.latency.recordValue(Math.max(0, now - p.intendedNanos));
                stats.measuredAnswers.increment();
                stats.lastAnswerNanos = now;
                if (error == null) {
                    stats.measuredOk.increment();
                }
            }
        }
        if (!measured) {
            stats.warmupCompleted.increment();
        }
        next(now);
    }

    /** After a completion: the closed loop sends its replacement, the open loop serves its backlog. */
    private void next(long now) {
        if (slots > 0 && run.tryIssue(now)) {
            if (freeCount > 0 && backlog.isEmpty()) {
                send(now);
            } else {
                backlog.add(now); // identifiers cooling after timeouts: wait for one
            }
        }
        serveBacklog();
    }

    /**
     * Sends what waits for an identifier. In the open loop a request still waiting when its timeout has passed is not
     * sent (not_sent): a NAS would have given up on it, and sending it late would put every later request behind
     * schedule too, so that the generator measured its own identifier shortage rather than the server.
     */
    private void serveBacklog() {
        if (slots == 0) {
            long now = nanos.getAsLong();
            while (!backlog.isEmpty() && now - backlog.peek() > timeoutNanos) {
                stats.failed(ReplyError.NOT_SENT, run.measured(backlog.poll()));
            }
        }
        while (freeCount > 0 && !backlog.isEmpty()) {
            send(backlog.poll());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush(); // one flush for every answer of this read batch
        updateIdle();
    }

    /** Retransmits requests whose timeout passed (same id and bytes, RFC 5080) or gives up after the last retry. */
    void scan() {
        if (channel == null) {
            return; // not started yet
        }
        long now = nanos.getAsLong();
        while (!cooling.isEmpty() && now - cooling.peek()[1] >= 0) {
            freeIds[(freeHead + freeCount) & 0xFF] = (int) cooling.poll()[0];
            freeCount++;
        }
        serveBacklog();
        while (!deadlines.isEmpty()) {
            Deadline d = deadlines.peek();
            Pending p = d.pending();
            if (inFlightById[p.id] != p || p.deadlineNanos != d.at()) {
                deadlines.poll(); // answered, or transmitted again (a later entry)
                continue;
            }
            if (now - d.at() < 0) {
                break;
            }
            deadlines.poll();
            if (p.retriesLeft > 0) {
                p.retriesLeft--;
                stats.retransmissions.increment();
                transmit(p, now);
            } else {
                complete(p.id, p, now, ReplyError.TIMEOUT, null);
            }
        }
        if (run.stopped()) {
            drainBacklog();
        }
        flush();
        updateIdle();
    }

    /** Once issuing has stopped, requests still waiting for an identifier will never be sent. */
    private void drainBacklog() {
        while (!backlog.isEmpty()) {
            stats.failed(ReplyError.NOT_SENT, run.measured(backlog.poll()));
        }
    }

    /** Ends the run on this port: whatever is still in flight counts as timed out. Called on the event loop. */
    void finish() {
        ticking = false;
        deadlines.clear();
        drainBacklog();
        for (int id = 0; id < 256; id++) {
            Pending p = inFlightById[id];
            if (p != null) {
                inFlightById[id] = null;
                inFlight--;
                stats.failed(ReplyError.TIMEOUT, run.measured(p.intendedNanos));
                if (!run.measured(p.intendedNanos)) {
                    stats.warmupCompleted.increment();
                }
            }
        }
        idle = true;
    }

    private void updateIdle() {
        idle = run.stopped() && inFlight == 0 && backlog.isEmpty();
    }

    /** True once issuing stopped and nothing is outstanding on this port. */
    boolean idle() {
        return idle;
    }

    int inFlight() {
        return inFlight;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // e.g. ICMP port unreachable, or a full send buffer: the affected requests time out and are counted there;
        // a datagram channel stays open
        stats.socketErrors.increment();
    }
}
