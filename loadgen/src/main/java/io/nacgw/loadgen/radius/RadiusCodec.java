package io.nacgw.loadgen.radius;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The load generator's own RADIUS codec (RFC 2865, RFC 2868 tags, RFC 3579 Message-Authenticator): encodes
 * Access-Requests with the User-Password hidden and the Message-Authenticator first, verifies and decodes answers.
 * Built for one shared secret and not thread-safe ({@link MessageDigest} and {@link Mac} are not): one instance per
 * event loop or thread. Kept free of the {@code radius} module on purpose, so the generator judges our server with
 * code that did not come from it.
 */
public final class RadiusCodec {
    public static final int ACCESS_REQUEST = 1;
    public static final int ACCESS_ACCEPT = 2;
    public static final int ACCESS_REJECT = 3;
    public static final int ACCESS_CHALLENGE = 11;

    public static final int USER_NAME = 1;
    public static final int USER_PASSWORD = 2;
    public static final int NAS_IP_ADDRESS = 4;
    public static final int NAS_PORT = 5;
    public static final int SERVICE_TYPE = 6;
    public static final int FILTER_ID = 11;
    public static final int REPLY_MESSAGE = 18;
    public static final int CLASS = 25;
    public static final int VENDOR_SPECIFIC = 26;
    public static final int SESSION_TIMEOUT = 27;
    public static final int CALLED_STATION_ID = 30;
    public static final int CALLING_STATION_ID = 31;
    public static final int NAS_IDENTIFIER = 32;
    public static final int NAS_PORT_TYPE = 61;
    public static final int TUNNEL_TYPE = 64;
    public static final int TUNNEL_MEDIUM_TYPE = 65;
    public static final int MESSAGE_AUTHENTICATOR = 80;
    public static final int TUNNEL_PRIVATE_GROUP_ID = 81;

    public static final int VENDOR_CISCO = 9;
    public static final int CISCO_AVPAIR = 1;

    public static final int HEADER = 20;
    public static final int MAX_PACKET = 4096;

    private final byte[] secret;
    private final MessageDigest md5;
    private final Mac hmac;

