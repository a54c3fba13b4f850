package io.nacgw.nacapi.server;

import io.nacgw.nacapi.ApiMetrics;
import io.nacgw.nacapi.GuardMetrics;
import io.nacgw.nacapi.Routes;
import io.nacgw.nacapi.auth.AuthHandler;
import io.nacgw.nacapi.auth.Authenticator;
import io.nacgw.nacapi.console.ConsoleHandler;
import io.nacgw.nacapi.console.ConsoleServices;
import io.nacgw.nacapi.console.EventStreamHandler;
import io.nacgw.nacapi.ingest.BulkIngestHandler;
import io.nacgw.core.service.ComplianceService;
import io.nacgw.nacapi.console.ConsoleAssets;
import io.nacgw.nacapi.auth.ConsoleSessions;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The request path, in order. Read top to bottom:
 * TLS (1.2/1.3; ALPN picks HTTP/2 or HTTP/1.1) → idle timeout → then, for HTTP/1.1: request deadline
 * (slowloris) → codec with line/header limits → the request handlers; for HTTP/2: frame codec with header limits →
 * one child channel per stream with its own request deadline and the same request handlers. The request handlers are: the
 * console's pages and sign-in (when the console is on) → authentication (console session cookie and CSRF token, client
 * certificate, Basic) → live event streams (server-sent events; bypass aggregation) →
 * bulk NDJSON stream (bypasses aggregation) → aggregation with a body limit → typed request → router (at most
 * api.maxInFlightRequests answered at once over all connections, else 503 + Retry-After; in-order
 * answers) → last-resort error handler.
 */
final class ApiInitializer extends ChannelInitializer<Channel> {
    static final String H2 = "h2";
    static final String HTTP_1_1 = "http/1.1";
    static final String CONNECTION_ERRORS = "connectionErrors";

    private final ApiSettings settings;
    private final ServerEngineFactory tls;
    private final Authenticator authenticator;
    private final Routes routes;
    private final ComplianceService service;
    private final Executor workers;
    private final ApiMetrics metrics;
    private final IdleCloser idleCloser;
    private final ConnectionLimiter limiter;
    private final ErrorHandler connectionErrors;
    private final ApiRequestDecoder requestDecoder = new ApiRequestDecoder();
    private final ErrorHandler errorHandler;
    private final Console console;
    private final InFlightLimit inFlight;

    /** The operator console's parts; {@code sessions} null when the console is off (its paths then answer 404). */
    record Console(ConsoleSessions sessions, ConsoleAssets assets, ConsoleServices services) {
        static Console none() {
            return new Console(null, null, ConsoleServices.none());
        }
    }

    /** {@code tls} null only in tests that drive the pipeline through an EmbeddedChannel (HTTP/1.1 then). */
    ApiInitializer(ApiSettings settings, ServerEngineFactory tls, Authenticator authenticator, Routes routes,
                   ComplianceService service, Executor workers, ApiMetrics metrics) {
        this(settings, tls, authenticator, routes, service, workers, metrics, new GuardMetrics(),
                new ConnectionLimiter(settings.maxConnections(), settings.maxConnectionsPerAddress(), new GuardMetrics()));
    }

    ApiInitializer(ApiSettings settings, ServerEngineFactory tls, Authenticator authenticator, Routes routes,
                   ComplianceService service, Executor workers, ApiMetrics metrics, GuardMetrics guards,
                   ConnectionLimiter limiter) {
        this(settings, tls, authenticator, routes, service, workers, metrics, guards, limiter, Console.none(),
                new InFlightLimit(settings.maxInFlightRequests()));
    }

    ApiInitializer(ApiSettings settings, ServerEngineFactory tls, Authenticator authenticator, Routes routes,
                   ComplianceService service, Executor workers, ApiMetrics metrics, GuardMetrics guards,
                   ConnectionLimiter limiter, Console console) {
        this(settings, tls, authenticator, routes, service, workers, metrics, guards, limiter, console,
                new InFlightLimit(settings.maxInFlightRequests()));
    }

    /** {@code inFlight} is shared by every connection of the server (the request admission of api.maxInFlightRequests). */
    ApiInitializer(ApiSettings settings, ServerEngineFactory tls, Authenticator authenticator, Routes routes,
                   ComplianceService service, Executor workers, ApiMetrics metrics, GuardMetrics guards,
                   ConnectionLimiter limiter, Console console, InFlightLimit inFlight) {
        this.inFlight = inFlight;
        this.console = console;
        this.settings = settings;
        this.tls = tls;
        this.authenticator = authenticator;
        this.routes = routes;
        this.service = service;
        this.workers = workers;
        this.metrics = metrics;
        this.idleCloser = new IdleCloser(metrics);
        this.limiter = limiter;
        this.connectionErrors = new ErrorHandler(guards.peerErrors, false);
        this.errorHandler = new ErrorHandler(guards.peerErrors, true);
    }

