package io.nacgw.nacapi;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Slowloris defence: a request must arrive whole within a deadline counted from its first byte. Two handlers
 * share this per-connection state: {@link #start()} sits before the HTTP/1.1 codec and arms the deadline on the
 * first bytes of a request; {@link #end()} sits after it and disarms on the request's last content (or on the
 * head of a streaming request, which the idle timeout guards instead). An HTTP/2 stream carries one request, so
 * there {@link #streamStart()} arms the deadline when the stream opens; closing on expiry resets just that stream.
 */
final class RequestDeadline {
    private static final Logger log = LoggerFactory.getLogger(RequestDeadline.class);
    private static final LogThrottle THROTTLE = new LogThrottle(10_000);
    private final long timeoutNanos;
    private final Predicate<HttpRequest> streaming;
    private final ApiMetrics metrics;
    private ScheduledFuture<?> timer;
    private boolean inRequest;

    RequestDeadline(long timeoutNanos, Predicate<HttpRequest> streaming, ApiMetrics metrics) {
        this.timeoutNanos = timeoutNanos;
        this.streaming = streaming;
        this.metrics = metrics;
    }

    ChannelInboundHandlerAdapter start() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (!inRequest && msg instanceof ByteBuf && ((ByteBuf) msg).isReadable()) {
                    inRequest = true;
                    timer = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                cancel();
                ctx.fireChannelInactive();
            }
        };
    }

    ChannelInboundHandlerAdapter streamStart() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                inRequest = true;
                timer = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                cancel();
                ctx.fireChannelInactive();
            }
        };
    }

    ChannelInboundHandlerAdapter end() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (msg instanceof LastHttpContent
                        || (msg instanceof HttpRequest && streaming.test((HttpRequest) msg))) {
                    cancel();
                    inRequest = false;
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expire(ChannelHandlerContext ctx) {
        timer = null;
        if (inRequest && ctx.channel().isActive()) {
            metrics.slowClientsClosed.increment();
            long suppressed = THROTTLE.admit();
            if (suppressed >= 0) {
                log.warn("closing {}: request not received within {} ms ({} more such closes not logged)",
                        ctx.channel().remoteAddress(), TimeUnit.NANOSECONDS.toMillis(timeoutNanos), suppressed);
            }
            ctx.close();
        }
    }
}
