package io.nacgw.nacapi;

import io.nacgw.core.policy.AccessPolicy;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.core.session.SessionStore;
import io.nacgw.core.net.DualStack;
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

import java.net.InetSocketAddress;
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

    private final EventLoopGroup boss;
    private final EventLoopGroup io;
    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor writers;
    private final ThreadPoolExecutor verifier;
    private final Channel channel;
    private final ApiMetrics metrics;
    private final Routes routes;

    private ApiServer(EventLoopGroup boss, EventLoopGroup io, ThreadPoolExecutor workers, ThreadPoolExecutor writers,
                      ThreadPoolExecutor verifier, Channel channel, ApiMetrics metrics, Routes routes) {
        this.boss = boss;
        this.io = io;
        this.workers = workers;
        this.writers = writers;
        this.verifier = verifier;
        this.channel = channel;
        this.metrics = metrics;
        this.routes = routes;
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
        Objects.requireNonNull(tls, "tls");
        for (ApiUser u : auth.users()) {
            if (u.profile() != null && !policy.has(u.profile())) {
                throw new IllegalArgumentException("api.users." + u.name() + ".profile '" + u.profile()
                        + "' is not a policy profile (known: " + policy.names() + ")");
            }
        }
        ApiMetrics metrics = new ApiMetrics();
        ThreadPoolExecutor workers = pool("nacgw-api-worker", settings.workerThreads(), settings.workerQueue());
        // writes (PUT, DELETE, bulk) have a pool of their own: a slow or unreachable store never takes the workers
        // that listings and lookups need
        ThreadPoolExecutor writers = pool("nacgw-api-writer", settings.workerThreads(), settings.workerQueue());
        ThreadPoolExecutor verifier = pool("nacgw-api-auth", 2, 64);
        List<Route> all = new ArrayList<>(new IseApi(ise, service, policy, clock, workers, metrics).routes());
        JsonApi json = new JsonApi(service, policy, clock, writers, settings.maxDecisionBatch(), ise.busyWaitSeconds(),
                metrics);
        all.addAll(json.routes());
        all.addAll(new SessionApi(sessions, workers, clock, json::busy).routes());
        Routes routes = new Routes(all);
        Authenticator authenticator = new Authenticator(auth, verifier, clock);
        ApiInitializer.engine(tls).closeOutbound(); // fail at start, not on the first connection
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("nacgw-api-accept"),
                NioIoHandler.newFactory());
        EventLoopGroup io = new MultiThreadIoEventLoopGroup(settings.ioThreads(),
                new DefaultThreadFactory("nacgw-api-io"), NioIoHandler.newFactory());
        try {
            Channel ch = new ServerBootstrap().group(boss, io).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ApiInitializer(settings, tls, authenticator, routes, service, writers, metrics))
                    .bind(DualStack.bindAddress(settings.host()), settings.port()).syncUninterruptibly().channel();
            ApiServer server = new ApiServer(boss, io, workers, writers, verifier, ch, metrics, routes);
            log.info("API listening on https://{} (ISE API {}, JSON API {})", hostPort(server.address()),
                    IseApi.API_BASE, JsonApi.BASE);
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

    static ThreadPoolExecutor pool(String name, int threads, int queue) {
        ThreadPoolExecutor e = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queue), new DefaultThreadFactory(name, true), new ThreadPoolExecutor.AbortPolicy());
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    static String hostPort(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    /** The bound address (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Counters since start. */
    public ApiStats stats() {
        return metrics.snapshot();
    }

    /** Every route as "METHOD /template", for documentation and the OpenAPI check. */
    List<Route> routes() {
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
        log.info("API on {} stopped", hostPort(address()));
    }
}
