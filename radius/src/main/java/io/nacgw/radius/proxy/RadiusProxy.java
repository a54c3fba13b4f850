package io.nacgw.radius.proxy;

import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.DatagramCodec;
import io.nacgw.radius.codec.InboundPacket;
import io.nacgw.radius.codec.OutboundPacket;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.codec.RadiusRequest;
import io.nacgw.radius.proxy.RadSecClient;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * Forwards Access-Requests (and copies of Accounting-Requests) to upstream pools from one UDP socket and one
 * thread of its own; every piece of state (identifiers in flight, timers, health, the Challenge → upstream table)
 * is confined to that thread, so nothing is locked and the RADIUS event loops never wait: {@link #forward} returns
 * a future at once.
 * <p>
 * Retransmission follows RFC 5080 §2.2.1 for a proxy: nacgw retransmits to the upstream on its own timer (the same
 * identifier and authenticator), never because the NAS retransmitted (the server's duplicate cache holds the NAS's
 * retransmissions), so one NAS request is at most one upstream request at a time; an upstream that stays silent
 * becomes a zombie and the request fails over to the next upstream of the pool, within the pool's timeout.
 * A round of a multi-round exchange (a request carrying State from an Access-Challenge) goes to the upstream that
 * issued the Challenge.
 */
public final class RadiusProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RadiusProxy.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Challenge States remembered, and for how long (an MFA prompt waits for a person). */
    static final int MAX_STATES = 10_000;
    static final long STATE_TTL_NANOS = TimeUnit.MINUTES.toNanos(3);
    private static final int RECEIVE_BUFFER_BYTES = 4 << 20;

    private final EventLoopGroup group;
    private final Channel channel;
    private final EventLoop loop;
    private final Map<String, Pool> pools;
    private final Map<InetSocketAddress, Slots> bySource;
    private final List<Upstream> upstreams;
    private final LinkedHashMap<String, Sticky> challenges = new LinkedHashMap<>();
    private long sequence;
    private volatile boolean closed;

    private RadiusProxy(ProxySettings settings) {
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("nacgw-proxy", true),
                NioIoHandler.newFactory());
        Map<String, Pool> p = new LinkedHashMap<>();
        Map<InetSocketAddress, Slots> src = new HashMap<>();
        Map<String, Upstream> shared = new LinkedHashMap<>();
        for (PoolSettings ps : settings.pools().values()) {
            Pool pool = new Pool(ps);
            p.put(ps.name(), pool);
            for (UpstreamSettings us : ps.servers()) {
                Upstream u = shared.get(us.name());
                if (u == null) {
                    u = new Upstream(us, ps, group);
                    shared.put(us.name(), u);
                    src.put(u.auth.to, u.auth);
                    src.put(u.acct.to, u.acct);
                }
                pool.upstreams.add(u);
            }
        }
        this.upstreams = List.copyOf(shared.values());
        this.pools = Map.copyOf(p);
        this.bySource = Map.copyOf(src);
        try {
            this.channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
                    .handler(new ChannelInitializer<NioDatagramChannel>() {
                        @Override
                        protected void initChannel(NioDatagramChannel c) {
                            c.pipeline().addLast(new DatagramCodec(), new ReplyHandler());
                        }
                    })
                    .bind(new InetSocketAddress(0)).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot open the proxy socket: " + e.getMessage(), e);
        }
        this.loop = channel.eventLoop();
        for (Pool pool : pools.values()) {
            if (pool.s.statusChecks()) {
                long every = pool.s.checkInterval().toNanos();
                loop.scheduleAtFixedRate(() -> probe(pool), every, every, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** Opens the proxy's socket (any free port) and thread, and starts the health checks. */
    public static RadiusProxy start(ProxySettings settings) {
        RadiusProxy p = new RadiusProxy(settings);
        log.info("RADIUS proxy ready on {} for pools {}", p.channel.localAddress(), p.pools.keySet());
        return p;
    }

    /**
     * Forwards {@code r} (an Access-Request from a NAS, verified) to {@code pool}; never blocks. The future
     * completes on the proxy's thread with the upstream's reply or why there is none.
     */
    public CompletableFuture<ProxyAnswer> forward(RadiusRequest r, String pool) {
        Pool p = pool(pool);
        CompletableFuture<ProxyAnswer> f = new CompletableFuture<>();
        submit(() -> next(new Exchange(r, p, f, false)), f);
        return f;
    }

    /** Copies an Accounting-Request to {@code pool}'s accounting ports, best effort (counted); never blocks. */
    public void copyAccounting(RadiusRequest r, String pool) {
        Pool p = pool(pool);
        submit(() -> next(new Exchange(r, p, null, true)), null);
    }

    private Pool pool(String name) {
        Pool p = pools.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no radius.upstreams pool '" + name + "'");
        }
        return p;
    }

    private void submit(Runnable task, CompletableFuture<ProxyAnswer> f) {
        if (closed) {
            if (f != null) {
                f.complete(ProxyAnswer.failed(ProxyAnswer.Kind.NO_UPSTREAM, null));
            }
            return;
        }
        try {
            loop.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("proxying failed", e);
                    if (f != null) {
                        f.completeExceptionally(e);
                    }
                }
            });
        } catch (RejectedExecutionException stopping) {
            if (f != null) {
                f.complete(ProxyAnswer.failed(ProxyAnswer.Kind.NO_UPSTREAM, null));
            }
        }
    }

    /** Sends the exchange to the next upstream to try, or ends it when none is left or its time is up. */
    private void next(Exchange ex) {
        long now = System.nanoTime();
        if (ex.deadlineTimer == null) {
            ex.deadlineTimer = loop.schedule(() -> expire(ex), ex.pool.s.timeout().toNanos(), TimeUnit.NANOSECONDS);
        }
        if (now - ex.deadline >= 0) {
            finish(ex, ProxyAnswer.failed(ProxyAnswer.Kind.TIMEOUT, ex.last == null ? null : ex.last.s.name()));
            return;
        }
        while (true) {
            Upstream u = pick(ex, now);
            if (u == null) {
                ProxyAnswer.Kind k = ex.tried.isEmpty() ? ProxyAnswer.Kind.NO_UPSTREAM : ProxyAnswer.Kind.TIMEOUT;
                finish(ex, ProxyAnswer.failed(k, ex.last == null ? null : ex.last.s.name()));
                return;
            }
            ex.tried.add(u);
            if (u.tls != null) {
                sendOverTls(ex, u, now);
                return;
            }
            Slots slots = ex.accounting ? u.acct : u.auth;
            Pending p = new Pending(ex.accounting ? Kind.ACCOUNTING : Kind.ACCESS, slots, ex);
            if (!slots.allocate(p)) {
                continue; // 256 requests in flight to this upstream: the next one
            }
            byte[] proxyState = ("nacgw:" + Long.toHexString(++sequence)).getBytes(StandardCharsets.US_ASCII);
            try {
                if (ex.accounting) {
                    p.packet = ProxyPackets.accountingRequest(ex.request, p.id, u.s.secret(), proxyState);
                    p.authenticator = java.util.Arrays.copyOfRange(p.packet, 4, 20);
                } else {
                    p.authenticator = new byte[16];
                    RANDOM.nextBytes(p.authenticator);
                    p.packet = ProxyPackets.accessRequest(ex.request, p.id, p.authenticator, u.s.secret(), proxyState);
                }
            } catch (IllegalStateException tooLarge) {
                slots.free(p);
                finish(ex, ProxyAnswer.failed(ProxyAnswer.Kind.TOO_LARGE, u.s.name()));
                return;
            }
            ex.current = p;
            ex.last = u;
            if (!ex.accounting) {
                u.requests.increment();
            }
            transmit(p, now);
            return;
        }
    }

    /**
     * The upstream for the exchange's next try: the one that issued its Challenge; else, not yet tried, the alive
     * ones (in order, or in turn for round-robin), then the zombies; never a dead one.
     */
    private Upstream pick(Exchange ex, long now) {
        if (ex.sticky != null && !ex.tried.contains(ex.sticky) && ex.sticky.state(now) != UpstreamState.DEAD) {
            return ex.sticky;
        }
        List<Upstream> all = ex.pool.upstreams;
        int n = all.size();
        for (UpstreamState wanted : new UpstreamState[]{UpstreamState.ALIVE, UpstreamState.ZOMBIE}) {
            for (int i = 0; i < n; i++) {
                Upstream u = all.get((ex.start + i) % n);
                if (!ex.tried.contains(u) && u.state(now) == wanted) {
                    return u;
                }
            }
        }
        return null;
    }

    private void transmit(Pending p, long now) {
        if (p.attempts++ == 0) {
            p.firstSent = now; // a retransmission keeps it: the latency is the upstream's, from the first send
        }
        Exchange ex = p.exchange;
        long wait = p.slots.upstream.s.responseTimeout().toNanos();
        if (ex != null) {
            wait = Math.max(1, Math.min(wait, ex.deadline - now));
        }
        p.timer = loop.schedule(() -> attemptTimedOut(p), wait, TimeUnit.NANOSECONDS);
        channel.writeAndFlush(new OutboundPacket(p.slots.to, p.packet, null), channel.voidPromise());
    }

    private void attemptTimedOut(Pending p) {
        if (!p.slots.holds(p)) {
            return; // answered meanwhile
        }
        Upstream u = p.slots.upstream;
        long now = System.nanoTime();
        if (p.kind == Kind.PROBE) {
            p.slots.free(p);
            u.probeFailed(now);
            return;
        }
        Exchange ex = p.exchange;
        if (p.attempts < u.s.maxAttempts() && now - ex.deadline < 0) {
            u.retransmissions.increment();
            transmit(p, now); // the same bytes: same identifier and authenticator (RFC 5080 §2.2.1)
            return;
        }
        p.slots.free(p);
        ex.current = null;
        u.timedOut(now);
        next(ex);
    }

    private void expire(Exchange ex) {
        if (ex.done) {
            return;
        }
        Pending p = ex.current;
        if (p != null && p.slots.holds(p)) {
            p.timer.cancel(false);
            p.slots.free(p);
            p.slots.upstream.timedOut(System.nanoTime());
        }
        ex.current = null;
        finish(ex, ProxyAnswer.failed(ProxyAnswer.Kind.TIMEOUT, ex.last == null ? null : ex.last.s.name()));
    }

    private void finish(Exchange ex, ProxyAnswer a) {
        if (ex.done) {
            return;
        }
        ex.done = true;
        if (ex.deadlineTimer != null) {
            ex.deadlineTimer.cancel(false);
        }
        if (a.kind() != ProxyAnswer.Kind.ANSWERED) {
            if (!ex.accounting) {
                ex.pool.failures.increment();
            } else if (ex.last != null) {
                ex.last.accountingLost.increment();
            }
        }
        if (ex.future != null) {
            ex.future.complete(a);
        }
    }

    private void onDatagram(InetSocketAddress from, byte[] data) {
        Slots slots = bySource.get(from);
        if (slots == null) { // from an address that is no upstream: dropped
            return;
        }
        Upstream u = slots.upstream;
        byte[] reply = ProxyPackets.wellFormed(data);
        Pending p = reply == null ? null : slots.get(reply[1] & 0xFF);
        if (p == null || !p.kind.answers(reply[0] & 0xFF)
                || !ProxyPackets.authentic(reply, u.s.secret(), p.authenticator,
                p.kind == Kind.ACCESS && u.s.requireMessageAuthenticator())) {
            u.badReplies.increment(); // malformed, late, unexpected or forged: the request stays outstanding
            return;
        }
        p.timer.cancel(false);
        slots.free(p);
        long now = System.nanoTime();
        if (p.kind == Kind.PROBE) {
            u.probeAnswered(now);
            return;
        }
        answered(p.exchange, u, p.kind, reply, p.authenticator, p.firstSent, now);
    }

    /**
     * A verified answer of upstream {@code u} to the exchange's current request, first sent to it at {@code sentAt}:
     * passed back (and remembered); an Access-Request's round trip goes to the upstream's latency sink.
     */
    private void answered(Exchange ex, Upstream u, Kind kind, byte[] reply, byte[] authenticator, long sentAt,
                          long now) {
        u.answered(now);
        ex.current = null;
        if (kind == Kind.ACCOUNTING) {
            u.accountingCopied.increment();
            finish(ex, new ProxyAnswer(ProxyAnswer.Kind.ANSWERED, reply[0] & 0xFF, List.of(), u.s.name()));
            return;
        }
        u.latency.accept(now - sentAt);
        int code = reply[0] & 0xFF;
        (code == RadiusCode.ACCESS_ACCEPT ? u.accepts : code == RadiusCode.ACCESS_REJECT ? u.rejects : u.challenges)
                .increment();
        ProxyAnswer a;
        try {
            a = new ProxyAnswer(ProxyAnswer.Kind.ANSWERED, code, ProxyPackets.forNas(reply, u.s.secret(),
                    authenticator, ex.request.secret(), ex.request.authenticator()), u.s.name());
        } catch (IllegalArgumentException badKeys) {
            u.badReplies.increment();
            log.warn("reply from upstream {} carries an encrypted attribute that does not decode: {}", u.s.name(),
                    badKeys.getMessage());
            a = ProxyAnswer.failed(ProxyAnswer.Kind.TIMEOUT, u.s.name());
        }
        if (code == RadiusCode.ACCESS_CHALLENGE) {
            remember(ex.pool, a, u, now);
        }
        finish(ex, a);
    }

    /**
     * Sends the exchange's request to a RadSec upstream over its connection (opened on first use, reused, reopened
     * after a close). Over TCP nothing is retransmitted: the request waits {@code responseTimeout × maxAttempts}
     * (within the pool's timeout); a failure to connect, a closed connection or no answer fails over like a UDP
     * timeout.
     */
    private void sendOverTls(Exchange ex, Upstream u, long now) {
        byte[] proxyState = ("nacgw:" + Long.toHexString(++sequence)).getBytes(StandardCharsets.US_ASCII);
        byte[] authenticator = new byte[16];
        RANDOM.nextBytes(authenticator);
        byte[][] sent = new byte[1][];
        long[] sentAt = {now}; // moved to the write, after the connection is open: the latency is the upstream's
        java.util.function.IntFunction<byte[]> build = id -> {
            sentAt[0] = System.nanoTime();
            return sent[0] = ex.accounting
                    ? ProxyPackets.accountingRequest(ex.request, id, u.s.secret(), proxyState)
                    : ProxyPackets.accessRequest(ex.request, id, authenticator, u.s.secret(), proxyState);
        };
        Kind kind = ex.accounting ? Kind.ACCOUNTING : Kind.ACCESS;
        java.time.Duration wait = java.time.Duration.ofNanos(Math.max(1, Math.min(u.s.worstCase().toNanos(),
                ex.deadline - now)));
        ex.current = null;
        ex.last = u;
        if (!ex.accounting) {
            u.requests.increment();
        }
        u.tls.connection().thenCompose(c -> c.send(build, wait)).whenComplete((reply, failure) -> onLoop(() ->
                tlsAnswer(ex, u, kind, reply, failure, sent[0] == null ? authenticator
                        : java.util.Arrays.copyOfRange(sent[0], 4, 20), sentAt[0])));
    }

    /** The RadSec upstream's reply (or why there is none) to the request first handed to it at {@code sentAt}. */
    private void tlsAnswer(Exchange ex, Upstream u, Kind kind, byte[] reply, Throwable failure, byte[] authenticator,
                           long sentAt) {
        if (ex.done) {
            return; // the pool's timeout ended it meanwhile
        }
        long now = System.nanoTime();
        if (closed) {
            finish(ex, ProxyAnswer.failed(ProxyAnswer.Kind.NO_UPSTREAM, u.s.name()));
            return;
        }
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof IllegalStateException) { // ProxyPackets: the request does not fit this hop
            finish(ex, ProxyAnswer.failed(ProxyAnswer.Kind.TOO_LARGE, u.s.name()));
            return;
        }
        if (cause == null && (!kind.answers(reply[0] & 0xFF) || !ProxyPackets.authentic(reply, u.s.secret(),
                authenticator, kind == Kind.ACCESS && u.s.requireMessageAuthenticator()))) {
            u.badReplies.increment();
            cause = new IllegalArgumentException("unexpected or unauthenticated reply");
        }
        if (cause != null) {
            log.debug("upstream {} over RadSec: {}", u.s.name(), cause.getMessage());
            u.timedOut(now);
            next(ex);
            return;
        }
        answered(ex, u, kind, reply, authenticator, sentAt, now);
    }

    /** Runs {@code task} on the proxy's thread (now, when already on it). */
    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException stopping) {
            log.debug("proxy stopped: a RadSec answer is dropped");
        }
    }

    /** The upstream that issued a Challenge's State gets the next round. */
    private void remember(Pool pool, ProxyAnswer a, Upstream u, long now) {
        for (io.nacgw.radius.codec.Attribute s : a.attributes()) {
            if (!s.isVendor() && s.type() == AttributeType.STATE) {
                challenges.put(stateKey(pool, s.value()), new Sticky(u, now + STATE_TTL_NANOS));
                if (challenges.size() > MAX_STATES) {
                    Iterator<?> it = challenges.values().iterator();
                    it.next();
                    it.remove();
                }
            }
        }
    }

    private Upstream sticky(Pool pool, RadiusRequest r) {
        io.nacgw.radius.codec.Attribute s = r.first(AttributeType.STATE);
        if (s == null) {
            return null;
        }
        Sticky st = challenges.remove(stateKey(pool, s.value()));
        return st == null || System.nanoTime() - st.expires > 0 ? null : st.upstream;
    }

    private static String stateKey(Pool pool, byte[] state) {
        return pool.s.name() + '/' + java.util.HexFormat.of().formatHex(state);
    }

    /** Sends a Status-Server to every upstream of the pool that has no probe outstanding. */
    private void probe(Pool pool) {
        for (Upstream u : pool.upstreams) {
            if (u.probing) {
                continue;
            }
            if (u.tls != null) { // the RadSec watchdog (RFC 6614 §2.6): Status-Server on the connection
                u.probing = true;
                u.probes.increment();
                long sentAt = System.nanoTime();
                u.tls.connection().thenCompose(c -> c.statusServer(u.s.responseTimeout()))
                        .whenComplete((reply, failure) -> onLoop(() -> {
                            u.probing = false;
                            if (failure == null) {
                                u.probeAnswered(sentAt);
                            } else {
                                u.probeFailed(sentAt);
                            }
                        }));
                continue;
            }
            Pending p = new Pending(Kind.PROBE, u.auth, null);
            if (!u.auth.allocate(p)) {
                continue;
            }
            p.authenticator = new byte[16];
            RANDOM.nextBytes(p.authenticator);
            p.packet = ProxyPackets.statusServer(p.id, p.authenticator, u.s.secret());
            u.probing = true;
            u.probes.increment();
            transmit(p, System.nanoTime());
        }
    }

    /** Counters of every upstream (once, under the first pool that names it). */
    public List<UpstreamStats> stats() {
        List<UpstreamStats> out = new ArrayList<>();
        for (Upstream u : upstreams) {
            out.add(u.stats());
        }
        return out;
    }

    /** The counters of one upstream by name; throws {@link IllegalArgumentException} for an unknown name. */
    public UpstreamStats stats(String upstream) {
        for (Upstream u : upstreams) {
            if (u.s.name().equals(upstream)) {
                return u.stats();
            }
        }
        throw new IllegalArgumentException("no upstream '" + upstream + "'");
    }

    /**
     * Where upstream {@code upstream}'s Access-Request round trips go, in nanoseconds from the first send of a request
     * to this upstream (retransmissions do not restart it; a failover starts a new one toward the next upstream) to
     * its verified answer. Called on the proxy's thread, so {@code sink} must not block. Throws
     * {@link IllegalArgumentException} for an unknown name.
     */
    public void onLatency(String upstream, LongConsumer sink) {
        java.util.Objects.requireNonNull(sink, "sink");
        for (Upstream u : upstreams) {
            if (u.s.name().equals(upstream)) {
                u.latency = sink;
                return;
            }
        }
        throw new IllegalArgumentException("no upstream '" + upstream + "'");
    }

    /** Requests of this pool that got no upstream answer (no upstream alive, timed out, too large). */
    public long failures(String pool) {
        return pool(pool).failures.sum();
    }

    /** The pool names, in configuration order. */
    public Set<String> poolNames() {
        return pools.keySet();
    }

    /** Ends outstanding exchanges with {@link ProxyAnswer.Kind#NO_UPSTREAM} and closes the socket. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Upstream u : upstreams) {
            if (u.tls != null) {
                u.tls.close(); // outstanding requests fail: their exchanges end below or on the loop
            }
        }
        try {
            loop.submit(this::abandonAll).syncUninterruptibly();
        } catch (RejectedExecutionException alreadyStopping) {
            log.debug("proxy event loop already stopping");
        }
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        log.info("RADIUS proxy stopped");
    }

    /**
     * Ends every exchange still waiting for an upstream (shutdown; the server closed its RADIUS channels first, so
     * the NAS gets no answer and asks another server).
     */
    private void abandonAll() {
        for (Upstream u : upstreams) {
            for (Slots slots : List.of(u.auth, u.acct)) {
                for (Pending p : slots.pending) {
                    if (p != null) {
                        p.timer.cancel(false);
                        slots.free(p);
                        if (p.exchange != null) {
                            finish(p.exchange, ProxyAnswer.failed(ProxyAnswer.Kind.NO_UPSTREAM, u.s.name()));
                        }
                    }
                }
            }
        }
    }

    /** What a request slot holds. */
    private enum Kind {
        ACCESS, ACCOUNTING, PROBE;

        boolean answers(int code) {
            switch (this) {
                case ACCESS:
                    return code == RadiusCode.ACCESS_ACCEPT || code == RadiusCode.ACCESS_REJECT
                            || code == RadiusCode.ACCESS_CHALLENGE;
                case ACCOUNTING:
                    return code == RadiusCode.ACCOUNTING_RESPONSE;
                default:
                    return code == RadiusCode.ACCESS_ACCEPT;
            }
        }
    }

    private record Sticky(Upstream upstream, long expires) {
    }

    /** A pool at run time. */
    private static final class Pool {
        final PoolSettings s;
        final List<Upstream> upstreams = new ArrayList<>();
        final LongAdder failures = new LongAdder();
        int turn;

        Pool(PoolSettings s) {
            this.s = s;
        }
    }

    /** One forwarded request (or accounting copy) across its tries. */
    private final class Exchange {
        final RadiusRequest request;
        final Pool pool;
        final CompletableFuture<ProxyAnswer> future;
        final boolean accounting;
        final long deadline;
        final Set<Upstream> tried = new HashSet<>(4);
        final Upstream sticky;
        final int start;
        Pending current;
        Upstream last;
        ScheduledFuture<?> deadlineTimer;
        boolean done;

        Exchange(RadiusRequest request, Pool pool, CompletableFuture<ProxyAnswer> future, boolean accounting) {
            this.request = request;
            this.pool = pool;
            this.future = future;
            this.accounting = accounting;
            this.deadline = System.nanoTime() + pool.s.timeout().toNanos();
            this.sticky = accounting ? null : sticky(pool, request);
            this.start = pool.s.balance() == PoolSettings.Balance.ROUND_ROBIN ? pool.turn++ & Integer.MAX_VALUE : 0;
        }
    }

    /** A packet waiting for its answer under an identifier. */
    private static final class Pending {
        final Kind kind;
        final Slots slots;
        final Exchange exchange;
        int id;
        byte[] packet;
        byte[] authenticator;
        int attempts;
        /** When the first transmission left ({@link System#nanoTime()}); retransmissions do not move it. */
        long firstSent;
        ScheduledFuture<?> timer;

        Pending(Kind kind, Slots slots, Exchange exchange) {
            this.kind = kind;
            this.slots = slots;
            this.exchange = exchange;
        }
    }

    /** The 256 identifiers toward one upstream address and port (RFC 2865 §3), allocated round the clock. */
    private static final class Slots {
        final InetSocketAddress to;
        final Upstream upstream;
        final Pending[] pending = new Pending[256];
        int next = RANDOM.nextInt(256);

        Slots(InetSocketAddress to, Upstream upstream) {
            this.to = to;
            this.upstream = upstream;
        }

        boolean allocate(Pending p) {
            for (int i = 0; i < 256; i++) {
                int id = (next + i) & 0xFF;
                if (pending[id] == null) {
                    pending[id] = p;
                    p.id = id;
                    next = id + 1; // least recently used first (RFC 5080 §2.2.1)
                    return true;
                }
            }
            return false;
        }

        Pending get(int id) {
            return pending[id];
        }

        boolean holds(Pending p) {
            return pending[p.id] == p;
        }

        void free(Pending p) {
            if (pending[p.id] == p) {
                pending[p.id] = null;
            }
            if (p.kind == Kind.PROBE) {
                upstream.probing = false;
            }
        }
    }

    /** An upstream at run time: its health (loop-confined, the state also readable by metrics) and counters. */
    private static final class Upstream {
        final UpstreamSettings s;
        final PoolSettings pool;
        final Slots auth;
        final Slots acct;
        volatile UpstreamState state = UpstreamState.ALIVE;
        long zombieSince;
        int probeFailures;
        int probeAnswers;
        boolean probing;
        final LongAdder requests = new LongAdder();
        final LongAdder retransmissions = new LongAdder();
        final LongAdder timeouts = new LongAdder();
        final LongAdder accepts = new LongAdder();
        final LongAdder rejects = new LongAdder();
        final LongAdder challenges = new LongAdder();
        final LongAdder badReplies = new LongAdder();
        final LongAdder probes = new LongAdder();
        final LongAdder probesAnswered = new LongAdder();
        final LongAdder accountingCopied = new LongAdder();
        final LongAdder accountingLost = new LongAdder();
        /** Where the Access-Request round trips go (nanoseconds); called on the proxy's thread, must not block. */
        volatile LongConsumer latency = n -> { };

        /** The RadSec connection of an upstream with transport radsec, else null. */
        final TlsLink tls;

        Upstream(UpstreamSettings s, PoolSettings pool, EventLoopGroup group) {
            this.s = s;
            this.pool = pool;
            this.tls = s.transport() == UpstreamSettings.Transport.RADSEC ? new TlsLink(s, group) : null;
            this.auth = new Slots(s.authSocket(), this);
            this.acct = new Slots(s.acctSocket(), this);
        }

        /** The state, a zombie of a pool without Status-Server checks coming back after {@code checkInterval}. */
        UpstreamState state(long now) {
            if (state == UpstreamState.ZOMBIE && !pool.statusChecks()
                    && now - zombieSince >= pool.checkInterval().toNanos()) {
                move(UpstreamState.ALIVE, "its hold-down time passed");
            }
            return state;
        }

        void timedOut(long now) {
            timeouts.increment();
            if (state == UpstreamState.ALIVE) {
                zombieSince = now;
                move(UpstreamState.ZOMBIE, "a request got no answer");
            }
        }

        void answered(long now) {
            if (state == UpstreamState.ZOMBIE) {
                move(UpstreamState.ALIVE, "it answered a request");
            }
        }

        void probeAnswered(long now) {
            probesAnswered.increment();
            probeFailures = 0;
            probeAnswers++;
            if (state == UpstreamState.ZOMBIE
                    || (state == UpstreamState.DEAD && probeAnswers >= pool.reviveAfter())) {
                move(UpstreamState.ALIVE, probeAnswers + " Status-Server probe(s) answered");
            }
        }

        void probeFailed(long now) {
            probeAnswers = 0;
            probeFailures++;
            if (state == UpstreamState.ALIVE) {
                zombieSince = now;
                move(UpstreamState.ZOMBIE, "a Status-Server probe got no answer");
            }
            if (state == UpstreamState.ZOMBIE && probeFailures >= pool.deadAfter()) {
                move(UpstreamState.DEAD, probeFailures + " Status-Server probes in a row got no answer");
            }
        }

        private void move(UpstreamState to, String why) {
            if (to == UpstreamState.ALIVE) {
                log.info("upstream {} of pool {} is alive again: {}", s.name(), pool.name(), why);
            } else {
                log.warn("upstream {} of pool {} is now {}: {}", s.name(), pool.name(), to.wireName(), why);
            }
            state = to;
        }

        UpstreamStats stats() {
            return new UpstreamStats(pool.name(), s.name(), state, requests.sum(), retransmissions.sum(),
                    timeouts.sum(), accepts.sum(), rejects.sum(), challenges.sum(), badReplies.sum(), probes.sum(),
                    probesAnswered.sum(), accountingCopied.sum(), accountingLost.sum());
        }
    }

    /**
     * The one RadSec connection to an upstream: opened on first use, shared by every request (up to 256 at once),
     * opened again on the next use after it closed or failed to open. Its replies complete on the proxy's thread
     * (the connection runs on the proxy's event loop).
     */
    private static final class TlsLink {
        private final UpstreamSettings s;
        private final EventLoopGroup group;
        private volatile CompletableFuture<RadSecClient> current;

        TlsLink(UpstreamSettings s, EventLoopGroup group) {
            this.s = s;
            this.group = group;
        }

        /** The open connection, the one being opened, or a new one. Call on the proxy's thread. */
        CompletableFuture<RadSecClient> connection() {
            CompletableFuture<RadSecClient> c = current;
            if (c != null && (!c.isDone() || (!c.isCompletedExceptionally() && c.join().isOpen()))) {
                return c;
            }
            c = RadSecClient.connect(s.authSocket(), s.tls(), group, s.responseTimeout());
            current = c;
            return c;
        }

        /** Closes the connection, if one is open. Not on the proxy's thread. */
        void close() {
            CompletableFuture<RadSecClient> c = current;
            if (c != null && c.isDone() && !c.isCompletedExceptionally()) {
                c.join().close();
            }
        }
    }

    /** Hands datagrams at the proxy socket to the proxy (same thread). */
    private final class ReplyHandler extends SimpleChannelInboundHandler<InboundPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, InboundPacket p) {
            onDatagram(p.sender(), p.data());
        }
    }
}
