package io.nacgw.radius.bootstrap;

import io.nacgw.core.net.DualStack;
import io.nacgw.core.net.UdpSockets;
import io.nacgw.radius.DecisionStats;
import io.nacgw.radius.NasClient;
import io.nacgw.radius.NasRegistry;
import io.nacgw.radius.RadiusServices;
import io.nacgw.radius.RadiusSettings;
import io.nacgw.radius.RadiusStats;
import io.nacgw.radius.audit.AuditRecord;
import io.nacgw.radius.eap.EapSettings;
import io.nacgw.radius.eap.EapStats;
import io.nacgw.radius.proxy.ProxySettings;
import io.nacgw.radius.proxy.RadiusProxy;
import io.nacgw.radius.radsec.RadSecServer;
import io.nacgw.radius.radsec.RadSecSettings;
import io.nacgw.certs.ServerTls;
import io.nacgw.radius.server.DebugTrace;
import io.nacgw.radius.server.ServerComponents;
import io.nacgw.radius.server.SessionEndListener;
import io.nacgw.radius.codec.ServicePort;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The RADIUS server: binds the authentication and accounting ports and owns their lifecycle. With native epoll,
 * each port is bound by several datagram channels with SO_REUSEPORT (the kernel spreads NAS flows across them, so
 * every core serves) and reads batch datagrams with recvmmsg; elsewhere one NIO channel per port.
 *
 * <pre>
 *   RadiusServer s = RadiusServer.start(settings, clients, services);
 *   s.reload(newClients);   // SIGHUP / nacgw reload
 *   s.stats();              // for metrics
 *   s.close();
 * </pre>
 */
