package io.nacgw.radius.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageCodec;

import java.util.List;

/**
 * The socket edge: a datagram becomes an {@link InboundPacket} (its bytes copied, at most one byte beyond the
 * RADIUS maximum so oversize stays detectable) and an {@link OutboundPacket} becomes a datagram. Nothing after
 * this handler sees a {@link DatagramPacket}.
 */
@Sharable
public final class DatagramCodec extends MessageToMessageCodec<DatagramPacket, OutboundPacket> {

    @Override
    protected void decode(ChannelHandlerContext ctx, DatagramPacket msg, List<Object> out) {
        ByteBuf content = msg.content();
        byte[] bytes = new byte[Math.min(content.readableBytes(), RadiusCrypto.MAX_PACKET + 1)];
        content.getBytes(content.readerIndex(), bytes);
        out.add(new InboundPacket(msg.sender(), bytes, null, null, System.nanoTime()));
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, OutboundPacket msg, List<Object> out) {
        out.add(new DatagramPacket(Unpooled.wrappedBuffer(msg.data()), msg.recipient()));
    }
}
