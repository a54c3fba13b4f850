package io.nacgw.nacapi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class HttpResponsesTest {
    /** Writes {@code r} from a handler's context, as every answering handler does. */
    private static final class Writer extends ChannelInboundHandlerAdapter {
        ChannelHandlerContext ctx;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }
    }

    private static ApiResponse json(int status, String body, Map<String, String> headers) {
        return new ApiResponse(status, ApiResponse.JSON, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8), headers);
    }

    @Test
    void write_keepAlive_framesTheBodyWithSafetyHeadersAndOwnHeadersLast() {
        Writer w = new Writer();
        EmbeddedChannel ch = new EmbeddedChannel(w);
        HttpResponses.write(w.ctx, json(200, "{}", Map.of("cache-control", "max-age=5", "x-a", "1")), true, false);
        FullHttpResponse res = ch.readOutbound();
        assertEquals("2", res.headers().get(HttpHeaderNames.CONTENT_LENGTH));
        assertEquals(ApiResponse.JSON, res.headers().get(HttpHeaderNames.CONTENT_TYPE));
        assertEquals("nosniff", res.headers().get("x-content-type-options"));
        assertEquals("max-age=5", res.headers().get(HttpHeaderNames.CACHE_CONTROL));
        assertEquals("1", res.headers().get("x-a"));
        assertTrue(ch.isOpen());
        res.release();
    }

    @Test
    void write_head_keepsTheLengthAndSendsNoBody() {
        Writer w = new Writer();
        EmbeddedChannel ch = new EmbeddedChannel(w);
        HttpResponses.write(w.ctx, json(200, "{\"a\":1}", Map.of()), true, true);
        FullHttpResponse res = ch.readOutbound();
        assertEquals("7", res.headers().get(HttpHeaderNames.CONTENT_LENGTH));
        assertEquals(0, res.content().readableBytes());
        res.release();
    }

    @Test
    void write_notKeepAlive_closesAfterTheAnswer() {
        Writer w = new Writer();
        EmbeddedChannel ch = new EmbeddedChannel(w);
        HttpResponses.write(w.ctx, json(400, "{}", Map.of()), false, false);
        FullHttpResponse res = ch.readOutbound();
        assertEquals("close", res.headers().get(HttpHeaderNames.CONNECTION));
        assertFalse(ch.isOpen());
        res.release();
    }

    @Test
    void write_closedChannel_releasesTheBodyAndWritesNothing() {
        Writer w = new Writer();
        EmbeddedChannel ch = new EmbeddedChannel(w);
        ch.close();
        ByteBuf body = Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8);
        assertNull(HttpResponses.write(w.ctx, ApiResponse.of(200, ApiResponse.JSON, body), true, false));
        assertEquals(0, body.refCnt());
        assertNull(ch.readOutbound());
    }

    @Test
    void full_noContent_hasNoTypeOrBody() {
        FullHttpResponse res = HttpResponses.full(json(204, "ignored", Map.of()));
        assertNull(res.headers().get(HttpHeaderNames.CONTENT_TYPE));
        assertEquals(0, res.content().readableBytes());
        res.release();
    }
}
