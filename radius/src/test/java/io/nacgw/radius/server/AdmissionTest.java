package io.nacgw.radius.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.nacgw.radius.DropReason;
import io.nacgw.core.testing.MutableClock;
import io.nacgw.radius.RequestBuilder;
import io.nacgw.core.secret.Secret;
import io.nacgw.radius.TestWorld;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.InboundPacket;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Overload is shed at the front, before parsing and cryptography; a reply the NAS's Proxy-State makes too large is a
 * counted drop with one rate-limited line, not an error with a stack trace.
 */
final class AdmissionTest {

    @Test
    void overRate_newestAreDropped_beforeTheNextHandler_andCounted() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        Counters counters = new Counters(new MutableClock(Instant.EPOCH));
        AtomicLong passed = new AtomicLong();
        EmbeddedChannel ch = new EmbeddedChannel(new Admission(1000, now::get, counters),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        passed.incrementAndGet(); // stands for client lookup, structure, HMAC, decode
                    }
                });
        InboundPacket p = new InboundPacket(Pipeline.NAS, new byte[20], null, null, 0);
        for (int i = 0; i < 1000; i++) { // a burst of 1000 at one instant against 1000/s
            ch.writeInbound(p);
        }
        assertEquals(51, passed.get(), "the 50 ms burst allowance and the one due now");
        assertEquals(949, counters.drops(DropReason.OVERLOADED));
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
        for (int i = 0; i < 1000; i++) {
            ch.writeInbound(p);
        }
        assertEquals(51 + 51, passed.get(), "100 ms later: the allowance refilled, never beyond one burst");
        assertEquals(949 + 949, counters.drops(DropReason.OVERLOADED));
        for (int i = 0; i < 100; i++) { // at the admitted rate nothing is shed
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
            ch.writeInbound(p);
        }
        assertEquals(51 + 51 + 100, passed.get());
        ch.finishAndReleaseAll();
    }

    @Test
    void zeroRate_admitsEverything() {
        AtomicLong passed = new AtomicLong();
        EmbeddedChannel ch = new EmbeddedChannel(new Admission(0, () -> 0L, new Counters(new MutableClock(Instant.EPOCH))),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        passed.incrementAndGet();
                    }
                });
        for (int i = 0; i < 10_000; i++) {
            ch.writeInbound(new InboundPacket(Pipeline.NAS, new byte[20], null, null, 0));
        }
        assertEquals(10_000, passed.get());
        ch.finishAndReleaseAll();
    }

    @Test
    void oversizedProxyState_isOneCountedDrop_withoutStackTrace() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try (TestWorld world = new TestWorld(); Pipeline p = new Pipeline(world)) {
            RequestBuilder b = RequestBuilder.access(7)
                    .text(AttributeType.USER_NAME, "001122334401")
                    .text(AttributeType.CALLING_STATION_ID, "00-11-22-33-44-01")
                    .integer(AttributeType.SERVICE_TYPE, AttributeType.SERVICE_TYPE_CALL_CHECK)
                    .pap("001122334401");
            for (int i = 0; i < 15; i++) { // ~4 kB of Proxy-State: the request fits, the reply with them does not
                b.raw(AttributeType.PROXY_STATE, new byte[253]);
            }
            b.raw(AttributeType.PROXY_STATE, new byte[172]); // request 4094 bytes, reply 4101
            byte[] request = b.build(Secret.of(TestWorld.SECRET));
            assertTrue(request.length <= 4096, "request " + request.length);
            for (int i = 0; i < 20; i++) {
                assertTrue(p.auth(request) == null, "no reply can be sent");
            }
            assertEquals(20, p.counters().drops(DropReason.REPLY_TOO_LARGE));
            assertEquals(0, p.counters().drops(DropReason.INTERNAL_ERROR));
        } finally {
            root.detachAppender(logs);
        }
        List<ILoggingEvent> warnings = logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .collect(Collectors.toList());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).getFormattedMessage().contains("reply_too_large"), warnings.get(0).getFormattedMessage());
        for (ILoggingEvent e : logs.list) {
            assertNull(e.getThrowableProxy(), "stack trace: " + e.getFormattedMessage());
        }
    }
}
