package io.nacgw.nacapi;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Authenticates each request from its head, before any body is buffered: client-certificate role and/or HTTP
 * Basic, then the route group's role. A refused request's body is discarded and a {@link RejectedRequest} goes on
 * so the router answers it in order. While a password is being verified (off the event loop) reading stops and
 * anything already read waits here.
 */
final class AuthHandler extends ChannelInboundHandlerAdapter {
    static final AttributeKey<ApiPrincipal> PRINCIPAL = AttributeKey.valueOf("nacgw.principal");
    static final String CHALLENGE = "Basic realm=\"nacgw\", charset=\"UTF-8\"";
    private static final InetAddress UNKNOWN = InetAddress.getLoopbackAddress();

    private final Authenticator authenticator;
    private final Routes routes;
    private final ApiMetrics metrics;
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private boolean waiting;
    private boolean discarding;
    private boolean peerKnown;
    private X509Certificate peer;

    AuthHandler(Authenticator authenticator, Routes routes, ApiMetrics metrics) {
        this.authenticator = authenticator;
        this.routes = routes;
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (waiting) {
            held.add(msg);
            return;
        }
        handle(ctx, msg);
    }

    private void handle(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            HttpRequest req = (HttpRequest) msg;
            discarding = false;
            if (req.decoderResult().isFailure()) {
                ctx.fireChannelRead(msg); // framing errors are answered after the aggregator
                return;
            }
            RouteGroup group = routes.match(req.method(), Paths.path(req.uri())).group();
            CompletableFuture<Authenticator.Result> f = authenticator.authenticate(source(ctx),
                    req.headers().get(HttpHeaderNames.AUTHORIZATION), peer(ctx));
            if (f.isDone()) {
                apply(ctx, req, group, f.join());
                return;
            }
            waiting = true;
            ctx.channel().config().setAutoRead(false);
            f.whenComplete((result, error) -> ctx.executor().execute(() -> {
                waiting = false;
                apply(ctx, req, group, error == null ? result : Authenticator.Result.fail(500, "verification failed"));
                while (!waiting && !held.isEmpty()) {
                    handle(ctx, held.poll());
                }
                if (!waiting) {
                    ctx.channel().config().setAutoRead(true);
                }
            }));
            return;
        }
        if (msg instanceof HttpContent && discarding) {
            boolean last = msg instanceof LastHttpContent;
            ReferenceCountUtil.release(msg);
            if (last) {
                discarding = false;
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private void apply(ChannelHandlerContext ctx, HttpRequest req, RouteGroup group, Authenticator.Result result) {
        ApiPrincipal p = result.principal();
        if (p != null && p.role().covers(group.needs())) {
            ctx.channel().attr(PRINCIPAL).set(p);
            ctx.fireChannelRead(req);
            return;
        }
        metrics.authFailures.increment();
        ApiException error;
        if (p != null) {
            error = new ApiException(403, "the " + p.role().wireName() + " role may not use this route");
        } else if (result.status() == 429) {
            error = new ApiException(429, "too many failed logins; retry after " + result.retryAfterSeconds() + " seconds",
                    Map.of(HttpHeaderNames.RETRY_AFTER.toString(), Long.toString(result.retryAfterSeconds())), false);
        } else if (result.status() == 401) {
            error = new ApiException(401, "authentication required",
                    Map.of(HttpHeaderNames.WWW_AUTHENTICATE.toString(), CHALLENGE), false);
        } else if (result.retryAfterSeconds() > 0) {
            error = new ApiException(result.status(), "authentication is busy; retry after " + result.retryAfterSeconds()
                    + " seconds", Map.of(HttpHeaderNames.RETRY_AFTER.toString(), Long.toString(result.retryAfterSeconds())),
                    false);
        } else {
            error = new ApiException(result.status(), "authentication is unavailable; retry later");
        }
        boolean whole = req instanceof LastHttpContent;
        // a client waiting for 100-continue would leave the body framing open: close instead of reading it
        boolean close = !whole && HttpUtil.is100ContinueExpected(req);
        if (close) {
            error = new ApiException(error.status(), error.getMessage(), error.headers(), true);
        }
        discarding = !whole;
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        String path = Paths.path(req.uri());
        ReferenceCountUtil.release(req);
        ctx.fireChannelRead(new RejectedRequest(path, keepAlive, error));
    }

    private X509Certificate peer(ChannelHandlerContext ctx) {
        if (!peerKnown) {
            peerKnown = true;
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (ssl == null && ctx.channel().parent() != null) {
                ssl = ctx.channel().parent().pipeline().get(SslHandler.class); // an HTTP/2 stream
            }
            if (ssl != null) {
                try {
                    Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
                    if (chain.length > 0 && chain[0] instanceof X509Certificate) {
                        peer = (X509Certificate) chain[0];
                    }
                } catch (SSLPeerUnverifiedException e) {
                    peer = null;
                }
            }
        }
        return peer;
    }

    private static InetAddress source(ChannelHandlerContext ctx) {
        java.net.SocketAddress a = ctx.channel().remoteAddress();
        if (!(a instanceof InetSocketAddress) && ctx.channel().parent() != null) {
            a = ctx.channel().parent().remoteAddress();
        }
        return a instanceof InetSocketAddress ? ((InetSocketAddress) a).getAddress() : UNKNOWN;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        while (!held.isEmpty()) {
            ReferenceCountUtil.release(held.poll());
        }
        ctx.fireChannelInactive();
    }
}
