package io.nacgw.radius.codec;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Framing of the decrypted stream by the RADIUS Length field, with golden and broken bytes. */
final class RadSecFrameDecoderTest {
    private final List<Integer> badLengths = new ArrayList<>();
    private final List<Integer> truncated = new ArrayList<>();

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new RadSecFrameDecoder(new RadSecFrameDecoder.Listener() {
            @Override
            public void badLength(ChannelHandlerContext ctx, int length) {
                badLengths.add(length);
            }

            @Override
            public void truncated(ChannelHandlerContext ctx, int bufferedBytes) {
                truncated.add(bufferedBytes);
            }
        }));
    }

    private static byte[] packet(int id, int length) {
        byte[] p = new byte[length];
        p[0] = 1;
        p[1] = (byte) id;
        p[2] = (byte) (length >> 8);
        p[3] = (byte) length;
        Arrays.fill(p, 4, length, (byte) id);
        return p;
    }

    @Test
    void packetsSplitAcrossReads_andSeveralInOneRead_comeOutWhole() {
        EmbeddedChannel ch = channel();
        byte[] a = packet(1, 20);
        byte[] b = packet(2, 4096);
        byte[] c = packet(3, 38);
        ch.writeInbound(Unpooled.wrappedBuffer(a, 0, 3)); // not even the whole Length field
        assertNull(ch.readInbound());
        ch.writeInbound(Unpooled.wrappedBuffer(a, 3, 17));
        ch.writeInbound(Unpooled.wrappedBuffer(b, 0, 1000));
        assertArrayEquals(a, ch.readInbound());
        assertNull(ch.readInbound());
        byte[] rest = new byte[b.length - 1000 + c.length];
        System.arraycopy(b, 1000, rest, 0, b.length - 1000);
        System.arraycopy(c, 0, rest, b.length - 1000, c.length);
        ch.writeInbound(Unpooled.wrappedBuffer(rest));
        assertArrayEquals(b, ch.readInbound());
        assertArrayEquals(c, ch.readInbound());
        assertEquals(List.of(), badLengths);
        ch.finish();
        assertEquals(List.of(), truncated);
    }

    @Test
    void lengthBelow20_orAbove4096_closesAndDiscardsTheRest() {
        for (int length : new int[] {0, 19, 4097, 65535}) {
            EmbeddedChannel ch = channel();
            byte[] good = packet(9, 20);
            byte[] bad = {1, 1, (byte) (length >> 8), (byte) length, 5, 5, 5};
            byte[] both = new byte[bad.length + good.length];
            System.arraycopy(bad, 0, both, 0, bad.length);
            System.arraycopy(good, 0, both, bad.length, good.length);
            ch.writeInbound(Unpooled.wrappedBuffer(both));
            assertNull(ch.readInbound(), "nothing after a bad Length is trusted");
            assertFalse(ch.isOpen(), "closed");
        }
        assertEquals(List.of(0, 19, 4097, 65535), badLengths);
    }

    @Test
    void streamEndingInsideAPacket_isReportedTruncated() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.wrappedBuffer(packet(1, 40), 0, 25));
        ch.finish();
        assertEquals(List.of(25), truncated);
    }
}
