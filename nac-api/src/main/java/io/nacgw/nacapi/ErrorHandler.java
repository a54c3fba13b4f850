package io.nacgw.nacapi;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.util.Map;

/**
 * The last handler: whatever escaped the handlers before it. Transport failures (resets, TLS alerts) close the
 * connection quietly; anything else is answered with a generic 500 (see {@link ErrorMapper}) and closed, since
 * the request framing can no longer be trusted. Unexpected inbound messages are released.
 */
@ChannelHandler.Sharable
final class ErrorHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || cause instanceof SSLException
                || (cause instanceof DecoderException && cause.getCause() instanceof SSLException)) {
            log.debug("closing {}: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
            return;
        }
        if (!ctx.channel().isActive()) {
            return;
        }
        ApiException e = ErrorMapper.toApiException(cause, "/");
        FullHttpResponse res = RouterHandler.toHttp(ErrorResponses.render(ctx.alloc(), "/", e.status(), e.getMessage(), Map.of()));
        HttpUtil.setKeepAlive(res, false);
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
}