    /** @param secret the shared secret's bytes (copied; never printed) */
    public RadiusCodec(byte[] secret) {
        if (secret == null || secret.length == 0) {
            throw new IllegalArgumentException("the shared secret must not be empty");
        }
        this.secret = secret.clone();
        try {
            this.md5 = MessageDigest.getInstance("MD5");
            this.hmac = Mac.getInstance("HmacMD5");
            // keyed once: keying costs more than the HMAC of a 100-byte packet
            this.hmac.init(new SecretKeySpec(this.secret, "HmacMD5"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5/HmacMD5 unavailable in this JVM", e);
        }
    }

    /**
     * Encodes an Access-Request. A {@code User-Password} attribute in {@code attributes} holds the plain password and
     * is hidden here (RFC 2865 §5.2). With {@code messageAuthenticator} the Message-Authenticator is the first
     * attribute, computed over the packet with its own value zeroed (RFC 3579 §3.2).
     */
    public byte[] accessRequest(int id, byte[] authenticator, List<RadiusAttribute> attributes, boolean messageAuthenticator) {
        checkId(id);
        if (authenticator.length != 16) {
            throw new IllegalArgumentException("authenticator must be 16 bytes");
        }
        List<RadiusAttribute> wire = new ArrayList<>(attributes.size());
        for (RadiusAttribute a : attributes) {
            wire.add(a.type() == USER_PASSWORD ? new RadiusAttribute(USER_PASSWORD, hidePassword(a.value(), authenticator)) : a);
        }
        byte[] p = layout(ACCESS_REQUEST, id, authenticator, wire, messageAuthenticator);
        if (messageAuthenticator) {
            byte[] ma = hmac.doFinal(p);
            System.arraycopy(ma, 0, p, HEADER + 2, 16);
        }
        return p;
    }

    /**
     * Encodes an answer to an Access-Request (Accept, Reject, Challenge): Message-Authenticator first (over the
     * packet with the request's authenticator in the header), then the Response Authenticator over the final bytes.
     * The load generator itself never answers; tests' fake servers and golden vectors do.
     */
    public byte[] response(int code, int id, byte[] requestAuthenticator, List<RadiusAttribute> attributes, boolean messageAuthenticator) {
        checkId(id);
        byte[] p = layout(code, id, requestAuthenticator, attributes, messageAuthenticator);
        if (messageAuthenticator) {
            byte[] ma = hmac.doFinal(p);
            System.arraycopy(ma, 0, p, HEADER + 2, 16);
        }
        byte[] ra = responseAuthenticator(p, p.length, requestAuthenticator);
        System.arraycopy(ra, 0, p, 4, 16);
        return p;
    }

    private static byte[] layout(int code, int id, byte[] authenticator, List<RadiusAttribute> attributes, boolean ma) {
        int len = HEADER + (ma ? 18 : 0);
        for (RadiusAttribute a : attributes) {
            len += 2 + a.value().length;
        }
        if (len > MAX_PACKET) {
            throw new IllegalArgumentException("packet of " + len + " bytes exceeds 4096");
        }
        byte[] p = new byte[len];
        p[0] = (byte) code;
        p[1] = (byte) id;
        p[2] = (byte) (len >>> 8);
        p[3] = (byte) len;
        System.arraycopy(authenticator, 0, p, 4, 16);
        int o = HEADER;
        if (ma) {
            p[o] = (byte) MESSAGE_AUTHENTICATOR;
            p[o + 1] = 18;
            o += 18; // value stays zero while the HMAC is computed
        }
        for (RadiusAttribute a : attributes) {
            p[o] = (byte) a.type();
            p[o + 1] = (byte) (2 + a.value().length);
            System.arraycopy(a.value(), 0, p, o + 2, a.value().length);
            o += 2 + a.value().length;
        }
        return p;
    }

    /** RFC 2865 §5.2: pad to 16, c1 = p1 xor MD5(S + RA), ci = pi xor MD5(S + c(i-1)); at most 128 bytes. */
    public byte[] hidePassword(byte[] plain, byte[] requestAuthenticator) {
        if (plain.length > 128) {
            throw new IllegalArgumentException("User-Password longer than 128 bytes");
        }
        int n = Math.max(16, (plain.length + 15) / 16 * 16);
        byte[] out = Arrays.copyOf(plain, n);
        hidePassword(out, 0, n, requestAuthenticator);
        return out;
    }

    /**
     * {@link #hidePassword(byte[], byte[])} in place: the {@code length} bytes at {@code offset} of {@code p} hold the
     * plain password already padded with zeros to a multiple of 16 (16-128) and are replaced by the hidden form.
     */
    public void hidePassword(byte[] p, int offset, int length, byte[] requestAuthenticator) {
        if (length < 16 || length > 128 || length % 16 != 0) {
            throw new IllegalArgumentException("padded User-Password must be 16-128 bytes in 16-byte blocks");
        }
        for (int i = 0; i < length; i += 16) {
            md5.update(secret);
            if (i == 0) {
                md5.update(requestAuthenticator, 0, 16);
            } else {
                md5.update(p, offset + i - 16, 16);
            }
            byte[] b = md5.digest();
            for (int j = 0; j < 16; j++) {
                p[offset + i + j] ^= b[j];
            }
        }
    }

    /**
     * Finishes an Access-Request laid out in {@code p} (length field and attributes final, the User-Password at
     * {@code passwordOffset} still plain and zero-padded to {@code passwordLength}): writes the identifier and
     * Request Authenticator, hides the password and, when {@code maOffset} ≥ 0 (the Message-Authenticator
     * attribute's offset), computes the Message-Authenticator. The result equals {@link #accessRequest} for the same
     * attributes: for senders that patch a pre-encoded template instead of encoding every request.
     */
    public void finishAccessRequest(byte[] p, int id, byte[] authenticator, int passwordOffset, int passwordLength,
                                    int maOffset) {
        checkId(id);
        if (authenticator.length != 16) {
            throw new IllegalArgumentException("authenticator must be 16 bytes");
        }
        p[0] = (byte) ACCESS_REQUEST;
        p[1] = (byte) id;
        System.arraycopy(authenticator, 0, p, 4, 16);
        if (passwordOffset >= 0) {
            hidePassword(p, passwordOffset, passwordLength, authenticator);
        }
        if (maOffset >= 0) {
            Arrays.fill(p, maOffset + 2, maOffset + 18, (byte) 0);
            hmac.update(p);
            try {
                hmac.doFinal(p, maOffset + 2);
            } catch (javax.crypto.ShortBufferException e) {
                throw new IllegalArgumentException("no room for the Message-Authenticator at " + maOffset, e);
            }
        }
    }

    /** The inverse of {@link #hidePassword}, with the zero padding removed. */
    public byte[] unhidePassword(byte[] hidden, byte[] requestAuthenticator) {
        if (hidden.length == 0 || hidden.length % 16 != 0 || hidden.length > 128) {
            throw new IllegalArgumentException("hidden User-Password must be 16-128 bytes in 16-byte blocks");
        }
        byte[] out = new byte[hidden.length];
        for (int i = 0; i < hidden.length; i += 16) {
            md5.update(secret);
            if (i == 0) {
                md5.update(requestAuthenticator, 0, 16);
            } else {
                md5.update(hidden, i - 16, 16);
            }
            byte[] b = md5.digest();
            for (int j = 0; j < 16; j++) {
                out[i + j] = (byte) (hidden[i + j] ^ b[j]);
            }
        }
        int end = out.length;
        while (end > 0 && out[end - 1] == 0) {
            end--;
        }
        return Arrays.copyOf(out, end);
    }

    /**
     * Decrypts an MS-MPPE-Send/Recv-Key value (RFC 2548 §2.4.2-3: a 2-byte salt with its high bit set, then the
     * key-length byte, key and padding, each 16 bytes XORed with MD5(secret + request authenticator + salt), then
     * MD5(secret + previous ciphertext block)). Null when the value is malformed.
     */
    public byte[] decryptMppeKey(byte[] value, byte[] requestAuthenticator) {
        if (value.length < 18 || (value.length - 2) % 16 != 0 || (value[0] & 0x80) == 0) {
            return null;
        }
        byte[] plain = new byte[value.length - 2];
        for (int i = 0; i < plain.length; i += 16) {
            md5.update(secret);
            if (i == 0) {
                md5.update(requestAuthenticator, 0, 16);
                md5.update(value, 0, 2);
            } else {
                md5.update(value, 2 + i - 16, 16);
            }
            byte[] b = md5.digest();
            for (int j = 0; j < 16; j++) {
                plain[i + j] = (byte) (value[2 + i + j] ^ b[j]);
            }
        }
        int len = plain[0] & 0xFF;
        if (len == 0 || len > plain.length - 1) {
            return null;
        }
        return Arrays.copyOfRange(plain, 1, 1 + len);
    }

    /** MD5(Code|Id|Length|RequestAuth|Attributes|Secret) of the first {@code len} bytes of {@code p}. */
    public byte[] responseAuthenticator(byte[] p, int len, byte[] requestAuthenticator) {
        md5.update(p, 0, 4);
        md5.update(requestAuthenticator, 0, 16);
        md5.update(p, HEADER, len - HEADER);
        md5.update(secret);
        return md5.digest();
    }

    /** True when the first {@code len} bytes carry the Response Authenticator for {@code requestAuthenticator}. */
    public boolean responseAuthenticatorMatches(byte[] p, int len, byte[] requestAuthenticator) {
        if (len < HEADER) {
            return false;
        }
        return MessageDigest.isEqual(responseAuthenticator(p, len, requestAuthenticator), Arrays.copyOfRange(p, 4, 20));
    }

    /**
     * Structural decode: header, length field (at least 20, at most 4096 and the datagram; bytes past the length
     * are padding and ignored, RFC 2865 §3) and attribute lengths.
     */
    public static RadiusPacket decode(byte[] data, int datagramLength) throws ReplyException {
        if (datagramLength < HEADER) {
            throw new ReplyException(ReplyError.MALFORMED, "datagram of " + datagramLength + " bytes is shorter than a header");
        }
        int len = ((data[2] & 0xFF) << 8) | (data[3] & 0xFF);
        if (len < HEADER || len > MAX_PACKET || len > datagramLength) {
            throw new ReplyException(ReplyError.MALFORMED, "length field " + len + " does not fit a datagram of " + datagramLength);
        }
        List<RadiusAttribute> attrs = new ArrayList<>(8);
        int o = HEADER;
        while (o < len) {
            if (o + 2 > len) {
                throw new ReplyException(ReplyError.MALFORMED, "attribute header truncated at offset " + o);
            }
            int alen = data[o + 1] & 0xFF;
            if (alen < 2 || o + alen > len) {
                throw new ReplyException(ReplyError.MALFORMED, "attribute " + (data[o] & 0xFF) + " length " + alen + " overruns the packet");
            }
            int type = data[o] & 0xFF;
            if (type == 0) {
                throw new ReplyException(ReplyError.MALFORMED, "attribute type 0 at offset " + o);
            }
            attrs.add(new RadiusAttribute(type, Arrays.copyOfRange(data, o + 2, o + alen)));
            o += alen;
        }
        return new RadiusPacket(data[0] & 0xFF, data[1] & 0xFF, Arrays.copyOfRange(data, 4, 20), attrs);
    }

    /**
     * Checks an answer to a request whose authenticator was {@code requestAuthenticator}: structure, Response
     * Authenticator, then the Message-Authenticator (with {@code requireMessageAuthenticator} it must be present and
     * the first attribute; whenever present, wherever it is, it must verify). Comparisons are constant-time.
     */
    public RadiusPacket verifyResponse(byte[] data, int datagramLength, byte[] requestAuthenticator,
                                       boolean requireMessageAuthenticator) throws ReplyException {
        RadiusPacket packet = decode(data, datagramLength);
        int len = ((data[2] & 0xFF) << 8) | (data[3] & 0xFF);
        byte[] expected = responseAuthenticator(data, len, requestAuthenticator);
        if (!MessageDigest.isEqual(expected, packet.authenticator())) {
            throw new ReplyException(ReplyError.BAD_RESPONSE_AUTHENTICATOR, "Response Authenticator does not verify");
        }
        int maOffset = -1;
        int o = HEADER;
        int index = 0;
        while (o < len) {
            int alen = data[o + 1] & 0xFF;
            if ((data[o] & 0xFF) == MESSAGE_AUTHENTICATOR) {
                if (index != 0 && requireMessageAuthenticator) {
                    // servers from before the BlastRADIUS fixes (e.g. FreeRADIUS < 3.2.5) put it last in EAP answers;
                    // without the requirement it is still verified wherever it is
                    throw new ReplyException(ReplyError.MESSAGE_AUTHENTICATOR_NOT_FIRST, "Message-Authenticator is attribute #" + (index + 1));
                }
                maOffset = o;
                break;
            }
            o += alen;
            index++;
        }
        if (maOffset < 0) {
            if (requireMessageAuthenticator) {
                throw new ReplyException(ReplyError.MISSING_MESSAGE_AUTHENTICATOR, "no Message-Authenticator");
            }
            return packet;
        }
        if ((data[maOffset + 1] & 0xFF) != 18) {
            throw new ReplyException(ReplyError.BAD_MESSAGE_AUTHENTICATOR, "Message-Authenticator length is not 18");
        }
        if (!messageAuthenticatorValid(data, len, maOffset, requestAuthenticator)) {
            throw new ReplyException(ReplyError.BAD_MESSAGE_AUTHENTICATOR, "Message-Authenticator does not verify");
        }
        return packet;
    }

    /**
     * Verifies the Message-Authenticator of an Access-Request (its own authenticator is in the header). Returns false
     * when there is none. For fake servers in tests and for checking golden packets from other clients.
     */
    public boolean requestMessageAuthenticatorValid(byte[] data, int len) {
        int o = HEADER;
        while (o + 2 <= len) {
            int alen = data[o + 1] & 0xFF;
            if (alen < 2) {
                return false;
            }
            if ((data[o] & 0xFF) == MESSAGE_AUTHENTICATOR) {
                return alen == 18 && messageAuthenticatorValid(data, len, o, Arrays.copyOfRange(data, 4, 20));
            }
            o += alen;
        }
        return false;
    }

    private boolean messageAuthenticatorValid(byte[] data, int len, int maOffset, byte[] headerAuthenticator) {
        hmac.update(data, 0, 4);
        hmac.update(headerAuthenticator, 0, 16);
        hmac.update(data, HEADER, maOffset + 2 - HEADER);
        hmac.update(ZERO16);
        hmac.update(data, maOffset + 18, len - maOffset - 18);
        byte[] mac = hmac.doFinal();
        return MessageDigest.isEqual(mac, Arrays.copyOfRange(data, maOffset + 2, maOffset + 18));
    }

    private static final byte[] ZERO16 = new byte[16];

    private static void checkId(int id) {
        if (id < 0 || id > 255) {
            throw new IllegalArgumentException("identifier must be 0-255, got " + id);
        }
    }

    @Override
    public String toString() {
        return "RadiusCodec[secret=***]";
    }
}