    /** A server engine restricted to TLS 1.2 and 1.3, whatever the factory enabled. */
    static SSLEngine engine(ServerEngineFactory factory) {
        SSLEngine engine = factory.newEngine();
        engine.setUseClientMode(false);
        List<String> allowed = new ArrayList<>();
        for (String p : engine.getEnabledProtocols()) {
            if (p.equals("TLSv1.3") || p.equals("TLSv1.2")) {
                allowed.add(p);
            }
        }
        if (allowed.isEmpty()) {
            throw new IllegalStateException("the TLS engine enables neither TLSv1.2 nor TLSv1.3");
        }
        engine.setEnabledProtocols(allowed.toArray(new String[0]));
        return engine;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (!limiter.admit(ch)) {
            return;
        }
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            SSLEngine engine = engine(tls);
            if (settings.http2()) {
                SSLParameters params = engine.getSSLParameters(); // a copy of the factory's, client-auth included
                params.setApplicationProtocols(new String[] {H2, HTTP_1_1});
                engine.setSSLParameters(params);
            }
            SslHandler ssl = new SslHandler(engine);
            ssl.setHandshakeTimeoutMillis(settings.handshakeTimeout().toMillis());
            p.addLast("tls", ssl);
        }
        p.addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast("idleClose", idleCloser);
        if (tls != null && settings.http2()) {
            p.addLast("alpn", new Alpn());
        } else {
            http1(p);
        }
        p.addLast(CONNECTION_ERRORS, connectionErrors);
    }

    private void http1(ChannelPipeline p) {
        RequestDeadline deadline = new RequestDeadline(settings.requestTimeout().toNanos(), settings.minBodyRate(),
                BulkIngestHandler::isBulk, metrics);
        p.addLast("deadlineStart", deadline.start());
        p.addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(settings.maxInitialLine())
                .setMaxHeaderSize(settings.maxHeaderBytes())
                .setMaxChunkSize(64 * 1024)));
        p.addLast("deadlineEnd", deadline.end());
        requestHandlers(p);
    }

    private void http2(ChannelPipeline p) {
        p.addLast("h2", Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(RouterHandler.MAX_PIPELINED * 8L)
                        .maxHeaderListSize(settings.maxHeaderBytes()))
                .build());
        p.addLast("streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                RequestDeadline deadline = new RequestDeadline(settings.requestTimeout().toNanos(),
                        settings.minBodyRate(), BulkIngestHandler::isBulk, metrics);
                stream.pipeline().addLast("deadlineStart", deadline.streamStart());
                stream.pipeline().addLast("h2http", new Http2StreamFrameToHttpObjectCodec(true));
                stream.pipeline().addLast("deadlineEnd", deadline.end());
                requestHandlers(stream.pipeline());
            }
        }));
    }

    private void requestHandlers(ChannelPipeline p) {
        if (console.sessions() != null) {
            p.addLast("console", new ConsoleHandler(console.sessions(), console.assets(), authenticator, metrics));
        }
        p.addLast("auth", new AuthHandler(authenticator, routes, metrics, console.sessions()));
        p.addLast("events", new EventStreamHandler(console.services(), workers, settings.idleTimeout()));
        p.addLast("bulk", new BulkIngestHandler(service, workers, settings.bulkBatchSize(), metrics));
        p.addLast("aggregate", new ApiAggregator(settings.maxBodyBytes(), metrics));
        p.addLast("request", requestDecoder);
        p.addLast("router", new RouterHandler(metrics, inFlight));
        p.addLast("errors", errorHandler);
    }

    /**
     * Waits for the TLS handshake, then installs HTTP/2 or HTTP/1.1 as ALPN chose (none chosen: HTTP/1.1). Anything
     * decrypted before that is held and replayed into the new handlers.
     */
    private final class Alpn extends ChannelInboundHandlerAdapter {
        private final ArrayDeque<Object> early = new ArrayDeque<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            early.add(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof SslHandshakeCompletionEvent) {
                if (!((SslHandshakeCompletionEvent) evt).isSuccess()) {
                    ctx.close();
                    return;
                }
                String chosen = ctx.pipeline().get(SslHandler.class).engine().getApplicationProtocol();
                ChannelPipeline p = ctx.pipeline();
                p.remove(CONNECTION_ERRORS);
                if (H2.equals(chosen)) {
                    http2(p);
                } else {
                    http1(p);
                }
                p.addLast(CONNECTION_ERRORS, connectionErrors); // still the last handler of the connection
                ctx.fireUserEventTriggered(evt);
                // replay from here onwards (the pipeline's head would run the bytes through TLS again)
                while (!early.isEmpty()) {
                    ctx.fireChannelRead(early.poll());
                }
                ctx.fireChannelReadComplete();
                p.remove(this);
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            // replayed by then; anything left means the channel is closing
            while (!early.isEmpty()) {
                ReferenceCountUtil.release(early.poll());
            }
        }
    }
}
