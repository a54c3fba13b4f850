package io.nacgw.radius.radsec;

import io.nacgw.certs.ServerTls;
import io.nacgw.core.net.DualStack;
import io.nacgw.radius.coa.NasLinks;
import io.nacgw.radius.server.ServerComponents;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The RadSec listener (RFC 6614): TCP with mutual TLS, each connection one NAS, its packets through the same
 * request path, decisions, audit log and session table as the UDP ports ({@link ServerComponents}). Started and
 * closed by {@link io.nacgw.radius.bootstrap.RadiusServer#startRadSec}; a client reload applies to open connections at their
 * next packet.
 */
public final class RadSecServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RadSecServer.class);
    /** Replies waiting beyond this per connection pause reading its requests (resumed below the low mark). */
    private static final WriteBufferWaterMark REPLY_BACKLOG = new WriteBufferWaterMark(64 * 1024, 256 * 1024);

    private final EventLoopGroup group;
    private final Channel listener;
    private final ChannelGroup connections;
    private final RadSecCounters counters;
    private final InetSocketAddress address;
    private final RadSecLinks links;

    private RadSecServer(EventLoopGroup group, Channel listener, ChannelGroup connections, RadSecCounters counters,
                         RadSecLinks links) {
        this.links = links;
        this.group = group;
        this.listener = listener;
        this.connections = connections;
        this.counters = counters;
        this.address = (InetSocketAddress) listener.localAddress();
    }

    /**
     * Binds the listener. {@code tls} must require client certificates and trust the CAs NAS certificates come
     * from; throws {@link IllegalStateException} when the port cannot be bound.
     */
    public static RadSecServer start(RadSecSettings settings, ServerTls tls, ServerComponents components,
                                     int threads, boolean nativeTransport) {
        boolean epoll = nativeTransport && Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("nacgw-radsec", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        RadSecCounters counters = new RadSecCounters(new RequestAdmission.Limits(settings.maxInFlightPerConnection(),
                settings.maxInFlight()));
        ChannelGroup connections = new DefaultChannelGroup("radsec", GlobalEventExecutor.INSTANCE);
        AtomicInteger open = new AtomicInteger();
        java.util.concurrent.ConcurrentHashMap<java.net.InetAddress, AtomicInteger> perAddress =
                new java.util.concurrent.ConcurrentHashMap<>();
        RadSecInitializer.ConnectionLimit limit = ch -> {
            if (open.incrementAndGet() > settings.maxConnections()) {
                open.decrementAndGet();
                counters.refused(Refusal.MAX_CONNECTIONS, ch.remoteAddress(), settings.maxConnections()
                        + " connections open (radius.radsec.maxConnections)");
                ch.close();
                return false;
            }
            java.net.InetAddress from = ch.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
            AtomicInteger mine = from == null ? null : perAddress.compute(from, (k, n) -> {
                AtomicInteger c = n == null ? new AtomicInteger() : n;
                c.incrementAndGet();
                return c;
            });
            if (mine != null && mine.get() > settings.maxConnectionsPerAddress()) {
                release(perAddress, from);
                open.decrementAndGet();
                counters.refused(Refusal.MAX_CONNECTIONS_PER_ADDRESS, ch.remoteAddress(),
                        settings.maxConnectionsPerAddress() + " connections open from this address "
                                + "(radius.radsec.maxConnectionsPerAddress)");
                ch.close();
                return false;
            }
            counters.open.increment();
            connections.add(ch);
            ch.closeFuture().addListener(f -> {
                if (from != null) {
                    release(perAddress, from);
                }
                open.decrementAndGet();
                counters.open.decrement();
            });
            return true;
        };
        RadSecLinks links = new RadSecLinks();
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, REPLY_BACKLOG)
                .childHandler(new RadSecInitializer(settings, tls, components, counters, limit, links, counters.admission));
        InetSocketAddress at = new InetSocketAddress(DualStack.bindAddress(settings.bindAddress()), settings.port());
        Channel listener;
        try {
            listener = b.bind(at).syncUninterruptibly().channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            throw new IllegalStateException("cannot bind RadSec port " + at + " (radius.radsec.port): " + e.getMessage(), e);
        }
        log.info("RadSec listening on {} (TLS, client certificates required), at most {} connections", 
                listener.localAddress(), settings.maxConnections());
        return new RadSecServer(group, listener, connections, counters, links);
    }

    /** One connection from {@code from} fewer; the address is forgotten at zero (no entry per past peer). */
    private static void release(java.util.concurrent.ConcurrentHashMap<java.net.InetAddress, AtomicInteger> perAddress,
                                java.net.InetAddress from) {
        perAddress.computeIfPresent(from, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    /** The bound address (the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return address;
    }

    /** The NASes' open connections, for CoA over them (RFC 6614 §2.5). */
    public NasLinks links() {
        return links;
    }

    /** Connection counters. */
    public RadSecStats stats() {
        return counters.snapshot();
    }

    /**
     * Closes the connections whose certificate chain {@code trusted} no longer accepts (after a CRL or CA reload:
     * {@code tls::stillTrusts}); returns how many were closed.
     */
    public int closeUntrusted(Predicate<X509Certificate[]> trusted) {
        int n = 0;
        for (Channel ch : connections) {
            NasSession s = ch.pipeline().get(NasSession.class);
            X509Certificate[] chain = s == null ? null : s.chain();
            if (chain != null && !trusted.test(chain)) {
                counters.closed(CloseReason.CERTIFICATE_UNTRUSTED, ch.remoteAddress(),
                        "its certificate is no longer trusted (revoked, expired or its CA removed)");
                ch.close();
                n++;
            }
        }
        return n;
    }

    /** Stops listening and closes every connection (requests in flight get no answer; the NAS retries elsewhere). */
    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        connections.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        log.info("RadSec stopped ({})", address);
    }
}
