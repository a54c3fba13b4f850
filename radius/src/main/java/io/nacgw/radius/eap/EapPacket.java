package io.nacgw.radius.eap;

import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusRequest;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One EAP packet (RFC 3748 §4): code, identifier and, for requests and responses, the type and its data. Parsed
 * from the EAP-Message attributes of a request (concatenated in order, RFC 3579 §3.1) and split into 253-byte
 * EAP-Message attributes on the way out.
 */
record EapPacket(int code, int identifier, int type, byte[] data) {
    static final int REQUEST = 1;
    static final int RESPONSE = 2;
    static final int SUCCESS = 3;
    static final int FAILURE = 4;

    static final int IDENTITY = 1;
    static final int NOTIFICATION = 2;
    static final int NAK = 3;
    static final int MD5 = 4;
    static final int TLS = 13;
    static final int TTLS = 21;
    static final int PEAP = 25;
    static final int MSCHAPV2 = 26;
    static final int TEAP = 55;
    static final int EXPANDED = 254;

    /** Largest EAP packet accepted from a peer: what fits in one RADIUS packet. */
    static final int MAX_LENGTH = 4096;

    EapPacket {
        data = data == null ? new byte[0] : data;
    }

    /** A Success or Failure (no type, no data). */
    static EapPacket result(int code, int identifier) {
        return new EapPacket(code, identifier, 0, new byte[0]);
    }

    static EapPacket request(int identifier, int type, byte[] data) {
        return new EapPacket(REQUEST, identifier, type, data);
    }

    /** The EAP packet in a request's EAP-Message attributes; throws {@link MalformedEapException} when broken. */
    static EapPacket of(RadiusRequest r) throws MalformedEapException {
        List<Attribute> parts = r.all(AttributeType.EAP_MESSAGE);
        ByteArrayOutputStream b = new ByteArrayOutputStream(256 * parts.size());
        for (Attribute a : parts) {
            b.writeBytes(a.value());
        }
        return parse(b.toByteArray());
    }

    /** Parses one EAP packet that must fill {@code b} exactly. */
    static EapPacket parse(byte[] b) throws MalformedEapException {
        if (b.length < 4) {
            throw new MalformedEapException("EAP-Message of " + b.length + " bytes is shorter than an EAP header");
        }
        int length = ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
        if (length != b.length) {
            throw new MalformedEapException("EAP Length field " + length + " but EAP-Message holds " + b.length + " bytes");
        }
        int code = b[0] & 0xFF;
        switch (code) {
            case REQUEST:
            case RESPONSE:
                if (length < 5) {
                    throw new MalformedEapException("EAP " + (code == REQUEST ? "Request" : "Response") + " without a type");
                }
                return new EapPacket(code, b[1] & 0xFF, b[4] & 0xFF, Arrays.copyOfRange(b, 5, length));
            case SUCCESS:
            case FAILURE:
                if (length != 4) {
                    throw new MalformedEapException("EAP Success/Failure of length " + length);
                }
                return result(code, b[1] & 0xFF);
            default:
                throw new MalformedEapException("EAP code " + code);
        }
    }

    /** The wire form. */
    byte[] encode() {
        boolean typed = code == REQUEST || code == RESPONSE;
        int length = typed ? 5 + data.length : 4;
        byte[] b = new byte[length];
        b[0] = (byte) code;
        b[1] = (byte) identifier;
        b[2] = (byte) (length >>> 8);
        b[3] = (byte) length;
        if (typed) {
            b[4] = (byte) type;
            System.arraycopy(data, 0, b, 5, data.length);
        }
        return b;
    }

    /** EAP-Message attributes carrying this packet, 253 bytes each. */
    List<Attribute> attributes() {
        byte[] b = encode();
        List<Attribute> out = new ArrayList<>(b.length / 253 + 1);
        for (int off = 0; off < b.length; off += 253) {
            out.add(Attribute.of(AttributeType.EAP_MESSAGE, Arrays.copyOfRange(b, off, Math.min(b.length, off + 253))));
        }
        return out;
    }

    /** A name for logs and audit lines. */
    static String typeName(int type) {
        switch (type) {
            case IDENTITY: return "identity";
            case NOTIFICATION: return "notification";
            case NAK: return "nak";
            case MD5: return "eap-md5";
            case TLS: return "eap-tls";
            case TTLS: return "eap-ttls";
            case PEAP: return "peap";
            case MSCHAPV2: return "eap-mschapv2";
            case TEAP: return "teap";
            default: return "eap-type-" + type;
        }
    }

    @Override
    public String toString() {
        return "EapPacket[code=" + code + ", id=" + identifier + ", type=" + typeName(type) + ", " + data.length + " bytes]";
    }
}
