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
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.testing.Needs;
import io.nacgw.radius.NasRegistry;
import io.nacgw.radius.RadiusSettings;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.codec.ServicePort;
import io.nacgw.radius.eap.EapSettings;
import io.nacgw.radius.proxy.ProxySettings;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Overload is shed at the front, before parsing and cryptography; each channel's receive buffer is sized to the
 * measured service rate; a reply the NAS's Proxy-State makes too large is a counted drop with one rate-limited line,
 * not an error with a stack trace.
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

    @Test
    void queueDelay_onARealEpollSocket_resizesTheReceiveBuffer_whenAMeasuringWindowOfTheTickerCloses() throws Exception {
        Needs.that(Epoll.isAvailable(), "Netty's native epoll transport (Linux; " + Epoll.unavailabilityCause() + ")");
        // the ticker moves only when the test moves it: a request every 2 ms, so the rate measured over the wall-clock
        // window is the test's, whatever the machine's load
        AtomicLong ticker = new AtomicLong();
        LongSupplier tick = ticker::get;
        RadiusSettings settings = TestWorld.settings().withMaxQueueDelay(Duration.ofSeconds(1));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try (TestWorld world = new TestWorld();
             ServerComponents components = new ServerComponents(settings, EapSettings.DISABLED, ProxySettings.NONE,
                     NasRegistry.of(List.of(TestWorld.switchClient("127.0.0.1").build())), world.services(), null,
                     tick);
             DatagramSocket nas = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            Channel auth = new Bootstrap().group(group).channel(EpollDatagramChannel.class)
                    .option(ChannelOption.SO_RCVBUF, settings.receiveBufferBytes())
                    .handler(components.initializer(ServicePort.AUTH))
                    .bind("127.0.0.1", 0).sync().channel();
            nas.setSoTimeout(10_000);
            int opened = receiveBuffer(auth);
            int requests = 300; // at least ReceiveQueue.MIN_SAMPLES, one at a time: one read loop each
            for (int i = 0; i < requests; i++) {
                assertAccepted(nas, auth, i & 0xFF);
                ticker.addAndGet(TimeUnit.MILLISECONDS.toNanos(2));
            }
            assertEquals(opened, receiveBuffer(auth), "600 ms of ticker time: the measuring window is still open");
            ticker.set(ReceiveQueue.WINDOW_NANOS);
            assertAccepted(nas, auth, 77); // the read loop that closes the window
            // 301 requests in the second since the first (the longest pause, 402 ms, is not idle): 301/s; 1 s of it is
            // 301 datagrams at 512 bytes, which Linux doubles
            int expected = (requests + 1) * ReceiveQueue.BYTES_PER_DATAGRAM;
            assertEquals(2 * expected, receiveBuffer(auth), "sized to radius.maxQueueDelay (opened with " + opened + ")");
            assertEquals(requests + 1, components.counters().accepts.sum());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /**
     * Sends a MAB request for the compliant device, checks it is accepted, and waits until the read loop that answered
     * it has ended: the next request is then read by a loop of its own.
     */
    private static void assertAccepted(DatagramSocket nas, Channel auth, int id) throws Exception {
        MacAddress mac = TestWorld.COMPLIANT;
        byte[] request = RequestBuilder.access(id).text(AttributeType.USER_NAME, mac.toHex12())
                .text(AttributeType.CALLING_STATION_ID, mac.toRfc3580())
                .integer(AttributeType.SERVICE_TYPE, AttributeType.SERVICE_TYPE_CALL_CHECK)
                .pap(mac.toHex12()).build(Secret.of(TestWorld.SECRET));
        nas.send(new DatagramPacket(request, request.length, auth.localAddress()));
        DatagramPacket reply = new DatagramPacket(new byte[4096], 4096);
        nas.receive(reply);
        assertEquals(RadiusCode.ACCESS_ACCEPT, reply.getData()[0]);
        receiveBuffer(auth);
    }

    /**
     * SO_RCVBUF as the channel's event loop sees it: the task runs after the read loop that sent the last reply has
     * ended (and resized the buffer), so nothing races the check.
     */
    private static int receiveBuffer(Channel ch) throws Exception {
        return ch.eventLoop().submit(() -> ch.config().getOption(ChannelOption.SO_RCVBUF)).get();
    }
}
