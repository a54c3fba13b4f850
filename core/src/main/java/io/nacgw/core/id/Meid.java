package io.nacgw.core.id;

/**
 * A Mobile Equipment Identifier: 14 hex digits (56 bits), or its 18-digit decimal form (10-digit manufacturer
 * code + 8-digit serial). A trailing check digit is not accepted: callers pass the 14-digit MEID.
 */
public final class Meid implements DeviceIdentifier {
    private final long value;

    private Meid(long value) {
        this.value = value;
    }

    /** Parses either form; the canonical form is 14 upper-case hex digits. */
    public static Meid parse(String text) {
        if (text == null) {
            throw new InvalidIdentifierException(IdentifierKind.MEID, null, "missing");
        }
        String s = text.strip().replace(" ", "").replace("-", "");
        if (s.length() == 14) {
            long v = 0;
            for (int i = 0; i < 14; i++) {
                int d = Character.digit(s.charAt(i), 16);
                if (d < 0 || s.charAt(i) > 0x7f) {
                    throw new InvalidIdentifierException(IdentifierKind.MEID, text, "expected hex digits");
                }
                v = (v << 4) | d;
            }
            return new Meid(v);
        }
        if (s.length() == 18 && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            long manufacturer = Long.parseLong(s.substring(0, 10));
            long serial = Long.parseLong(s.substring(10));
            if (manufacturer > 0xFFFF_FFFFL || serial > 0xFF_FFFFL) {
                throw new InvalidIdentifierException(IdentifierKind.MEID, text, "decimal MEID out of range");
            }
            return new Meid((manufacturer << 24) | serial);
        }
        throw new InvalidIdentifierException(IdentifierKind.MEID, text, "expected 14 hex digits or 18 decimal digits");
    }

    /** The 56-bit value. */
    public long value() {
        return value;
    }

    @Override
    public IdentifierKind kind() {
        return IdentifierKind.MEID;
    }

    @Override
    public String canonical() {
        String s = Long.toHexString(value | (1L << 56)).substring(1);
        return s.toUpperCase(java.util.Locale.ROOT);
    }

    @Override
    public long indexKey() {
        return DeviceIdentifier.key(IdentifierKind.MEID, value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Meid && ((Meid) o).value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }

    @Override
    public String toString() {
        return canonical();
    }
}
