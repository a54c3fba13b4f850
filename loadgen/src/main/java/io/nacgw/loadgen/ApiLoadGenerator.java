package io.nacgw.loadgen;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import org.HdrHistogram.Histogram;

import javax.net.ssl.SSLException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drives an HTTPS NAC API (Cisco ISE MDM API v2/v3 or nacgw's JSON lookup) with lookups for synthetic devices over
 * TLS (optionally mutual, optionally HTTP Basic) and checks each answer's verdict against the synthetic truth. All
 * connections share one event loop, so the dispatcher that hands requests to idle connections needs no locks.
 */
public final class ApiLoadGenerator {
    /** Why an API answer (or its absence) is wrong. */
    public enum ApiError {
        TIMEOUT("timeout", false), CONNECT_FAILED("connect_failed", false), HTTP_STATUS("http_status", true),
        BAD_BODY("bad_body", true), VERDICT_MISMATCH("verdict_mismatch", true), NOT_SENT("not_sent", false);

        private final String wire;
        private final boolean correctness;

        ApiError(String wire, boolean correctness) {
            this.wire = wire;
            this.correctness = correctness;
        }

        public String wireName() {
            return wire;
        }
    }

    private final ApiLoadSettings settings;
    private final Targets targets;
    private final Expectations expectations;
    private final Stats stats = new Stats();
    private final Map<ApiError, LongAdder> errors = new EnumMap<>(ApiError.class);
    private final SplittableRandom random;
    private final String authorization;
    private final long timeoutNanos;
    private EventLoop loop;
    private Bootstrap bootstrap;
    private Run run;
    private final List<Conn> conns = new ArrayList<>();
    private final ArrayDeque<Conn> idle = new ArrayDeque<>();
    private final ArrayDeque<Long> backlog = new ArrayDeque<>();
    private volatile int busy;
    private long scheduled;

    private ApiLoadGenerator(ApiLoadSettings settings, Targets targets, Expectations expectations) {
        this.settings = settings;
        this.targets = targets;
        this.expectations = expectations;
        this.random = new SplittableRandom(settings.seed());
        this.authorization = settings.authorization();
        this.timeoutNanos = settings.timeout().toNanos();
        for (ApiError e : ApiError.values()) {
            errors.put(e, new LongAdder());
        }
    }

    /** Runs to completion (bounded by the issuing window plus one timeout plus a second) and returns the report. */
    public static Report run(ApiLoadSettings settings, Targets targets, Expectations expectations, PrintWriter progress)
            throws InterruptedException, SSLException {
        return new ApiLoadGenerator(settings, targets, expectations).execute(progress);
    }

    /** One connection: at most one request in flight. Touched only on the event loop. */
    private final class Conn {
        Channel channel;
        boolean connecting;
        long intendedNanos;
        long deadlineNanos;
        TargetClass truth;
        boolean inFlight;
        FullHttpRequest pendingWrite;

        void send(long intended) {
            long mac;
            if (random.nextDouble() < settings.unknownShare()) {
                mac = targets.unknownMac(random);
                truth = TargetClass.UNKNOWN;
            } else {
                int i = random.nextInt(targets.size());
                mac = targets.mac(i);
                truth = targets.classOf(i);
            }
            intendedNanos = intended;
            deadlineNanos = System.nanoTime() + timeoutNanos;
            inFlight = true;
            busy++;
            FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, settings.mode().uri(mac));
            req.headers().set(HttpHeaderNames.HOST, settings.host() + ":" + settings.port());
            req.headers().set(HttpHeaderNames.ACCEPT, settings.mode() == ApiMode.JSON ? "application/json" : "application/xml");
            if (authorization != null) {
                req.headers().set(HttpHeaderNames.AUTHORIZATION, authorization);
            }
            HttpUtil.setKeepAlive(req, settings.keepAlive());
            stats.sent.increment();
            if (channel != null && channel.isActive() && !connecting) {
                channel.writeAndFlush(req, channel.voidPromise());
            } else {
                pendingWrite = req;
                connect();
            }
        }

        void connect() {
            if (connecting) {
                return;
            }
            connecting = true;
            ChannelFuture f = bootstrap.connect(settings.host(), settings.port());
            Channel ch = f.channel();
            channel = ch;
            ch.attr(CONN).set(this);
            f.addListener(done -> {
                if (channel != ch) { // given up meanwhile (timeout): this connection is no longer ours
                    ch.close();
                    return;
                }
                if (!done.isSuccess()) {
                    failConnect();
                    return;
                }
                SslHandler tls = ch.pipeline().get(SslHandler.class);
                if (tls == null) { // the handshake already failed and the pipeline was torn down
                    failConnect();
                    return;
                }
                tls.handshakeFuture().addListener(hs -> {
                    if (channel != ch) {
                        ch.close();
                        return;
                    }
                    if (!hs.isSuccess()) {
                        failConnect();
                        return;
                    }
                    connecting = false;
                    if (pendingWrite != null) {
                        FullHttpRequest w = pendingWrite;
                        pendingWrite = null;
                        ch.writeAndFlush(w, ch.voidPromise());
                    } else if (!inFlight) {
                        becomeIdle();
                    }
                });
            });
        }

        private void failConnect() {
            connecting = false;
            if (channel != null) {
                channel.close();
                channel = null;
            }
            if (pendingWrite != null) {
                pendingWrite.release();
                pendingWrite = null;
            }
            if (inFlight) {
                finish(ApiError.CONNECT_FAILED, null);
            }
        }

        void onResponse(FullHttpResponse r) {
            if (!inFlight) {
                return; // an answer after its timeout: the connection was already given up
            }
            ApiError error = null;
            String verdict = null;
            if (r.status().code() != 200) {
                error = ApiError.HTTP_STATUS;
                verdict = "http-" + r.status().code();
            } else if (settings.statusOnly()) {
                verdict = "http-200";
            } else {
                verdict = settings.mode().verdictOf(r.content().toString(StandardCharsets.UTF_8));
                if (verdict == null) {
                    error = ApiError.BAD_BODY;
                    verdict = "unreadable";
                } else if (!verdict.equals(settings.mode().expectedVerdict(expectations, truth))) {
                    error = ApiError.VERDICT_MISMATCH;
                }
            }
            if (!HttpUtil.isKeepAlive(r) || !settings.keepAlive()) {
                // give the connection up before finish() hands this Conn its next request
                Channel c = channel;
                channel = null;
                c.attr(CONN).set(null);
                c.close();
            }
            finish(error, verdict);
        }

        void finish(ApiError error, String verdict) {
            long now = System.nanoTime();
            inFlight = false;
            busy--;
            boolean measured = run.measured(intendedNanos);
            if (error != null) {
                errors.get(error).increment();
            }
            if (verdict != null) {
                stats.verdict(truth, verdict);
                if (error == null && now - run.warmupEndNanos >= 0 && now - run.endNanos < 0) {
                    stats.windowAnswers.increment();
                }
                if (measured) {
                    stats.latency.recordValue(Math.max(0, now - intendedNanos));
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
            becomeIdle();
        }

        void becomeIdle() {
            if (!backlog.isEmpty()) {
                send(backlog.poll());
            } else if (settings.closedLoop()) {
                long now = System.nanoTime();
                if (run.tryIssue(now)) {
                    send(now);
                }
            } else {
                idle.add(this);
            }
        }

        void timeoutIfDue(long now) {
            if (inFlight && now - deadlineNanos >= 0) {
                Channel c = channel;
                channel = null;
                connecting = false;
                if (pendingWrite != null) {
                    pendingWrite.release();
                    pendingWrite = null;
                }
                if (c != null) {
                    c.attr(CONN).set(null); // a late answer on the old connection no longer counts
                    c.close();
                }
                finish(ApiError.TIMEOUT, null);
            }
        }
    }

    private static final io.netty.util.AttributeKey<Conn> CONN = io.netty.util.AttributeKey.valueOf("nacgw-loadgen-conn");

    private static final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
            Conn c = ctx.channel().attr(CONN).get();
            if (c != null && c.channel == ctx.channel()) {
                c.onResponse(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // TLS or protocol failure: the request on it times out and is counted there
        }
    }

    private Report execute(PrintWriter progress) throws InterruptedException, SSLException {
        SslContextBuilder b = SslContextBuilder.forClient().protocols("TLSv1.3", "TLSv1.2");
        if (settings.insecure()) {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else {
            b.trustManager(settings.caFile().toFile());
        }
        if (settings.clientCert() != null) {
            b.keyManager(settings.clientCert().toFile(), settings.clientKey().toFile());
        }
        SslContext ssl = b.build();
        boolean epoll = settings.nativeTransport() && Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("loadgen-api", true), io);
        long cpuStart = RadiusLoadGenerator.processCpuNanos();
        long wallStart = System.nanoTime();
        try {
            loop = group.next();
            bootstrap = new Bootstrap().group(loop).channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis()))
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc(), settings.host(), settings.port()),
                                    new HttpClientCodec(), new HttpObjectAggregator(1 << 20), new ResponseHandler());
                        }
                    });
            // keep-alive: connect (and handshake) every connection before the clock starts
            loop.submit(() -> {
                for (int i = 0; i < settings.connections(); i++) {
                    conns.add(new Conn());
                }
            }).sync();
            if (settings.keepAlive()) {
                List<ChannelFuture> hs = new ArrayList<>();
                for (Conn c : conns) {
                    loop.submit(() -> {
                        c.connecting = true;
                        ChannelFuture f = bootstrap.connect(settings.host(), settings.port());
                        c.channel = f.channel();
                        c.channel.attr(CONN).set(c);
                        hs.add(f);
                    }).sync();
                }
                for (int i = 0; i < hs.size(); i++) {
                    ChannelFuture f = hs.get(i);
                    Conn c = conns.get(i);
                    boolean ok = f.awaitUninterruptibly(settings.timeout().toMillis()) && f.isSuccess();
                    SslHandler tls = ok ? f.channel().pipeline().get(SslHandler.class) : null;
                    ok = tls != null // null: the handshake failed and the pipeline is already torn down
                            && tls.handshakeFuture().awaitUninterruptibly(settings.timeout().toMillis())
                            && tls.handshakeFuture().isSuccess();
                    boolean connected = ok;
                    loop.submit(() -> {
                        c.connecting = false;
                        if (!connected) {
                            c.channel.close();
                            c.channel = null;
                        }
                    }).sync();
                }
            }
            long duration = settings.requests() > 0 ? 0 : settings.duration().toNanos();
            run = new Run(System.nanoTime(), settings.warmup().toNanos(), duration, settings.requests());
            double period = settings.closedLoop() ? 0 : 1e9 / settings.rate();
            ScheduledFuture<?>[] ticker = new ScheduledFuture<?>[1];
            loop.execute(() -> {
                if (settings.closedLoop()) {
                    for (Conn c : conns) {
                        c.becomeIdle();
                    }
                } else {
                    idle.addAll(conns);
                    ticker[0] = loop.scheduleAtFixedRate(() -> tick(period), 0, 1, TimeUnit.MILLISECONDS);
                }
            });
            ScheduledFuture<?> scanner = loop.scheduleAtFixedRate(this::scan, 10, 10, TimeUnit.MILLISECONDS);
            Histogram total = watch(progress);
            loop.submit(() -> {
                if (ticker[0] != null) {
                    ticker[0].cancel(false);
                }
                scanner.cancel(false);
                for (Conn c : conns) {
                    if (c.inFlight) {
                        c.deadlineNanos = System.nanoTime();
                        c.timeoutIfDue(System.nanoTime());
                    }
                }
                while (!backlog.isEmpty()) {
                    backlog.poll();
                    errors.get(ApiError.NOT_SENT).increment();
                }
                for (Conn c : conns) {
                    if (c.channel != null) {
                        c.channel.close();
                    }
                }
            }).sync();
            total.add(stats.latency.getIntervalHistogram());
            double cpuSeconds = (RadiusLoadGenerator.processCpuNanos() - cpuStart) / 1e9;
            return report(total, cpuSeconds, (System.nanoTime() - wallStart) / 1e9);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /** Open loop: requests due at start + k × period go to an idle connection, or wait for one. */
    private void tick(double period) {
        long now = System.nanoTime();
        while (true) {
            long intended = run.startNanos + (long) (scheduled * period);
            if (intended > now || !run.tryIssue(intended)) {
                return;
            }
            scheduled++;
            Conn c = idle.poll();
            if (c != null) {
                c.send(intended);
            } else {
                backlog.add(intended);
            }
        }
    }

    private void scan() {
        long now = System.nanoTime();
        for (Conn c : conns) {
            c.timeoutIfDue(now);
        }
        if (run.stopped()) {
            while (!backlog.isEmpty()) {
                backlog.poll();
                errors.get(ApiError.NOT_SENT).increment();
            }
        }
    }

    private Histogram watch(PrintWriter progress) throws InterruptedException {
        Histogram total = new Histogram(3);
        long drain = timeoutNanos + TimeUnit.SECONDS.toNanos(1);
        long stoppedAt = 0;
        long lastPrint = run.startNanos;
        long lastCount = 0;
        ServerCpuWindow cpu = new ServerCpuWindow(settings.serverPid());
        while (true) {
            Thread.sleep(20);
            long now = System.nanoTime();
            if (now >= run.endNanos) {
                run.stop();
            }
            if (now >= run.warmupEndNanos) {
                cpu.start(now);
            }
            if (run.stopped() && stoppedAt == 0) {
                stoppedAt = now;
                cpu.end(now);
            }
            boolean idleNow = run.stopped() && busy == 0;
            boolean deadline = stoppedAt != 0 && now - stoppedAt > drain;
            if (now - lastPrint >= TimeUnit.SECONDS.toNanos(1) || idleNow || deadline) {
                total.add(stats.latency.getIntervalHistogram());
                long count = stats.measuredAnswers.sum() + stats.warmupCompleted.sum();
                double secs = (now - lastPrint) / 1e9;
                if (progress != null && secs >= 0.05) {
                    long errs = errors.values().stream().mapToLong(LongAdder::sum).sum();
                    progress.printf(Locale.ROOT, "%6.1fs %s %9.0f/s  answered %d  errors %d (timeouts %d, mismatches %d)  p99 so far %s  in flight %d%n",
                            (now - run.startNanos) / 1e9, now < run.warmupEndNanos ? "warm-up " : "", (count - lastCount) / secs,
                            stats.measuredAnswers.sum(), errs, errors.get(ApiError.TIMEOUT).sum(), errors.get(ApiError.VERDICT_MISMATCH).sum(),
                            total.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.3f ms", total.getValueAtPercentile(99) / 1e6), busy);
                    progress.flush();
                }
                lastPrint = now;
                lastCount = count;
            }
            if (idleNow || deadline) {
                serverCpuPercent = cpu.percent();
                return total;
            }
        }
    }

    private double serverCpuPercent = -1;

    private Report report(Histogram h, double cpuSeconds, double wallSeconds) {
        long answers = stats.measuredAnswers.sum();
        double seconds;
        long tp;
        if (run.endNanos != Long.MAX_VALUE) {
            seconds = (run.endNanos - run.warmupEndNanos) / 1e9;
            tp = stats.windowAnswers.sum();
        } else {
            long end = stats.lastAnswerNanos;
            seconds = answers == 0 || end <= run.warmupEndNanos ? 0 : (end - run.warmupEndNanos) / 1e9;
            tp = stats.measuredOk.sum();
        }
        Map<String, Long> verdicts = new LinkedHashMap<>();
        stats.verdicts.forEach((k, v) -> verdicts.put(k, v.sum()));
        Map<String, Long> errs = new LinkedHashMap<>();
        long correctness = 0;
        long availability = 0;
        for (ApiError e : ApiError.values()) {
            long n = errors.get(e).sum();
            errs.put(e.wireName(), n);
            if (e.correctness) {
                correctness += n;
            } else {
                availability += n;
            }
        }
        boolean any = h.getTotalCount() > 0;
        String mode = (settings.closedLoop() ? "closed loop, " + settings.connections() + " outstanding"
                : String.format(Locale.ROOT, "open loop, %.0f requests/s", settings.rate()))
                + ", keep-alive " + (settings.keepAlive() ? "on" : "off");
        return new Report("https://" + settings.host() + ":" + settings.port(), mode, settings.mode().wireName(), false,
                settings.connections(), expectationsText(), seconds, stats.sent.sum(), 0, answers, stats.measuredOk.sum(),
                stats.warmupCompleted.sum(), 0, 0, seconds > 0 ? tp / seconds : 0,
                any ? h.getValueAtPercentile(50) / 1e6 : 0, any ? h.getValueAtPercentile(90) / 1e6 : 0,
                any ? h.getValueAtPercentile(99) / 1e6 : 0, any ? h.getValueAtPercentile(99.9) / 1e6 : 0,
                any ? h.getMaxValue() / 1e6 : 0, any ? h.getMean() / 1e6 : 0, verdicts, errs, correctness, availability,
                cpuSeconds, wallSeconds > 0 ? 100 * cpuSeconds / wallSeconds : 0, serverCpuPercent, Report.Sender.NOT_MEASURED);
    }

    private String expectationsText() {
        if (settings.statusOnly()) {
            return "HTTP 200 only (verdicts not checked)";
        }
        StringBuilder b = new StringBuilder();
        for (TargetClass c : TargetClass.values()) {
            b.append(b.length() == 0 ? "" : ", ").append(c.wireName()).append('=').append(settings.mode().expectedVerdict(expectations, c));
        }
        return b.toString();
    }
}
