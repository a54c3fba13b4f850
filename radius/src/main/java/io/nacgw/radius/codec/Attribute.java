package io.nacgw.radius.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One RADIUS attribute as nacgw's own immutable type: a standard attribute ({@code vendorId == 0}) or one
 * vendor sub-attribute of a Vendor-Specific attribute.
 */
public final class Attribute {
    private final int type;
    private final int vendorId;
    private final byte[] value;

    private Attribute(int type, int vendorId, byte[] value) {
        if (type < 1 || type > 255) {
            throw new IllegalArgumentException("attribute type must be 1-255, got " + type);
        }
        if (value.length > (vendorId == 0 ? 253 : 247)) {
            throw new IllegalArgumentException("attribute " + type + " value of " + value.length + " bytes is too long");
        }
        this.type = type;
        this.vendorId = vendorId;
        this.value = value;
    }

    /** A standard attribute with raw bytes. */
    public static Attribute of(int type, byte[] value) {
        return new Attribute(type, 0, value.clone());
    }

    /** An attribute holding {@code value} itself, not a copy: for the decoder, whose copy nobody else holds. */
    static Attribute own(int type, int vendorId, byte[] value) {
        return new Attribute(type, vendorId, value);
    }

    /** A standard attribute holding UTF-8 text. */
    public static Attribute text(int type, String value) {
        return new Attribute(type, 0, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A standard 32-bit integer attribute. */
    public static Attribute integer(int type, int value) {
        return new Attribute(type, 0, int4(value));
    }

    /** A vendor sub-attribute (1-byte type and length, the RFC 2865 recommended format). */
    public static Attribute vendor(int vendorId, int vendorType, byte[] value) {
        if (vendorId <= 0) {
            throw new IllegalArgumentException("vendorId must be positive");
        }
        return new Attribute(vendorType, vendorId, value.clone());
    }

    /** A vendor sub-attribute holding UTF-8 text. */
    public static Attribute vendorText(int vendorId, int vendorType, String value) {
        return vendor(vendorId, vendorType, value.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] int4(int v) {
        return new byte[]{(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** The attribute type, or the vendor type for a vendor sub-attribute. */
    public int type() {
        return type;
    }

    /** The vendor (IANA enterprise number), 0 for a standard attribute. */
    public int vendorId() {
        return vendorId;
    }

    public boolean isVendor() {
        return vendorId != 0;
    }

    /** A copy of the value bytes. */
    public byte[] value() {
        return value.clone();
    }

    /** Bytes this attribute takes on the wire: type, length, value; a vendor's inside its Vendor-Specific. */
    int wireLength() {
        return value.length + (vendorId == 0 ? 2 : 8);
    }

    /**
     * Writes the attribute's wire form into {@code out} at {@code pos} and returns the position after it: type,
     * length, value; a vendor sub-attribute as a Vendor-Specific (26) of its own, vendor id, then the sub-attribute
     * with 1-byte type and length. The constructor's size limits keep both length bytes within 255.
     */
    int writeTo(byte[] out, int pos) {
        if (vendorId != 0) {
            out[pos++] = (byte) AttributeType.VENDOR_SPECIFIC;
            out[pos++] = (byte) wireLength();
            out[pos++] = (byte) (vendorId >>> 24);
            out[pos++] = (byte) (vendorId >>> 16);
            out[pos++] = (byte) (vendorId >>> 8);
            out[pos++] = (byte) vendorId;
        }
        out[pos++] = (byte) type;
        out[pos++] = (byte) (value.length + 2);
        System.arraycopy(value, 0, out, pos, value.length);
        return pos + value.length;
    }

    /** Length of the value in bytes. */
    public int length() {
        return value.length;
    }

    /** The value as UTF-8 text (invalid sequences become U+FFFD). */
    public String asText() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** The value as an unsigned 32-bit integer, or -1 when it is not 4 bytes. */
    public long asInt() {
        if (value.length != 4) {
            return -1;
        }
        return ((value[0] & 0xFFL) << 24) | ((value[1] & 0xFF) << 16) | ((value[2] & 0xFF) << 8) | (value[3] & 0xFF);
    }

    /** True when every byte is printable ASCII (safe to show as text). */
    public boolean isPrintable() {
        for (byte b : value) {
            if (b < 0x20 || b > 0x7E) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attribute && ((Attribute) o).type == type && ((Attribute) o).vendorId == vendorId
                && Arrays.equals(((Attribute) o).value, value);
    }

    @Override
    public int hashCode() {
        return (type * 31 + vendorId) * 31 + Arrays.hashCode(value);
    }

    /** Type and length only: values may hold passwords. */
    @Override
    public String toString() {
        return (vendorId == 0 ? "Attribute[" + type : "Attribute[" + vendorId + "/" + type) + ", " + value.length + " bytes]";
    }
}
