package io.nacgw.core.id;

import java.util.Locale;
import java.util.UUID;

/**
 * A GUID naming a device: the Intune (MDM) device id or the Entra (Azure AD) device id, which are different
 * values for the same device. Accepts {@code {...}} braces, upper case and the 32-digit form without dashes;
 * canonical form is lower case with dashes.
 */
public final class DeviceGuid implements DeviceIdentifier {
    private final IdentifierKind kind;
    private final long msb;
    private final long lsb;

    private DeviceGuid(IdentifierKind kind, long msb, long lsb) {
        this.kind = kind;
        this.msb = msb;
        this.lsb = lsb;
    }

    /** Parses an Intune (MDM) device id. */
    public static DeviceGuid intune(String text) {
        return parse(IdentifierKind.INTUNE_ID, text);
    }

    /** Parses an Entra (Azure AD) device id. */
    public static DeviceGuid entra(String text) {
        return parse(IdentifierKind.ENTRA_ID, text);
    }

    /** Wraps a UUID as the given kind. */
    public static DeviceGuid of(IdentifierKind kind, UUID uuid) {
        requireGuidKind(kind);
        return new DeviceGuid(kind, uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
    }

    /** Returns null unless {@code text} is GUID-shaped; for probing certificate names and attributes. */
    public static DeviceGuid tryParse(IdentifierKind kind, String text) {
        try {
            return parse(kind, text);
        } catch (InvalidIdentifierException e) {
            return null;
        }
    }

    private static DeviceGuid parse(IdentifierKind kind, String text) {
        requireGuidKind(kind);
        if (text == null) {
            throw new InvalidIdentifierException(kind, null, "missing");
        }
        String s = text.strip();
        if (s.length() == 38 && s.charAt(0) == '{' && s.charAt(37) == '}') {
            s = s.substring(1, 37);
        }
        if (s.length() == 32) {
            s = s.substring(0, 8) + '-' + s.substring(8, 12) + '-' + s.substring(12, 16) + '-' + s.substring(16, 20)
                    + '-' + s.substring(20);
        }
        if (!isGuidShape(s)) {
            throw new InvalidIdentifierException(kind, text, "expected a GUID like 1759c0fd-7b3c-4d2a-9f5e-0123456789ab");
        }
        UUID u = UUID.fromString(s);
        return new DeviceGuid(kind, u.getMostSignificantBits(), u.getLeastSignificantBits());
    }

    static boolean isGuidShape(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
            } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    private static void requireGuidKind(IdentifierKind kind) {
        if (kind != IdentifierKind.INTUNE_ID && kind != IdentifierKind.ENTRA_ID) {
            throw new IllegalArgumentException("a DeviceGuid is an Intune or Entra id, not " + kind);
        }
    }

    /** The same value as another kind (e.g. to try an id as Entra id when it is not an Intune id). */
    public DeviceGuid as(IdentifierKind other) {
        requireGuidKind(other);
        return other == kind ? this : new DeviceGuid(other, msb, lsb);
    }

    /** The value as a UUID. */
    public UUID uuid() {
        return new UUID(msb, lsb);
    }

    public long msb() {
        return msb;
    }

    public long lsb() {
        return lsb;
    }

    @Override
    public IdentifierKind kind() {
        return kind;
    }

    @Override
    public String canonical() {
        return uuid().toString().toLowerCase(Locale.ROOT);
    }

    @Override
    public long indexKey() {
        return indexKey(kind, msb, lsb);
    }

    /** The index key of a GUID of the given kind, without building the object. */
    public static long indexKey(IdentifierKind kind, long msb, long lsb) {
        long h = msb * 0x9E3779B97F4A7C15L ^ Long.rotateLeft(lsb, 31) * 0xC2B2AE3D27D4EB4FL;
        return DeviceIdentifier.key(kind, h ^ (h >>> 29));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeviceGuid)) {
            return false;
        }
        DeviceGuid g = (DeviceGuid) o;
        return g.kind == kind && g.msb == msb && g.lsb == lsb;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(msb ^ lsb) * 31 + kind.ordinal();
    }

    @Override
    public String toString() {
        return canonical();
    }
}
