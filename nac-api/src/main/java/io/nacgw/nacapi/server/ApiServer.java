package io.nacgw.nacapi.server;

import io.nacgw.nacapi.Paths;
import io.nacgw.nacapi.Workers;
import io.nacgw.nacapi.ApiGuardStats;
import io.nacgw.nacapi.ApiMetrics;
import io.nacgw.nacapi.ApiStats;
import io.nacgw.nacapi.GuardMetrics;
import io.nacgw.nacapi.Route;
import io.nacgw.nacapi.Routes;
import io.nacgw.nacapi.auth.ApiUser;
import io.nacgw.nacapi.auth.AuthSettings;
import io.nacgw.nacapi.auth.Authenticator;
import io.nacgw.nacapi.console.ConsoleApi;
import io.nacgw.nacapi.console.ConsoleServices;
import io.nacgw.nacapi.ise.IseApi;
import io.nacgw.nacapi.ise.IseSettings;
import io.nacgw.nacapi.json.JsonApi;
import io.nacgw.nacapi.sessions.SessionActions;
import io.nacgw.nacapi.sessions.SessionApi;
import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.session.SessionStore;
import io.nacgw.core.net.DualStack;
import io.nacgw.nacapi.console.ConsoleAssets;
import io.nacgw.nacapi.auth.ConsoleSessions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.function.Predicate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The HTTPS API server: Cisco ISE MDM API under {@code /ciscoise}, the JSON API and ingest under {@code /api/v1}.
 * Owns its event loops and worker pools; {@link #close()} stops them. Start with {@link #start}.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    /** The JDK's switch for refusing TLS 1.2 renegotiation started by a client (a cheap CPU-exhaustion lever). */
    static final String REJECT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";

    static {
        // read once, when the JDK's first server-side handshake loads its handshake context: set it before that.
        // TLS 1.3 has no renegotiation at all; this covers TLS 1.2 (testssl: "client-initiated renegotiation").
        if (System.getProperty(REJECT_RENEGOTIATION) == null) {
            System.setProperty(REJECT_RENEGOTIATION, "true");
        }
    }

    private final EventLoopGroup boss;
    private final EventLoopGroup io;
    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor writers;
    private final ThreadPoolExecutor verifier;
    private final Channel channel;
    private final ApiMetrics metrics;
    private final Routes routes;
    private final GuardMetrics guards;
    private final ConnectionLimiter limiter;
    private final Authenticator authenticator;
    private final IseApi iseApi;
    private final JsonApi jsonApi;

    private ApiServer(EventLoopGroup boss, EventLoopGroup io, ThreadPoolExecutor workers, ThreadPoolExecutor writers,
                      ThreadPoolExecutor verifier, Channel channel, ApiMetrics metrics, Routes routes, GuardMetrics guards,
                      ConnectionLimiter limiter, Authenticator authenticator, IseApi iseApi, JsonApi jsonApi) {
        this.jsonApi = jsonApi;
        this.authenticator = authenticator;
        this.iseApi = iseApi;
        this.boss = boss;
        this.io = io;
        this.workers = workers;
        this.writers = writers;
        this.verifier = verifier;
        this.channel = channel;
        this.metrics = metrics;
        this.routes = routes;
        this.guards = guards;
        this.limiter = limiter;
    }

    /**
     * Binds and starts serving.
     *
     * @param settings server settings
     * @param ise      what the ISE API advertises
     * @param auth     Basic accounts and the client-certificate mapping
     * @param tls      makes each connection's TLS engine ({@code certs}: {@code serverTls::newEngine})
     * @param service  the compliance index
     * @param policy   the access policy whose profiles decide compliance
     * @param clock    time for decisions and rate limits
     */
    public static ApiServer start(ApiSettings settings, IseSettings ise, AuthSettings auth, ServerEngineFactory tls,
                                  ComplianceService service, AccessPolicy policy, Clock clock) {
        return start(settings, ise, auth, tls, service, policy, null, clock);
    }

    /** As above, with the session table {@code GET /api/v1/sessions} lists (null: none kept, the route says so). */
    public static ApiServer start(ApiSettings settings, IseSettings ise, AuthSettings auth, ServerEngineFactory tls,
                                  ComplianceService service, AccessPolicy policy, SessionStore sessions, Clock clock) {
        return start(settings, ise, auth, tls, service, policy, sessions, null, clock);
    }

    /**
     * As above, with the operator's session actions ({@code POST /api/v1/sessions/{id}:reauthenticate|disconnect};
     * null: CoA off, those routes answer 409).
     */
    public static ApiServer start(ApiSettings settings, IseSettings ise, AuthSettings auth, ServerEngineFactory tls,
                                  ComplianceService service, AccessPolicy policy, SessionStore sessions,
                                  SessionActions actions, Clock clock) {
        return start(settings, ise, auth, tls, service, policy, sessions, actions, ConsoleServices.none(), clock);
    }

    /**
     * As above, with the operator console ({@code /console/}) and the admin operations its pages call
     * ({@link ConsoleServices#none()}: no console; the operation routes answer 404).
     */
    public static ApiServer start(ApiSettings settings, IseSettings ise, AuthSettings auth, ServerEngineFactory tls,
                                  ComplianceService service, AccessPolicy policy, SessionStore sessions,
                                  SessionActions actions, ConsoleServices console, Clock clock) {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(console, "console");
        for (ApiUser u : auth.users()) {
            if (u.profile() != null && !policy.has(u.profile())) {
                throw new IllegalArgumentException("api.users." + u.name() + ".profile '" + u.profile()
                        + "' is not a policy profile (known: " + policy.names() + ")");
            }
        }
        ApiMetrics metrics = new ApiMetrics();
        GuardMetrics guards = new GuardMetrics();
        ConnectionLimiter limiter = new ConnectionLimiter(connectionCap(settings.maxConnections()),
                settings.maxConnectionsPerAddress(), guards);
        ThreadPoolExecutor workers = Workers.pool("nacgw-api-worker", settings.workerThreads(), settings.workerQueue());
        // writes (PUT, DELETE, bulk) have a pool of their own: a slow or unreachable store never takes the workers
        // that listings and lookups need
        ThreadPoolExecutor writers = Workers.pool("nacgw-api-writer", settings.workerThreads(), settings.workerQueue());
        ThreadPoolExecutor verifier = Workers.pool("nacgw-api-auth", 2, 64);
        IseApi iseApi = new IseApi(ise, service, policy, clock, workers, metrics);
        List<Route> all = new ArrayList<>(iseApi.routes());
        JsonApi json = new JsonApi(service, policy, clock, writers, settings.maxDecisionBatch(), ise.busyWaitSeconds(),
                metrics);
        all.addAll(json.routes());
        all.addAll(new SessionApi(sessions, actions, workers, clock, json::busy).routes());
        all.addAll(new ConsoleApi(service, policy, clock, workers, console, json::busy).routes());
        ApiInitializer.Console parts = console.enabled()
                ? new ApiInitializer.Console(new ConsoleSessions(console.idleTimeout(), console.maxSessions(), clock),
                        new ConsoleAssets(), console)
                : new ApiInitializer.Console(null, null, console);
        Routes routes = new Routes(all);
        Authenticator authenticator = new Authenticator(auth, verifier, clock, guards);
        ApiInitializer.engine(tls).closeOutbound(); // fail at start, not on the first connection
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("nacgw-api-accept"),
                NioIoHandler.newFactory());
        EventLoopGroup io = new MultiThreadIoEventLoopGroup(settings.ioThreads(),
                new DefaultThreadFactory("nacgw-api-io"), NioIoHandler.newFactory());
        try {
            Channel ch = new ServerBootstrap().group(boss, io).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ApiInitializer(settings, tls, authenticator, routes, service, writers, metrics,
                            guards, limiter, parts))
                    .bind(DualStack.bindAddress(settings.host()), settings.port()).syncUninterruptibly().channel();
            ApiServer server = new ApiServer(boss, io, workers, writers, verifier, ch, metrics, routes, guards, limiter,
                    authenticator, iseApi, json);
            log.info("API listening on https://{} (ISE API {}, JSON API {}{})", Paths.hostPort(server.address()),
                    IseApi.API_BASE, JsonApi.BASE, console.enabled() ? ", console /console/" : "");
            return server;
        } catch (Exception e) { // Netty rethrows the checked BindException undeclared
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownNow();
            writers.shutdownNow();
            verifier.shutdownNow();
            throw new IllegalStateException("cannot bind the HTTPS API port (api.port) " + settings.host() + ":"
                    + settings.port() + ": " + e.getMessage(), e);
        }
    }

    /** File descriptors kept free beyond the API's connections: store, audit log, certificates, operations port. */
    static final long RESERVED_DESCRIPTORS = 256;

    /**
     * {@code api.maxConnections}, lowered (with a warning) to what the process's file-descriptor limit leaves after
     * {@link #RESERVED_DESCRIPTORS}, so a connection flood is refused before the store or the operations port runs
     * out of descriptors.
     */
    static int connectionCap(int configured) {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof com.sun.management.UnixOperatingSystemMXBean)) {
            return configured;
        }
        return connectionCap(configured, ((com.sun.management.UnixOperatingSystemMXBean) os).getMaxFileDescriptorCount());
    }

    /** {@link #connectionCap(int)} for a process that may open {@code max} files. */
    static int connectionCap(int configured, long max) {
        long room = max - RESERVED_DESCRIPTORS;
        if (room >= configured) {
            return configured;
        }
        int capped = (int) Math.max(16, room);
        log.warn("api.maxConnections {} lowered to {}: the process may open only {} files (raise it with ulimit -n "
                + "or LimitNOFILE=)", configured, capped, max);
        return capped;
    }

    /** The bound address (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** True while the listening socket is bound ({@code /health} says down otherwise). */
    public boolean bound() {
        return channel.isActive();
    }

    /** Counters since start. */
    public ApiStats stats() {
        return metrics.snapshot();
    }

    /**
     * Replaces the HTTP Basic users (a reload); each user's profile must exist in {@code policy}, else nothing
     * changes and the message names the user. Requests already authenticated finish as they started.
     */
    public void replaceUsers(List<ApiUser> users, AccessPolicy policy) {
        for (ApiUser u : users) {
            if (u.profile() != null && !policy.has(u.profile())) {
                throw new IllegalArgumentException("api.users." + u.name() + ".profile '" + u.profile()
                        + "' is not a policy profile (known: " + policy.names() + ")");
            }
        }
        authenticator.replaceUsers(users);
    }

    /**
     * Applies new ISE API settings (a reload): what {@code mdminfo} advertises, the redirect URL and the listing
     * page size, and the Retry-After of shed requests (ISE and JSON API alike), from the next request on.
     */
    public void updateIse(IseSettings next) {
        iseApi.update(next);
        jsonApi.busyWaitSeconds(next.busyWaitSeconds());
    }

    /** Failed TLS handshakes by reason ({@code certificate_revoked}, {@code no_shared_cipher}, ...; every reason present). */
    public java.util.Map<String, Long> tlsHandshakeFailures() {
        return guards.peerErrors.tlsHandshakeFailures();
    }

    /**
     * Receives each answered request's latency in nanoseconds (from the complete request to its answer being
     * written), on the event loop: it must not block or allocate (a pre-registered Micrometer timer).
     */
    public void onLatency(java.util.function.LongConsumer latency) {
        metrics.latency = java.util.Objects.requireNonNull(latency, "latency");
    }

    /** Counters of the abuse defences (connection caps, peer errors, revocation, Basic-auth work). */
    public ApiGuardStats guardStats() {
        return guards.snapshot(limiter.open());
    }

    /**
     * Closes every open connection whose client certificate {@code stillTrusted} now refuses (the CRL revoked it, it
     * expired): a keep-alive connection must not outlive its certificate. Wire it to the TLS context's reload
     * ({@code tls.onReload(() -> api.closeUntrustedConnections(tls::stillTrusts))}); returns how many were closed.
     */
    public int closeUntrustedConnections(Predicate<X509Certificate[]> stillTrusted) {
        int closed = 0;
        List<io.netty.channel.ChannelFuture> closing = new ArrayList<>();
        for (Channel ch : limiter.connections()) {
            X509Certificate[] chain = peerChain(ch);
            if (chain != null && !stillTrusted.test(chain)) {
                closing.add(ch.close());
                closed++;
                guards.revokedConnectionsClosed.increment();
                log.info("closed the connection from {}: its client certificate {} (serial {}) is no longer trusted",
                        ch.remoteAddress(), chain[0].getSubjectX500Principal().getName(),
                        chain[0].getSerialNumber().toString(16));
            }
        }
        for (io.netty.channel.ChannelFuture f : closing) {
            if (!f.channel().eventLoop().inEventLoop()) {
                f.awaitUninterruptibly(2, TimeUnit.SECONDS); // once this returns, no request of theirs is served
            }
        }
        return closed;
    }

    /** The verified client chain of a connection whose handshake is done, else null. */
    private static X509Certificate[] peerChain(Channel ch) {
        SslHandler ssl = ch.pipeline().get(SslHandler.class);
        if (ssl == null || !ssl.handshakeFuture().isSuccess()) {
            return null;
        }
        try {
            Certificate[] peer = ssl.engine().getSession().getPeerCertificates();
            if (peer.length == 0) {
                return null;
            }
            X509Certificate[] chain = new X509Certificate[peer.length];
            for (int i = 0; i < peer.length; i++) {
                if (!(peer[i] instanceof X509Certificate)) {
                    return null;
                }
                chain[i] = (X509Certificate) peer[i];
            }
            return chain;
        } catch (SSLPeerUnverifiedException e) {
            return null; // no client certificate: Basic or anonymous
        }
    }

    /** Every route as "METHOD /template", for documentation and the OpenAPI check. */
    public List<Route> routes() {
        return routes.all();
    }

    /** Stops accepting, closes connections, and stops the pools; waits up to a few seconds. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdown();
        writers.shutdown();
        verifier.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
            writers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("API on {} stopped", Paths.hostPort(address()));
    }
}
