package io.nacgw.nacapi.server;

import io.nacgw.nacapi.Admission;
import io.nacgw.nacapi.ApiException;
import io.nacgw.nacapi.ApiRequest;
import io.nacgw.nacapi.Paths;
import io.nacgw.nacapi.RejectedRequest;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/** Turns an aggregated request into an {@link ApiRequest}; a request the codec could not frame into a rejection. */
@ChannelHandler.Sharable
final class ApiRequestDecoder extends MessageToMessageDecoder<FullHttpRequest> {

    ApiRequestDecoder() {
        super(FullHttpRequest.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, FullHttpRequest req, List<Object> out) {
        if (req.decoderResult().isFailure()) {
            Throwable cause = req.decoderResult().cause();
            int status = cause instanceof TooLongHttpHeaderException ? 431
                    : cause instanceof TooLongHttpLineException ? 414
                    : cause instanceof TooLongFrameException ? 413 : 400;
            String detail = status == 431 ? "the request headers are too large"
                    : status == 414 ? "the request line is too long" : "the request is not valid HTTP/1.1";
            // the codec has lost the framing: answer and close
            out.add(new RejectedRequest(Paths.path(req.uri()), false, new ApiException(status, detail, Map.of(), true)));
            return;
        }
        Admission admission = ctx.channel().attr(Admission.KEY).getAndSet(null);
        InetSocketAddress remote = ctx.channel().remoteAddress() instanceof InetSocketAddress
                ? (InetSocketAddress) ctx.channel().remoteAddress() : null;
        try {
            out.add(new ApiRequest(req.method(), req.uri(), req.headers(), req.content().retain(), admission,
                    ctx.alloc(), remote, HttpUtil.isKeepAlive(req)));
        } catch (IllegalArgumentException e) {
            req.content().release();
            out.add(new RejectedRequest(Paths.path(req.uri()), HttpUtil.isKeepAlive(req),
                    ApiException.badRequest("the request URI is malformed")));
        }
    }
}
