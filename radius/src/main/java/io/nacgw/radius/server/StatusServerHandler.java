package io.nacgw.radius.server;

import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.codec.RadiusRequest;
import io.nacgw.radius.codec.RadiusResponse;
import io.nacgw.radius.codec.ServicePort;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

import java.util.List;

/** Answers Status-Server (RFC 5997): Access-Accept on the auth port, Accounting-Response on the accounting port. */
@Sharable
final class StatusServerHandler extends SimpleChannelInboundHandler<RadiusRequest> {
    private final ServicePort port;
    private final Counters counters;

    StatusServerHandler(ServicePort port, Counters counters) {
        this.port = port;
        this.counters = counters;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, RadiusRequest r) {
        if (r.code() != RadiusCode.STATUS_SERVER) {
            ctx.fireChannelRead(r);
            return;
        }
        counters.statusServer.increment();
        ctx.writeAndFlush(new RadiusResponse(r, port.statusReplyCode(), List.of()), ctx.voidPromise());
    }
}
