package io.nacgw.nacapi.auth;

import io.nacgw.nacapi.Admission;
import io.nacgw.nacapi.ApiException;
import io.nacgw.nacapi.ApiMetrics;
import io.nacgw.nacapi.ApiPrincipal;
import io.nacgw.nacapi.Paths;
import io.nacgw.nacapi.RejectedRequest;
import io.nacgw.nacapi.Routes;
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
public final class AuthHandler extends ChannelInboundHandlerAdapter {
    static final String CHALLENGE = "Basic realm=\"nacgw\", charset=\"UTF-8\"";
    private static final InetAddress UNKNOWN = InetAddress.getLoopbackAddress();

    private final Authenticator authenticator;
    private final Routes routes;
    private final ApiMetrics metrics;
    /** The console's sessions (its cookie stands for a caller), or null when the console is off. */
    private final ConsoleSessions sessions;
    private final AuthenticationWait wait = new AuthenticationWait();
    private boolean discarding;
    private boolean peerKnown;
    private X509Certificate peer;

    public AuthHandler(Authenticator authenticator, Routes routes, ApiMetrics metrics) {
        this(authenticator, routes, metrics, null);
    }

    public AuthHandler(Authenticator authenticator, Routes routes, ApiMetrics metrics, ConsoleSessions sessions) {
        this.authenticator = authenticator;
        this.routes = routes;
        this.metrics = metrics;
        this.sessions = sessions;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!wait.hold(msg)) {
            handle(ctx, msg);
        }
    }

    private void handle(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            HttpRequest req = (HttpRequest) msg;
            discarding = false;
            if (req.decoderResult().isFailure()) {
                ctx.fireChannelRead(msg); // framing errors are answered after the aggregator
                return;
            }
            Routes.Match route = routes.match(req.method(), Paths.path(req.uri()));
            if (browser(ctx, req, route)) {
                return;
            }
            CompletableFuture<Authenticator.Result> f = authenticator.authenticate(source(ctx),
                    req.headers().get(HttpHeaderNames.AUTHORIZATION), peer(ctx));
            wait.await(ctx, f, result -> apply(ctx, req, route, result), m -> handle(ctx, m));
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

    /**
     * The browser's share of authentication, before any other: a console session cookie stands for its admin (a
     * state-changing request must also carry the session's CSRF token), and a state-changing request a browser
     * marks as coming from another site is refused even with a client certificate (which a browser would present
     * on its own). True when the request was dealt with here.
     */
    private boolean browser(ChannelHandlerContext ctx, HttpRequest req, Routes.Match route) {
        boolean unsafe = !BrowserRequests.safe(req.method());
        if (sessions != null && !req.headers().contains(HttpHeaderNames.AUTHORIZATION)) {
            String cookie = BrowserRequests.sessionCookie(req.headers());
            java.util.Optional<ConsoleSessions.Session> s = cookie == null ? java.util.Optional.empty()
                    : sessions.resolve(cookie);
            if (s.isPresent()) {
                if (unsafe && !s.get().csrfMatches(req.headers().get(BrowserRequests.CSRF_HEADER))) {
                    metrics.authFailures.increment();
                    reject(req, ctx, new ApiException(403, "missing or wrong CSRF token ("
                            + BrowserRequests.CSRF_HEADER + " header)"));
                } else {
                    apply(ctx, req, route, Authenticator.Result.ok(s.get().principal()));
                }
                return true;
            }
        }
        if (unsafe && BrowserRequests.crossSite(req.headers())) {
            metrics.authFailures.increment();
            reject(req, ctx, new ApiException(403, "cross-site request refused"));
            return true;
        }
        return false;
    }

    private void apply(ChannelHandlerContext ctx, HttpRequest req, Routes.Match route, Authenticator.Result result) {
        ApiPrincipal p = result.principal();
        if (p != null && p.role().covers(route.group().needs())) {
            ctx.channel().attr(Admission.KEY).set(new Admission(p, route));
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
        } else if (result.status() == 401 && req.headers().contains(BrowserRequests.CONSOLE_HEADER)) {
            // the console's own fetches: no Basic challenge, or the browser would pop up its password dialog
            error = new ApiException(401, "sign in to the console again");
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
        reject(req, ctx, error);
    }

    /** Answers {@code req} with {@code error} (in order, through the router) and discards its body. */
    private void reject(HttpRequest req, ChannelHandlerContext ctx, ApiException error) {
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
            peer = peerCertificate(ctx);
        }
        return peer;
    }

    /** The connection's verified client certificate, or null (none, or no TLS). */
    public static X509Certificate peerCertificate(ChannelHandlerContext ctx) {
        SslHandler ssl = tls(ctx);
        if (ssl != null) {
            try {
                Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
                if (chain.length > 0 && chain[0] instanceof X509Certificate) {
                    return (X509Certificate) chain[0];
                }
            } catch (SSLPeerUnverifiedException e) {
                return null;
            }
        }
        return null;
    }

    /** The connection's TLS handler (an HTTP/2 stream's is its parent's), or null when it has no TLS. */
    public static SslHandler tls(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl == null && ctx.channel().parent() != null) {
            ssl = ctx.channel().parent().pipeline().get(SslHandler.class); // an HTTP/2 stream
        }
        return ssl;
    }

    public static InetAddress source(ChannelHandlerContext ctx) {
        java.net.SocketAddress a = ctx.channel().remoteAddress();
        if (!(a instanceof InetSocketAddress) && ctx.channel().parent() != null) {
            a = ctx.channel().parent().remoteAddress();
        }
        return a instanceof InetSocketAddress ? ((InetSocketAddress) a).getAddress() : UNKNOWN;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        wait.releaseHeld();
        ctx.fireChannelInactive();
    }
}
