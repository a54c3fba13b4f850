package io.nacgw.nacapi.server;

import io.nacgw.nacapi.HttpResponses;
import io.nacgw.nacapi.ApiException;
import io.nacgw.nacapi.ApiMetrics;
import io.nacgw.nacapi.ApiRequest;
import io.nacgw.nacapi.ApiResponse;
import io.nacgw.nacapi.ErrorMapper;
import io.nacgw.nacapi.ErrorResponses;
import io.nacgw.nacapi.RejectedRequest;
import io.nacgw.nacapi.Routes;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Dispatches each request to the route authentication resolved for it (no second match) and writes the answers strictly in request order (HTTP/1.1 pipelining):
 * one request is in progress per connection; later ones wait here, up to a bound. Handlers answer
 * asynchronously; the answer is written on the event loop when it completes.
 */
final class RouterHandler extends ChannelInboundHandlerAdapter {
    static final int MAX_PIPELINED = 16;
    private final ApiMetrics metrics;
    private final InFlightLimit inFlight;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private boolean busy;

    RouterHandler(ApiMetrics metrics, InFlightLimit inFlight) {
        this.metrics = metrics;
        this.inFlight = inFlight;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ApiRequest) && !(msg instanceof RejectedRequest)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (queue.size() >= MAX_PIPELINED) {
            release(msg);
            ctx.close();
            return;
        }
        queue.add(msg);
        next(ctx);
    }

    private void next(ChannelHandlerContext ctx) {
        while (!busy && !queue.isEmpty() && ctx.channel().isActive()) {
            busy = true;
            Object m = queue.poll();
            if (m instanceof RejectedRequest) {
                RejectedRequest rr = (RejectedRequest) m;
                write(ctx, rr.path(), rr.keepAlive() && !rr.error().close(), ApiMetrics.NO_START, null, rr.error());
            } else {
                dispatch(ctx, (ApiRequest) m);
            }
        }
    }

    private void dispatch(ChannelHandlerContext ctx, ApiRequest req) {
        boolean admitted = inFlight.tryAcquire();
        CompletionStage<ApiResponse> answer;
        if (admitted) {
            answer = route(req);
        } else {
            metrics.shed.increment();
            answer = CompletableFuture.failedFuture(InFlightLimit.busy());
        }
        answer.whenComplete((res, err) -> {
            if (admitted) {
                inFlight.release();
            }
            req.release();
            if (ctx.executor().inEventLoop()) {
                write(ctx, req.path(), req.keepAlive(), req.receivedNanos(), res, err);
            } else {
                ctx.executor().execute(() -> write(ctx, req.path(), req.keepAlive(), req.receivedNanos(), res, err));
            }
        });
    }

    private CompletionStage<ApiResponse> route(ApiRequest req) {
        try {
            Routes.Match m = req.route(); // resolved once, by authentication
            if (m == null) {
                throw new IllegalStateException("a request reached the router without authentication");
            }
            if (m.route() == null) {
                return CompletableFuture.failedFuture(m.allowed().isEmpty()
                        ? new ApiException(404, "no such resource")
                        : new ApiException(405, "method not allowed",
                        Map.of(HttpHeaderNames.ALLOW.toString(), String.join(", ", m.allowed())), false));
            }
            return m.route().handler().handle(req);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void write(ChannelHandlerContext ctx, String path, boolean keepAlive, long startNanos, ApiResponse res,
                       Throwable err) {
        ApiResponse r = res;
        boolean close = !keepAlive;
        if (r == null) {
            ApiException e = ErrorMapper.toApiException(err, path);
            close |= e.close();
            r = ErrorResponses.render(ctx.alloc(), path, e);
        }
        metrics.answered(startNanos);
        if (r.status() >= 500) {
            metrics.errors5xx.increment();
        } else if (r.status() >= 400) {
            metrics.errors4xx.increment();
        }
        if (HttpResponses.write(ctx, r, !close, false) == null) {
            return;
        }
        busy = false;
        next(ctx);
    }

    private static void release(Object m) {
        if (m instanceof ApiRequest) {
            ((ApiRequest) m).release();
        } else {
            ReferenceCountUtil.release(m);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        while (!queue.isEmpty()) {
            release(queue.poll());
        }
        ctx.fireChannelInactive();
    }
}
