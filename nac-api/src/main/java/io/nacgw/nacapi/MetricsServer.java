package io.nacgw.nacapi;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Plain-HTTP operations endpoint, bound to localhost by default: {@code GET /health} (200 up or degraded, with the
 * reason / 503 down) and
 * {@code GET /metrics} (Prometheus text from the gateway's supplier). Separate from the API port so scraping
 * needs neither TLS nor API credentials, and the API port exposes nothing operational.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);
    static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * @param host address to bind (default 127.0.0.1)
     * @param port TCP port (default 9464; 0 picks a free one)
     */
    public record Settings(String host, int port) {
        public Settings {
            Objects.requireNonNull(host, "metrics.host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("metrics.port must be 0 to 65535, got " + port);
            }
        }

        public static Settings defaults() {
            return new Settings("127.0.0.1", 9464);
        }
    }

    /** An extra operations endpoint (e.g. sync status); runs on the server's thread, so it must answer quickly. */
    @FunctionalInterface
    public interface Operation {
        /** Answers {@code method} (GET, POST, ...) with the query string (may be empty). */
        Reply handle(String method, String query);
    }

    /** An operation's answer: HTTP status and a JSON body. */
    public record Reply(int status, String json) {
    }

    private final EventLoopGroup group;
    private final Channel channel;

    private MetricsServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /**
     * @param metrics Prometheus exposition text, built on each scrape (called on the server's own thread)
     * @param healthy true when the gateway can answer (store reachable, index loaded)
     */
    public static MetricsServer start(Settings settings, Supplier<String> metrics, BooleanSupplier healthy) {
        return start(settings, metrics, healthy, java.util.Map.of());
    }

    /** As above, with extra operations endpoints by exact path (e.g. {@code /sync/status}). */
    public static MetricsServer start(Settings settings, Supplier<String> metrics, BooleanSupplier healthy,
                                      java.util.Map<String, Operation> operations) {
        return startWithHealth(settings, metrics, () -> healthy.getAsBoolean() ? Health.UP : Health.down(""), operations);
    }

    /** As above, with a health verdict that can be {@code degraded} and say why. */
    public static MetricsServer startWithHealth(Settings settings, Supplier<String> metrics, Supplier<Health> health,
                                                java.util.Map<String, Operation> operations) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("nacgw-metrics"),
                NioIoHandler.newFactory());
        Handler handler = new Handler(metrics, health, java.util.Map.copyOf(operations));
        try {
            Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel c) {
                            c.pipeline().addLast(new ReadTimeoutHandler(30, TimeUnit.SECONDS))
                                    .addLast(new HttpServerCodec())
                                    .addLast(new HttpObjectAggregator(4096))
                                    .addLast(handler);
                        }
                    })
                    .bind(settings.host(), settings.port()).syncUninterruptibly().channel();
            MetricsServer s = new MetricsServer(group, ch);
            log.info("metrics and health on http://{}/metrics and /health", Paths.hostPort(s.address()));
            return s;
        } catch (Exception e) { // Netty rethrows the checked BindException undeclared
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot bind the operations port (metrics.port) " + settings.host() + ":"
                    + settings.port() + " for /metrics and /health: " + e.getMessage(), e);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @ChannelHandler.Sharable
    static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        /** Runs operations (reload, sync, sessions...): one thread, so two reloads never interleave. */
        private static final java.util.concurrent.ThreadPoolExecutor OPERATIONS = Workers.pool("nacgw-ops", 1, 16);
        private final Supplier<String> metrics;
        private final Supplier<Health> health;
        private final java.util.Map<String, Operation> operations;

        Handler(Supplier<String> metrics, Supplier<Health> health, java.util.Map<String, Operation> operations) {
            this.metrics = metrics;
            this.health = health;
            this.operations = operations;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String path = Paths.path(req.uri());
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            Operation op = operations.get(path);
            if (op != null && !fromLoopback(ctx)) {
                // reload, backups, traces: only for the host itself, also when metrics.host opens the port for scrapers
                respond(ctx, keepAlive, HttpResponseStatus.FORBIDDEN, "application/json",
                        "{\"error\":\"operations are answered to loopback peers only (/metrics and /health to anyone)\"}");
                return;
            }
            if (op != null) {
                // operations read files and the store: off the event loop, one at a time, a short queue
                String method = req.method().name();
                int q = req.uri().indexOf('?');
                String query = q < 0 ? "" : req.uri().substring(q + 1);
                try {
                    OPERATIONS.execute(() -> {
                        Reply r;
                        try {
                            r = op.handle(method, query);
                        } catch (RuntimeException e) {
                            log.warn("operation {} failed: {}", path, e.toString());
                            r = new Reply(500, "{\"error\":\"internal error\"}");
                        }
                        Reply done = r;
                        ctx.executor().execute(() -> respond(ctx, keepAlive, HttpResponseStatus.valueOf(done.status()),
                                "application/json", done.json()));
                    });
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    respond(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, "application/json",
                            "{\"error\":\"busy with other operations; try again\"}");
                }
                return;
            }
            HttpResponseStatus status;
            String type;
            String body;
            if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
                status = HttpResponseStatus.METHOD_NOT_ALLOWED;
                type = "text/plain; charset=utf-8";
                body = "method not allowed\n";
            } else if (path.equals("/health")) {
                Health h = health.get();
                status = h.state() == Health.State.DOWN ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.OK;
                type = "application/json";
                body = h.json();
            } else if (path.equals("/metrics")) {
                status = HttpResponseStatus.OK;
                type = PROMETHEUS;
                body = metrics.get();
            } else {
                status = HttpResponseStatus.NOT_FOUND;
                type = "text/plain; charset=utf-8";
                body = "not found\n";
            }
            respond(ctx, keepAlive, status, type, body);
        }

        static boolean fromLoopback(ChannelHandlerContext ctx) {
            return ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress a
                    && a.getAddress() != null && a.getAddress().isLoopbackAddress();
        }

        private static void respond(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status,
                                    String type, String body) {
            ByteBuf buf = ctx.alloc().buffer(body.length() + 16);
            buf.writeCharSequence(body, StandardCharsets.UTF_8);
            HttpResponses.write(ctx, ApiResponse.of(status.code(), type, buf), keepAlive, false);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("metrics connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
