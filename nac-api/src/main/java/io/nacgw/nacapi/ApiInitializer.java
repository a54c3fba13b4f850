package io.nacgw.nacapi;

import io.nacgw.core.service.ComplianceService;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;

import javax.net.ssl.SSLEngine;
import java.util.ArrayList;
import java.util.List;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The request path, in order. Read top to bottom:
 * TLS → idle timeout → request deadline (slowloris) → HTTP/1.1 codec with line/header limits → authentication →
 * bulk NDJSON stream (bypasses aggregation) → aggregation with a body limit → typed request → router (in-order
 * answers) → last-resort error handler.
 */
final class ApiInitializer extends ChannelInitializer<Channel> {
    private final ApiSettings settings;
    private final ServerEngineFactory tls;
    private final Authenticator authenticator;
    private final Routes routes;
    private final ComplianceService service;
    private final Executor workers;
    private final ApiMetrics metrics;
    private final IdleCloser idleCloser;
    private final ApiRequestDecoder requestDecoder = new ApiRequestDecoder();
    private final ErrorHandler errorHandler = new ErrorHandler();

    /** {@code tls} null only in tests that drive the pipeline through an EmbeddedChannel. */
    ApiInitializer(ApiSettings settings, ServerEngineFactory tls, Authenticator authenticator, Routes routes,
                   ComplianceService service, Executor workers, ApiMetrics metrics) {
        this.settings = settings;
        this.tls = tls;
        this.authenticator = authenticator;
        this.routes = routes;
        this.service = service;
        this.workers = workers;
        this.metrics = metrics;
        this.idleCloser = new IdleCloser(metrics);
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
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            p.addLast("tls", new SslHandler(engine(tls)));
        }
        p.addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast("idleClose", idleCloser);
        RequestDeadline deadline = new RequestDeadline(settings.requestTimeout().toNanos(),
                BulkIngestHandler::isBulk, metrics);
        p.addLast("deadlineStart", deadline.start());
        p.addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(settings.maxInitialLine())
                .setMaxHeaderSize(settings.maxHeaderBytes())
                .setMaxChunkSize(64 * 1024)));
        p.addLast("deadlineEnd", deadline.end());
        p.addLast("auth", new AuthHandler(authenticator, routes, metrics));
        p.addLast("bulk", new BulkIngestHandler(service, workers, settings.bulkBatchSize(), metrics));
        p.addLast("aggregate", new ApiAggregator(settings.maxBodyBytes(), metrics));
        p.addLast("request", requestDecoder);
        p.addLast("router", new RouterHandler(routes, metrics));
        p.addLast("errors", errorHandler);
    }
}
