package io.nacgw.nacapi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * A complete, authenticated request as the handlers see it: no Netty HTTP message types beyond headers.
 * The body is owned by the request and released after the handler has been called.
 */
public final class ApiRequest {
    private final HttpMethod method;
    private final String path;
    private final Map<String, List<String>> query;
    private final HttpHeaders headers;
    private final ByteBuf body;
    private final Admission admission;
    private final ByteBufAllocator alloc;
    private final InetSocketAddress remote;
    private final boolean keepAlive;
    /** When the request was complete (read, aggregated, authenticated): where its latency starts. */
    private final long receivedNanos = System.nanoTime();

    public ApiRequest(HttpMethod method, String uri, HttpHeaders headers, ByteBuf body, Admission admission,
               ByteBufAllocator alloc, InetSocketAddress remote, boolean keepAlive) {
        QueryStringDecoder d = new QueryStringDecoder(uri, java.nio.charset.StandardCharsets.UTF_8, true, 64);
        this.method = method;
        this.path = Paths.path(uri);
        this.query = d.parameters();
        this.headers = headers;
        this.body = body;
        this.admission = admission;
        this.alloc = alloc;
        this.remote = remote;
        this.keepAlive = keepAlive;
    }

    public long receivedNanos() {
        return receivedNanos;
    }

    public boolean keepAlive() {
        return keepAlive;
    }

    HttpMethod method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** The first value of a query parameter, or null. */
    public String param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public Map<String, List<String>> query() {
        return query;
    }

    /** The route authentication resolved this request to (matched once), or null when it was not authenticated. */
    public Routes.Match route() {
        return admission == null ? null : admission.route();
    }

    public String pathVariable(String name) {
        return pathVariables().get(name);
    }

    public Map<String, String> pathVariables() {
        return admission == null ? Map.of() : admission.route().variables();
    }

    public HttpHeaders headers() {
        return headers;
    }

    public ByteBuf body() {
        return body;
    }

    public byte[] bodyBytes() {
        byte[] b = new byte[body.readableBytes()];
        body.getBytes(body.readerIndex(), b);
        return b;
    }

    public ApiPrincipal principal() {
        return admission == null ? null : admission.principal();
    }

    public ByteBufAllocator alloc() {
        return alloc;
    }

    InetSocketAddress remote() {
        return remote;
    }

    boolean isIse() {
        return Paths.isIse(path);
    }

    public void release() {
        ReferenceCountUtil.safeRelease(body);
    }
}
