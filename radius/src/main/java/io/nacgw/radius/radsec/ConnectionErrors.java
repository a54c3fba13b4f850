package io.nacgw.radius.radsec;

import io.nacgw.radius.DropReason;
import io.nacgw.radius.server.Counters;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;

/**
 * The last handler of a RadSec connection: a peer's I/O or TLS error closes its connection (counted, no stack
 * trace); anything else is our bug, logged with its stack trace and counted as an internal error, and the
 * connection is closed too (its stream position can no longer be trusted). Other connections are untouched.
 */
@Sharable
final class ConnectionErrors extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionErrors.class);
    private final Counters packetCounters;
    private final RadSecCounters counters;

    ConnectionErrors(Counters packetCounters, RadSecCounters counters) {
        this.packetCounters = packetCounters;
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            packetCounters.drop(DropReason.INTERNAL_ERROR, null, "no handler took " + msg);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!ctx.channel().isActive()) {
            return; // a late write to a connection already closed: nothing to tell anyone
        }
        if (cause instanceof IOException || cause instanceof SSLException || cause instanceof DecoderException) {
            NasSession session = ctx.pipeline().get(NasSession.class);
            if (session != null && session.client() != null) {
                counters.closed(CloseReason.CONNECTION_ERROR, ctx.channel().remoteAddress(), cause.toString());
            } // before the handshake: the handshake's failure is what is counted
        } else {
            log.error("unexpected error on RadSec connection {}", ctx.channel(), cause);
            packetCounters.drop(DropReason.INTERNAL_ERROR, null, cause.toString());
        }
        ctx.close();
    }
}
