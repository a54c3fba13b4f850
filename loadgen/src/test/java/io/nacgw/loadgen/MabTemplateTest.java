package io.nacgw.loadgen;

import io.nacgw.loadgen.radius.RadiusCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class MabTemplateTest {
    private static final byte[] SECRET = "template-secret".getBytes(StandardCharsets.US_ASCII);

    @Test
    void encode_isByteForByteWhatTheCodecEncodesFromTheAttributes_withAndWithoutMessageAuthenticator() {
        SplittableRandom random = new SplittableRandom(7);
        for (boolean ma : new boolean[]{true, false}) {
            RadiusCodec codec = new RadiusCodec(SECRET);
            MabTemplate template = new MabTemplate(codec, ma);
            long[] macs = {0L, 0xFFFF_FFFF_FFFFL, 0x0211_AABB_CCDDL, 0x0A4E_4143_0004L};
            for (int n = 0; n < 2000; n++) {
                long mac = n < macs.length ? macs[n] : random.nextLong() & 0xFFFF_FFFF_FFFFL;
                int id = random.nextInt(256);
                int nasPort = n == 0 ? Integer.MIN_VALUE : random.nextInt();
                byte[] auth = new byte[16];
                random.nextBytes(auth);
                byte[] expected = new RadiusCodec(SECRET).accessRequest(id, auth, RequestShape.MAB.attributes(mac, "ignored", nasPort), ma);
                assertArrayEquals(expected, template.encode(id, auth, mac, nasPort),
                        "mac " + Targets.hex12(mac) + " id " + id + " port " + nasPort + " MA " + ma);
            }
        }
    }

    @Test
    void encode_returnsANewArrayEachTime_andTheHiddenPasswordIsTheMac() {
        RadiusCodec codec = new RadiusCodec(SECRET);
        MabTemplate template = new MabTemplate(codec, true);
        byte[] auth = new byte[16];
        Arrays.fill(auth, (byte) 9);
        byte[] a = template.encode(1, auth, 0x0211_AABB_CCDDL, 5);
        byte[] b = template.encode(1, auth, 0x0211_AABB_CCDDL, 5);
        assertNotSame(a, b);
        assertArrayEquals(a, b);
        template.encode(2, auth, 0xFFFF_FFFF_FFFFL, 6); // must not change the requests already handed out
        assertArrayEquals(a, b);
        // User-Password follows Message-Authenticator (18), User-Name (14): hidden, 16 bytes
        int pw = RadiusCodec.HEADER + 18 + 14;
        assertEquals(RadiusCodec.USER_PASSWORD, a[pw]);
        assertEquals("0211aabbccdd", new String(codec.unhidePassword(Arrays.copyOfRange(a, pw + 2, pw + 18), auth),
                StandardCharsets.US_ASCII));
        assertTrue(codec.requestMessageAuthenticatorValid(a, a.length));
    }

    @Test
    void encode_badIdentifierOrAuthenticator_isRejected() {
        MabTemplate template = new MabTemplate(new RadiusCodec(SECRET), true);
        assertThrows(IllegalArgumentException.class, () -> template.encode(256, new byte[16], 1, 1));
        assertThrows(IllegalArgumentException.class, () -> template.encode(1, new byte[15], 1, 1));
    }
}
