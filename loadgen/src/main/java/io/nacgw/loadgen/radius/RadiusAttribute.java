package io.nacgw.loadgen.radius;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/** One RADIUS attribute as it is on the wire: type and raw value (1-253 bytes; the value of a VSA includes the vendor id). */
public record RadiusAttribute(int type, byte[] value) {
    public RadiusAttribute {
        if (type < 1 || type > 255) {
            throw new IllegalArgumentException("attribute type must be 1-255, got " + type);
        }
        Objects.requireNonNull(value, "value");
        if (value.length > 253) {
            throw new IllegalArgumentException("attribute " + type + " value longer than 253 bytes");
        }
    }

    public static RadiusAttribute text(int type, String s) {
        return new RadiusAttribute(type, s.getBytes(StandardCharsets.UTF_8));
    }

    public static RadiusAttribute integer(int type, int v) {
        return new RadiusAttribute(type, new byte[]{(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    /** A tagged integer (RFC 2868): the tag replaces the top byte, e.g. Tunnel-Type VLAN with tag 0 is 00 00 00 0D. */
    public static RadiusAttribute taggedInteger(int type, int tag, int v) {
        return new RadiusAttribute(type, new byte[]{(byte) tag, (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    /** A tagged string (RFC 2868) such as Tunnel-Private-Group-Id; the tag byte is written only when non-zero. */
    public static RadiusAttribute taggedText(int type, int tag, String s) {
        byte[] t = s.getBytes(StandardCharsets.UTF_8);
        if (tag == 0) {
            return new RadiusAttribute(type, t);
        }
        byte[] v = new byte[t.length + 1];
        v[0] = (byte) tag;
        System.arraycopy(t, 0, v, 1, t.length);
        return new RadiusAttribute(type, v);
    }

    /** Vendor-Specific (26) holding one sub-attribute in the RFC 2865 recommended layout. */
    public static RadiusAttribute vendorSpecific(int vendorId, int vendorType, byte[] data) {
        byte[] v = new byte[6 + data.length];
        v[0] = (byte) (vendorId >>> 24);
        v[1] = (byte) (vendorId >>> 16);
        v[2] = (byte) (vendorId >>> 8);
        v[3] = (byte) vendorId;
        v[4] = (byte) vendorType;
        v[5] = (byte) (2 + data.length);
        System.arraycopy(data, 0, v, 6, data.length);
        return new RadiusAttribute(RadiusCodec.VENDOR_SPECIFIC, v);
    }

    public String asText() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** The value of a tagged string with its tag (a first byte of 0x01-0x1F, RFC 2868 §3.6) removed. */
    public String asUntaggedText() {
        if (value.length > 0 && value[0] >= 0 && value[0] <= 0x1F) {
            return new String(value, 1, value.length - 1, StandardCharsets.UTF_8);
        }
        return asText();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RadiusAttribute && ((RadiusAttribute) o).type == type && Arrays.equals(((RadiusAttribute) o).value, value);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        // User-Password is hidden on the wire already, but it never belongs in a log either
        return "RadiusAttribute[" + type + ", " + (type == RadiusCodec.USER_PASSWORD ? "***" : value.length + " bytes") + "]";
    }
}
