package io.nacgw.nacapi.server;

import io.nacgw.nacapi.HttpResponses;
import io.nacgw.nacapi.ApiMetrics;
import io.nacgw.nacapi.ApiResponse;
import io.nacgw.nacapi.ErrorResponses;
import io.nacgw.nacapi.Paths;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

import java.util.Map;

/**
 * Aggregates bodies up to the limit. An oversized body is answered 413 in the API's own format; on a keep-alive
 * connection the rest of that body is read and discarded (closing at once would reset the connection before a
 * client still sending could read the answer), which the request deadline bounds in time.
 */
final class ApiAggregator extends HttpObjectAggregator {
    private final int maxBody;
    private final ApiMetrics metrics;

    ApiAggregator(int maxBody, ApiMetrics metrics) {
        super(maxBody);
        this.maxBody = maxBody;
        this.metrics = metrics;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        if (!(oversized instanceof HttpRequest)) {
            ctx.close();
            return;
        }
        String path = Paths.path(((HttpRequest) oversized).uri());
        ApiResponse r = ErrorResponses.render(ctx.alloc(), path, 413,
                "the request body is larger than " + maxBody + " bytes", Map.of());
        boolean keepAlive = !(oversized instanceof FullHttpMessage) && !HttpUtil.is100ContinueExpected(oversized)
                && HttpUtil.isKeepAlive(oversized);
        metrics.requests.increment();
        metrics.errors4xx.increment();
        HttpResponses.write(ctx, r, keepAlive, false);
    }
}
