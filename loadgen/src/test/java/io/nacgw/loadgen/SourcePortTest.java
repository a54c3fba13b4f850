package io.nacgw.loadgen;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class SourcePortTest {
    private static final byte[] SECRET = "test-secret-4711".getBytes(StandardCharsets.US_ASCII);
    private static final SyntheticDevices DEVICES = new SyntheticDevices(5, 200, SyntheticDevices.defaultMix(), "SYN-",
            Instant.parse("2026-11-23T12:00:00Z"));
    private static final Targets TARGETS = Targets.synthetic(DEVICES);
    private static final Expectations CORP = Expectations.preset("corp-wifi");
    private static final InetSocketAddress TARGET = new InetSocketAddress("127.0.0.1", 1812);
    private static final long MS = 1_000_000L;

    /** Counts the flushes that reach the socket end of the pipeline. */
    private static final class Flushes extends ChannelOutboundHandlerAdapter {
        int count;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            count++;
            ctx.flush();
        }
    }

    @Test
    void tick_writesEveryDueRequestThenFlushesOnce_andATickWithNothingDueDoesNotFlush() {
        // one request per second, the schedule started 2.5 s ago: 3 requests are due at the first tick, the next in 0.5 s
        LoadSettings settings = new LoadSettings(TARGET, SECRET, 0, 1, Duration.ofSeconds(60), 0,
                Duration.ZERO, RequestShape.MAB, true, true, 1, 1, Duration.ofSeconds(5), 0, 0.1, 1, true, 0,
                LoadSettings.DEFAULT_RECEIVE_BUFFER);
        Stats stats = new Stats();
        long now = 2500 * MS;
        SourcePort port = new SourcePort(settings, TARGETS, CORP, stats, 0, 0, 1, () -> now);
        Flushes flushes = new Flushes();
        EmbeddedChannel ch = new EmbeddedChannel(flushes);
        Run run = new Run(0, 0, TimeUnit.SECONDS.toNanos(60), 0);
        port.start(ch, run);
        assertEquals(0, flushes.count, "nothing written yet");
        port.tick();
        assertEquals(3, ch.outboundMessages().size());
        assertEquals(1, flushes.count, "three datagrams, one flush");
        assertEquals(3, stats.sent.sum());
        port.tick();
        port.scan();
        assertEquals(1, flushes.count, "nothing due, nothing timed out: no flush");
        assertEquals(3, port.inFlight());
        ch.finishAndReleaseAll();
    }

    /** What the fake server does with the requests that reach it. */
    private enum Server { ANSWER, HOLD, DROP }

    /**
     * One open-loop port (no retransmissions) on an {@link EmbeddedChannel}, driven as {@link RadiusLoadGenerator}'s
     * driver drives it (tick every millisecond, scan every {@link SourcePort#scanPeriodNanos}) on a clock the test
     * steps by hand, facing a server that answers at once, holds what it gets, or drops it: what happens follows from
     * the schedule alone, never from how fast the machine runs the test.
     */
    private static final class SteppedPort {
        final Stats stats = new Stats();
        final Run run;
        final SourcePort port;
        Server server = Server.ANSWER;
        private final EmbeddedChannel ch;
        private final FakeRadiusAnswers answers = new FakeRadiusAnswers(SECRET, DEVICES, CORP, FakeRadiusServer.Fault.NONE);
        private final List<byte[]> held = new ArrayList<>();
        private final long scanPeriod;
        private long now;
        private long next;

        SteppedPort(double rate, long durationMs, long timeoutMs) {
            LoadSettings s = new LoadSettings(TARGET, SECRET, 0, rate, Duration.ofMillis(durationMs), 0, Duration.ZERO,
                    RequestShape.MAB, true, true, 1, 1, Duration.ofMillis(timeoutMs), 0, 0.1, 1, true, 0,
                    LoadSettings.DEFAULT_RECEIVE_BUFFER);
            port = new SourcePort(s, TARGETS, CORP, stats, 0, 0, rate, () -> now);
            ch = new EmbeddedChannel(port);
            run = new Run(0, 0, durationMs * MS, 0);
            scanPeriod = SourcePort.scanPeriodNanos(timeoutMs * MS);
            port.start(ch, run);
        }

        /** Every millisecond up to and including {@code ms}: the port ticks, scans when a scan is due, the server serves. */
        void runTo(long ms) throws InterruptedException {
            for (; next <= ms * MS; next += MS) {
                now = next;
                port.tick();
                if (now > 0 && now % scanPeriod == 0) {
                    port.scan();
                }
                serve();
            }
        }

        /** The event loop is away: no tick, scan or read until {@code ms}. */
        void awayUntil(long ms) {
            next = ms * MS;
        }

        private void serve() throws InterruptedException {
            do {
                for (ByteBuf b = ch.readOutbound(); b != null; b = ch.readOutbound()) {
                    if (server != Server.DROP) {
                        held.add(ByteBufUtil.getBytes(b));
                    }
                    b.release();
                }
                if (server != Server.ANSWER) {
                    return;
                }
                List<byte[]> requests = new ArrayList<>(held);
                held.clear();
                for (byte[] request : requests) { // each answer frees an identifier: what waited for one is written now
                    ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(answers.answer(request)), TARGET, TARGET));
                }
            } while (!ch.outboundMessages().isEmpty());
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /**
     * {@code rate} requests a second for 1 s against a server that holds everything it gets until 300 ms, then
     * answers at once; checks what went out during the stall and that every request was answered.
     */
    private static SteppedPort runThroughA300msStall(int rate, long sentDuringStall, String why) throws InterruptedException {
        SteppedPort p = new SteppedPort(rate, 1000, 2000);
        p.server = Server.HOLD;
        p.runTo(299);
        assertEquals(sentDuringStall, p.stats.sent.sum(), why);
        p.server = Server.ANSWER;
        p.runTo(1100);
        assertTrue(p.port.idle());
        assertEquals(rate, p.stats.measuredOk.sum(), "every request answered");
        return p;
    }

    @Test
    void tick_openLoopServerStall_keepsSendingOnSchedule_latencyCountsTheStallFromEachIntendedTime() throws Exception {
        // 400/s for 1 s (one every 2.5 ms); the server answers nothing before 300 ms, then everything at once
        SteppedPort p = runThroughA300msStall(400, 120, "every request due during the stall went out: the loop does not wait for answers");
        Histogram latency = p.stats.latency.getIntervalHistogram();
        assertEquals(400, latency.getTotalCount());
        // request k, due at 2.5k ms, answered at 300 ms: 300 - 2.5k ms; the first waited the whole stall
        assertEquals(300, ms(latency.getMaxValue()), 0.3);
        assertEquals(81, latency.getCountBetweenValues(99 * MS, latency.getMaxValue()), "k = 0..80 waited 100 ms or more");
        assertTrue(latency.getValueAtPercentile(90) >= 100 * MS, "a fifth of the run's requests saw the stall");
    }

    @Test
    void tick_afterTheLoopWasAway_sendsWhatFellDueAtOnce_lagAndLatencyCountFromTheIntendedTimes() throws Exception {
        // 1,000/s, the server answers at once; the event loop is away from 0 to 50 ms
        SteppedPort p = new SteppedPort(1000, 1000, 2000);
        p.runTo(0);
        p.awayUntil(50);
        p.runTo(50);
        assertEquals(51, p.stats.measuredOk.sum());
        // requests 1..50 were due at 1..50 ms and all sent and answered at 50 ms
        Histogram lag = p.stats.sendLag.getIntervalHistogram();
        assertEquals(49, ms(lag.getMaxValue()), 0.05);
        assertEquals(49, lag.getCountBetweenValues(MS / 2, lag.getMaxValue()), "requests 1..49 left late");
        Histogram latency = p.stats.latency.getIntervalHistogram();
        assertEquals(49, ms(latency.getMaxValue()), 0.05, "latency from the intended, not the actual send time");
        assertEquals(49, latency.getCountBetweenValues(MS / 2, latency.getMaxValue()));
    }

    @Test
    void tick_requestsWaitingForAnIdentifier_showAsLagBehindSchedule() throws Exception {
        // 2,000/s on one port: while the server holds everything for 300 ms, 600 requests fall due for 256 identifiers;
        // the rest leave when the answers at 300 ms free identifiers, behind their intended time
        SteppedPort p = runThroughA300msStall(2000, 256, "one port has 256 identifiers");
        Histogram lag = p.stats.sendLag.getIntervalHistogram();
        assertEquals(2000, lag.getTotalCount());
        assertEquals(172, ms(lag.getMaxValue()), 0.2, "request 256, due at 128 ms, left at 300 ms");
        // requests 256..598 waited 1 to 172 ms; the others left within the tick of their intended time
        assertEquals(343, lag.getCountBetweenValues(3 * MS / 4, lag.getMaxValue()));
        assertTrue(lag.getValueAtPercentile(99) >= 160 * MS, ms(lag.getValueAtPercentile(99)) + " ms");
    }

    @Test
    void tick_openLoopAllIdentifiersBusy_countsNotSentAndTimeouts_andTheRunEnds() throws Exception {
        // 2,000/s for 500 ms, 1 s timeout, a server that never answers: 256 requests hold every identifier past the
        // end of issuing; the other 744 due requests are never sent
        SteppedPort p = new SteppedPort(2000, 500, 1000);
        p.server = Server.DROP;
        p.runTo(1200);
        assertTrue(p.port.idle(), "nothing in flight or waiting once the last timeout passed");
        assertEquals(1000, p.run.measuredIssued());
        assertEquals(256, p.stats.sent.sum());
        assertEquals(256, p.stats.errors.get(io.nacgw.loadgen.radius.ReplyError.TIMEOUT).sum());
        assertEquals(744, p.stats.errors.get(io.nacgw.loadgen.radius.ReplyError.NOT_SENT).sum());
        assertEquals(1000, p.stats.measuredFailures.sum());
    }

    @Test
    void scan_openLoopRequestWaitingLongerThanItsTimeout_isNotSent_laterOnesStayOnSchedule() throws Exception {
        // 2,000/s for 1 s, 100 ms timeout, a server that never answers: each identifier is busy 100 ms, then cools
        // 100 ms, so most requests find none; one waiting longer than its timeout is given up instead of sent late
        SteppedPort p = new SteppedPort(2000, 1000, 100);
        p.server = Server.DROP;
        p.runTo(1300);
        assertTrue(p.port.idle());
        long timeouts = p.stats.errors.get(io.nacgw.loadgen.radius.ReplyError.TIMEOUT).sum();
        long notSent = p.stats.errors.get(io.nacgw.loadgen.radius.ReplyError.NOT_SENT).sum();
        assertEquals(2000, timeouts + notSent, "every due request ends once");
        assertEquals(timeouts, p.stats.sent.sum());
        Histogram lag = p.stats.sendLag.getIntervalHistogram();
        assertTrue(lag.getMaxValue() <= 100 * MS + MS / 10, "sent within its timeout of its intended time: " + ms(lag.getMaxValue()));
        assertTrue(p.stats.sent.sum() >= 4 * 256, "identifiers were reused all second long: " + p.stats.sent.sum());
        assertTrue(notSent > 500, notSent + " not sent");
    }
}
