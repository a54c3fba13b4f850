package io.nacgw.radius.server;

import io.nacgw.core.secret.Secret;
import io.nacgw.radius.Replies;
import io.nacgw.radius.RequestBuilder;
import io.nacgw.radius.TestWorld;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Replies to one read batch of datagrams are flushed together when the batch ends, each still complete and signed. */
final class ReplyFlushTest {
    private static final Secret SECRET = Secret.of(TestWorld.SECRET);
    private final TestWorld world = new TestWorld();
    private final Pipeline p = new Pipeline(world);

    @AfterEach
    void tearDown() {
        p.close();
        world.close();
    }

    private static RequestBuilder mab(int id) {
        return RequestBuilder.access(id)
                .text(AttributeType.USER_NAME, "001122334401")
                .text(AttributeType.CALLING_STATION_ID, "00-11-22-33-44-01")
                .integer(AttributeType.SERVICE_TYPE, AttributeType.SERVICE_TYPE_CALL_CHECK);
    }

    private void read(RequestBuilder b) {
        p.auth.pipeline().fireChannelRead(new DatagramPacket(Unpooled.wrappedBuffer(b.build(SECRET)), Pipeline.LOCAL,
                Pipeline.NAS));
    }

    @Test
    void repliesToOneReadBatch_leaveWhenTheBatchEnds() {
        List<RequestBuilder> batch = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            batch.add(mab(id));
            read(batch.get(id - 1));
        }
        assertNull(p.auth.readOutbound(), "nothing flushed while the batch is read");
        assertEquals(3, p.components.stats().accepts(), "all three decided already");

        p.auth.pipeline().fireChannelReadComplete();
        for (int id = 1; id <= 3; id++) {
            byte[] reply = Pipeline.poll(p.auth, Pipeline.NAS);
            assertNotNull(reply, "reply " + id);
            assertEquals(RadiusCode.ACCESS_ACCEPT, reply[0]);
            assertEquals(id, reply[1], "in the order read");
            Replies.assertSigned(reply, batch.get(id - 1).authenticator(), SECRET, true);
        }
        assertNull(p.auth.readOutbound());
    }

    @Test
    void aLongBatch_isFlushedEveryMaxRepliesPerFlush() {
        for (int id = 0; id < RadiusInitializer.MAX_REPLIES_PER_FLUSH; id++) {
            read(mab(id));
        }
        for (int id = 0; id < RadiusInitializer.MAX_REPLIES_PER_FLUSH; id++) {
            assertNotNull(Pipeline.poll(p.auth, Pipeline.NAS), "reply " + id + " left without waiting for the batch end");
        }
        read(mab(200));
        assertNull(p.auth.readOutbound(), "the next one waits again");
        p.auth.pipeline().fireChannelReadComplete();
        assertNotNull(Pipeline.poll(p.auth, Pipeline.NAS));
    }
}
