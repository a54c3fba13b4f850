package io.nacgw.radius.radsec;

import io.nacgw.radius.NasRegistry;
import io.nacgw.radius.TestWorld;
import io.nacgw.radius.codec.InboundPacket;
import io.nacgw.radius.codec.OutboundPacket;
import io.nacgw.radius.server.Counters;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The per-connection NAS handler without TLS: no packet before a NAS is known; replies to bytes. */
final class NasSessionTest {
    private final NasRegistry registry = NasRegistry.of(List.of(TestWorld.switchClient("192.0.2.1").build()));
    private final Counters counters = new Counters(Clock.systemUTC());

    @Test
    void packetsBeforeTheHandshake_areNotPassedOn() {
        EmbeddedChannel ch = new EmbeddedChannel(new NasSession(() -> registry, counters, new RadSecCounters(new RequestAdmission.Limits(128, 2048)), new RadSecLinks()));
        ch.writeInbound((Object) new byte[20]);
        assertNull(ch.readInbound());
    }

    @Test
    void replies_areWrittenAsTheirBytes() {
        EmbeddedChannel ch = new EmbeddedChannel(new NasSession(() -> registry, counters, new RadSecCounters(new RequestAdmission.Limits(128, 2048)), new RadSecLinks()));
        byte[] reply = {2, 7, 0, 20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        ch.writeOutbound(new OutboundPacket(new InetSocketAddress("127.0.0.1", 1), reply, null));
        ByteBuf out = ch.readOutbound();
        byte[] wire = new byte[out.readableBytes()];
        out.readBytes(wire);
        out.release();
        assertEquals(20, wire.length);
        assertEquals(7, wire[1]);
    }

    @Test
    void inboundPacketsFromElsewhere_passThrough() {
        EmbeddedChannel ch = new EmbeddedChannel(new NasSession(() -> registry, counters, new RadSecCounters(new RequestAdmission.Limits(128, 2048)), new RadSecLinks()));
        InboundPacket p = new InboundPacket(new InetSocketAddress("127.0.0.1", 1), new byte[20], null, null, 0);
        ch.writeInbound(p);
        assertEquals(p, ch.readInbound());
    }
}
