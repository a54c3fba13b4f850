package io.nacgw.core.id;

import java.util.Locale;

/**
 * An Apple device UDID: 40 hex digits (older devices), the 25-character {@code 8hex-16hex} form (A12 and later),
 * or a GUID (Macs). Canonical form: upper case.
 */
public record Udid(String value) implements DeviceIdentifier {
    public Udid {
        value = normalise(value);
    }

    /** Parses and normalises a UDID. */
    public static Udid parse(String text) {
        return new Udid(text);
    }

    private static String normalise(String text) {
        if (text == null) {
            throw new InvalidIdentifierException(IdentifierKind.UDID, null, "missing");
        }
        String s = text.strip().toUpperCase(Locale.ROOT);
        boolean ok = (s.length() == 40 && hex(s, 0, 40))
                || (s.length() == 25 && s.charAt(8) == '-' && hex(s, 0, 8) && hex(s, 9, 25))
                || (s.length() == 36 && DeviceGuid.isGuidShape(s));
        if (!ok) {
            throw new InvalidIdentifierException(IdentifierKind.UDID, text,
                    "expected 40 hex digits, 8-16 hex digits joined by '-', or a GUID");
        }
        return s;
    }

    private static boolean hex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public IdentifierKind kind() {
        return IdentifierKind.UDID;
    }

    @Override
    public String canonical() {
        return value;
    }

    @Override
    public long indexKey() {
        return DeviceIdentifier.key(IdentifierKind.UDID, DeviceIdentifier.hash56(value));
    }

    @Override
    public String toString() {
        return value;
    }
}
