package io.nacgw.radius.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Cuts the decrypted TCP stream into RADIUS packets by their Length field (RFC 6613 §2.4) and hands each on as a
 * {@code byte[]} of exactly that length. A Length below 20 or above 4096 cannot be resynchronised (the stream has
 * no other framing): the rest of the input is discarded, {@link Listener#badLength} is told and the connection is
 * closed. A stream that ends in the middle of a packet is reported to {@link Listener#truncated}. One instance per
 * connection.
 */
public final class RadSecFrameDecoder extends ByteToMessageDecoder {
    private static final int LENGTH_OFFSET = 2;

    /** What the decoder reports besides packets. */
    public interface Listener {
        void badLength(ChannelHandlerContext ctx, int length);

        void truncated(ChannelHandlerContext ctx, int bufferedBytes);
    }

    private final Listener listener;
    private boolean failed;

    public RadSecFrameDecoder(Listener listener) {
        this.listener = listener;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < RadiusCrypto.AUTH_OFFSET) {
            return;
        }
        int length = in.getUnsignedShort(in.readerIndex() + LENGTH_OFFSET);
        if (length < RadiusCrypto.HEADER_LENGTH || length > RadiusCrypto.MAX_PACKET) {
            failed = true;
            in.skipBytes(in.readableBytes());
            listener.badLength(ctx, length);
            ctx.close();
            return;
        }
        if (in.readableBytes() < length) {
            return;
        }
        byte[] packet = new byte[length];
        in.readBytes(packet);
        out.add(packet);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        decode(ctx, in, out);
        if (!failed && in.isReadable()) {
            int n = in.readableBytes();
            in.skipBytes(n);
            listener.truncated(ctx, n);
        }
    }
}
