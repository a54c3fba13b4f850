package io.nacgw.radius.proxy;

import io.nacgw.radius.NasClient;
import io.nacgw.core.secret.Secret;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.codec.RadiusCodec;
import io.nacgw.radius.codec.RadiusCrypto;
import io.nacgw.radius.codec.RadiusRequest;
import io.nacgw.radius.eap.MppeKeys;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class ProxyPacketsTest {
    private static final Secret NAS = Secret.of("nas-secret-1");
    private static final Secret UP = Secret.of("upstream-secret-2");
    private static final byte[] NAS_AUTH = bytes(16, 1);
    private static final byte[] UP_AUTH = bytes(16, 100);
    private static final byte[] OURS = "nacgw:1".getBytes(StandardCharsets.US_ASCII);

    private static byte[] bytes(int n, int start) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (start + i);
        }
        return b;
    }

    private static RadiusRequest request(Attribute... attributes) {
        return new RadiusRequest(RadiusCode.ACCESS_REQUEST, 9, NAS_AUTH, List.of(attributes),
                new InetSocketAddress("127.0.0.1", 5000), NasClient.builder("nas", "127.0.0.1", "nas-secret-1").build(),
                NAS, System.nanoTime());
    }

    private static List<Attribute> parse(byte[] packet) throws Exception {
        return RadiusCodec.attributes(packet);
    }

    @Test
    void accessRequest_rehidesThePassword_signsForTheUpstream_addsProxyStateLast() throws Exception {
        byte[] hidden = RadiusCrypto.encryptPap(NAS, NAS_AUTH, "correct horse".getBytes(StandardCharsets.UTF_8));
        RadiusRequest r = request(Attribute.of(AttributeType.MESSAGE_AUTHENTICATOR, new byte[16]),
                Attribute.text(AttributeType.USER_NAME, "alice"), Attribute.of(AttributeType.USER_PASSWORD, hidden),
                Attribute.of(AttributeType.PROXY_STATE, new byte[]{1, 2}));
        byte[] p = ProxyPackets.accessRequest(r, 42, UP_AUTH, UP, OURS);
        assertEquals(RadiusCode.ACCESS_REQUEST, p[0]);
        assertEquals(42, p[1]);
        assertArrayEquals(UP_AUTH, Arrays.copyOfRange(p, 4, 20));
        assertEquals(20, RadiusCrypto.find(p, AttributeType.MESSAGE_AUTHENTICATOR)); // first, and only one
        assertTrue(RadiusCrypto.verifyMessageAuthenticator(UP, p, 20, false));
        assertFalse(RadiusCrypto.verifyMessageAuthenticator(NAS, p, 20, false));
        List<Attribute> attrs = parse(p);
        assertEquals(1, attrs.stream().filter(a -> a.type() == AttributeType.MESSAGE_AUTHENTICATOR).count());
        byte[] pap = attrs.stream().filter(a -> a.type() == AttributeType.USER_PASSWORD).findFirst().orElseThrow().value();
        assertEquals("correct horse", new String(RadiusCrypto.decryptPap(UP, UP_AUTH, pap), StandardCharsets.UTF_8));
        List<Attribute> states = attrs.stream().filter(a -> a.type() == AttributeType.PROXY_STATE).toList();
        assertEquals(2, states.size());
        assertArrayEquals(new byte[]{1, 2}, states.get(0).value()); // the NAS's, untouched (RFC 2865 §5.33)
        assertArrayEquals(OURS, states.get(1).value());
        assertEquals(AttributeType.PROXY_STATE, attrs.get(attrs.size() - 1).type());
    }

    @Test
    void encodeRequest_withAGivenAuthenticator_refusesOtherCodesBadIdentifiersAndLengths() {
        List<Attribute> attrs = List.of(Attribute.text(AttributeType.USER_NAME, "alice"));
        IllegalArgumentException code = assertThrows(IllegalArgumentException.class,
                () -> RadiusCodec.encodeRequest(RadiusCode.ACCOUNTING_REQUEST, 1, UP_AUTH, attrs, UP));
        assertTrue(code.getMessage().contains("does not take a random authenticator"), code.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> RadiusCodec.encodeRequest(RadiusCode.ACCESS_REQUEST, 256, UP_AUTH, attrs, UP));
        assertThrows(IllegalArgumentException.class,
                () -> RadiusCodec.encodeRequest(RadiusCode.ACCESS_REQUEST, 1, new byte[15], attrs, UP));
        byte[] probe = RadiusCodec.encodeRequest(RadiusCode.STATUS_SERVER, 3, UP_AUTH, attrs, UP);
        assertArrayEquals(UP_AUTH, Arrays.copyOfRange(probe, 4, 20));
        assertTrue(RadiusCrypto.verifyMessageAuthenticator(UP, probe, 20, false));
    }

    @Test
    void accessRequest_chapOverTheNasAuthenticator_getsItAsChapChallenge() throws Exception {
        byte[] chap = RadiusCrypto.chapPassword(7, NAS_AUTH, "pw".getBytes(StandardCharsets.UTF_8));
        byte[] p = ProxyPackets.accessRequest(request(Attribute.text(AttributeType.USER_NAME, "bob"),
                Attribute.of(AttributeType.CHAP_PASSWORD, chap)), 1, UP_AUTH, UP, OURS);
        List<Attribute> attrs = parse(p);
        byte[] challenge = attrs.stream().filter(a -> a.type() == AttributeType.CHAP_CHALLENGE).findFirst().orElseThrow()
                .value();
        assertArrayEquals(NAS_AUTH, challenge);
        assertTrue(RadiusCrypto.verifyChap(chap, challenge, "pw".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void accessRequest_chapWithItsOwnChallenge_isLeftAlone() throws Exception {
        byte[] own = bytes(16, 50);
        byte[] chap = RadiusCrypto.chapPassword(7, own, "pw".getBytes(StandardCharsets.UTF_8));
        byte[] p = ProxyPackets.accessRequest(request(Attribute.of(AttributeType.CHAP_PASSWORD, chap),
                Attribute.of(AttributeType.CHAP_CHALLENGE, own)), 1, UP_AUTH, UP, OURS);
        List<Attribute> challenges = parse(p).stream().filter(a -> a.type() == AttributeType.CHAP_CHALLENGE).toList();
        assertEquals(1, challenges.size());
        assertArrayEquals(own, challenges.get(0).value());
    }

    @Test
    void accessRequest_overTheLimit_throws() {
        Attribute big = Attribute.of(AttributeType.CLASS, new byte[253]);
        Attribute[] many = new Attribute[16];
        Arrays.fill(many, big); // 16 * 255 = 4080 bytes of attributes
        assertThrows(IllegalStateException.class, () -> ProxyPackets.accessRequest(request(many), 1, UP_AUTH, UP, OURS));
    }

    /** A reply as an upstream signs it: MA first (optional), then {@code attrs}. */
    static byte[] reply(int code, int id, byte[] requestAuth, Secret secret, boolean ma, byte[]... attrs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[20]);
        if (ma) {
            out.write(AttributeType.MESSAGE_AUTHENTICATOR);
            out.write(18);
            out.writeBytes(new byte[16]);
        }
        for (byte[] a : attrs) {
            out.writeBytes(a);
        }
        byte[] p = out.toByteArray();
        p[0] = (byte) code;
        p[1] = (byte) id;
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        RadiusCrypto.signResponse(secret, p, requestAuth, ma ? 20 : -1);
        return p;
    }

    static byte[] tlv(int type, byte[] value) {
        byte[] b = new byte[value.length + 2];
        b[0] = (byte) type;
        b[1] = (byte) b.length;
        System.arraycopy(value, 0, b, 2, value.length);
        return b;
    }

    private static byte[] vsa(int vendor, int type, byte[] value) {
        byte[] sub = tlv(type, value);
        byte[] v = new byte[4 + sub.length];
        v[0] = (byte) (vendor >>> 24);
        v[1] = (byte) (vendor >>> 16);
        v[2] = (byte) (vendor >>> 8);
        v[3] = (byte) vendor;
        System.arraycopy(sub, 0, v, 4, sub.length);
        return tlv(AttributeType.VENDOR_SPECIFIC, v);
    }

    @Test
    void forNas_stripsMaAndProxyState_rehidesMppeKeys_keepsTheRestInOrder() {
        byte[] msk = bytes(64, 7);
        List<Attribute> keys = MppeKeys.attributes(msk, UP, UP_AUTH);
        byte[] p = reply(RadiusCode.ACCESS_ACCEPT, 1, UP_AUTH, UP, true,
                tlv(AttributeType.CLASS, "upstream-class".getBytes(StandardCharsets.UTF_8)),
                tlv(AttributeType.PROXY_STATE, new byte[]{1, 2}), tlv(AttributeType.PROXY_STATE, OURS),
                vsa(311, keys.get(0).type(), keys.get(0).value()), vsa(311, keys.get(1).type(), keys.get(1).value()),
                vsa(9, 1, "cisco-thing=1".getBytes(StandardCharsets.UTF_8)));
        assertTrue(ProxyPackets.authentic(p, UP, UP_AUTH, true));
        List<Attribute> out = ProxyPackets.forNas(p, UP, UP_AUTH, NAS, NAS_AUTH);
        assertEquals(4, out.size(), out.toString());
        assertEquals(AttributeType.CLASS, out.get(0).type());
        assertEquals(311, out.get(1).vendorId());
        assertArrayEquals(Arrays.copyOfRange(msk, 0, 32), MppeKeys.decrypt(out.get(1).value(), NAS, NAS_AUTH));
        assertArrayEquals(Arrays.copyOfRange(msk, 32, 64), MppeKeys.decrypt(out.get(2).value(), NAS, NAS_AUTH));
        assertEquals(AttributeType.VENDOR_SPECIFIC, out.get(3).type()); // other vendors' stay whole
    }

    @Test
    void forNas_msChapMppeKeys_areRehiddenWholeIncludingTrailingZeros() {
        byte[] keys = new byte[32];
        System.arraycopy(bytes(24, 9), 0, keys, 0, 24); // LM key, NT key, then zero padding
        byte[] p = reply(RadiusCode.ACCESS_ACCEPT, 1, UP_AUTH, UP, true,
                vsa(311, ProxyPackets.MS_CHAP_MPPE_KEYS, RadiusCrypto.encryptPap(UP, UP_AUTH, keys)));
        Attribute a = ProxyPackets.forNas(p, UP, UP_AUTH, NAS, NAS_AUTH).get(0);
        assertEquals(32, a.length());
        assertArrayEquals(keys, Arrays.copyOf(RadiusCrypto.decryptPap(NAS, NAS_AUTH, a.value()), 32));
    }

    @Test
    void forNas_tunnelPassword_isRehiddenWithItsTag() {
        byte[] hidden = MppeKeys.attributes(bytes(64, 3), UP, UP_AUTH).get(0).value(); // salt + blocks, as RFC 2868
        byte[] tagged = new byte[hidden.length + 1];
        tagged[0] = 1;
        System.arraycopy(hidden, 0, tagged, 1, hidden.length);
        byte[] p = reply(RadiusCode.ACCESS_ACCEPT, 1, UP_AUTH, UP, true, tlv(ProxyPackets.TUNNEL_PASSWORD, tagged));
        Attribute t = ProxyPackets.forNas(p, UP, UP_AUTH, NAS, NAS_AUTH).get(0);
        assertEquals(1, t.value()[0]);
        assertArrayEquals(Arrays.copyOfRange(bytes(64, 3), 0, 32),
                MppeKeys.decrypt(Arrays.copyOfRange(t.value(), 1, t.length()), NAS, NAS_AUTH));
    }

    @Test
    void authentic_refusesWrongSecret_missingMaWhenRequired_andAForgedMa() {
        byte[] withMa = reply(RadiusCode.ACCESS_ACCEPT, 1, UP_AUTH, UP, true);
        byte[] withoutMa = reply(RadiusCode.ACCESS_ACCEPT, 1, UP_AUTH, UP, false);
        assertTrue(ProxyPackets.authentic(withMa, UP, UP_AUTH, true));
        assertFalse(ProxyPackets.authentic(withMa, NAS, UP_AUTH, true));
        assertFalse(ProxyPackets.authentic(withMa, UP, NAS_AUTH, true));
        assertFalse(ProxyPackets.authentic(withoutMa, UP, UP_AUTH, true));
        assertTrue(ProxyPackets.authentic(withoutMa, UP, UP_AUTH, false));
        byte[] forged = withMa.clone();
        forged[25] ^= 1; // inside the MA value; then re-sign only the Response Authenticator
        System.arraycopy(UP_AUTH, 0, forged, 4, 16);
        RadiusCrypto.signResponse(UP, forged, UP_AUTH, -1);
        assertFalse(ProxyPackets.authentic(forged, UP, UP_AUTH, false));
    }

    @Test
    void wellFormed_refusesBadLengths_andCutsPadding() {
        byte[] ok = reply(RadiusCode.ACCESS_REJECT, 1, UP_AUTH, UP, true);
        byte[] padded = Arrays.copyOf(ok, ok.length + 5);
        assertEquals(ok.length, ProxyPackets.wellFormed(padded).length);
        assertNull(ProxyPackets.wellFormed(Arrays.copyOf(ok, 19)));
        assertNull(ProxyPackets.wellFormed(Arrays.copyOf(ok, ok.length - 1))); // length field beyond the datagram
        byte[] zeroLength = ok.clone();
        zeroLength[21] = 0; // an attribute of length 0
        assertNull(ProxyPackets.wellFormed(zeroLength));
        byte[] overrun = ok.clone();
        overrun[21] = 30; // runs past the end
        assertNull(ProxyPackets.wellFormed(overrun));
    }

    @Test
    void mppeReencrypt_refusesValuesThatAreNoKey() {
        assertThrows(IllegalArgumentException.class, () -> MppeKeys.reencrypt(new byte[5], UP, UP_AUTH, NAS, NAS_AUTH));
        assertThrows(IllegalArgumentException.class, () -> MppeKeys.reencrypt(new byte[18], UP, UP_AUTH, NAS, NAS_AUTH));
    }
}
