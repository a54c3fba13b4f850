package io.nacgw.radius.server;

import io.nacgw.radius.DecisionStats;
import io.nacgw.radius.DropReason;
import io.nacgw.radius.NasClient;
import io.nacgw.radius.NasRegistry;
import io.nacgw.radius.codec.InboundPacket;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * First check of every datagram: is the source a configured NAS client? Unknown sources are dropped before a
 * single byte is parsed. The client found travels with the packet, so a reload mid-request changes nothing for it.
 */
@Sharable
final class ClientFilter extends SimpleChannelInboundHandler<InboundPacket> {
    private final Supplier<NasRegistry> registry;
    private final Counters counters;
    private final DecisionStats decisions;
    private final Clock clock;

    ClientFilter(Supplier<NasRegistry> registry, Counters counters, DecisionStats decisions, Clock clock) {
        this.registry = registry;
        this.counters = counters;
        this.decisions = decisions;
        this.clock = clock;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, InboundPacket p) {
        counters.received.increment();
        NasClient client = registry.get().find(p.sender().getAddress());
        if (client == null) {
            counters.drop(DropReason.UNKNOWN_CLIENT, p.sender(), "no NAS client matches the source address");
            return;
        }
        decisions.seen(client.name(), clock.millis());
        ctx.fireChannelRead(p.withClient(client));
    }
}
