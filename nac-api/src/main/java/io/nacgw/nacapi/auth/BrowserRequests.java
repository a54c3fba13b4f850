package io.nacgw.nacapi.auth;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;

import java.net.URI;

/**
 * What authentication needs to know about a browser's request: the console session cookie, the CSRF and console
 * headers, whether a method changes state and whether the browser says the request comes from another site. The
 * API's {@link AuthHandler} and the console's sign-in read them the same way.
 */
public final class BrowserRequests {
    /** The header carrying the session's CSRF token on every state-changing request. */
    public static final String CSRF_HEADER = "x-csrf-token";
    /** Sent by the console's scripts on every request (a custom header: another site cannot send it). */
    public static final String CONSOLE_HEADER = "x-nacgw-console";

    /** True for a method that does not change state (no CSRF token needed). */
    public static boolean safe(HttpMethod m) {
        return HttpMethod.GET.equals(m) || HttpMethod.HEAD.equals(m) || HttpMethod.OPTIONS.equals(m);
    }

    /** The console session cookie's value, or null. */
    public static String sessionCookie(HttpHeaders headers) {
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
    public static boolean crossSite(HttpHeaders headers) {
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

    private BrowserRequests() {
    }
}
