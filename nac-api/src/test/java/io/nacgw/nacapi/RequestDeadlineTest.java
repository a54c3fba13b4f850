package io.nacgw.nacapi;

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

    private static RequestDeadline deadline(ApiMetrics m) {
        return new RequestDeadline(TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS), BulkIngestHandler::isBulk, m);
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
}
