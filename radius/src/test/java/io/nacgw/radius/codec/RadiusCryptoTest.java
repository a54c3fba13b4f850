package io.nacgw.radius.codec;

import io.nacgw.core.secret.Secret;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class RadiusCryptoTest {
    private static final Secret SECRET = Secret.of("xyzzy5461");
    private static final byte[] AUTH = hex("0f403f9473978057bd83d5cb98f4227a");

    static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    @Test
    void pap_rfc2865Example_decrypts() {
        // RFC 2865 §7.1: secret xyzzy5461, password "arctangent"
        byte[] hidden = hex("0dbe708d93d413ce3196e43f782a0aee");
        assertEquals("arctangent", new String(RadiusCrypto.decryptPap(SECRET, AUTH, hidden), StandardCharsets.UTF_8));
        assertArrayEquals(hidden, RadiusCrypto.encryptPap(SECRET, AUTH, "arctangent".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void pap_longPassword_roundTrips() {
        byte[] pw = "a-password-longer-than-sixteen-bytes-and-then-some".getBytes(StandardCharsets.UTF_8);
        byte[] hidden = RadiusCrypto.encryptPap(SECRET, AUTH, pw);
        assertEquals(64, hidden.length);
        assertArrayEquals(pw, RadiusCrypto.decryptPap(SECRET, AUTH, hidden));
        assertThrows(IllegalArgumentException.class, () -> RadiusCrypto.decryptPap(SECRET, AUTH, new byte[17]));
    }

    @Test
    void chap_verifiesOnlyTheRightPassword() {
        byte[] chap = RadiusCrypto.chapPassword(3, AUTH, "001122334455".getBytes(StandardCharsets.US_ASCII));
        assertTrue(RadiusCrypto.verifyChap(chap, AUTH, "001122334455".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(RadiusCrypto.verifyChap(chap, AUTH, "001122334456".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(RadiusCrypto.verifyChap(new byte[16], AUTH, new byte[0]));
    }

    /**
     * A request with User-Name, Message-Authenticator at offset 28 and NAS-Port, its MA computed straight from
     * RFC 3579 §3.2 (HMAC-MD5 over the packet with the MA zeroed and, for accounting, the authenticator zeroed),
     * then {@code trailing} bytes beyond the Length field.
     */
    private static byte[] signedByDefinition(boolean zeroAuthenticator, int trailing) throws Exception {
        byte[] p = new byte[20 + 8 + 18 + 6 + trailing];
        int length = p.length - trailing;
        p[0] = 1;
        p[1] = 7;
        p[3] = (byte) length;
        System.arraycopy(AUTH, 0, p, 4, 16);
        System.arraycopy(new byte[]{1, 8, 'h', 'o', 's', 't', '-', '1'}, 0, p, 20, 8);
        p[28] = 80;
        p[29] = 18;
        System.arraycopy(new byte[]{5, 6, 0, 0, 0, 9}, 0, p, 46, 6);
        byte[] input = java.util.Arrays.copyOf(p, length);
        if (zeroAuthenticator) {
            java.util.Arrays.fill(input, 4, 20, (byte) 0);
        }
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacMD5");
        mac.init(new javax.crypto.spec.SecretKeySpec("xyzzy5461".getBytes(StandardCharsets.UTF_8), "HmacMD5"));
        System.arraycopy(mac.doFinal(input), 0, p, 30, 16);
        return p;
    }

    @Test
    void messageAuthenticator_verifiesExactlyTheSignedBytes() throws Exception {
        for (boolean zeroAuthenticator : new boolean[]{false, true}) {
            byte[] p = signedByDefinition(zeroAuthenticator, 3);
            assertTrue(RadiusCrypto.verifyMessageAuthenticator(SECRET, p, 28, zeroAuthenticator));
            assertFalse(RadiusCrypto.verifyMessageAuthenticator(Secret.of("xyzzy5462"), p, 28, zeroAuthenticator));
            for (int i = 0; i < p.length; i++) {
                for (int bit = 0; bit < 8; bit++) {
                    p[i] ^= (byte) (1 << bit);
                    boolean ignored = i >= 52 || (zeroAuthenticator && i >= 4 && i < 20);
                    assertEquals(ignored, RadiusCrypto.verifyMessageAuthenticator(SECRET, p, 28, zeroAuthenticator),
                            "bit " + bit + " of byte " + i + " flipped, zero authenticator " + zeroAuthenticator);
                    p[i] ^= (byte) (1 << bit);
                }
            }
        }
    }

    @Test
    void messageAuthenticator_outsideThePacket_doesNotVerify() throws Exception {
        byte[] p = signedByDefinition(false, 0);
        assertFalse(RadiusCrypto.verifyMessageAuthenticator(SECRET, p, 4, false), "in the header");
        assertFalse(RadiusCrypto.verifyMessageAuthenticator(SECRET, p, 40, false), "past the Length");
        p[3] = (byte) (p.length + 1);
        assertFalse(RadiusCrypto.verifyMessageAuthenticator(SECRET, p, 28, false), "Length beyond the bytes");
    }

    @Test
    void response_isSignedMaFirstThenAuthenticator() {
        byte[] p = new byte[20 + 18 + 6];
        p[0] = 2;
        p[3] = (byte) p.length;
        p[20] = 80;
        p[21] = 18;
        p[38] = 27;
        p[39] = 6;
        p[43] = 60;
        RadiusCrypto.signResponse(SECRET, p, AUTH, 20);
        assertTrue(RadiusCrypto.verifyResponse(SECRET, p, AUTH));
        byte[] withRequestAuth = p.clone();
        System.arraycopy(AUTH, 0, withRequestAuth, 4, 16);
        assertTrue(RadiusCrypto.verifyMessageAuthenticator(SECRET, withRequestAuth, 20, false),
                "MA computed over the request authenticator, before the Response Authenticator");
        assertFalse(RadiusCrypto.verifyResponse(Secret.of("other"), p, AUTH));
    }
}
