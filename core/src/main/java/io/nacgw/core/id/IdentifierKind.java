package io.nacgw.core.id;

import java.util.Locale;

/** The kinds of identifier a device can be found by. The ordinal is part of in-memory index keys: append only. */
public enum IdentifierKind {
    MAC("MAC address"),
    SERIAL("serial number"),
    IMEI("IMEI"),
    MEID("MEID"),
    UDID("UDID"),
    INTUNE_ID("Intune device id"),
    ENTRA_ID("Entra device id");

    private final String label;

    IdentifierKind(String label) {
        this.label = label;
    }

    /** Human name, e.g. "MAC address". */
    public String label() {
        return label;
    }

    /**
     * Parses a kind name as written in CLI options and query strings: {@code mac}, {@code serial}, {@code imei},
     * {@code meid}, {@code udid}, {@code deviceId}/{@code intune}/{@code guid}, {@code entraId}/{@code entra}.
     */
    public static IdentifierKind fromName(String name) {
        switch (name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "")) {
            case "mac": case "macaddress": return MAC;
            case "serial": case "serialnumber": return SERIAL;
            case "imei": return IMEI;
            case "meid": return MEID;
            case "udid": return UDID;
            case "deviceid": case "intune": case "intuneid": case "guid": return INTUNE_ID;
            case "entraid": case "entra": case "azureaddeviceid": case "aadid": return ENTRA_ID;
            default: throw new IllegalArgumentException("unknown identifier kind '" + InvalidIdentifierException.printable(name)
                    + "' (expected mac, serial, imei, meid, udid, deviceId or entraId)");
        }
    }
}
