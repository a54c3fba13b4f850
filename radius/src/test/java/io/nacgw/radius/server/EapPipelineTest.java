package io.nacgw.radius.server;

import io.nacgw.radius.DropReason;
import io.nacgw.radius.Replies;
import io.nacgw.radius.RequestBuilder;
import io.nacgw.core.secret.Secret;
import io.nacgw.radius.TestWorld;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.eap.EapSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** EAP through the whole RADIUS pipeline: Access-Challenge signing, State, RFC 5080 resends, drops, the decision. */
final class EapPipelineTest {
    private static final Secret SECRET = Secret.of(TestWorld.SECRET);
    private final TestWorld world = new TestWorld();
    private final Pipeline pipeline = new Pipeline(world, EapSettings.DISABLED.withEnabled(true));

    @AfterEach
    void close() {
        pipeline.close();
        world.close();
    }

    private static byte[] eap(int code, int id, int type, byte[] data) {
        byte[] b = new byte[5 + data.length];
        b[0] = (byte) code;
        b[1] = (byte) id;
        b[2] = (byte) (b.length >>> 8);
        b[3] = (byte) b.length;
        b[4] = (byte) type;
        System.arraycopy(data, 0, b, 5, data.length);
        return b;
    }

    private static RequestBuilder request(int id, byte[] eapMessage, byte[] state) {
        RequestBuilder b = RequestBuilder.access(id).text(AttributeType.USER_NAME, "001122334401")
                .text(AttributeType.CALLING_STATION_ID, "00-11-22-33-44-01")
                .integer(AttributeType.NAS_PORT_TYPE, 15).raw(AttributeType.EAP_MESSAGE, eapMessage);
        return state == null ? b : b.raw(AttributeType.STATE, state);
    }

    @Test
    void md5Mab_challengeIsSignedAndResent_thenTheProfileDecides() throws Exception {
        RequestBuilder first = request(1, eap(2, 5, 1, "001122334401".getBytes(StandardCharsets.US_ASCII)), null);
        byte[] datagram = first.build(SECRET);
        byte[] challenge = pipeline.auth(datagram);
        assertNotNull(challenge);
        assertEquals(RadiusCode.ACCESS_CHALLENGE, challenge[0]);
        Replies.assertSigned(challenge, first.authenticator(), SECRET, true);
        Attribute state = Replies.first(challenge, AttributeType.STATE);
        byte[] req = Replies.first(challenge, AttributeType.EAP_MESSAGE).value();
        assertEquals(1, req[0]); // EAP-Request
        assertEquals(4, req[4]); // MD5
        assertArrayEquals(challenge, pipeline.auth(datagram), "a retransmission gets the same bytes (RFC 5080)");
        assertEquals(1, pipeline.components.stats().duplicatesResent());

        int id = req[1] & 0xFF;
        byte[] challengeValue = java.util.Arrays.copyOfRange(req, 6, 22);
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update((byte) id);
        md5.update("00:11:22:33:44:01".getBytes(StandardCharsets.US_ASCII));
        byte[] value = md5.digest(challengeValue);
        byte[] data = new byte[17];
        data[0] = 16;
        System.arraycopy(value, 0, data, 1, 16);
        RequestBuilder second = request(2, eap(2, id, 4, data), state.value());
        byte[] accept = pipeline.auth(second.build(SECRET));
        assertEquals(RadiusCode.ACCESS_ACCEPT, accept[0]);
        Replies.assertSigned(accept, second.authenticator(), SECRET, true);
        assertArrayEquals(new byte[]{3, (byte) id, 0, 4}, Replies.first(accept, AttributeType.EAP_MESSAGE).value());
        assertNotNull(Replies.first(accept, AttributeType.TUNNEL_PRIVATE_GROUP_ID), "the corp profile's VLAN");
        assertEquals(1, pipeline.components.stats().accepts());
    }

    @Test
    void malformedEap_isDroppedWithItsReason_andTheRetransmissionIsProcessedAgain() {
        byte[] datagram = request(3, new byte[]{2, 1, 0, 40, 1, 'x'}, null).build(SECRET);
        assertNull(pipeline.auth(datagram));
        assertEquals(1, pipeline.counters().drops(DropReason.EAP_MALFORMED));
        assertNull(pipeline.auth(datagram), "not answered from the cache: dropped again");
        assertEquals(2, pipeline.counters().drops(DropReason.EAP_MALFORMED));
    }

    @Test
    void unknownState_getsAccessRejectWithEapFailure() {
        RequestBuilder b = request(4, eap(2, 9, 4, new byte[17]), new byte[16]);
        byte[] reject = pipeline.auth(b.build(SECRET));
        assertEquals(RadiusCode.ACCESS_REJECT, reject[0]);
        Replies.assertSigned(reject, b.authenticator(), SECRET, true);
        assertArrayEquals(new byte[]{4, 9, 0, 4}, Replies.first(reject, AttributeType.EAP_MESSAGE).value());
        assertEquals(1, pipeline.components.eapStats().unknownState());
    }
}
