package io.nacgw.nacapi.console;

import io.nacgw.nacapi.ApiResponse;
import io.nacgw.nacapi.HttpResponses;
import io.nacgw.nacapi.auth.AuthenticationWait;
import io.nacgw.nacapi.auth.BrowserRequests;
import io.nacgw.nacapi.ApiMetrics;
import io.nacgw.nacapi.ApiPrincipal;
import io.nacgw.nacapi.ApiRole;
import io.nacgw.nacapi.Paths;
import io.nacgw.nacapi.auth.AuthHandler;
import io.nacgw.nacapi.auth.Authenticator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nacgw.nacapi.auth.ConsoleSessions;
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
public final class ConsoleHandler extends ChannelInboundHandlerAdapter {
    static final int MAX_LOGIN_BODY = 4096;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ConsoleHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";

    private final ConsoleSessions sessions;
    private final ConsoleAssets assets;
    private final Authenticator authenticator;
    private final ApiMetrics metrics;
    private final AuthenticationWait wait = new AuthenticationWait();
    private HttpRequest current;
    private ByteBuf body;
    private boolean tooLarge;
    private boolean consuming;

    public ConsoleHandler(ConsoleSessions sessions, ConsoleAssets assets, Authenticator authenticator, ApiMetrics metrics) {
        this.sessions = sessions;
        this.assets = assets;
        this.authenticator = authenticator;
        this.metrics = metrics;
    }

    static boolean isConsole(String path) {
        return path.equals(ConsoleAssets.PREFIX) || path.startsWith(ConsoleAssets.PREFIX + "/");
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
        } else if (path.equals(ConsoleAssets.PREFIX) && BrowserRequests.safe(m)) {
            write(ctx, req, response(301, "text/plain; charset=utf-8", new byte[0],
                    Map.of(HttpHeaderNames.LOCATION.toString(), ConsoleAssets.PREFIX + "/")), null);
        } else if (path.equals(ConsoleAssets.PREFIX + "/") && BrowserRequests.safe(m)) {
            write(ctx, req, page(ctx, req), null);
        } else if (path.equals(ConsoleAssets.PREFIX + "/session") && BrowserRequests.safe(m)) {
            Optional<ConsoleSessions.Session> s = session(req);
            write(ctx, req, s.isPresent() ? json(200, Map.of("user", s.get().principal().name(),
                    "role", s.get().principal().role().wireName(), "csrf", s.get().csrf()))
                    : json(401, Map.of("error", "not signed in")), null);
        } else if (path.equals(ConsoleAssets.PREFIX + "/login") && HttpMethod.POST.equals(m)) {
            login(ctx, req, bytes);
        } else if (path.equals(ConsoleAssets.PREFIX + "/logout") && HttpMethod.POST.equals(m)) {
            logout(ctx, req);
        } else if (assets.file(path) != null && BrowserRequests.safe(m)) {
            ConsoleAssets.Asset a = assets.file(path);
            write(ctx, req, response(200, a.contentType(), a.body()), null);
        } else {
            write(ctx, req, json(404, Map.of("error", "no such console page")), null);
        }
    }

    private ApiResponse page(ChannelHandlerContext ctx, HttpRequest req) {
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
        if (!req.headers().contains(BrowserRequests.CONSOLE_HEADER) || BrowserRequests.crossSite(req.headers())) {
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
        wait.await(ctx, f, result -> finishLogin(ctx, req, result), m -> handle(ctx, m));
    }

    private void finishLogin(ChannelHandlerContext ctx, HttpRequest req, Authenticator.Result result) {
        ApiPrincipal p = result.principal();
        if (p == null) {
            metrics.authFailures.increment();
            int status = result.status() == 200 ? 401 : result.status();
            ApiResponse r = json(status, Map.of("error", status == 401 ? "wrong user name or password"
                    : status == 429 ? "too many failed sign-ins; retry after " + result.retryAfterSeconds() + " seconds"
                    : "sign-in is busy; retry shortly"), result.retryAfterSeconds() > 0
                    ? Map.of(HttpHeaderNames.RETRY_AFTER.toString(), Long.toString(result.retryAfterSeconds())) : Map.of());
            write(ctx, req, r, null);
            return;
        }
        if (p.role() != ApiRole.ADMIN) {
            metrics.authFailures.increment();
            write(ctx, req, json(403, Map.of("error", "the " + p.role().wireName() + " role may not use the console")),
                    null);
            return;
        }
        ConsoleSessions.Started s = sessions.start(p, BrowserRequests.sessionCookie(req.headers()));
        log.info("console: {} signed in from {}", p.name(), AuthHandler.source(ctx).getHostAddress());
        write(ctx, req, json(200, Map.of("user", p.name(), "role", p.role().wireName(), "csrf", s.csrf())),
                ConsoleSessions.COOKIE + "=" + s.id() + "; Path=/; Secure; HttpOnly; SameSite=Strict");
    }

    private void logout(ChannelHandlerContext ctx, HttpRequest req) {
        String id = BrowserRequests.sessionCookie(req.headers());
        Optional<ConsoleSessions.Session> s = id == null ? Optional.empty() : sessions.resolve(id);
        if (s.isEmpty()) {
            write(ctx, req, json(401, Map.of("error", "not signed in")), null);
            return;
        }
        if (!s.get().csrfMatches(req.headers().get(BrowserRequests.CSRF_HEADER))) {
            write(ctx, req, json(403, Map.of("error", "missing or wrong CSRF token (" + BrowserRequests.CSRF_HEADER + " header)")), null);
            return;
        }
        sessions.end(id);
        log.info("console: {} signed out", s.get().principal().name());
        write(ctx, req, response(204, JSON_TYPE, new byte[0]),
                ConsoleSessions.COOKIE + "=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Strict");
    }

    private Optional<ConsoleSessions.Session> session(HttpRequest req) {
        String id = BrowserRequests.sessionCookie(req.headers());
        return id == null ? Optional.empty() : sessions.resolve(id);
    }

    private static ApiResponse json(int status, Map<String, String> fields) {
        return json(status, fields, Map.of());
    }

    private static ApiResponse json(int status, Map<String, String> fields, Map<String, String> headers) {
        try {
            return response(status, JSON_TYPE, JSON.writeValueAsBytes(fields), headers);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiResponse response(int status, String type, byte[] body) {
        return response(status, type, body, Map.of());
    }

    /** An answer with the console's security headers ({@link ConsoleAssets#HEADERS}) and {@code extra}. */
    private static ApiResponse response(int status, String type, byte[] body, Map<String, String> extra) {
        Map<String, String> headers = new java.util.HashMap<>(ConsoleAssets.HEADERS);
        headers.putAll(extra);
        return new ApiResponse(status, type, Unpooled.wrappedBuffer(body), headers);
    }

    /** Writes {@code r} (with {@code cookie} as Set-Cookie when given: only ever over TLS). */
    private void write(ChannelHandlerContext ctx, HttpRequest req, ApiResponse r, String cookie) {
        ApiResponse answer = r;
        if (cookie != null && AuthHandler.tls(ctx) != null) {
            Map<String, String> headers = new java.util.HashMap<>(r.headers());
            headers.put(HttpHeaderNames.SET_COOKIE.toString(), cookie);
            answer = new ApiResponse(r.status(), r.contentType(), r.body(), headers);
        }
        metrics.requests.increment();
        HttpResponses.write(ctx, answer, HttpUtil.isKeepAlive(req), HttpMethod.HEAD.equals(req.method()));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        wait.releaseHeld();
        if (body != null) {
            body.release();
            body = null;
        }
        ctx.fireChannelInactive();
    }
}
