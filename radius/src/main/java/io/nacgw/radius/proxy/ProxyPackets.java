package io.nacgw.radius.proxy;

import io.nacgw.core.secret.Secret;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;
import io.nacgw.radius.codec.RadiusCodec;
import io.nacgw.radius.codec.RadiusCrypto;
import io.nacgw.radius.codec.RadiusRequest;
import io.nacgw.radius.eap.MppeKeys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The proxy's two packet transformations. Toward the upstream: the NAS's attributes in order without its
 * Message-Authenticator, User-Password re-hidden for the upstream's secret and nacgw's new authenticator, a
 * CHAP-Challenge added when CHAP relied on the NAS's authenticator, nacgw's Proxy-State last (RFC 2865 §5.33), a
 * fresh Message-Authenticator first. Back from the upstream: a structurally checked, authenticated reply whose
 * Message-Authenticator and Proxy-State attributes are removed (the codec writes the NAS's own back) and whose
 * hidden attributes (MS-MPPE keys, MS-CHAP-MPPE-Keys, Tunnel-Password) are re-hidden for the NAS's secret and
 * authenticator.
 */
final class ProxyPackets {
    static final int TUNNEL_PASSWORD = 69;
    /** MS-CHAP-MPPE-Keys (RFC 2548 §2.4.1): hidden like User-Password, with the request's authenticator. */
    static final int MS_CHAP_MPPE_KEYS = 12;

    private ProxyPackets() {
    }

    /** The Access-Request for the upstream; throws {@link IllegalStateException} when it exceeds 4096 bytes. */
    static byte[] accessRequest(RadiusRequest r, int identifier, byte[] authenticator, Secret upstream,
                                byte[] proxyState) {
        List<Attribute> out = new ArrayList<>(r.attributes().size() + 2);
        boolean chapNeedsChallenge = r.has(AttributeType.CHAP_PASSWORD) && !r.has(AttributeType.CHAP_CHALLENGE);
        for (Attribute a : r.attributes()) {
            if (!a.isVendor() && a.type() == AttributeType.MESSAGE_AUTHENTICATOR) {
                continue;
            }
            if (!a.isVendor() && a.type() == AttributeType.USER_PASSWORD) {
                // in clear text here: the codec hides it again for the upstream's secret and nacgw's authenticator
                out.add(Attribute.of(AttributeType.USER_PASSWORD,
                        RadiusCrypto.decryptPap(r.secret(), r.authenticator(), a.value())));
                continue;
            }
            out.add(a);
        }
        if (chapNeedsChallenge) {
            // CHAP's challenge was the NAS's Request Authenticator; nacgw sends its own, so it names the old one
            out.add(Attribute.of(AttributeType.CHAP_CHALLENGE, r.authenticator()));
        }
        out.add(Attribute.of(AttributeType.PROXY_STATE, proxyState));
        return RadiusCodec.encodeRequest(RadiusCode.ACCESS_REQUEST, identifier, authenticator, out, upstream);
    }

    /** A Status-Server probe (RFC 5997 §3: Message-Authenticator required). */
    static byte[] statusServer(int identifier, byte[] authenticator, Secret upstream) {
        return RadiusCodec.encodeRequest(RadiusCode.STATUS_SERVER, identifier, authenticator,
                List.of(Attribute.text(AttributeType.NAS_IDENTIFIER, "nacgw")), upstream);
    }

    /** An Accounting-Request copied to the upstream, re-signed with its secret and with nacgw's Proxy-State. */
    static byte[] accountingRequest(RadiusRequest r, int identifier, Secret upstream, byte[] proxyState) {
        List<Attribute> out = new ArrayList<>(r.attributes().size() + 1);
        for (Attribute a : r.attributes()) {
            if (a.isVendor() || a.type() != AttributeType.MESSAGE_AUTHENTICATOR) {
                out.add(a);
            }
        }
        out.add(Attribute.of(AttributeType.PROXY_STATE, proxyState));
        return RadiusCodec.encodeRequest(RadiusCode.ACCOUNTING_REQUEST, identifier, out, upstream);
    }

    /**
     * The exact packet when {@code data} is a structurally valid RADIUS packet (length field within the datagram,
     * 20-4096 bytes, attributes exactly filling it, none shorter than 2 bytes), else null.
     */
    static byte[] wellFormed(byte[] data) {
        if (data.length < RadiusCrypto.HEADER_LENGTH) {
            return null;
        }
        int len = RadiusCrypto.lengthField(data);
        if (len < RadiusCrypto.HEADER_LENGTH || len > data.length || len > RadiusCrypto.MAX_PACKET) {
            return null;
        }
        int pos = RadiusCrypto.HEADER_LENGTH;
        while (pos < len) {
            if (pos + 2 > len) {
                return null;
            }
            int alen = data[pos + 1] & 0xFF;
            if (alen < 2 || pos + alen > len) {
                return null;
            }
            pos += alen;
        }
        return len == data.length ? data : Arrays.copyOf(data, len);
    }

    /**
     * True when the reply's Response Authenticator, and its Message-Authenticator (required when
     * {@code requireMa}), verify with {@code secret} for a request with {@code requestAuthenticator}.
     */
    static boolean authentic(byte[] reply, Secret secret, byte[] requestAuthenticator, boolean requireMa) {
        int ma = RadiusCrypto.find(reply, AttributeType.MESSAGE_AUTHENTICATOR);
        if (ma < 0 && requireMa) {
            return false;
        }
        if (ma >= 0 && ((reply[ma + 1] & 0xFF) != 18
                || !RadiusCrypto.verifyReplyMessageAuthenticator(secret, reply, ma, requestAuthenticator))) {
            return false;
        }
        return RadiusCrypto.verifyResponse(secret, reply, requestAuthenticator);
    }

    /**
     * The reply's attributes for the NAS, in order: without Message-Authenticator and Proxy-State, salt-encrypted
     * values re-hidden from ({@code upstream}, {@code upstreamAuthenticator}) to ({@code nas},
     * {@code nasAuthenticator}); vendor attributes stay whole except Microsoft's, which are split into their
     * sub-attributes so the MS-MPPE keys can be re-hidden. Throws {@link IllegalArgumentException} for an
     * encrypted value that does not decode.
     */
    static List<Attribute> forNas(byte[] reply, Secret upstream, byte[] upstreamAuthenticator, Secret nas,
                                  byte[] nasAuthenticator) {
        List<Attribute> out = new ArrayList<>();
        int len = RadiusCrypto.lengthField(reply);
        for (int pos = RadiusCrypto.HEADER_LENGTH; pos < len; ) {
            int type = reply[pos] & 0xFF;
            int alen = reply[pos + 1] & 0xFF;
            byte[] value = Arrays.copyOfRange(reply, pos + 2, pos + alen);
            pos += alen;
            if (type == AttributeType.MESSAGE_AUTHENTICATOR || type == AttributeType.PROXY_STATE) {
                continue;
            }
            if (type == TUNNEL_PASSWORD && value.length >= 19) {
                byte[] salted = MppeKeys.reencrypt(Arrays.copyOfRange(value, 1, value.length), upstream,
                        upstreamAuthenticator, nas, nasAuthenticator);
                byte[] tagged = new byte[salted.length + 1];
                tagged[0] = value[0];
                System.arraycopy(salted, 0, tagged, 1, salted.length);
                out.add(Attribute.of(type, tagged));
                continue;
            }
            if (type == AttributeType.VENDOR_SPECIFIC && vendorId(value) == AttributeType.VENDOR_MICROSOFT
                    && microsoft(value, upstream, upstreamAuthenticator, nas, nasAuthenticator, out)) {
                continue;
            }
            out.add(Attribute.of(type, value));
        }
        return out;
    }

    /** The vendor id of a Vendor-Specific value, or -1 when shorter than 4 bytes. */
    static int vendorId(byte[] vsa) {
        if (vsa.length < 4) {
            return -1;
        }
        return ((vsa[0] & 0xFF) << 24) | ((vsa[1] & 0xFF) << 16) | ((vsa[2] & 0xFF) << 8) | (vsa[3] & 0xFF);
    }

    /** Splits a Microsoft VSA into sub-attributes, MPPE keys re-hidden; false (nothing added) when not well-formed. */
    private static boolean microsoft(byte[] vsa, Secret upstream, byte[] upstreamAuth, Secret nas, byte[] nasAuth,
                                     List<Attribute> out) {
        List<Attribute> subs = new ArrayList<>(2);
        for (int pos = 4; pos < vsa.length; ) {
            if (pos + 2 > vsa.length) {
                return false;
            }
            int t = vsa[pos] & 0xFF;
            int l = vsa[pos + 1] & 0xFF;
            if (l < 2 || pos + l > vsa.length) {
                return false;
            }
            byte[] v = Arrays.copyOfRange(vsa, pos + 2, pos + l);
            pos += l;
            if (t == MppeKeys.MS_MPPE_RECV_KEY || t == MppeKeys.MS_MPPE_SEND_KEY) {
                v = MppeKeys.reencrypt(v, upstream, upstreamAuth, nas, nasAuth);
            } else if (t == MS_CHAP_MPPE_KEYS && v.length > 0 && v.length % 16 == 0) {
                // decryptPap drops trailing NULs; the keys' own zero bytes come back with the original length
                byte[] plain = Arrays.copyOf(RadiusCrypto.decryptPap(upstream, upstreamAuth, v), v.length);
                v = RadiusCrypto.encryptPap(nas, nasAuth, plain);
                Arrays.fill(plain, (byte) 0);
            }
            subs.add(Attribute.vendor(AttributeType.VENDOR_MICROSOFT, t, v));
        }
        out.addAll(subs);
        return true;
    }
}
