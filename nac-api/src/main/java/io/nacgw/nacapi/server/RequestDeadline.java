package io.nacgw.nacapi.server;

import io.nacgw.nacapi.HttpResponses;
import io.nacgw.nacapi.ApiMetrics;
import io.nacgw.nacapi.ErrorResponses;
import io.nacgw.nacapi.Paths;
import io.nacgw.core.log.LogThrottle;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Slowloris defence. An ordinary request must arrive whole within a deadline counted from its first byte. A
 * streaming request (the bulk NDJSON upload) has no total deadline, since a large upload legitimately takes
 * minutes: instead its body must keep arriving at a minimum rate, checked over consecutive windows as long as the
 * deadline (a window in which the server itself had stopped reading, to apply back-pressure, does not count).
 *
 * <p>Two handlers share this per-connection state: {@link #start()} sits before the HTTP/1.1 codec and arms the
 * deadline on the first bytes of a request; {@link #end()} sits after it, disarms on the request's last content,
 * and switches to the rate check on the head of a streaming request. An HTTP/2 stream carries one request, so there
 * {@link #streamStart()} arms the deadline when the stream opens.
 *
 * <p>A request cut off after its head was read gets a final {@code 408} (so a client that already saw
 * {@code 100 Continue} cannot take the close for success), then the connection (HTTP/2: the stream) is closed.
 */
final class RequestDeadline {
    private static final Logger log = LoggerFactory.getLogger(RequestDeadline.class);
    private static final LogThrottle THROTTLE = LogThrottle.every(Duration.ofSeconds(10));
    private final long timeoutNanos;
    private final long minBytesPerWindow;
    private final Predicate<HttpRequest> streaming;
    private final ApiMetrics metrics;
    private ScheduledFuture<?> timer;
    private boolean inRequest;
    private boolean streamingBody;
    private long windowBytes;
    private boolean windowPaused;
    /** The context after the codec once a request head was read there (a 408 can be written), else null. */
    private ChannelHandlerContext headCtx;
    private String headPath;

    /**
     * @param timeoutNanos  the deadline of an ordinary request, and the window of the streaming rate check
     * @param minBytesPerSecond the slowest a streaming body may arrive, averaged over each window
     */
    RequestDeadline(long timeoutNanos, long minBytesPerSecond, Predicate<HttpRequest> streaming, ApiMetrics metrics) {
        this.timeoutNanos = timeoutNanos;
        this.minBytesPerWindow = (long) Math.ceil(minBytesPerSecond * (timeoutNanos / 1e9));
        this.streaming = streaming;
        this.metrics = metrics;
    }

    ChannelInboundHandlerAdapter start() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (!inRequest && !streamingBody && msg instanceof ByteBuf && ((ByteBuf) msg).isReadable()) {
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
                if (msg instanceof HttpRequest) {
                    headCtx = ctx;
                    headPath = Paths.path(((HttpRequest) msg).uri());
                    if (streaming.test((HttpRequest) msg) && !(msg instanceof LastHttpContent)) {
                        cancel();
                        inRequest = false;
                        streamingBody = true;
                        windowBytes = 0;
                        windowPaused = false;
                        timer = ctx.executor().schedule(() -> checkRate(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
                    }
                }
                if (msg instanceof HttpContent) {
                    windowBytes += ((HttpContent) msg).content().readableBytes();
                }
                if (msg instanceof LastHttpContent) {
                    cancel();
                    inRequest = false;
                    streamingBody = false;
                    headCtx = null;
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
                if (streamingBody && !ctx.channel().config().isAutoRead()) {
                    windowPaused = true; // the server is holding the sender back; this window proves nothing
                }
                ctx.fireChannelReadComplete();
            }
        };
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void checkRate(ChannelHandlerContext ctx) {
        timer = null;
        if (!streamingBody || !ctx.channel().isActive()) {
            return;
        }
        boolean paused = windowPaused || !ctx.channel().config().isAutoRead();
        if (!paused && windowBytes < minBytesPerWindow) {
            cutOff(ctx, "request body arrived at " + windowBytes + " bytes in " + millis() + " ms, below the minimum rate");
            return;
        }
        windowBytes = 0;
        windowPaused = false;
        timer = ctx.executor().schedule(() -> checkRate(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void expire(ChannelHandlerContext ctx) {
        timer = null;
        if (inRequest && ctx.channel().isActive()) {
            cutOff(ctx, "request not received within " + millis() + " ms");
        }
    }

    private long millis() {
        return TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
    }

    private void cutOff(ChannelHandlerContext ctx, String why) {
        metrics.slowClientsClosed.increment();
        long suppressed = THROTTLE.admit();
        if (suppressed >= 0) {
            log.warn("closing {}: {} ({} more such closes not logged)", ctx.channel().remoteAddress(), why, suppressed);
        }
        inRequest = false;
        streamingBody = false;
        ChannelHandlerContext head = headCtx;
        headCtx = null;
        if (head == null) {
            ctx.close(); // not even a request line: nothing to answer
            return;
        }
        metrics.errors4xx.increment();
        HttpResponses.write(head, ErrorResponses.render(head.alloc(), headPath, 408, why, Map.of()), false, false);
    }
}
