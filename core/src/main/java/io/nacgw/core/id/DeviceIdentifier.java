package io.nacgw.core.id;

/**
 * Something a device can be looked up by. Implementations are immutable value types, normalised at construction.
 */
public sealed interface DeviceIdentifier permits MacAddress, SerialNumber, Imei, Meid, Udid, DeviceGuid {

    /** What kind of identifier this is. */
    IdentifierKind kind();

    /** The canonical text form, as stored and printed. */
    String canonical();

    /**
     * A 64-bit key for the in-memory index: the kind in the top byte, the value (or for wide values a hash of it)
     * below. Equal identifiers always have equal keys; unequal ones may collide and are told apart by the index.
     */
    long indexKey();

    /** Parses {@code text} as an identifier of the given kind. */
    static DeviceIdentifier parse(IdentifierKind kind, String text) {
        switch (kind) {
            case MAC: return MacAddress.parse(text);
            case SERIAL: return SerialNumber.parse(text);
            case IMEI: return Imei.parse(text);
            case MEID: return Meid.parse(text);
            case UDID: return Udid.parse(text);
            case INTUNE_ID: return DeviceGuid.intune(text);
            case ENTRA_ID: return DeviceGuid.entra(text);
            default: throw new AssertionError(kind);
        }
    }

    /** Builds an index key from a kind and a value of at most 56 significant bits. */
    static long key(IdentifierKind kind, long value56) {
        return ((long) kind.ordinal() << 56) | (value56 & 0x00FF_FFFF_FFFF_FFFFL);
    }

    /** A 56-bit hash of a string for index keys (FNV-1a 64 folded); collisions are resolved by the index. */
    static long hash56(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h ^ (h >>> 56);
    }
}
