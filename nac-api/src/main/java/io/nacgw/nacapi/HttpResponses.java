package io.nacgw.nacapi;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.util.Map;

/**
 * The one place that turns an answer into Netty HTTP response objects and writes it: the router, the aggregator's
 * 413, the bulk stream, the request deadline's 408, the last-resort error handler, the console and the operations
 * port all answer through here, so every response gets the same framing ({@code Content-Length}, keep-alive or
 * close) and the same safety headers ({@code Cache-Control: no-store}, {@code X-Content-Type-Options: nosniff}).
 */
public final class HttpResponses {
    private HttpResponses() {
    }

    /** {@code r} as a full response: its body (none for 204), content type and length, then its own headers. */
    public static FullHttpResponse full(ApiResponse r) {
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                r.body() == null ? Unpooled.EMPTY_BUFFER : r.body());
        if (r.status() != 204) {
            http.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
            http.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, http.content().readableBytes());
        } else {
            http.content().clear();
        }
        http.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        http.headers().set("x-content-type-options", "nosniff");
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            http.headers().set(h.getKey(), h.getValue());
        }
        return http;
    }

    /**
     * Writes and flushes {@code r}; unless {@code keepAlive} the connection closes once it is written. An answer to
     * {@code HEAD} keeps its {@code Content-Length} and sends no body. On a closed channel {@code r} is released and
     * nothing is written (null is returned).
     */
    public static ChannelFuture write(ChannelHandlerContext ctx, ApiResponse r, boolean keepAlive, boolean head) {
        if (!ctx.channel().isActive()) {
            r.release();
            return null;
        }
        FullHttpResponse http = full(r);
        if (head) {
            http.content().clear();
        }
        HttpUtil.setKeepAlive(http, keepAlive);
        return ctx.writeAndFlush(http).addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE
                : ChannelFutureListener.CLOSE);
    }

    /** {@code 100 Continue}, for a client that waits for it before sending a body. */
    public static FullHttpResponse continueInterim() {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE);
    }

    /**
     * The head of a server-sent event stream (its body follows as content chunks); {@code chunked} for HTTP/1.1,
     * where the stream has no length.
     */
    public static HttpResponse eventStreamHead(boolean chunked) {
        HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .set("x-content-type-options", "nosniff")
                .set("x-accel-buffering", "no");
        if (chunked) {
            HttpUtil.setTransferEncodingChunked(res, true);
        }
        return res;
    }
}
