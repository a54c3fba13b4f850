package io.nacgw.sync;

import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;

/** The {@code managedDevice} properties nacgw maps, in {@code $select} order; nothing else is requested. */
enum GraphField {
    ID("id"),
    DEVICE_NAME("deviceName"),
    USER_PRINCIPAL_NAME("userPrincipalName"),
    OPERATING_SYSTEM("operatingSystem"),
    OS_VERSION("osVersion"),
    MODEL("model"),
    MANUFACTURER("manufacturer"),
    OWNER_TYPE("managedDeviceOwnerType"),
    COMPLIANCE_STATE("complianceState"),
    GRACE_EXPIRY("complianceGracePeriodExpirationDateTime"),
    MANAGEMENT_AGENT("managementAgent"),
    REGISTRATION_STATE("deviceRegistrationState"),
    JAIL_BROKEN("jailBroken"),
    IS_ENCRYPTED("isEncrypted"),
    WIFI_MAC("wiFiMacAddress"),
    ETHERNET_MAC("ethernetMacAddress"),
    SERIAL_NUMBER("serialNumber"),
    IMEI("imei"),
    MEID("meid"),
    UDID("udid"),
    AZURE_AD_DEVICE_ID("azureADDeviceId"),
    THREAT_STATE("partnerReportedThreatState"),
    LAST_SYNC("lastSyncDateTime");

    static final GraphField[] VALUES = values();
    private static final Map<String, GraphField> BY_NAME = new HashMap<>();

    static {
        for (GraphField f : VALUES) {
            BY_NAME.put(f.graphName, f);
        }
    }

    /** The comma-separated {@code $select} list. */
    static final String SELECT;

    static {
        StringJoiner j = new StringJoiner(",");
        for (GraphField f : VALUES) {
            j.add(f.graphName);
        }
        SELECT = j.toString();
    }

    final String graphName;

    GraphField(String graphName) {
        this.graphName = graphName;
    }

    /** The field named {@code name} exactly as Graph spells it, or null for a property nacgw ignores. */
    static GraphField byName(String name) {
        return BY_NAME.get(name);
    }
}
