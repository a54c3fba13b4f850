package io.nacgw.nacapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nacgw.nacapi.console.ConsoleAssets;
import io.nacgw.nacapi.console.ConsoleSessions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The console's own paths under {@code /console}, in front of API authentication: the pages and assets (public: an
 * unauthenticated browser gets the sign-in page; a partner's certificate gets 403), {@code POST /console/login}
 * (an {@code api.users} admin's password, or the admin client certificate the browser presented → a new session
 * cookie, {@code Secure; HttpOnly; SameSite=Strict}, and the session's CSRF token; never over plain HTTP),
 * {@code GET /console/session} and {@code POST /console/logout}. Passwords go through the API's
 * {@link Authenticator}, so the console shares its failure limits and verification pool.
 *
 * <p>Browsers do not pipeline HTTP/1.1, so a console answer is written when ready rather than queued behind an API
 * request in progress on the same connection.
 */
final class ConsoleHandler extends ChannelInboundHandlerAdapter {
    /** The header carrying the session's CSRF token on every state-changing request. */
    static final String CSRF_HEADER = "x-csrf-token";
    /** Sent by the console's scripts on every request (a custom header: another site cannot send it). */
    static final String CONSOLE_HEADER = "x-nacgw-console";
    static final int MAX_LOGIN_BODY = 4096;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ConsoleHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";

    private final ConsoleSessions sessions;
    private final ConsoleAssets assets;
    private final Authenticator authenticator;
    private final ApiMetrics metrics;
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private HttpRequest current;
    private ByteBuf body;
    private boolean tooLarge;
    private boolean consuming;
    private boolean waiting;

    ConsoleHandler(ConsoleSessions sessions, ConsoleAssets assets, Authenticator authenticator, ApiMetrics metrics) {
        this.sessions = sessions;
        this.assets = assets;
        this.authenticator = authenticator;
        this.metrics = metrics;
    }

    static boolean safe(HttpMethod m) {
        return HttpMethod.GET.equals(m) || HttpMethod.HEAD.equals(m) || HttpMethod.OPTIONS.equals(m);
    }

    /** The console session cookie's value, or null. */
    static String sessionCookie(HttpHeaders headers) {
        String h = headers.get(HttpHeaderNames.COOKIE);
        if (h == null) {
            return null;
        }
        for (Cookie c : ServerCookieDecoder.STRICT.decode(h)) {
            if (ConsoleSessions.COOKIE.equals(c.name())) {
                return c.value();
            }
        }
        return null;
    }

    /**
     * True when a browser says the request comes from another site: {@code Sec-Fetch-Site} other than
     * {@code same-origin}/{@code none}, or an {@code Origin} whose host and port are not the request's {@code Host}.
     * Non-browser clients (NAC appliances, curl, the CLI) send neither.
     */
    static boolean crossSite(HttpHeaders headers) {
        String site = headers.get("sec-fetch-site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return true;
        }
        String origin = headers.get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            return false;
        }
        String host = headers.get(HttpHeaderNames.HOST);
        try {
            URI o = URI.create(origin);
            if (o.getHost() == null || host == null) {
                return true;
            }
            int def = "https".equals(o.getScheme()) ? 443 : 80;
            int port = o.getPort() < 0 ? def : o.getPort();
            boolean same = host.equalsIgnoreCase(o.getHost() + ":" + port)
                    || port == def && host.equalsIgnoreCase(o.getHost());
            return !same;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    static boolean isConsole(String path) {
        return path.equals(ConsoleAssets.PREFIX) || path.startsWith(ConsoleAssets.PREFIX + "/");
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
            if (!isConsole(Paths.path(req.uri())) || req.decoderResult().isFailure()) {
                consuming = false;
                ctx.fireChannelRead(msg);
                return;
            }
            consuming = true;
            current = req;
            tooLarge = false;
            body = null;
        } else if (!consuming) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (msg instanceof HttpContent) {
            ByteBuf c = ((HttpContent) msg).content();
            if (c.isReadable() && !tooLarge) {
                if ((body == null ? 0 : body.readableBytes()) + c.readableBytes() > MAX_LOGIN_BODY) {
                    tooLarge = true;
                } else {
                    if (body == null) {
                        body = ctx.alloc().buffer(c.readableBytes());
                    }
                    body.writeBytes(c);
                }
            }
        }
        boolean last = msg instanceof LastHttpContent;
        ReferenceCountUtil.release(msg);
        if (last) {
            consuming = false;
            HttpRequest req = current;
            byte[] bytes = new byte[body == null ? 0 : body.readableBytes()];
            if (body != null) {
                body.readBytes(bytes);
                body.release();
                body = null;
            }
            current = null;
            try {
                answer(ctx, req, bytes);
            } catch (RuntimeException e) {
                write(ctx, req, json(500, Map.of("error", "console error")), null);
            }
        }
    }

    private void answer(ChannelHandlerContext ctx, HttpRequest req, byte[] bytes) {
        String path = Paths.path(req.uri());
        HttpMethod m = req.method();
        if (tooLarge) {
            write(ctx, req, json(413, Map.of("error", "request body over " + MAX_LOGIN_BODY + " bytes")), null);
        } else if (path.equals(ConsoleAssets.PREFIX) && safe(m)) {
            FullHttpResponse r = response(301, "text/plain; charset=utf-8", new byte[0]);
            r.headers().set(HttpHeaderNames.LOCATION, ConsoleAssets.PREFIX + "/");
            write(ctx, req, r, null);
        } else if (path.equals(ConsoleAssets.PREFIX + "/") && safe(m)) {
            write(ctx, req, page(ctx, req), null);
        } else if (path.equals(ConsoleAssets.PREFIX + "/session") && safe(m)) {
            Optional<ConsoleSessions.Session> s = session(req);
            write(ctx, req, s.isPresent() ? json(200, Map.of("user", s.get().principal().name(),
                    "role", s.get().principal().role().wireName(), "csrf", s.get().csrf()))
                    : json(401, Map.of("error", "not signed in")), null);
        } else if (path.equals(ConsoleAssets.PREFIX + "/login") && HttpMethod.POST.equals(m)) {
            login(ctx, req, bytes);
        } else if (path.equals(ConsoleAssets.PREFIX + "/logout") && HttpMethod.POST.equals(m)) {
            logout(ctx, req);
        } else if (assets.file(path) != null && safe(m)) {
            ConsoleAssets.Asset a = assets.file(path);
            write(ctx, req, response(200, a.contentType(), a.body()), null);
        } else {
            write(ctx, req, json(404, Map.of("error", "no such console page")), null);
        }
    }

    private FullHttpResponse page(ChannelHandlerContext ctx, HttpRequest req) {
        Optional<ConsoleSessions.Session> s = session(req);
        if (s.isPresent() && s.get().principal().role() == ApiRole.ADMIN) {
            return response(200, assets.appPage().contentType(), assets.appPage().body());
        }
        X509Certificate peer = AuthHandler.peerCertificate(ctx);
        if (peer != null) {
            CompletableFuture<Authenticator.Result> f = authenticator.authenticate(AuthHandler.source(ctx), null, peer);
            Authenticator.Result r = f.getNow(null); // certificates resolve at once
            if (r != null && r.principal() != null && r.principal().role() != ApiRole.ADMIN) {
                return response(403, assets.forbiddenPage().contentType(), assets.forbiddenPage().body());
            }
        }
        return response(200, assets.loginPage().contentType(), assets.loginPage().body());
    }

    private void login(ChannelHandlerContext ctx, HttpRequest req, byte[] bytes) {
        if (AuthHandler.tls(ctx) == null) {
            write(ctx, req, json(403, Map.of("error", "the console signs in over HTTPS only")), null);
            return;
        }
        if (!req.headers().contains(CONSOLE_HEADER) || crossSite(req.headers())) {
            write(ctx, req, json(403, Map.of("error", "sign in from the console's own page")), null);
            return;
        }
        CompletableFuture<Authenticator.Result> f;
        try {
            JsonNode in = JSON.readTree(bytes.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : bytes);
            if (in.path("certificate").asBoolean(false)) {
                X509Certificate peer = AuthHandler.peerCertificate(ctx);
                if (peer == null) {
                    write(ctx, req, json(401, Map.of("error", "the browser presented no client certificate")), null);
                    return;
                }
                f = authenticator.authenticate(AuthHandler.source(ctx), null, peer);
            } else {
                String user = in.path("user").asText("");
                String password = in.path("password").asText("");
                if (user.isEmpty() || password.isEmpty() || user.indexOf(':') >= 0) {
                    write(ctx, req, json(400, Map.of("error", "give a user name and a password")), null);
                    return;
                }
                String basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                        .getBytes(StandardCharsets.UTF_8));
                f = authenticator.authenticate(AuthHandler.source(ctx), basic, null);
            }
        } catch (IOException e) {
            write(ctx, req, json(400, Map.of("error", "the body must be JSON: {\"user\":...,\"password\":...}")), null);
            return;
        }
        if (f.isDone()) {
            finishLogin(ctx, req, f.join());
            return;
        }
        waiting = true;
        ctx.channel().config().setAutoRead(false);
        f.whenComplete((result, error) -> ctx.executor().execute(() -> {
            waiting = false;
            finishLogin(ctx, req, error == null ? result : Authenticator.Result.fail(500, "verification failed"));
            while (!waiting && !held.isEmpty()) {
                handle(ctx, held.poll());
            }
            if (!waiting) {
                ctx.channel().config().setAutoRead(true);
            }
        }));
    }

    private void finishLogin(ChannelHandlerContext ctx, HttpRequest req, Authenticator.Result result) {
        ApiPrincipal p = result.principal();
        if (p == null) {
            metrics.authFailures.increment();
            int status = result.status() == 200 ? 401 : result.status();
            FullHttpResponse r = json(status, Map.of("error", status == 401 ? "wrong user name or password"
                    : status == 429 ? "too many failed sign-ins; retry after " + result.retryAfterSeconds() + " seconds"
                    : "sign-in is busy; retry shortly"));
            if (result.retryAfterSeconds() > 0) {
                r.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString(result.retryAfterSeconds()));
            }
            write(ctx, req, r, null);
            return;
        }
        if (p.role() != ApiRole.ADMIN) {
            metrics.authFailures.increment();
            write(ctx, req, json(403, Map.of("error", "the " + p.role().wireName() + " role may not use the console")),
                    null);
            return;
        }
        ConsoleSessions.Started s = sessions.start(p, sessionCookie(req.headers()));
        log.info("console: {} signed in from {}", p.name(), AuthHandler.source(ctx).getHostAddress());
        write(ctx, req, json(200, Map.of("user", p.name(), "role", p.role().wireName(), "csrf", s.csrf())),
                ConsoleSessions.COOKIE + "=" + s.id() + "; Path=/; Secure; HttpOnly; SameSite=Strict");
    }

    private void logout(ChannelHandlerContext ctx, HttpRequest req) {
        String id = sessionCookie(req.headers());
        Optional<ConsoleSessions.Session> s = id == null ? Optional.empty() : sessions.resolve(id);
        if (s.isEmpty()) {
            write(ctx, req, json(401, Map.of("error", "not signed in")), null);
            return;
        }
        if (!s.get().csrfMatches(req.headers().get(CSRF_HEADER))) {
            write(ctx, req, json(403, Map.of("error", "missing or wrong CSRF token (" + CSRF_HEADER + " header)")), null);
            return;
        }
        sessions.end(id);
        log.info("console: {} signed out", s.get().principal().name());
        write(ctx, req, response(204, JSON_TYPE, new byte[0]),
                ConsoleSessions.COOKIE + "=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Strict");
    }

    private Optional<ConsoleSessions.Session> session(HttpRequest req) {
        String id = sessionCookie(req.headers());
        return id == null ? Optional.empty() : sessions.resolve(id);
    }

    private static FullHttpResponse json(int status, Map<String, String> fields) {
        try {
            return response(status, JSON_TYPE, JSON.writeValueAsBytes(fields));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FullHttpResponse response(int status, String type, byte[] body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(body));
        ConsoleAssets.HEADERS.forEach((k, v) -> r.headers().set(k, v));
        if (status != 204) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        return r;
    }

    /** Writes {@code r} (with {@code cookie} as Set-Cookie when given: only ever over TLS). */
    private void write(ChannelHandlerContext ctx, HttpRequest req, FullHttpResponse r, String cookie) {
        if (cookie != null && AuthHandler.tls(ctx) != null) {
            r.headers().set(HttpHeaderNames.SET_COOKIE, cookie);
        }
        metrics.requests.increment();
        if (HttpMethod.HEAD.equals(req.method())) {
            r.content().clear();
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(r, keepAlive);
        if (!ctx.channel().isActive()) {
            r.release();
            return;
        }
        if (keepAlive) {
            ctx.writeAndFlush(r);
        } else {
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        while (!held.isEmpty()) {
            ReferenceCountUtil.release(held.poll());
        }
        if (body != null) {
            body.release();
            body = null;
        }
        ctx.fireChannelInactive();
    }
}
