package io.nacgw.radius.server;

import io.nacgw.radius.DropReason;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RADIUS error policy's last line: anything that escaped a handler is counted and logged, and the datagram
 * channel stays open (closing it would take the whole port down for every NAS).
 */
@Sharable
final class ErrorHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);
    private final Counters counters;

    ErrorHandler(Counters counters) {
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            counters.drop(DropReason.INTERNAL_ERROR, null, "no handler took " + msg);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.error("unexpected error on {}", ctx.channel(), cause);
        counters.drop(DropReason.INTERNAL_ERROR, null, cause.toString());
    }
}
