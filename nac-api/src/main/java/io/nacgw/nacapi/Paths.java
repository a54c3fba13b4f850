package io.nacgw.nacapi;

import java.util.ArrayList;
import java.util.List;

/** Path and text helpers shared by the router, auth, the handlers and error handling. */
public final class Paths {
    public static final String ISE_PREFIX = "/ciscoise";

    private Paths() {
    }

    /** The decoded segments of an absolute path; a trailing slash is ignored ({@code /a/b/} = {@code /a/b}). */
    public static String[] segments(String path) {
        List<String> out = new ArrayList<>(8);
        int i = path.startsWith("/") ? 1 : 0;
        int n = path.length();
        if (n > i && path.charAt(n - 1) == '/') {
            n--;
        }
        if (i >= n) {
            return new String[0];
        }
        int start = i;
        for (; i <= n; i++) {
            if (i == n || path.charAt(i) == '/') {
                String raw = path.substring(start, i);
                String seg;
                try {
                    seg = io.netty.handler.codec.http.QueryStringDecoder.decodeComponent(raw);
                } catch (IllegalArgumentException e) {
                    seg = raw; // malformed %-escape: matches no route, so the answer is 404, not a failure
                }
                out.add(seg);
                start = i + 1;
            }
        }
        return out.toArray(new String[0]);
    }

    /** True for the Cisco ISE MDM API, whose errors are XML. */
    static boolean isIse(String path) {
        return path.startsWith(ISE_PREFIX + "/") || path.equals(ISE_PREFIX);
    }

    /** The path part of a request URI (no query, no fragment). */
    public static String path(String uri) {
        int q = uri.indexOf('?');
        int h = uri.indexOf('#');
        int end = q < 0 ? h : h < 0 ? q : Math.min(q, h);
        String p = end < 0 ? uri : uri.substring(0, end);
        if (p.startsWith("http://") || p.startsWith("https://")) {
            int slash = p.indexOf('/', p.indexOf("//") + 2);
            p = slash < 0 ? "/" : p.substring(slash);
        }
        return p.isEmpty() ? "/" : p;
    }

    /** A client-supplied value made safe to echo: shortened, control characters replaced. */
    public static String printable(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        StringBuilder sb = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            sb.append(Character.isISOControl(c) ? '?' : c);
        }
        return sb.toString();
    }

    /** {@code host:port}, with an IPv6 host in brackets, for log lines. */
    public static String hostPort(java.net.InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + a.getPort();
    }
}
