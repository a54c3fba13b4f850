package io.nacgw.loadgen;

import io.nacgw.core.net.UdpSockets;
import io.nacgw.loadgen.radius.ReplyError;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import org.HdrHistogram.Histogram;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drives a RADIUS server with Access-Requests for synthetic devices and checks every answer: Response Authenticator,
 * Message-Authenticator (present and first), and the verdict against the synthetic truth. Non-blocking Netty UDP
 * (epoll where available), several source ports so more than 256 requests can be outstanding, closed or open loop.
 * Prints one progress line per second and returns a {@link Report}.
 */
public final class RadiusLoadGenerator {
    /**
     * How often the receive queues are sampled over the measured window: reading /proc/net/udp with ~1,000 sockets
     * costs the kernel and the parser about a millisecond, which every 50 ms was a tenth of a busy generator's CPU.
     */
    private static final long RX_SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private RadiusLoadGenerator() {
    }

    /**
     * Runs to completion: the issuing window (warm-up plus duration, or until {@code requests} measured requests are
     * issued), then at most {@code timeout × (retries + 1)} plus one second for the last answers. Never hangs on a
     * silent server: whatever is unanswered then counts as timed out.
     */
    public static Report run(LoadSettings settings, Targets targets, Expectations expectations, PrintWriter progress)
            throws InterruptedException {
        return run(settings, null, targets, expectations, progress);
    }

