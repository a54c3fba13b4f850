package io.nacgw.radius.coa;

import io.nacgw.radius.NasClient;
import io.nacgw.radius.audit.AuditRecord;
import io.nacgw.radius.audit.CoaAuditEvent;
import io.nacgw.radius.codec.DatagramCodec;
import io.nacgw.radius.codec.InboundPacket;
import io.nacgw.radius.codec.OutboundPacket;
import io.nacgw.radius.server.Counters;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Sends CoA-Request and Disconnect-Request (RFC 5176) to NASes from one UDP socket and one thread of its own, so
 * neither the RADIUS event loops nor the threads that commit device changes ever wait for it. {@link #submit}
 * never blocks: a full queue refuses the request (counted, logged at most every 10 s). Every result goes to the
 * audit log and to the observer.
 *
 * <pre>
 *   CoaSender coa = CoaSender.start(settings, radius::client, radius::audit, clock, result -> metrics...);
 *   coa.submit(CoaRequest.of(session, CoaTrigger.OPERATOR, null, "operator")).thenAccept(...);
 *   coa.close();
 * </pre>
 */
public final class CoaSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CoaSender.class);
    /** Timer resolution for retransmissions and the rate limit. */
    private static final long TICK_MILLIS = 10;
    /** Answers from every NAS arrive on one socket: room for bursts (the kernel default loses them under load). */
    private static final int RECEIVE_BUFFER_BYTES = 4 << 20;

    private final CoaEngine engine;
    private final EventLoopGroup group;
    private final Channel channel;
    private final ConcurrentLinkedQueue<CoaEngine.Pending> inbox = new ConcurrentLinkedQueue<>();
    /** How long {@link #close} keeps transmitting what is queued. */
    static final Duration STOP_DRAIN = Duration.ofSeconds(10);
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile boolean closed;

    private final NasLinks links;

    private CoaSender(CoaSettings settings, Function<String, NasClient> clients, Consumer<AuditRecord> audit,
                      Clock clock, Consumer<CoaResult> observer, NasLinks links) {
        this.links = links;
        Consumer<CoaResult> finished = r -> {
            audit.accept(auditRecord(r, clock));
            observer.accept(r);
        };
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("nacgw-coa", true),
                NioIoHandler.newFactory());
        Channel ch = null;
        try {
            CoaEngine e = new CoaEngine(settings, clients, this::send, System::nanoTime, clock, finished,
                    new Counters(clock), links);
            this.engine = e;
            ch = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
                    .handler(new ChannelInitializer<NioDatagramChannel>() {
                        @Override
                        protected void initChannel(NioDatagramChannel c) {
                            c.pipeline().addLast(new DatagramCodec(), new ReplyHandler(e));
                        }
                    })
                    .bind(new InetSocketAddress(0)).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot open the CoA socket: " + e.getMessage(), e);
        }
        this.channel = ch;
        channel.eventLoop().scheduleAtFixedRate(engine::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        if (links != null) {
            links.answersTo(this::onLinkAnswer);
        }
    }

    /** An ACK/NAK read on a NAS's RadSec connection: handled on the sender's thread like a datagram. */
    private void onLinkAnswer(InetSocketAddress from, byte[] data) {
        try {
            channel.eventLoop().execute(() -> engine.onReply(from, data));
        } catch (RejectedExecutionException stopping) {
            log.debug("CoA answer from {} after the sender stopped", from);
        }
    }

    /**
     * Opens the CoA socket (any free port, all addresses) and its thread.
     *
     * @param clients   the NAS clients by name as configured now (e.g. {@code RadiusServer::client})
     * @param audit     where the audit line of every result goes (e.g. {@code RadiusServer::audit}); must not block
     * @param observer  told of every result (metrics); called on the sender's thread or a submitting thread, so it
     *                  must be thread-safe and must not block
     */
    public static CoaSender start(CoaSettings settings, Function<String, NasClient> clients, Consumer<AuditRecord> audit,
                                  Clock clock, Consumer<CoaResult> observer) {
        return start(settings, clients, audit, clock, observer, null);
    }

    /**
     * As {@link #start(CoaSettings, Function, Consumer, Clock, Consumer)}, and a session that came over RadSec gets
     * its CoA over its NAS's connection in {@code links} (the RadSec listener); with none open it is not sent
     * ({@link CoaResult.Answer#NO_CONNECTION}).
     */
    public static CoaSender start(CoaSettings settings, Function<String, NasClient> clients, Consumer<AuditRecord> audit,
                                  Clock clock, Consumer<CoaResult> observer, NasLinks links) {
        Objects.requireNonNull(settings, "settings");
        CoaSender s = new CoaSender(settings, clients, audit, clock, observer, links);
        log.info("CoA sender ready on {} ({} attempts from {}, {} outstanding and {}/s per NAS, queue {})",
                s.channel.localAddress(), settings.maxAttempts(), settings.initialTimeout(),
                settings.maxOutstandingPerNas(), settings.ratePerNas(), settings.queueSize());
        return s;
    }

    /**
     * Queues a CoA/Disconnect; never blocks. The future completes with the answer, after retransmissions if need
     * be, or at once with {@link CoaResult.Answer#QUEUE_FULL} or {@link CoaResult.Answer#CLOSED}. It completes on
     * the sender's thread: chain only quick work, or use an {@code ...Async} stage with an executor.
     */
    public CompletableFuture<CoaResult> submit(CoaRequest request) {
        Objects.requireNonNull(request, "request");
        CoaEngine.Pending p = new CoaEngine.Pending(request, new CompletableFuture<>(), System.nanoTime());
        if (closed) {
            return CompletableFuture.completedFuture(new CoaResult(request, CoaResult.Answer.CLOSED, null, 0, 0, null, null));
        }
        if (engine.admit(p)) {
            inbox.add(p);
            if (drainScheduled.compareAndSet(false, true)) {
                try {
                    channel.eventLoop().execute(this::drain);
                } catch (RejectedExecutionException stopping) {
                    drainScheduled.set(false);
                }
            }
        }
        return p.future;
    }

    private void drain() {
        drainScheduled.set(false);
        for (CoaEngine.Pending p; (p = inbox.poll()) != null; ) {
            engine.enqueue(p);
        }
    }

    private void send(InetSocketAddress to, byte[] packet) {
        channel.writeAndFlush(new OutboundPacket(to, packet, null), channel.voidPromise());
    }

    /** The port the CoA socket is bound to (NASes see requests from it). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Counters for metrics. */
    public CoaStats stats() {
        return engine.stats();
    }

    static CoaAuditEvent auditRecord(CoaResult r, Clock clock) {
        CoaRequest q = r.request();
        return new CoaAuditEvent(clock.instant(), q.nas(), r.destination(), q.deviceId(),
                q.mac() == null ? null : q.mac().canonical(), q.sessionLabel(), q.acctSessionId(), q.trigger().wireName(), q.reason(),
                r.sent(), r.answer().wireName(), r.errorCause(), r.attempts(), r.latencyNanos() / 1_000);
    }

    /**
     * Stops taking requests, then transmits what is queued (claimed CoA included: the NAS still gets them at the
     * per-NAS rate) for up to {@link #STOP_DRAIN}; ends what is still queued or outstanding then with
     * {@link CoaResult.Answer#CLOSED} (logged) and closes the socket.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        awaitQueueSent(STOP_DRAIN);
        try {
            channel.eventLoop().submit(() -> {
                drain();
                engine.closeAll();
            }).syncUninterruptibly();
        } catch (RejectedExecutionException alreadyStopping) {
            log.debug("CoA event loop already stopping");
        }
        if (links != null) {
            links.answersTo(null);
        }
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        log.info("CoA sender stopped");
    }

    /** Waits, at most {@code limit}, until every queued request has been transmitted once. */
    private void awaitQueueSent(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            while (engine.queued.get() > 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long left = engine.queued.get();
        if (left > 0) {
            log.warn("CoA sender stopping: {} CoA still queued after {} are not sent", left, limit);
        }
    }

    /** Hands datagrams at the CoA socket to the engine (same thread). */
    private static final class ReplyHandler extends SimpleChannelInboundHandler<InboundPacket> {
        private final CoaEngine engine;

        ReplyHandler(CoaEngine engine) {
            this.engine = engine;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, InboundPacket p) {
            engine.onReply(p.sender(), p.data());
        }
    }
}
