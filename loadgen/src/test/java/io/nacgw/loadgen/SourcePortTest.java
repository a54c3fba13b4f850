package io.nacgw.loadgen;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

final class SourcePortTest {
    private static final byte[] SECRET = "test-secret-4711".getBytes(StandardCharsets.US_ASCII);
    private static final Targets TARGETS = Targets.synthetic(new SyntheticDevices(5, 200, SyntheticDevices.defaultMix(), "SYN-",
            Instant.parse("2026-11-23T12:00:00Z")));

    /** Counts the flushes that reach the socket end of the pipeline. */
    private static final class Flushes extends ChannelOutboundHandlerAdapter {
        int count;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            count++;
            ctx.flush();
        }
    }

    @Test
    void tick_writesEveryDueRequestThenFlushesOnce_andATickWithNothingDueDoesNotFlush() {
        // one request per second, the schedule started 2.5 s ago: 3 requests are due at the first tick, the next in 0.5 s
        LoadSettings settings = new LoadSettings(new InetSocketAddress("127.0.0.1", 1812), SECRET, 0, 1, Duration.ofSeconds(60), 0,
                Duration.ZERO, RequestShape.MAB, true, true, 1, 1, Duration.ofSeconds(5), 0, 0.1, 1, true, 0,
                LoadSettings.DEFAULT_RECEIVE_BUFFER);
        Stats stats = new Stats();
        SourcePort port = new SourcePort(settings, TARGETS, Expectations.preset("corp-wifi"), stats, 0, 0, 1);
        Flushes flushes = new Flushes();
        EmbeddedChannel ch = new EmbeddedChannel(flushes);
        Run run = new Run(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(2500), 0, TimeUnit.SECONDS.toNanos(60), 0);
        port.start(ch, run);
        assertEquals(0, flushes.count, "nothing written yet");
        port.tick();
        assertEquals(3, ch.outboundMessages().size());
        assertEquals(1, flushes.count, "three datagrams, one flush");
        assertEquals(3, stats.sent.sum());
        port.tick();
        port.scan();
        assertEquals(1, flushes.count, "nothing due, nothing timed out: no flush");
        assertEquals(3, port.inFlight());
        ch.finishAndReleaseAll();
    }
}
