package io.nacgw.sync;

import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.device.ManagementState;
import io.nacgw.core.device.Ownership;
import io.nacgw.core.device.Platform;
import io.nacgw.core.device.ThreatLevel;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.IdentifierKind;
import io.nacgw.core.id.Imei;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.id.Meid;
import io.nacgw.core.id.SerialNumber;
import io.nacgw.core.id.Udid;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Maps a Graph {@code managedDevice} to a {@link DeviceRecord}. Bad data never fails a sync: an invalid identifier
 * or text field is dropped from the device, an unknown enum value gets a defined fallback, and a device without a
 * usable {@code id} is skipped; each is counted in {@link SyncWarnings}.
 *
 * <p><b>Which timestamp orders updates.</b> {@code lastSyncDateTime} is the device's last check-in, not the time its
 * record changed: the MDM flips devices to noncompliant in background jobs (validity period, grace expiry, policy
 * changes) without a check-in. Using it as {@code lastModified} would make the store ignore exactly the changes
 * full syncs exist to catch. So a record's {@code lastModified} is the time the page holding it was fetched (the
 * MDM's state <i>as of</i> that moment), or {@code lastSyncDateTime} if that is later by at most {@link #SKEW}
 * (clock skew); the check-in time goes to {@code lastCheckIn}. Unchanged devices are not rewritten (see
 * {@link #sameContent}), so this costs no write amplification.
 *
 * <p><b>Future timestamps.</b> A {@code lastSyncDateTime} later than the inventory's own clock (its {@code Date}
 * header, else ours) plus {@link #SKEW} is a device or MDM clock error. The device is stored with a warning and
 * that check-in time, but ordered by the observation time only: a stamp in 2030 would otherwise make the store
 * refuse every later, real update of the device as "older".
 */
final class GraphDeviceMapper {
    /** Graph's "never" and "no grace period" placeholders. */
    private static final Instant MIN_REAL = Instant.parse("1970-01-02T00:00:00Z");
    private static final Instant MAX_REAL = Instant.parse("9999-01-01T00:00:00Z");
    private static final UUID NIL = new UUID(0, 0);
    /** Clock difference between the MDM and nacgw tolerated before a timestamp counts as "in the future". */
    static final java.time.Duration SKEW = java.time.Duration.ofMinutes(2);

    private GraphDeviceMapper() {
    }

    /**
     * The record for {@code d} observed at {@code observedAt} (our clock), or null when the device is skipped.
     * {@code inventoryNow} is the inventory's clock when the page was served (its {@code Date} header), or null.
     */
    static DeviceRecord map(GraphDevice d, Instant observedAt, Instant inventoryNow, SyncWarnings w) {
        String rawId = d.get(GraphField.ID);
        DeviceGuid id = rawId == null ? null : DeviceGuid.tryParse(IdentifierKind.INTUNE_ID, rawId);
        if (id == null) {
            w.skipDevice(rawId, "id is missing or not a GUID");
            return null;
        }
        String idText = id.canonical();
        DeviceRecord.Builder b = DeviceRecord.builder().deviceId(id);

        Instant lastSync = instant(d, GraphField.LAST_SYNC, idText, w);
        b.lastCheckIn(lastSync);
        b.lastModified(orderingStamp(lastSync, observedAt, inventoryNow, idText, w));

        b.complianceState(compliance(d.get(GraphField.COMPLIANCE_STATE), idText, w));
        b.graceExpiry(instant(d, GraphField.GRACE_EXPIRY, idText, w));
        b.managementState(management(d.get(GraphField.MANAGEMENT_AGENT), d.get(GraphField.REGISTRATION_STATE),
                idText, w));
        b.platform(platform(d.get(GraphField.OPERATING_SYSTEM)));
        b.ownership(ownership(d.get(GraphField.OWNER_TYPE), idText, w));
        b.jailbroken(jailBroken(d.get(GraphField.JAIL_BROKEN), idText, w));
        b.encrypted(isEncrypted(d.get(GraphField.IS_ENCRYPTED)));
        b.threatLevel(threat(d.get(GraphField.THREAT_STATE), idText, w));

        b.deviceName(text(d, GraphField.DEVICE_NAME, 256, idText, w));
        b.userPrincipalName(text(d, GraphField.USER_PRINCIPAL_NAME, 256, idText, w));
        b.osVersion(text(d, GraphField.OS_VERSION, 64, idText, w));
        b.model(text(d, GraphField.MODEL, 128, idText, w));
        b.manufacturer(text(d, GraphField.MANUFACTURER, 128, idText, w));

        mac(d, GraphField.WIFI_MAC, b, idText, w);
        mac(d, GraphField.ETHERNET_MAC, b, idText, w);
        String serial = present(d.get(GraphField.SERIAL_NUMBER));
        if (serial != null) {
            try {
                b.serial(SerialNumber.parse(serial));
            } catch (IllegalArgumentException e) {
                w.warn("serialNumber dropped", idText, e.getMessage());
            }
        }
        String imei = present(d.get(GraphField.IMEI));
        if (imei != null) {
            try {
                b.imei(Imei.parse(imei));
            } catch (IllegalArgumentException e) {
                w.warn("imei dropped", idText, e.getMessage());
            }
        }
        String meid = present(d.get(GraphField.MEID));
        if (meid != null) {
            try {
                b.meid(Meid.parse(meid));
            } catch (IllegalArgumentException e) {
                w.warn("meid dropped", idText, e.getMessage());
            }
        }
        String udid = present(d.get(GraphField.UDID));
        if (udid != null) {
            try {
                b.udid(Udid.parse(udid));
            } catch (IllegalArgumentException e) {
                w.warn("udid dropped", idText, e.getMessage());
            }
        }
        String entra = present(d.get(GraphField.AZURE_AD_DEVICE_ID));
        if (entra != null) {
            DeviceGuid g = DeviceGuid.tryParse(IdentifierKind.ENTRA_ID, entra);
            if (g == null) {
                w.warn("azureADDeviceId dropped", idText, "not a GUID: '" + SyncWarnings.printable(entra) + "'");
            } else if (!g.uuid().equals(NIL)) { // the nil GUID is Graph's "not registered in Entra"
                b.entraId(g);
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            w.skipDevice(idText, e.getMessage());
            return null;
        }
    }

    /**
     * The record's {@code lastModified}: the observation time, or a slightly later check-in time (clock skew), but
     * never a time in the future (counted and warned about instead).
     */
    static Instant orderingStamp(Instant lastSync, Instant observedAt, Instant inventoryNow, String id, SyncWarnings w) {
        if (lastSync == null || !lastSync.isAfter(observedAt)) {
            return observedAt;
        }
        if (lastSync.isAfter(futureLimit(observedAt, inventoryNow))) {
            w.future(id, lastSync, inventoryNow == null ? observedAt : inventoryNow);
            return observedAt;
        }
        Instant cap = observedAt.plus(SKEW);
        return lastSync.isAfter(cap) ? cap : lastSync;
    }

    /** Check-in times after this are in the future: the inventory's clock (else ours) plus {@link #SKEW}. */
    static Instant futureLimit(Instant observedAt, Instant inventoryNow) {
        return (inventoryNow == null ? observedAt : inventoryNow).plus(SKEW);
    }

    /** True when {@code a} and {@code b} differ in nothing but {@code lastModified}: no need to write. */
    static boolean sameContent(DeviceRecord stored, DeviceRecord fresh) {
        return stored.equals(fresh.toBuilder().lastModified(stored.lastModified()).build());
    }

    static ComplianceState compliance(String v, String id, SyncWarnings w) {
        if (v == null) {
            w.warn("complianceState missing", id, "treated as unknown");
            return ComplianceState.UNKNOWN;
        }
        try {
            return ComplianceState.fromWire(v);
        } catch (IllegalArgumentException e) {
            // a value newer than this code: never guess "compliant"; unknown is what policy treats as indeterminate
            w.warn("complianceState unknown value", id, "'" + SyncWarnings.printable(v) + "' treated as unknown");
            return ComplianceState.UNKNOWN;
        }
    }

    /**
     * Presence in {@code managedDevices} means enrolled. Unmanaged: Exchange-ActiveSync-only devices (no MDM
     * agent) and devices with {@code deviceRegistrationState} notRegistered or keyConflict. Registration held
     * ({@link ManagementState#REGISTRATION_HELD}, which each profile counts as unmanaged or managed): revoked,
     * approvalPending, certificateReset and notRegisteredPendingEnrollment, where Intune may still report the
     * device compliant although its registration is not in effect. Unknown values keep "managed".
     */
    static ManagementState management(String agent, String registration, String id, SyncWarnings w) {
        String a = agent == null ? "" : agent.strip();
        boolean easOnly = a.equalsIgnoreCase("eas");
        if (!a.isEmpty() && !KNOWN_AGENTS.contains(a.toLowerCase(Locale.ROOT))) {
            w.warn("managementAgent unknown value", id, "'" + SyncWarnings.printable(a) + "' treated as an MDM agent");
        }
        String r = registration == null ? "" : registration.strip().toLowerCase(Locale.ROOT);
        switch (r) {
            case "":
            case "registered":
            case "unknown":
                return easOnly ? ManagementState.UNMANAGED : ManagementState.MANAGED;
            case "notregistered":
            case "keyconflict":
                return ManagementState.UNMANAGED;
            case "revoked":
            case "approvalpending":
            case "certificatereset":
            case "notregisteredpendingenrollment":
                return easOnly ? ManagementState.UNMANAGED : ManagementState.REGISTRATION_HELD;
            default:
                w.warn("deviceRegistrationState unknown value", id, "'" + SyncWarnings.printable(registration)
                        + "' ignored");
                return easOnly ? ManagementState.UNMANAGED : ManagementState.MANAGED;
        }
    }

    /** Graph's {@code managementAgentType} values, lower case. */
    private static final Set<String> KNOWN_AGENTS = Set.of("eas", "mdm", "easmdm", "intuneclient",
            "easintuneclient", "configurationmanagerclient", "configurationmanagerclientmdm",
            "configurationmanagerclientmdmeas", "unknown", "jamf", "googleclouddevicepolicycontroller",
            "microsoft365managedmdm", "mssense", "intuneaosp");

    /** {@code operatingSystem} is free text in Graph (Windows, iOS, iPadOS, macOS, Android, ...): best effort. */
    static Platform platform(String os) {
        if (os == null || os.isBlank()) {
            return Platform.OTHER;
        }
        String s = os.strip().toLowerCase(Locale.ROOT);
        try {
            return Platform.fromWire(s);
        } catch (IllegalArgumentException e) {
            if (s.startsWith("windows")) {
                return Platform.WINDOWS;
            }
            if (s.startsWith("android")) {
                return Platform.ANDROID;
            }
            if (s.startsWith("ios") || s.startsWith("ipados")) {
                return Platform.IOS;
            }
            if (s.startsWith("mac")) {
                return Platform.MACOS;
            }
            if (s.contains("linux")) {
                return Platform.LINUX;
            }
            return Platform.OTHER;
        }
    }

    static Ownership ownership(String v, String id, SyncWarnings w) {
        if (v == null || v.isBlank()) {
            return Ownership.UNKNOWN;
        }
        try {
            return Ownership.fromWire(v); // company → corporate is an alias in core
        } catch (IllegalArgumentException e) {
            w.warn("managedDeviceOwnerType unknown value", id, "'" + SyncWarnings.printable(v) + "' treated as unknown");
            return Ownership.UNKNOWN;
        }
    }

    /**
     * {@code jailBroken} is a string: True, False or Unknown. Unknown (or absent) stays unknown: the policy counts it
     * as not jailbroken, the ISE API leaves {@code jail_broken} out rather than claim false.
     */
    static Boolean jailBroken(String v, String id, SyncWarnings w) {
        if (v == null) {
            return null;
        }
        switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            case "unknown":
            case "":
                return null;
            default:
                w.warn("jailBroken unknown value", id, "'" + SyncWarnings.printable(v) + "' treated as Unknown");
                return null;
        }
    }

    /** {@code isEncrypted} is a boolean; absent means the MDM did not say. */
    static Boolean isEncrypted(String v) {
        return v == null ? null : "true".equals(v);
    }

    /** {@code partnerReportedThreatState} → level; states with no verdict (activated, unresponsive…) → unknown. */
    static ThreatLevel threat(String v, String id, SyncWarnings w) {
        if (v == null) {
            return ThreatLevel.UNKNOWN;
        }
        switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "secured":
                return ThreatLevel.SECURED;
            case "lowseverity":
                return ThreatLevel.LOW;
            case "mediumseverity":
                return ThreatLevel.MEDIUM;
            case "highseverity":
            case "compromised":
                return ThreatLevel.HIGH;
            case "unknown":
            case "activated":
            case "deactivated":
            case "unresponsive":
            case "misconfigured":
            case "":
                return ThreatLevel.UNKNOWN;
            default:
                w.warn("partnerReportedThreatState unknown value", id, "'" + SyncWarnings.printable(v)
                        + "' treated as unknown");
                return ThreatLevel.UNKNOWN;
        }
    }

    /** ISO-8601 date-time; Graph's placeholders 0001-01-01 and 9999-12-31 mean "none". */
    private static Instant instant(GraphDevice d, GraphField f, String id, SyncWarnings w) {
        String v = present(d.get(f));
        if (v == null) {
            return null;
        }
        Instant t;
        try {
            t = OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            w.warn(f.graphName + " unparseable", id, "'" + SyncWarnings.printable(v) + "' ignored");
            return null;
        }
        return t.isBefore(MIN_REAL) || t.isAfter(MAX_REAL) ? null : t;
    }

    private static String text(GraphDevice d, GraphField f, int max, String id, SyncWarnings w) {
        String v = present(d.get(f));
        if (v == null) {
            return null;
        }
        if (v.length() > max) {
            w.warn(f.graphName + " dropped", id, "longer than " + max + " characters");
            return null;
        }
        for (int i = 0; i < v.length(); i++) {
            if (Character.isISOControl(v.charAt(i))) {
                w.warn(f.graphName + " dropped", id, "contains a control character");
                return null;
            }
        }
        return v;
    }

    private static void mac(GraphDevice d, GraphField f, DeviceRecord.Builder b, String id, SyncWarnings w) {
        String v = present(d.get(f));
        if (v == null) {
            return;
        }
        MacAddress m = MacAddress.tryParse(v);
        if (m == null) {
            w.warn(f.graphName + " dropped", id, "'" + SyncWarnings.printable(v) + "' is not a MAC address");
        } else {
            b.addMac(m);
        }
    }

    private static String present(String v) {
        if (v == null) {
            return null;
        }
        String s = v.strip();
        return s.isEmpty() ? null : s;
    }
}
