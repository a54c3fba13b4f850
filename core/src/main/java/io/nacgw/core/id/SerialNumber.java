package io.nacgw.core.id;

import java.util.Locale;

/** A hardware serial number: 1 to 64 letters, digits or {@code - _ . / :}, compared case-insensitively (upper case). */
public record SerialNumber(String value) implements DeviceIdentifier {
    public SerialNumber {
        value = normalise(value);
    }

    /** Parses and normalises a serial number. */
    public static SerialNumber parse(String text) {
        return new SerialNumber(text);
    }

    private static String normalise(String text) {
        if (text == null) {
            throw new InvalidIdentifierException(IdentifierKind.SERIAL, null, "missing");
        }
        String s = text.strip();
        if (s.isEmpty() || s.length() > 64) {
            throw new InvalidIdentifierException(IdentifierKind.SERIAL, text, "expected 1 to 64 characters");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || c == '-' || c == '_' || c == '.' || c == '/' || c == ':';
            if (!ok) {
                throw new InvalidIdentifierException(IdentifierKind.SERIAL, text,
                        "only letters, digits and - _ . / : are allowed");
            }
        }
        return s.toUpperCase(Locale.ROOT);
    }

    @Override
    public IdentifierKind kind() {
        return IdentifierKind.SERIAL;
    }

    @Override
    public String canonical() {
        return value;
    }

    @Override
    public long indexKey() {
        return DeviceIdentifier.key(IdentifierKind.SERIAL, DeviceIdentifier.hash56(value));
    }

    @Override
    public String toString() {
        return value;
    }
}
