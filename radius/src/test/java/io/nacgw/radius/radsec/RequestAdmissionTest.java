package io.nacgw.radius.radsec;

import io.nacgw.radius.codec.InboundPacket;
import io.nacgw.radius.codec.OutboundPacket;
import io.nacgw.radius.codec.RadiusCode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading paused by requests in flight (per connection and in total) or backed-up replies, resumed as they drain. */
final class RequestAdmissionTest {
    private static final InetSocketAddress NAS = new InetSocketAddress("127.0.0.1", 1);

    private static InboundPacket request(int id) {
        byte[] data = new byte[20];
        data[0] = RadiusCode.ACCESS_REQUEST;
        data[1] = (byte) id;
        return new InboundPacket(NAS, data, null, null, 0);
    }

    private static OutboundPacket reply(int code, int id) {
        byte[] data = new byte[20];
        data[0] = (byte) code;
        data[1] = (byte) id;
        return new OutboundPacket(NAS, data, null);
    }

    private static void answer(EmbeddedChannel ch, int code, int id) {
        ch.writeOutbound(reply(code, id));
        Object written = ch.readOutbound();
        assertEquals(id, ((OutboundPacket) written).data()[1]);
    }

    @Test
    void perConnectionBound_pausesReading_andAnAnswerResumesIt() {
        RequestAdmission.Limits limits = new RequestAdmission.Limits(2, 100);
        EmbeddedChannel ch = new EmbeddedChannel(new RequestAdmission(limits));
        ch.writeInbound(request(1));
        assertTrue(ch.config().isAutoRead());
        ch.writeInbound(request(2));
        assertFalse(ch.config().isAutoRead(), "two unanswered: reading paused");
        assertEquals(1, limits.paused.sum());
        assertEquals(2, limits.inFlight());
        answer(ch, RadiusCode.ACCESS_REJECT, 1);
        assertTrue(ch.config().isAutoRead(), "an answer drained one: reading resumed");
        assertEquals(1, limits.inFlight());
        assertEquals(2, ch.inboundMessages().size(), "every request read is passed on");
    }

    @Test
    void sameIdentifierAgain_holdsOnePlace_andOnlyAnswersFreeIt() {
        RequestAdmission.Limits limits = new RequestAdmission.Limits(2, 100);
        EmbeddedChannel ch = new EmbeddedChannel(new RequestAdmission(limits));
        ch.writeInbound(request(7));
        ch.writeInbound(request(7));
        assertTrue(ch.config().isAutoRead());
        assertEquals(1, limits.inFlight());
        ch.writeOutbound(reply(RadiusCode.COA_REQUEST, 7)); // a request of ours to the NAS, not an answer
        assertEquals(1, limits.inFlight());
        ch.readOutbound();
        answer(ch, RadiusCode.ACCESS_ACCEPT, 7);
        assertEquals(0, limits.inFlight());
    }

    @Test
    void totalBound_pausesTheConnectionThatReachesIt_andAnAnswerOnAnotherResumesIt() {
        RequestAdmission.Limits limits = new RequestAdmission.Limits(10, 2);
        EmbeddedChannel a = new EmbeddedChannel(new RequestAdmission(limits));
        EmbeddedChannel b = new EmbeddedChannel(new RequestAdmission(limits));
        a.writeInbound(request(1));
        b.writeInbound(request(1));
        assertFalse(b.config().isAutoRead(), "two in flight over both connections: the one at the bound pauses");
        answer(a, RadiusCode.ACCOUNTING_RESPONSE, 1);
        b.runPendingTasks(); // the resumption runs on b's event loop
        assertTrue(b.config().isAutoRead(), "a's answer freed a place for b");
        assertEquals(1, limits.inFlight());
    }

    @Test
    void closedConnection_freesItsPlaces() {
        RequestAdmission.Limits limits = new RequestAdmission.Limits(10, 3);
        EmbeddedChannel a = new EmbeddedChannel(new RequestAdmission(limits));
        EmbeddedChannel b = new EmbeddedChannel(new RequestAdmission(limits));
        a.writeInbound(request(1), request(2));
        b.writeInbound(request(1));
        assertFalse(b.config().isAutoRead());
        a.close();
        b.runPendingTasks();
        assertEquals(1, limits.inFlight());
        assertTrue(b.config().isAutoRead());
    }

    @Test
    void requestsNeverAnswered_freeTheirPlacesAfterTheStaleTime() {
        AtomicLong clock = new AtomicLong();
        RequestAdmission.Limits limits = new RequestAdmission.Limits(1, 10, clock::get);
        EmbeddedChannel ch = new EmbeddedChannel(new RequestAdmission(limits));
        ch.writeInbound(request(3)); // dropped by the request path: no answer ever comes
        assertFalse(ch.config().isAutoRead());
        clock.addAndGet(RequestAdmission.STALE_NANOS - 1);
        ch.advanceTimeBy(RequestAdmission.STALE_NANOS, TimeUnit.NANOSECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.config().isAutoRead(), "not stale yet: the next check is scheduled");
        clock.addAndGet(RequestAdmission.STALE_NANOS);
        ch.advanceTimeBy(RequestAdmission.STALE_NANOS, TimeUnit.NANOSECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.config().isAutoRead(), "the stale request no longer holds the connection's place");
        assertEquals(0, limits.inFlight());
    }

    @Test
    void unreadReplies_pauseReading_untilTheBacklogDrains() {
        RequestAdmission.Limits limits = new RequestAdmission.Limits(128, 2048);
        EmbeddedChannel ch = new EmbeddedChannel(new RequestAdmission(limits));
        ch.config().setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(8, 16));
        assertTrue(ch.config().isAutoRead());
        ch.write(reply(RadiusCode.ACCESS_ACCEPT, 1)); // queued, not flushed
        ch.write(io.netty.buffer.Unpooled.wrappedBuffer(new byte[64]));
        assertFalse(ch.isWritable());
        assertFalse(ch.config().isAutoRead(), "reading paused while replies back up");
        assertEquals(1, limits.paused.sum());
        ch.flush();
        assertTrue(ch.isWritable());
        assertTrue(ch.config().isAutoRead(), "reading resumed");
        ch.readOutbound();
        ((ByteBuf) ch.readOutbound()).release();
    }
}
