package io.nacgw.core.id;

/** A 15-digit IMEI with a valid Luhn check digit. Spaces, dashes and slashes between digits are ignored. */
public final class Imei implements DeviceIdentifier {
    private final long value;

    private Imei(long value) {
        this.value = value;
    }

    /** Parses an IMEI, verifying length and check digit. */
    public static Imei parse(String text) {
        if (text == null) {
            throw new InvalidIdentifierException(IdentifierKind.IMEI, null, "missing");
        }
        int[] digits = new int[16];
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (n == 16) {
                    throw new InvalidIdentifierException(IdentifierKind.IMEI, text, "expected 15 digits");
                }
                digits[n++] = c - '0';
            } else if (c != ' ' && c != '-' && c != '/') {
                throw new InvalidIdentifierException(IdentifierKind.IMEI, text, "only digits are allowed");
            }
        }
        if (n == 16) {
            throw new InvalidIdentifierException(IdentifierKind.IMEI, text,
                    "16 digits is an IMEISV; give the 15-digit IMEI");
        }
        if (n != 15) {
            throw new InvalidIdentifierException(IdentifierKind.IMEI, text, "expected 15 digits, got " + n);
        }
        if (!luhnValid(digits, 15)) {
            throw new InvalidIdentifierException(IdentifierKind.IMEI, text, "check digit (Luhn) does not match");
        }
        long v = 0;
        for (int i = 0; i < 15; i++) {
            v = v * 10 + digits[i];
        }
        return new Imei(v);
    }

    /** True when the last of {@code n} digits is the Luhn check digit of the others. */
    public static boolean luhnValid(int[] digits, int n) {
        int sum = 0;
        for (int i = 0; i < n; i++) {
            int d = digits[n - 1 - i];
            if ((i & 1) == 1) { // every second digit from the right
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    /** The Luhn check digit for the given 14 leading digits; used by generators of synthetic IMEIs. */
    public static int luhnCheckDigit(long first14) {
        int[] digits = new int[15];
        long v = first14;
        for (int i = 13; i >= 0; i--) {
            digits[i] = (int) (v % 10);
            v /= 10;
        }
        for (int c = 0; c < 10; c++) {
            digits[14] = c;
            if (luhnValid(digits, 15)) {
                return c;
            }
        }
        throw new AssertionError();
    }

    @Override
    public IdentifierKind kind() {
        return IdentifierKind.IMEI;
    }

    @Override
    public String canonical() {
        String s = Long.toString(value);
        return "0".repeat(15 - s.length()) + s;
    }

    /** The IMEI as a number (15 decimal digits). */
    public long value() {
        return value;
    }

    /** Rebuilds an IMEI from {@link #value()}; for stores. */
    public static Imei ofValue(long value) {
        return parse(new Imei(value).canonical());
    }

    @Override
    public long indexKey() {
        return DeviceIdentifier.key(IdentifierKind.IMEI, value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Imei && ((Imei) o).value == value;
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
