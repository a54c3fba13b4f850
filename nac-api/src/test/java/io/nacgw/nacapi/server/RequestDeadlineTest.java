package io.nacgw.nacapi.server;

import io.nacgw.nacapi.ApiMetrics;
import io.nacgw.nacapi.ingest.BulkIngestHandler;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The slowloris deadline on the embedded event loop's clock: no sleeping. */
final class RequestDeadlineTest {
    private static final long TIMEOUT_MS = 1000;
    private static final long MIN_RATE = 1000; // bytes per second: 1000 per window

    private static RequestDeadline deadline(ApiMetrics m) {
        return new RequestDeadline(TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS), MIN_RATE, BulkIngestHandler::isBulk, m);
    }

    @Test
    void http1_partialHeaders_closeAtTheDeadline_countedFromTheFirstByte() {
        ApiMetrics m = new ApiMetrics();
        RequestDeadline d = deadline(m);
        EmbeddedChannel ch = new EmbeddedChannel(d.start(), new HttpServerCodec(), d.end());
        ch.freezeTime();
        ch.advanceTimeBy(5, TimeUnit.SECONDS); // idle before the first byte is the idle timeout's business
        ch.runScheduledPendingTasks();
        assertTrue(ch.isActive());
        ch.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHo", StandardCharsets.US_ASCII));
        ch.advanceTimeBy(TIMEOUT_MS - 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ch.writeInbound(Unpooled.copiedBuffer("s", StandardCharsets.US_ASCII)); // a trickle does not re-arm
        assertTrue(ch.isActive());
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isActive());
        assertEquals(1, m.slowClientsClosed.sum());
        ch.finishAndReleaseAll();
    }

    @Test
    void http1_completeRequests_disarm_andTheNextRequestGetsAFreshDeadline() {
        RequestDeadline d = deadline(new ApiMetrics());
        EmbeddedChannel ch = new EmbeddedChannel(d.start(), new HttpServerCodec(), d.end());
        ch.freezeTime();
        for (int i = 0; i < 3; i++) {
            ch.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
            ch.advanceTimeBy(TIMEOUT_MS * 2, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
            assertTrue(ch.isActive(), "request " + i);
        }
        ch.finishAndReleaseAll();
    }

    @Test
    void http2Stream_isClosedUnlessItsRequestEndsInTime() {
        RequestDeadline slow = deadline(new ApiMetrics());
        EmbeddedChannel stalled = new EmbeddedChannel(slow.streamStart(), slow.end());
        stalled.freezeTime();
        stalled.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/api/v1/devices/x"));
        stalled.advanceTimeBy(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        stalled.runScheduledPendingTasks();
        assertFalse(stalled.isActive());
        stalled.finishAndReleaseAll();

        RequestDeadline ok = deadline(new ApiMetrics());
        EmbeddedChannel done = new EmbeddedChannel(ok.streamStart(), ok.end());
        done.freezeTime();
        done.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/api/v1/devices/x"));
        done.writeInbound(new DefaultLastHttpContent());
        done.advanceTimeBy(TIMEOUT_MS * 5, TimeUnit.MILLISECONDS);
        done.runScheduledPendingTasks();
        assertTrue(done.isActive());
        Object m;
        while ((m = done.readInbound()) != null) {
            ReferenceCountUtil.release(m);
        }
        done.finishAndReleaseAll();
    }

    private static final String BULK_HEAD = "POST /api/v1/devices:bulk HTTP/1.1\r\nHost: x\r\n"
            + "Content-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n";

    private static io.netty.buffer.ByteBuf chunk(int bytes) {
        return Unpooled.copiedBuffer(Integer.toHexString(bytes) + "\r\n" + "x".repeat(bytes) + "\r\n",
                StandardCharsets.US_ASCII);
    }

    private static String outbound(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            if (o instanceof io.netty.buffer.ByteBuf) {
                sb.append(((io.netty.buffer.ByteBuf) o).toString(StandardCharsets.US_ASCII));
            }
            ReferenceCountUtil.release(o);
        }
        return sb.toString();
    }

    private static void drainInbound(EmbeddedChannel ch) {
        Object o;
        while ((o = ch.readInbound()) != null) {
            ReferenceCountUtil.release(o);
        }
    }

    @Test
    void http1_streamingBody_atTheMinimumRate_outlivesTheDeadline_andEndsNormally() {
        ApiMetrics m = new ApiMetrics();
        RequestDeadline d = deadline(m);
        EmbeddedChannel ch = new EmbeddedChannel(d.start(), new HttpServerCodec(), d.end());
        ch.freezeTime();
        ch.writeInbound(Unpooled.copiedBuffer(BULK_HEAD, StandardCharsets.US_ASCII));
        for (int i = 0; i < 30; i++) { // 30 windows, far past the 1 s total deadline of an ordinary request
            ch.writeInbound(chunk(600));
            ch.advanceTimeBy(TIMEOUT_MS / 2, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
            drainInbound(ch);
            assertTrue(ch.isActive(), "cut off after " + (i + 1) * TIMEOUT_MS / 2 + " ms at 1200 bytes/s");
        }
        ch.writeInbound(Unpooled.copiedBuffer("0\r\n\r\n", StandardCharsets.US_ASCII));
        drainInbound(ch);
        ch.advanceTimeBy(TIMEOUT_MS * 10, TimeUnit.MILLISECONDS); // between requests only the idle timeout counts
        ch.runScheduledPendingTasks();
        assertTrue(ch.isActive());
        assertEquals(0, m.slowClientsClosed.sum());
        assertEquals("", outbound(ch));
        ch.finishAndReleaseAll();
    }

    @Test
    void http1_streamingBody_belowTheMinimumRate_gets408_thenTheConnectionCloses() {
        ApiMetrics m = new ApiMetrics();
        RequestDeadline d = deadline(m);
        EmbeddedChannel ch = new EmbeddedChannel(d.start(), new HttpServerCodec(), d.end());
        ch.freezeTime();
        ch.writeInbound(Unpooled.copiedBuffer(BULK_HEAD, StandardCharsets.US_ASCII));
        ch.writeInbound(chunk(5000));
        ch.advanceTimeBy(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isActive(), "the first window had enough");
        ch.writeInbound(chunk(100)); // a trickle: 100 bytes in the next window, 1000 needed
        ch.advanceTimeBy(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        String out = outbound(ch);
        assertTrue(out.startsWith("HTTP/1.1 408 "), out);
        assertTrue(out.contains("minimum rate"), out);
        assertFalse(ch.isActive());
        assertEquals(1, m.slowClientsClosed.sum());
        ch.finishAndReleaseAll();
    }

    @Test
    void http1_stalledStreamingBody_gets408() {
        RequestDeadline d = deadline(new ApiMetrics());
        EmbeddedChannel ch = new EmbeddedChannel(d.start(), new HttpServerCodec(), d.end());
        ch.freezeTime();
        ch.writeInbound(Unpooled.copiedBuffer(BULK_HEAD, StandardCharsets.US_ASCII));
        ch.advanceTimeBy(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(outbound(ch).startsWith("HTTP/1.1 408 "));
        assertFalse(ch.isActive());
        ch.finishAndReleaseAll();
    }

    @Test
    void http1_windowWhileTheServerHeldTheSenderBack_doesNotCount() {
        RequestDeadline d = deadline(new ApiMetrics());
        EmbeddedChannel ch = new EmbeddedChannel(d.start(), new HttpServerCodec(), d.end());
        ch.freezeTime();
        ch.writeInbound(Unpooled.copiedBuffer(BULK_HEAD, StandardCharsets.US_ASCII));
        ch.config().setAutoRead(false); // the bulk handler waits for a commit
        ch.pipeline().fireChannelReadComplete();
        for (int i = 0; i < 5; i++) {
            ch.advanceTimeBy(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
            assertTrue(ch.isActive());
        }
        ch.config().setAutoRead(true);
        ch.advanceTimeBy(TIMEOUT_MS, TimeUnit.MILLISECONDS); // the paused flag covers the window it was seen in
        ch.runScheduledPendingTasks();
        ch.advanceTimeBy(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isActive(), "reading again, nothing arrived: cut off");
        ch.finishAndReleaseAll();
    }

    @Test
    void http1_ordinaryRequestCutOffAfterItsHead_gets408_soA100ContinueIsNeverTheLastWord() {
        RequestDeadline d = deadline(new ApiMetrics());
        EmbeddedChannel ch = new EmbeddedChannel(d.start(), new HttpServerCodec(), d.end());
        ch.freezeTime();
        ch.writeInbound(Unpooled.copiedBuffer("PUT /api/v1/devices/x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"
                + "Expect: 100-continue\r\n\r\n{\"a\":", StandardCharsets.US_ASCII));
        drainInbound(ch);
        ch.advanceTimeBy(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        String out = outbound(ch);
        assertTrue(out.startsWith("HTTP/1.1 408 "), out);
        assertTrue(out.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), out);
        assertFalse(ch.isActive());
        ch.finishAndReleaseAll();
    }

    @Test
    void http2Stream_streamingBody_isCheckedForRate_notForATotalDeadline() {
        RequestDeadline d = deadline(new ApiMetrics());
        EmbeddedChannel ch = new EmbeddedChannel(d.streamStart(), d.end());
        ch.freezeTime();
        ch.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/devices:bulk"));
        for (int i = 0; i < 10; i++) {
            ch.writeInbound(new io.netty.handler.codec.http.DefaultHttpContent(Unpooled.wrappedBuffer(new byte[1500])));
            ch.advanceTimeBy(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
            assertTrue(ch.isActive());
        }
        drainInbound(ch);
        ch.advanceTimeBy(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isActive(), "stalled stream reset");
        ch.finishAndReleaseAll();
    }
}
