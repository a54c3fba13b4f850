package io.nacgw.nacapi.server;

import io.nacgw.nacapi.HttpResponses;
import io.nacgw.nacapi.ApiException;
import io.nacgw.nacapi.ErrorMapper;
import io.nacgw.nacapi.ErrorResponses;
import io.nacgw.nacapi.PeerErrors;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

import java.util.Map;

/**
 * The last handler, of each request pipeline and of the connection itself (before ALPN has chosen a protocol, and
 * under HTTP/2): whatever escaped the handlers before it. What a peer caused (resets, TLS alerts, a refused
 * handshake, HTTP/2 protocol errors, broken framing) closes the connection or stream with one rate-limited line
 * ({@link PeerErrors}), never a stack trace. Anything else is our bug: logged with its stack trace by
 * {@link ErrorMapper}, answered with a generic 500 where an HTTP codec is in place, and closed, since the request
 * framing can no longer be trusted. Unexpected inbound messages are released.
 */
@ChannelHandler.Sharable
final class ErrorHandler extends ChannelInboundHandlerAdapter {
    private final PeerErrors peerErrors;
    private final boolean answers;

    /** {@code answers}: an HTTP codec precedes this handler, so a 500 can be written. */
    ErrorHandler(PeerErrors peerErrors, boolean answers) {
        this.peerErrors = peerErrors;
        this.answers = answers;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        java.net.SocketAddress peer = ctx.channel().remoteAddress();
        if (peer == null && ctx.channel().parent() != null) {
            peer = ctx.channel().parent().remoteAddress(); // an HTTP/2 stream
        }
        if (peerErrors.report(peer, cause)) {
            ctx.close(); // the peer broke the framing (or the connection): one counted line, no stack trace
            return;
        }
        if (!ctx.channel().isActive()) {
            return;
        }
        ApiException e = ErrorMapper.toApiException(cause, "/");
        if (!answers) {
            ctx.close();
            return;
        }
        HttpResponses.write(ctx, ErrorResponses.render(ctx.alloc(), "/", e.status(), e.getMessage(), Map.of()), false,
                false);
    }
}