public final class RadiusServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RadiusServer.class);
    /** One byte more than the largest RADIUS packet, so an oversize datagram is seen as such, not cut to size. */
    private static final int MAX_DATAGRAM = 4097;
    private static final int DATAGRAMS_PER_READ = 16;

    private final ServerComponents components;
    private final EventLoopGroup group;
    private final List<Channel> channels;
    private final InetSocketAddress authAddress;
    private final InetSocketAddress acctAddress;
    private final String transport;
    private final boolean nativeTransport;
    private volatile RadSecServer radsec;

    private RadiusServer(ServerComponents components, EventLoopGroup group, List<Channel> channels,
                         InetSocketAddress authAddress, InetSocketAddress acctAddress, String transport,
                         boolean nativeTransport) {
        this.nativeTransport = nativeTransport;
        this.components = components;
        this.group = group;
        this.channels = channels;
        this.authAddress = authAddress;
        this.acctAddress = acctAddress;
        this.transport = transport;
    }

    /**
     * Validates the clients against the policy, binds both ports and returns the running server; throws
     * {@link IllegalArgumentException} for bad configuration and {@link IllegalStateException} when a port
     * cannot be bound.
     */
    public static RadiusServer start(RadiusSettings settings, List<NasClient> clients, RadiusServices services) {
        return start(settings, EapSettings.DISABLED, clients, services);
    }

    /** As {@link #start(RadiusSettings, List, RadiusServices)}, with EAP (802.1X) per {@code eap}. */
    public static RadiusServer start(RadiusSettings settings, EapSettings eap, List<NasClient> clients,
                                     RadiusServices services) {
        return start(settings, eap, ProxySettings.NONE, clients, services);
    }

    /** As above, with user logins of clients and profiles that name a pool proxied to {@code upstreams}. */
    public static RadiusServer start(RadiusSettings settings, EapSettings eap, ProxySettings upstreams,
                                     List<NasClient> clients, RadiusServices services) {
        ServerComponents components = new ServerComponents(settings, eap, upstreams, NasRegistry.of(clients), services);
        boolean epoll = settings.nativeTransport() && Epoll.isAvailable();
        int perPort = epoll ? (settings.channels() == 0 ? Runtime.getRuntime().availableProcessors() : settings.channels()) : 1;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(perPort,
                new DefaultThreadFactory("nacgw-radius", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        List<Channel> channels = new ArrayList<>();
        try {
            InetSocketAddress auth = bind(settings, epoll, perPort, group, components, ServicePort.AUTH,
                    settings.authPort(), channels);
            InetSocketAddress acct = bind(settings, epoll, perPort, group, components, ServicePort.ACCT,
                    settings.acctPort(), channels);
            String transport = epoll ? "epoll x" + perPort : "nio";
            log.info("RADIUS listening on {} (auth) and {} (accounting), {} channel(s) per port via {}, {} NAS client(s)",
                    auth, acct, perPort, transport, clients.size());
            RadiusServer server = new RadiusServer(components, group, List.copyOf(channels), auth, acct, transport,
                    settings.nativeTransport());
            components.watchSockets(server::sockets);
            return server;
        } catch (RuntimeException e) {
            channels.forEach(Channel::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            components.close();
            throw e;
        }
    }

    /**
     * SO_REUSEPORT lets any process of the same user join a port, so a second gateway would silently take a share of
     * the NAS traffic (answering from its own store). A plain socket, without the option, binds only where nobody is
     * bound: try one first, so only this process's own channels share the port.
     */
    private static void requireFree(String address, int portNumber, ServicePort port) {
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(null)) {
            probe.setReuseAddress(false);
            probe.bind(new InetSocketAddress(address, portNumber));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("RADIUS " + port.name().toLowerCase(java.util.Locale.ROOT) + " port "
                    + address + ":" + portNumber + " is already in use (another nacgw or RADIUS server?): "
                    + e.getMessage(), e);
        }
    }

    private static InetSocketAddress bind(RadiusSettings s, boolean epoll, int count, EventLoopGroup group,
                                          ServerComponents components, ServicePort port, int portNumber,
                                          List<Channel> channels) {
        String address = DualStack.bindAddress(s.bindAddress());
        if (epoll && portNumber != 0) {
            requireFree(address, portNumber, port);
        }
        Bootstrap b = new Bootstrap()
                .group(group)
                .handler(components.initializer(port))
                .option(ChannelOption.SO_RCVBUF, s.receiveBufferBytes());
        if (epoll) {
            b.channel(EpollDatagramChannel.class)
                    .option(EpollChannelOption.SO_REUSEPORT, true)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * DATAGRAMS_PER_READ));
        } else {
            b.channel(NioDatagramChannel.class)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM));
        }
        InetSocketAddress bound = null;
        for (int i = 0; i < count; i++) {
            // port 0: the first channel picks a free port, the others join it with SO_REUSEPORT
            InetSocketAddress at = new InetSocketAddress(address, bound == null ? portNumber : bound.getPort());
            Channel ch;
            try {
                ch = b.bind(at).syncUninterruptibly().channel();
            } catch (Exception e) {
                throw new IllegalStateException("cannot bind RADIUS " + port.name().toLowerCase(java.util.Locale.ROOT)
                        + " port " + at + ": " + e.getMessage(), e);
            }
            channels.add(ch);
            if (bound == null) {
                bound = (InetSocketAddress) ch.localAddress();
            }
        }
        return bound;
    }

    /**
     * Starts the RadSec listener (RFC 6614) on this server's request path: same clients (found by certificate
     * name), decisions, audit log and session table; closed with this server. {@code tls} must require client
     * certificates. Throws {@link IllegalStateException} when the port cannot be bound or RadSec already runs.
     */
    public synchronized RadSecServer startRadSec(RadSecSettings settings, ServerTls tls) {
        if (radsec != null) {
            throw new IllegalStateException("RadSec is already running on " + radsec.address());
        }
        radsec = RadSecServer.start(settings, tls, components, Math.max(1, Runtime.getRuntime().availableProcessors()),
                nativeTransport);
        return radsec;
    }

    /** The RadSec listener, when started. */
    public java.util.Optional<RadSecServer> radsec() {
        return java.util.Optional.ofNullable(radsec);
    }

    /** The bound authentication address (the real port when 0 was asked for). */
    public InetSocketAddress authAddress() {
        return authAddress;
    }

    /** The bound accounting address. */
    public InetSocketAddress acctAddress() {
        return acctAddress;
    }

    /** Channels bound (of all it opened): {@code /health} says down when one of them closed. */
    public long boundChannels() {
        return channels.stream().filter(Channel::isActive).count();
    }

    /** The channels it opened, authentication first (tests read their socket options and use their event loops). */
    List<Channel> channels() {
        return channels;
    }

    /** Channels it opened (authentication and accounting, times the channels per port). */
    public int channelCount() {
        return channels.size();
    }

    /** "epoll xN" or "nio". */
    public String transport() {
        return transport;
    }

    /**
     * Replaces the NAS clients atomically (SIGHUP, {@code nacgw reload}): validated first (an error leaves the old
     * registry in place); requests already in flight finish with the client and secret they arrived with.
     */
    public void reload(List<NasClient> clients) {
        NasRegistry next = NasRegistry.of(clients);
        components.reload(next);
        log.info("RADIUS clients reloaded: {}", next);
    }

    /**
     * Throws {@link IllegalArgumentException} when a client's {@code authenticateWith} names a pool the running
     * proxy does not have (pools change only with a restart); changes nothing.
     */
    public void checkUpstreams(List<NasClient> clients) {
        components.checkUpstreams(NasRegistry.of(clients));
    }

    /** The clients in use. */
    public List<NasClient> clients() {
        return components.registry().clients();
    }

    /** The configured client with this name now (after any reload), or null. */
    public NasClient client(String name) {
        return components.registry().byName(name);
    }

    /** Appends a line to the audit log the server writes its decisions to (never blocks; dropped when full). */
    public void audit(AuditRecord record) {
        components.audit(record);
    }

    /**
     * Datagrams the kernel dropped at these ports because a receive buffer was full (sized by radius.maxQueueDelay):
     * the overload shed before the server saw it. Reads /proc (for metrics, not per request).
     */
    public long receiveQueueDrops() {
        return sockets().drops();
    }

    /** What the kernel says of this server's UDP sockets (both ports, every channel): drops and unread bytes. */
    private UdpSockets.Totals sockets() {
        return UdpSockets.of(Set.of(authAddress.getPort(), acctAddress.getPort()));
    }

    /** Counters for metrics. */
    public RadiusStats stats() {
        return components.stats();
    }

    /** The upstream proxy (pools, per-upstream counters), when radius.upstreams defines pools. */
    public java.util.Optional<RadiusProxy> proxy() {
        return components.proxy();
    }

    /** Decisions by NAS client, profile and reason; each client's last request; EAP-TLS failures; latency hook. */
    public DecisionStats decisions() {
        return components.decisions();
    }

    /** Where CoA results tell the Access-Accept recorder that an endpoint's session ended or is re-authorised. */
    public SessionEndListener sessionEnds() {
        return components.sessionEnds();
    }

    /** {@code nacgw debug}: the live trace of one device's or one NAS's requests. */
    public DebugTrace debug() {
        return components.debug();
    }

    /** EAP counters (conversations, handshakes, rejections). */
    public EapStats eapStats() {
        return components.eapStats();
    }

    /** Closes the ports, then finishes queued accounting writes and audit lines. */
    @Override
    public void close() {
        RadSecServer r = radsec;
        if (r != null) {
            r.close();
        }
        for (Channel ch : channels) {
            ch.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        components.close();
        log.info("RADIUS stopped ({} and {})", authAddress, acctAddress);
    }
}
