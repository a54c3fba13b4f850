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
