package io.nacgw.core.id;

/**
 * An IEEE 802 MAC address held as 48 bits. Parses every spelling of 12 hex digits (any case) that NAS vendors
 * send: bare ({@code AABBCCDDEEFF}), or in groups of 2, 4 or 6 digits with one separator {@code :}, {@code -} or
 * {@code .} used throughout ({@code AA-BB-CC-DD-EE-FF}, {@code AA.BB.CC.DD.EE.FF}, Cisco {@code aabb.ccdd.eeff},
 * Huawei {@code aabb-ccdd-eeff} / {@code aabb:ccdd:eeff}, HPE {@code aabbcc-ddeeff}, D-Link {@code AABBCC.DDEEFF});
 * the canonical form is lower case with colons.
 */
public final class MacAddress implements DeviceIdentifier, Comparable<MacAddress> {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private final long value;

    private MacAddress(long value) {
        this.value = value;
    }

    /** The address whose 48 low bits are {@code value}. */
    public static MacAddress of(long value) {
        if ((value & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("MAC value has more than 48 bits");
        }
        return new MacAddress(value);
    }

    /** The address in six raw bytes, as some NAS send it in Calling-Station-Id. */
    public static MacAddress of(byte[] sixBytes) {
        if (sixBytes.length != 6) {
            throw new IllegalArgumentException("a binary MAC address has 6 bytes, not " + sixBytes.length);
        }
        long v = 0;
        for (byte b : sixBytes) {
            v = (v << 8) | (b & 0xFF);
        }
        return new MacAddress(v);
    }

    /** Parses any common textual form; see the class comment. */
    public static MacAddress parse(String text) {
        long v = parseOrMinusOne(text);
        if (v < 0) {
            throw new InvalidIdentifierException(IdentifierKind.MAC, text,
                    "expected 12 hex digits, optionally grouped by 2, 4 or 6 with one of ':', '-' or '.'");
        }
        return new MacAddress(v);
    }

    /** Like {@link #parse} but returns null instead of throwing; for probing attributes that may hold a MAC. */
    public static MacAddress tryParse(String text) {
        long v = parseOrMinusOne(text);
        return v < 0 ? null : new MacAddress(v);
    }

    private static long parseOrMinusOne(String text) {
        if (text == null) {
            return -1;
        }
        int n = text.length();
        // 12 = bare, 13 = two groups of six, 14 = three groups of four, 17 = six groups of two
        int group = n == 12 ? 12 : n == 13 ? 6 : n == 14 ? 4 : n == 17 ? 2 : -1;
        if (group < 0) {
            return -1;
        }
        char sep = 0;
        long v = 0;
        int digits = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            int d = Character.digit(c, 16);
            if (d >= 0 && c < 0x80) {
                v = (v << 4) | d;
                digits++;
                continue;
            }
            // a separator must stand exactly after each full group, and all separators must be the same
            if (group == 12 || digits == 0 || digits == 12 || digits % group != 0
                    || (c != ':' && c != '-' && c != '.')) {
                return -1;
            }
            if (sep == 0) {
                sep = c;
            } else if (sep != c) {
                return -1;
            }
            if (i + 1 < n && Character.digit(text.charAt(i + 1), 16) < 0) {
                return -1;
            }
        }
        return digits == 12 ? v : -1;
    }

    /** The 48-bit value. */
    public long value() {
        return value;
    }

    @Override
    public IdentifierKind kind() {
        return IdentifierKind.MAC;
    }

    @Override
    public String canonical() {
        char[] out = new char[17];
        for (int i = 0; i < 6; i++) {
            int b = (int) (value >>> (40 - 8 * i)) & 0xFF;
            out[i * 3] = HEX[b >>> 4];
            out[i * 3 + 1] = HEX[b & 0xF];
            if (i < 5) {
                out[i * 3 + 2] = ':';
            }
        }
        return new String(out);
    }

    /** Twelve upper-case hex digits without separators, the form Cisco ISE's MDM API and Intune use. */
    public String toHex12() {
        String s = Long.toHexString(value | (1L << 48)).substring(1);
        return s.toUpperCase(java.util.Locale.ROOT);
    }

    /** Upper case with dashes, the RFC 3580 Calling-Station-Id form. */
    public String toRfc3580() {
        return canonical().replace(':', '-').toUpperCase(java.util.Locale.ROOT);
    }

    @Override
    public long indexKey() {
        return DeviceIdentifier.key(IdentifierKind.MAC, value);
    }

    @Override
    public int compareTo(MacAddress o) {
        return Long.compare(value, o.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacAddress && ((MacAddress) o).value == value;
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
