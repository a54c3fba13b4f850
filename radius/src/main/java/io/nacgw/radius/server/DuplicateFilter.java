package io.nacgw.radius.server;

import io.nacgw.radius.DropReason;
import io.nacgw.radius.codec.InboundPacket;
import io.nacgw.radius.codec.NoReply;
import io.nacgw.radius.codec.OutboundPacket;
import io.nacgw.radius.codec.RadiusCode;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * The duplicate cache on the pipeline: inbound, a verified request is registered, answered from the cache, or
 * dropped as in progress; outbound, every reply is remembered and every {@link NoReply} forgets its request.
 * Status-Server stays outside (RFC 5997: clients send a new identifier each time). Only verified packets reach
 * this handler, so a forged packet can neither poison nor probe the cache.
 */
@Sharable
final class DuplicateFilter extends ChannelDuplexHandler {
    private final DuplicateCache cache;
    private final Counters counters;

    DuplicateFilter(DuplicateCache cache, Counters counters) {
        this.cache = cache;
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof InboundPacket) || ((InboundPacket) msg).code() == RadiusCode.STATUS_SERVER) {
            ctx.fireChannelRead(msg);
            return;
        }
        InboundPacket p = (InboundPacket) msg;
        DuplicateCache.Lookup l = cache.begin(p.sender(), p.code(), p.identifier(), p.authenticator());
        switch (l.verdict()) {
            case NEW:
                ctx.fireChannelRead(p);
                return;
            case RESEND:
                counters.duplicatesResent.increment();
                ctx.writeAndFlush(new OutboundPacket(p.sender(), l.reply(), null), ctx.voidPromise());
                return;
            case IN_PROGRESS:
            default:
                counters.drop(DropReason.DUPLICATE_IN_PROGRESS, p.sender(), "retransmission of id " + p.identifier()
                        + " while the first is being processed");
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof NoReply) {
            NoReply n = (NoReply) msg;
            cache.abandon(n.sender(), n.code(), n.identifier(), n.authenticator());
            promise.trySuccess();
            return;
        }
        if (msg instanceof OutboundPacket) {
            OutboundPacket o = (OutboundPacket) msg;
            if (o.request() != null && o.request().code() != RadiusCode.STATUS_SERVER) {
                cache.complete(o.request().sender(), o.request().code(), o.request().identifier(),
                        o.request().authenticator(), o.data());
            }
        }
        ctx.write(msg, promise);
    }
}
