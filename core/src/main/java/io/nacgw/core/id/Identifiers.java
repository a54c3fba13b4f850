package io.nacgw.core.id;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads an identifier typed by an operator ({@code nacgw devices get}, the console's device search), guessing its
 * kind unless one is given.
 */
public final class Identifiers {
    private Identifiers() {
    }

    /**
     * The identifiers {@code text} may be, most likely first: a GUID is tried as Intune id then Entra id; digits
     * as IMEI then serial. With {@code kind} given, exactly that kind (or a clear error).
     */
    public static List<DeviceIdentifier> candidates(String text, String kind) {
        if (kind != null) {
            return List.of(DeviceIdentifier.parse(IdentifierKind.fromName(kind), text));
        }
        List<DeviceIdentifier> out = new ArrayList<>();
        MacAddress mac = MacAddress.tryParse(text);
        if (mac != null) {
            out.add(mac);
        }
        DeviceGuid guid = DeviceGuid.tryParse(IdentifierKind.INTUNE_ID, text);
        if (guid != null) {
            out.add(guid);
            out.add(guid.as(IdentifierKind.ENTRA_ID));
        }
        tryAdd(out, () -> Imei.parse(text));
        tryAdd(out, () -> Meid.parse(text));
        tryAdd(out, () -> Udid.parse(text));
        tryAdd(out, () -> SerialNumber.parse(text));
        if (out.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' is not a MAC, GUID, IMEI, MEID, UDID or serial number");
        }
        return out;
    }

    private static void tryAdd(List<DeviceIdentifier> out, java.util.function.Supplier<DeviceIdentifier> s) {
        try {
            out.add(s.get());
        } catch (IllegalArgumentException e) {
            // not this kind
        }
    }
}
