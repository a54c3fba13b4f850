package io.nacgw.radius.server;

import io.nacgw.radius.DropReason;
import io.nacgw.radius.Replies;
import io.nacgw.core.secret.Secret;
import io.nacgw.radius.TestWorld;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden datagrams captured from FreeRADIUS radclient 3.2.1 (secret testing123): our verification, decoding and
 * signing must agree with an independent implementation byte for byte.
 */
final class GoldenPacketTest {
    private static final Secret SECRET = Secret.of(TestWorld.SECRET);
    /** MAB PAP Access-Request; radclient puts Message-Authenticator after the other attributes, then Proxy-State. */
    static final byte[] MAB = hex("016000693969796d72b5cc42799d85f8941bea89010e303031313232333334343031021278b9ef80da84f9582d768e17782cfe4c1f1330302d31312d32322d33332d34342d303106060000000a3d060000000f501200ef36926f0713123f4c27a852744f4121040102");
    /** Accounting-Request Start for session golden-1 with Framed-IP-Address 10.0.0.9. */
    static final byte[] ACCT_START = hex("0478004b9d8e4e79def61ba68af60867765f0faf2806000000012c0a676f6c64656e2d31010e3030313132323333343430311f1330302d31312d32322d33332d34342d303108060a000009");

    private final TestWorld world = new TestWorld();
    private final Pipeline p = new Pipeline(world);

    @AfterEach
    void tearDown() {
        p.close();
        world.close();
    }

    static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    @Test
    void decode_radclientMab_isAcceptedAndSignedMaFirst() {
        byte[] reply = p.auth(MAB);
        assertNotNull(reply);
        assertEquals(RadiusCode.ACCESS_ACCEPT, reply[0]);
        assertEquals(MAB[1], reply[1]);
        Replies.assertSigned(reply, Arrays.copyOfRange(MAB, 4, 20), SECRET, true);
        assertArrayEquals(new byte[]{1, 2}, Replies.first(reply, AttributeType.PROXY_STATE).value());
        assertArrayEquals(new byte[]{0, '1', '0', '0'}, Replies.first(reply, AttributeType.TUNNEL_PRIVATE_GROUP_ID).value());
    }

    @Test
    void decode_radclientMabWithFlippedByte_isDropped() {
        byte[] d = MAB.clone();
        d[30] ^= 0x20; // "001122334401" → another User-Name, MA unchanged
        assertNull(p.auth(d));
        assertEquals(1, p.counters().drops(DropReason.BAD_MESSAGE_AUTHENTICATOR));
    }

    @Test
    void decode_radclientAccountingStart_isStoredAndAnswered() {
        byte[] reply = p.acct(ACCT_START);
        assertNotNull(reply);
        assertEquals(RadiusCode.ACCOUNTING_RESPONSE, reply[0]);
        Replies.assertSigned(reply, Arrays.copyOfRange(ACCT_START, 4, 20), SECRET, false);
        assertEquals("10.0.0.9", world.sessions.get("ip:192.0.2.10", "golden-1").orElseThrow().framedIp());
        assertTrue(world.sessions.get("ip:192.0.2.10", "golden-1").orElseThrow().active(world.clock.instant()));
    }
}