    /**
     * As {@link #run(LoadSettings, Targets, Expectations, PrintWriter)}; with {@code tls} every source is one RadSec
     * connection (TLS over TCP, RFC 6614) instead of a UDP port: same identifiers, checks and report, no
     * retransmission (RFC 6613 §2.6.1: {@code retries} must be 0), the secret is {@code radsec}.
     */
    public static Report run(LoadSettings settings, StreamTls tls, Targets targets, Expectations expectations,
                             PrintWriter progress) throws InterruptedException {
        if (tls != null && settings.retries() != 0) {
            throw new IllegalArgumentException("--retries must be 0 over RadSec: a request is never retransmitted on "
                    + "the same connection (RFC 6613 §2.6.1)");
        }
        boolean epoll = settings.nativeTransport() && Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        int threads = Math.min(settings.threads(), settings.sources());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("loadgen", true), io);
        Stats stats = new Stats();
        long cpuStart = processCpuNanos();
        long wallStart = System.nanoTime();
        List<Channel> channels = new ArrayList<>();
        List<SourcePort> ports = new ArrayList<>();
        List<ScheduledFuture<?>> drivers = List.of();
        try {
            InetSocketAddress local = new InetSocketAddress(settings.target().getAddress().isLoopbackAddress()
                    ? settings.target().getAddress() : null, 0);
            for (int i = 0; i < settings.sources(); i++) {
                int slots = 0;
                double rate = 0;
                if (settings.closedLoop()) {
                    slots = settings.concurrency() / settings.sources() + (i < settings.concurrency() % settings.sources() ? 1 : 0);
                } else {
                    rate = settings.rate() / settings.sources();
                }
                SourcePort port = new SourcePort(settings, targets, expectations, stats, i, slots, rate, System::nanoTime);
                ports.add(port);
                // connect every socket before the clock starts, so binding does not count as latency
                if (tls != null) {
                    channels.add(RadSecConnection.open(group, epoll, tls, settings.target(), port));
                    continue;
                }
                Channel ch = new Bootstrap().group(group)
                        .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                        .option(ChannelOption.SO_RCVBUF, settings.receiveBufferBytes())
                        .option(ChannelOption.SO_SNDBUF, 4 << 20)
                        .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(4096))
                        .handler(port)
                        .connect(settings.target(), local).sync().channel();
                channels.add(ch);
            }
            long duration = settings.requests() > 0 ? 0 : settings.duration().toNanos();
            Run run = new Run(System.nanoTime(), settings.warmup().toNanos(), duration, settings.requests());
            drivers = drive(ports, channels, run, settings.timeout().toNanos(), stats);
            ServerCpuWindow serverCpu = new ServerCpuWindow(settings.serverPid());
            UnreadAnswers queue = new UnreadAnswers(tls != null ? Set.of() : localPorts(channels));
            Histogram total = watch(run, settings, stats, ports, progress, serverCpu, queue);
            for (ScheduledFuture<?> d : drivers) {
                d.cancel(false);
            }
            for (int i = 0; i < ports.size(); i++) {
                SourcePort port = ports.get(i);
                channels.get(i).eventLoop().submit(port::finish).sync();
            }
            total.add(stats.latency.getIntervalHistogram());
            long wallEnd = System.nanoTime();
            double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
            long receiveDrops = tls != null ? 0 : UdpSockets.drops(localPorts(channels));
            return report(settings, expectations, run, stats, total, cpuSeconds, (wallEnd - wallStart) / 1e9, serverCpu.percent(),
                    receiveDrops, queue);
        } finally {
            for (ScheduledFuture<?> d : drivers) {
                d.cancel(false);
            }
            for (Channel ch : channels) {
                ch.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Starts every port on its event loop, then one ticker (every millisecond) and one timeout scanner per event loop
     * for all of that loop's ports: with hundreds of ports, a timer per port cost more CPU than the requests. The
     * ticker also records how late it runs ({@link Stats#loopDelay}): datagrams arriving meanwhile wait unread.
     */
    private static List<ScheduledFuture<?>> drive(List<SourcePort> ports, List<Channel> channels, Run run, long timeoutNanos,
                                                  Stats stats) {
        Map<EventLoop, List<SourcePort>> byLoop = new LinkedHashMap<>();
        for (int i = 0; i < ports.size(); i++) {
            SourcePort port = ports.get(i);
            Channel ch = channels.get(i);
            ch.eventLoop().execute(() -> port.start(ch, run));
            byLoop.computeIfAbsent(ch.eventLoop(), l -> new ArrayList<>()).add(port);
        }
        List<ScheduledFuture<?>> drivers = new ArrayList<>();
        long scan = SourcePort.scanPeriodNanos(timeoutNanos);
        byLoop.forEach((loop, its) -> {
            LoopClock clock = new LoopClock(run, stats, System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(1));
            drivers.add(loop.scheduleAtFixedRate(() -> {
                clock.ticked(System.nanoTime());
                its.forEach(SourcePort::tick);
            }, 0, 1, TimeUnit.MILLISECONDS));
            drivers.add(loop.scheduleAtFixedRate(() -> its.forEach(SourcePort::scan), scan, scan, TimeUnit.NANOSECONDS));
        });
        return drivers;
    }

    private static Set<Integer> localPorts(List<Channel> channels) {
        Set<Integer> ports = new HashSet<>();
        for (Channel ch : channels) {
            ports.add(((InetSocketAddress) ch.localAddress()).getPort());
        }
        return ports;
    }

    /** Prints progress every second until the run is over and every port is idle (or the drain deadline passes). */
    private static Histogram watch(Run run, LoadSettings settings, Stats stats, List<SourcePort> ports, PrintWriter progress,
                                   ServerCpuWindow serverCpu, UnreadAnswers queue) throws InterruptedException {
        Histogram total = new Histogram(3);
        long drain = settings.timeout().toNanos() * (settings.retries() + 1) + TimeUnit.SECONDS.toNanos(1);
        long stoppedAt = 0;
        long lastPrint = run.startNanos;
        long lastCount = 0;
        long lastWarm = 0;
        long lastSample = 0;
        while (true) {
            Thread.sleep(20);
            long now = System.nanoTime();
            if (now - run.warmupEndNanos >= 0 && now - run.endNanos < 0 && !run.stopped()
                    && now - lastSample >= RX_SAMPLE_NANOS) {
                queue.sample();
                lastSample = now;
            }
            if (now >= run.endNanos) {
                run.stop();
            }
            if (now >= run.warmupEndNanos) {
                serverCpu.start(now);
            }
            if (run.stopped() && stoppedAt == 0) {
                stoppedAt = now;
                serverCpu.end(now);
            }
            boolean idle = run.stopped() && ports.stream().allMatch(SourcePort::idle);
            boolean deadline = stoppedAt != 0 && now - stoppedAt > drain;
            if (now - lastPrint >= TimeUnit.SECONDS.toNanos(1) || idle || deadline) {
                total.add(stats.latency.getIntervalHistogram());
                long count = stats.measuredAnswers.sum();
                long warm = stats.warmupCompleted.sum();
                double secs = (now - lastPrint) / 1e9;
                double rate = ((count - lastCount) + (warm - lastWarm)) / secs;
                int inFlight = ports.stream().mapToInt(SourcePort::inFlight).sum();
                if (progress != null && secs >= 0.05) {
                    progress.printf(Locale.ROOT, "%6.1fs %s %9.0f/s  answered %d  errors %d (timeouts %d, mismatches %d)  p99 so far %s  in flight %d%n",
                            (now - run.startNanos) / 1e9, now < run.warmupEndNanos ? "warm-up " : "", rate, count,
                            stats.errors(), stats.errors.get(ReplyError.TIMEOUT).sum(), stats.errors.get(ReplyError.VERDICT_MISMATCH).sum(),
                            total.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.3f ms", total.getValueAtPercentile(99) / 1e6),
                            inFlight);
                    progress.flush();
                }
                lastPrint = now;
                lastCount = count;
                lastWarm = warm;
            }
            if (idle || deadline) {
                return total;
            }
        }
    }

    private static Report report(LoadSettings s, Expectations e, Run run, Stats stats, Histogram h, double cpuSeconds,
                                 double wallSeconds, double serverCpuPercent, long receiveDrops, UnreadAnswers queue) {
        long answers = stats.measuredAnswers.sum();
        // duration mode: answers received within the window over its length (late answers, e.g. after a
        // retransmission, do not stretch it); request-count mode: until the last measured answer
        double seconds;
        long throughputAnswers;
        if (run.endNanos != Long.MAX_VALUE) {
            seconds = (run.endNanos - run.warmupEndNanos) / 1e9;
            throughputAnswers = stats.windowAnswers.sum();
        } else {
            long end = stats.lastAnswerNanos;
            seconds = answers == 0 || end <= run.warmupEndNanos ? 0 : (end - run.warmupEndNanos) / 1e9;
            throughputAnswers = stats.measuredOk.sum();
        }
        Map<String, Long> verdicts = new LinkedHashMap<>();
        for (Map.Entry<String, LongAdder> v : stats.verdicts.entrySet()) {
            verdicts.put(v.getKey(), v.getValue().sum());
        }
        Map<String, Long> errors = new LinkedHashMap<>();
        long correctness = 0;
        long availability = 0;
        for (ReplyError r : ReplyError.values()) {
            long n = stats.errors.get(r).sum();
            errors.put(r.wireName(), n);
            if (r.isCorrectnessError()) {
                correctness += n;
            } else {
                availability += n;
            }
        }
        boolean any = h.getTotalCount() > 0;
        Histogram lag = stats.sendLag.getIntervalHistogram();
        boolean lagged = lag.getTotalCount() > 0;
        Histogram loop = stats.loopDelay.getIntervalHistogram();
        boolean looped = loop.getTotalCount() > 0;
        Report.Sender sender = new Report.Sender(run.measuredIssued(), seconds > 0 ? stats.windowSent.sum() / seconds : 0,
                ms(lagged, lag, 99), lagged ? lag.getMaxValue() / 1e6 : 0, stats.received.sum(), receiveDrops, stats.measuredFailures.sum(),
                ms(looped, loop, 99), looped ? loop.getMaxValue() / 1e6 : 0, queue.maxBytes(), queue.meanBytes());
        String mode = s.closedLoop() ? "closed loop, " + s.concurrency() + " outstanding"
                : String.format(Locale.ROOT, "open loop, %.0f requests/s", s.rate());
        return new Report(s.target().getAddress().getHostAddress() + ":" + s.target().getPort(), mode, s.shape().name().toLowerCase(Locale.ROOT),
                s.messageAuthenticator(), s.sources(), e.toString(), seconds, stats.sent.sum(), stats.retransmissions.sum(),
                answers, stats.measuredOk.sum(), stats.warmupCompleted.sum(), stats.strayAnswers.sum(), stats.socketErrors.sum(),
                seconds > 0 ? throughputAnswers / seconds : 0,
                ms(any, h, 50), ms(any, h, 90), ms(any, h, 99), ms(any, h, 99.9),
                any ? h.getMaxValue() / 1e6 : 0, any ? h.getMean() / 1e6 : 0,
                verdicts, errors, correctness, availability, cpuSeconds, wallSeconds > 0 ? 100 * cpuSeconds / wallSeconds : 0,
                serverCpuPercent, sender);
    }

    private static double ms(boolean any, Histogram h, double percentile) {
        return any ? h.getValueAtPercentile(percentile) / 1e6 : 0;
    }

    /** CPU time of this process (all threads): the generator shares the machine with the server, so it reports it. */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            long t = ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
            if (t >= 0) {
                return t;
            }
        }
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }
}
