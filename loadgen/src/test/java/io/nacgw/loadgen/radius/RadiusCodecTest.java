package io.nacgw.loadgen.radius;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

final class RadiusCodecTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] RFC_SECRET = "xyzzy5461".getBytes(StandardCharsets.US_ASCII);
    /** RFC 2865 §7.1: Access-Request from NAS 192.168.1.16 for user "nemo", password "arctangent". */
    private static final String RFC_REQUEST = "010000380f403f9473978057bd83d5cb98f4227a01066e656d6f02120dbe708d93d413ce3196e43f782a0aee0406c0a801100506"
            + "00000003";
    /** RFC 2865 §7.1: the Access-Accept answering it. */
    private static final String RFC_ACCEPT = "0200002686fe220e7624ba2a1005f6bf9b55e0b206060000000" + "10f06000000000e06c0a80103";
    /**
     * Captured from FreeRADIUS radclient 3.2.1 (secret "golden-secret-123"): MAB Access-Request for 0211aabbccdd with
     * PAP password = the MAC and Message-Authenticator = 0x00 (radclient computes it; it puts it last).
     */
    private static final String RADCLIENT_REQUEST = "01af005f4fe5a8eee42c344caf9b4a0dc9ddb0fa010e3032313161616262636364640212ff5d16b83e4c"
            + "a0b2fb00637a43ec35701f1330322d31312d41412d42422d43432d444406060000000a501228cf16da8b413b6a013c00a531920f85";

    @Test
    void hidePassword_rfc2865Example_matchesTheRfcBytes() {
        RadiusCodec c = new RadiusCodec(RFC_SECRET);
        byte[] auth = HEX.parseHex("0f403f9473978057bd83d5cb98f4227a");
        assertEquals("0dbe708d93d413ce3196e43f782a0aee", HEX.formatHex(c.hidePassword("arctangent".getBytes(StandardCharsets.US_ASCII), auth)));
        assertEquals("arctangent", new String(c.unhidePassword(HEX.parseHex("0dbe708d93d413ce3196e43f782a0aee"), auth), StandardCharsets.US_ASCII));
    }

    @Test
    void accessRequest_rfc2865Example_isEncodedByteForByte() {
        RadiusCodec c = new RadiusCodec(RFC_SECRET);
        byte[] p = c.accessRequest(0, HEX.parseHex("0f403f9473978057bd83d5cb98f4227a"), List.of(
                RadiusAttribute.text(RadiusCodec.USER_NAME, "nemo"),
                RadiusAttribute.text(RadiusCodec.USER_PASSWORD, "arctangent"),
                new RadiusAttribute(RadiusCodec.NAS_IP_ADDRESS, new byte[]{(byte) 192, (byte) 168, 1, 16}),
                RadiusAttribute.integer(RadiusCodec.NAS_PORT, 3)), false);
        assertEquals(RFC_REQUEST, HEX.formatHex(p));
    }

    @Test
    void verifyResponse_rfc2865ExampleAccept_verifiesWithoutMessageAuthenticator() throws ReplyException {
        RadiusCodec c = new RadiusCodec(RFC_SECRET);
        byte[] accept = HEX.parseHex(RFC_ACCEPT);
        RadiusPacket p = c.verifyResponse(accept, accept.length, HEX.parseHex("0f403f9473978057bd83d5cb98f4227a"), false);
        assertEquals(RadiusCodec.ACCESS_ACCEPT, p.code());
        assertEquals(3, p.attributes().size());
        ReplyException e = assertThrows(ReplyException.class,
                () -> c.verifyResponse(accept, accept.length, HEX.parseHex("0f403f9473978057bd83d5cb98f4227a"), true));
        assertEquals(ReplyError.MISSING_MESSAGE_AUTHENTICATOR, e.error());
    }

    @Test
    void radclientRequest_messageAuthenticatorAndPassword_verify() {
        RadiusCodec c = new RadiusCodec("golden-secret-123".getBytes(StandardCharsets.US_ASCII));
        byte[] p = HEX.parseHex(RADCLIENT_REQUEST);
        assertTrue(c.requestMessageAuthenticatorValid(p, p.length));
        byte[] hidden = Arrays.copyOfRange(p, 20 + 14 + 2, 20 + 14 + 18);
        assertEquals("0211aabbccdd", new String(c.unhidePassword(hidden, Arrays.copyOfRange(p, 4, 20)), StandardCharsets.US_ASCII));
        RadiusCodec wrong = new RadiusCodec("not-the-secret".getBytes(StandardCharsets.US_ASCII));
        assertFalse(wrong.requestMessageAuthenticatorValid(p, p.length));
    }

    @Test
    void accessRequest_withMessageAuthenticator_putsItFirstAndItVerifies() throws ReplyException {
        RadiusCodec c = new RadiusCodec("s3cret".getBytes(StandardCharsets.US_ASCII));
        byte[] auth = HEX.parseHex("00112233445566778899aabbccddeeff");
        byte[] p = c.accessRequest(7, auth, List.of(RadiusAttribute.text(RadiusCodec.USER_NAME, "0211aabbccdd"),
                RadiusAttribute.text(RadiusCodec.USER_PASSWORD, "0211aabbccdd")), true);
        RadiusPacket d = RadiusCodec.decode(p, p.length);
        assertEquals(RadiusCodec.MESSAGE_AUTHENTICATOR, d.attributes().get(0).type());
        assertEquals(7, d.id());
        assertTrue(c.requestMessageAuthenticatorValid(p, p.length));
        assertEquals("0211aabbccdd", new String(c.unhidePassword(d.first(RadiusCodec.USER_PASSWORD).value(), auth), StandardCharsets.US_ASCII));
        p[p.length - 1] ^= 1;
        assertFalse(c.requestMessageAuthenticatorValid(p, p.length));
    }

    @Test
    void hidePassword_longerThanOneBlock_roundTrips() {
        RadiusCodec c = new RadiusCodec("s".getBytes(StandardCharsets.US_ASCII));
        byte[] auth = new byte[16];
        byte[] pw = "a-password-of-forty-bytes-0123456789abcd".getBytes(StandardCharsets.US_ASCII);
        byte[] hidden = c.hidePassword(pw, auth);
        assertEquals(48, hidden.length);
        assertArrayEquals(pw, c.unhidePassword(hidden, auth));
        assertThrows(IllegalArgumentException.class, () -> c.hidePassword(new byte[129], auth));
    }

    @Test
    void response_roundTrip_parsesVlanReplyMessageClassAndVendorAttributes() throws ReplyException {
        RadiusCodec c = new RadiusCodec("s3cret".getBytes(StandardCharsets.US_ASCII));
        byte[] reqAuth = HEX.parseHex("0f0e0d0c0b0a09080706050403020100");
        byte[] p = c.response(RadiusCodec.ACCESS_ACCEPT, 42, reqAuth, List.of(
                RadiusAttribute.taggedInteger(RadiusCodec.TUNNEL_TYPE, 0, 13),
                RadiusAttribute.taggedInteger(RadiusCodec.TUNNEL_MEDIUM_TYPE, 0, 6),
                RadiusAttribute.taggedText(RadiusCodec.TUNNEL_PRIVATE_GROUP_ID, 1, "999"),
                RadiusAttribute.text(RadiusCodec.REPLY_MESSAGE, "quarantined"),
                new RadiusAttribute(RadiusCodec.CLASS, new byte[]{1, 2, 3}),
                RadiusAttribute.vendorSpecific(9, 1, "url-redirect=https://x/".getBytes(StandardCharsets.US_ASCII))), true);
        RadiusPacket r = c.verifyResponse(p, p.length, reqAuth, true);
        assertEquals(42, r.id());
        assertEquals("999", r.vlan());
        assertEquals("quarantined", r.replyMessage());
        assertArrayEquals(new byte[]{1, 2, 3}, r.classValue());
        assertEquals(List.of("url-redirect=https://x/"), r.vendorText(9, 1));
        assertEquals(List.of(), r.vendorText(14823, 1));
        assertEquals("0000000d", HEX.formatHex(r.first(RadiusCodec.TUNNEL_TYPE).value()));
        // an untagged group id keeps its first character
        assertEquals("100", RadiusAttribute.taggedText(81, 0, "100").asUntaggedText());
    }

    @Test
    void verifyResponse_wrongAuthenticatorSecretOrTamperedByte_isBadResponseAuthenticator() {
        RadiusCodec c = new RadiusCodec("s3cret".getBytes(StandardCharsets.US_ASCII));
        byte[] reqAuth = new byte[16];
        byte[] p = c.response(RadiusCodec.ACCESS_REJECT, 1, reqAuth, List.of(RadiusAttribute.text(18, "no")), true);
        byte[] otherAuth = new byte[16];
        otherAuth[0] = 1;
        assertEquals(ReplyError.BAD_RESPONSE_AUTHENTICATOR, error(c, p, otherAuth, true));
        assertEquals(ReplyError.BAD_RESPONSE_AUTHENTICATOR,
                error(new RadiusCodec("other".getBytes(StandardCharsets.US_ASCII)), p, reqAuth, true));
        p[p.length - 1] ^= 0x20;
        assertEquals(ReplyError.BAD_RESPONSE_AUTHENTICATOR, error(c, p, reqAuth, true));
    }

    @Test
    void verifyResponse_messageAuthenticatorLastOrWrong_isCountedAsSuch() {
        byte[] secret = "s3cret".getBytes(StandardCharsets.US_ASCII);
        RadiusCodec c = new RadiusCodec(secret);
        byte[] reqAuth = new byte[16];
        // MA last: build with MA first, then move it and re-sign so only the position is wrong
        byte[] first = c.response(RadiusCodec.ACCESS_ACCEPT, 3, reqAuth, List.of(RadiusAttribute.text(18, "hi")), true);
        byte[] last = new byte[first.length];
        System.arraycopy(first, 0, last, 0, 20);
        System.arraycopy(first, 38, last, 20, first.length - 38);
        System.arraycopy(first, 20, last, first.length - 18, 18);
        resign(c, last, reqAuth);
        assertEquals(ReplyError.MESSAGE_AUTHENTICATOR_NOT_FIRST, error(c, last, reqAuth, true));
        // the same, signed where it is (as FreeRADIUS < 3.2.5 sends EAP answers): accepted when MA is not required
        assertEquals(ReplyError.BAD_MESSAGE_AUTHENTICATOR, error(c, last, reqAuth, false), "still verified");
        signLastMessageAuthenticator(secret, last, reqAuth);
        resign(c, last, reqAuth);
        assertNull(error(c, last, reqAuth, false));
        assertEquals(ReplyError.MESSAGE_AUTHENTICATOR_NOT_FIRST, error(c, last, reqAuth, true));
        // MA first but its HMAC wrong (Response Authenticator recomputed, so only the MA is off)
        byte[] bad = first.clone();
        bad[25] ^= 1;
        resign(c, bad, reqAuth);
        assertEquals(ReplyError.BAD_MESSAGE_AUTHENTICATOR, error(c, bad, reqAuth, true));
        // missing
        byte[] none = c.response(RadiusCodec.ACCESS_ACCEPT, 3, reqAuth, List.of(RadiusAttribute.text(18, "hi")), false);
        assertEquals(ReplyError.MISSING_MESSAGE_AUTHENTICATOR, error(c, none, reqAuth, true));
        assertNull(error(c, none, reqAuth, false));
    }

    @Test
    void decode_malformedAnswers_areMalformed() {
        RadiusCodec c = new RadiusCodec("s3cret".getBytes(StandardCharsets.US_ASCII));
        byte[] reqAuth = new byte[16];
        byte[] ok = c.response(RadiusCodec.ACCESS_ACCEPT, 3, reqAuth, List.of(RadiusAttribute.text(18, "hi")), true);
        assertEquals(ReplyError.MALFORMED, error(c, Arrays.copyOf(ok, 19), reqAuth, true)); // shorter than a header
        assertEquals(ReplyError.MALFORMED, error(c, Arrays.copyOf(ok, ok.length - 1), reqAuth, true)); // length field > datagram
        byte[] zeroLen = ok.clone();
        zeroLen[21] = 0; // first attribute length 0
        assertEquals(ReplyError.MALFORMED, error(c, zeroLen, reqAuth, true));
        byte[] overrun = ok.clone();
        overrun[ok.length - 3] = 40; // last attribute claims more than is left
        assertEquals(ReplyError.MALFORMED, error(c, overrun, reqAuth, true));
        byte[] huge = ok.clone();
        huge[2] = 0x20; // 8192+ bytes
        assertEquals(ReplyError.MALFORMED, error(c, huge, reqAuth, true));
        byte[] padded = Arrays.copyOf(ok, ok.length + 10); // bytes after the length field are padding, not an error
        assertNull(error(c, padded, reqAuth, true));
    }

    @Test
    void toString_neverShowsTheSecretOrPassword() {
        RadiusCodec c = new RadiusCodec("top-secret-value".getBytes(StandardCharsets.US_ASCII));
        assertFalse(c.toString().contains("top-secret"));
        assertFalse(RadiusAttribute.text(RadiusCodec.USER_PASSWORD, "hunter2").toString().contains("hunter2"));
    }

    /** Recomputes the Response Authenticator so a test's deliberate change is the only thing wrong. */
    /** HMAC-MD5 of the packet (request authenticator in the header, MA zeroed) into its last attribute, the MA. */
    private static void signLastMessageAuthenticator(byte[] secret, byte[] p, byte[] reqAuth) {
        try {
            byte[] copy = p.clone();
            System.arraycopy(reqAuth, 0, copy, 4, 16);
            java.util.Arrays.fill(copy, p.length - 16, p.length, (byte) 0);
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacMD5");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacMD5"));
            System.arraycopy(mac.doFinal(copy), 0, p, p.length - 16, 16);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void resign(RadiusCodec c, byte[] p, byte[] reqAuth) {
        byte[] ra = c.responseAuthenticator(p, p.length, reqAuth);
        System.arraycopy(ra, 0, p, 4, 16);
    }

    private static ReplyError error(RadiusCodec c, byte[] p, byte[] reqAuth, boolean requireMa) {
        try {
            c.verifyResponse(p, p.length, reqAuth, requireMa);
            return null;
        } catch (ReplyException e) {
            return e.error();
        }
    }
}
