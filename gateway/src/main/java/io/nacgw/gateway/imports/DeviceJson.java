package io.nacgw.gateway.imports;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.nacgw.core.device.ComplianceState;
import io.nacgw.core.device.DeviceRecord;
import io.nacgw.core.device.ManagementState;
import io.nacgw.core.device.Ownership;
import io.nacgw.core.device.Platform;
import io.nacgw.core.device.ThreatLevel;
import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.Imei;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.id.Meid;
import io.nacgw.core.id.SerialNumber;
import io.nacgw.core.id.Udid;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The JSON form of a device record, one object per device. Field names (all optional but {@code deviceId}):
 * deviceId, entraId, deviceName, userPrincipalName, platform, osVersion, model, manufacturer, ownership,
 * managementState, complianceState, graceExpiry, policyAssigned, threatLevel, jailbroken, encrypted, lastCheckIn,
 * lastModified, macs (array or one string), serial, imei, meid, udid. Times are ISO-8601 instants.
 */
public final class DeviceJson {
    /** Every accepted field, in the order they are written. */
    public static final List<String> FIELDS = List.of("deviceId", "entraId", "deviceName", "userPrincipalName",
            "platform", "osVersion", "model", "manufacturer", "ownership", "managementState", "complianceState",
            "graceExpiry", "policyAssigned", "threatLevel", "jailbroken", "encrypted", "lastCheckIn", "lastModified",
            "macs", "serial", "imei", "meid", "udid");
    private static final Set<String> KNOWN = Set.copyOf(FIELDS);

    private DeviceJson() {
    }

    /**
     * Reads one device from a JSON object.
     *
     * @param defaultModified used when the object has no lastModified (e.g. the time of import)
     * @throws IllegalArgumentException naming the field that is wrong
     */
    public static DeviceRecord read(JsonNode o, Instant defaultModified) {
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!KNOWN.contains(f)) {
                throw new IllegalArgumentException("unknown field '" + f + "'");
            }
        }
        return fromFields(name -> {
            JsonNode n = o.get(name);
            if (n == null || n.isNull()) {
                return null;
            }
            if (name.equals("macs")) {
                if (n.isArray()) {
                    StringBuilder sb = new StringBuilder();
                    n.forEach(m -> sb.append(sb.length() == 0 ? "" : ";").append(m.asText()));
                    return sb.toString();
                }
                return n.asText();
            }
            if (n.isContainerNode()) {
                throw new IllegalArgumentException(name + ": expected a single value");
            }
            return n.asText();
        }, defaultModified);
    }

    /**
     * Builds a record from named text values ({@code null} or empty = absent); shared by the JSON and CSV readers.
     * MACs may be separated by ';', ',' or spaces.
     */
    public static DeviceRecord fromFields(Function<String, String> field, Instant defaultModified) {
        DeviceRecord.Builder b = DeviceRecord.builder();
        String id = text(field, "deviceId");
        if (id == null) {
            throw new IllegalArgumentException("deviceId: missing");
        }
        b.deviceId(parse("deviceId", id, DeviceGuid::intune));
        String v;
        if ((v = text(field, "entraId")) != null) b.entraId(parse("entraId", v, DeviceGuid::entra));
        b.deviceName(text(field, "deviceName")).userPrincipalName(text(field, "userPrincipalName"));
        if ((v = text(field, "platform")) != null) b.platform(parse("platform", v, Platform::fromWire));
        b.osVersion(text(field, "osVersion")).model(text(field, "model")).manufacturer(text(field, "manufacturer"));
        if ((v = text(field, "ownership")) != null) b.ownership(parse("ownership", v, Ownership::fromWire));
        if ((v = text(field, "managementState")) != null) b.managementState(parse("managementState", v, ManagementState::fromWire));
        if ((v = text(field, "complianceState")) != null) b.complianceState(parse("complianceState", v, ComplianceState::fromWire));
        if ((v = text(field, "graceExpiry")) != null) b.graceExpiry(parse("graceExpiry", v, Instant::parse));
        if ((v = text(field, "policyAssigned")) != null) b.policyAssigned(bool("policyAssigned", v));
        if ((v = text(field, "threatLevel")) != null) b.threatLevel(parse("threatLevel", v, ThreatLevel::fromWire));
        if ((v = text(field, "jailbroken")) != null) b.jailbroken(bool("jailbroken", v));
        if ((v = text(field, "encrypted")) != null) b.encrypted(bool("encrypted", v));
        if ((v = text(field, "lastCheckIn")) != null) b.lastCheckIn(parse("lastCheckIn", v, Instant::parse));
        v = text(field, "lastModified");
        b.lastModified(v == null ? defaultModified : parse("lastModified", v, Instant::parse));
        if ((v = text(field, "macs")) != null) {
            for (String m : v.split("[;,\\s]+")) {
                if (!m.isEmpty()) {
                    b.addMac(parse("macs", m, MacAddress::parse));
                }
            }
        }
        if ((v = text(field, "serial")) != null) b.serial(parse("serial", v, SerialNumber::parse));
        if ((v = text(field, "imei")) != null) b.imei(parse("imei", v, Imei::parse));
        if ((v = text(field, "meid")) != null) b.meid(parse("meid", v, Meid::parse));
        if ((v = text(field, "udid")) != null) b.udid(parse("udid", v, Udid::parse));
        try {
            return b.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static String text(Function<String, String> field, String name) {
        String v = field.apply(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static boolean bool(String name, String v) {
        switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true": case "yes": case "1": return true;
            case "false": case "no": case "0": return false;
            default: throw new IllegalArgumentException(name + ": expected true or false, got '" + v + "'");
        }
    }

    private static <T> T parse(String name, String v, Function<String, T> parser) {
        try {
            return parser.apply(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + ": expected an ISO-8601 time like 2026-11-23T12:00:00Z, got '"
                    + (v.length() > 40 ? v.substring(0, 40) + "..." : v) + "'");
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            throw new IllegalArgumentException(msg != null && msg.startsWith(name) ? msg : name + ": " + msg, e);
        }
    }

    /** Writes {@code r} as one JSON object; absent fields are omitted. */
    public static void write(DeviceRecord r, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("deviceId", r.deviceId().canonical());
        if (r.entraId().isPresent()) g.writeStringField("entraId", r.entraId().get().canonical());
        if (r.deviceName().isPresent()) g.writeStringField("deviceName", r.deviceName().get());
        if (r.userPrincipalName().isPresent()) g.writeStringField("userPrincipalName", r.userPrincipalName().get());
        g.writeStringField("platform", r.platform().wireName());
        if (r.osVersion().isPresent()) g.writeStringField("osVersion", r.osVersion().get());
        if (r.model().isPresent()) g.writeStringField("model", r.model().get());
        if (r.manufacturer().isPresent()) g.writeStringField("manufacturer", r.manufacturer().get());
        g.writeStringField("ownership", r.ownership().wireName());
        g.writeStringField("managementState", r.managementState().wireName());
        g.writeStringField("complianceState", r.complianceState().wireName());
        if (r.graceExpiry().isPresent()) g.writeStringField("graceExpiry", r.graceExpiry().get().toString());
        g.writeBooleanField("policyAssigned", r.policyAssigned());
        g.writeStringField("threatLevel", r.threatLevel().wireName());
        g.writeBooleanField("jailbroken", r.jailbroken());
        g.writeBooleanField("encrypted", r.encrypted());
        if (r.lastCheckIn().isPresent()) g.writeStringField("lastCheckIn", r.lastCheckIn().get().toString());
        g.writeStringField("lastModified", r.lastModified().toString());
        g.writeArrayFieldStart("macs");
        for (MacAddress m : r.macs()) {
            g.writeString(m.canonical());
        }
        g.writeEndArray();
        if (r.serial().isPresent()) g.writeStringField("serial", r.serial().get().value());
        if (r.imei().isPresent()) g.writeStringField("imei", r.imei().get().canonical());
        if (r.meid().isPresent()) g.writeStringField("meid", r.meid().get().canonical());
        if (r.udid().isPresent()) g.writeStringField("udid", r.udid().get().value());
        g.writeEndObject();
    }

    /** Unused-field guard for maps built by callers (CSV headers). */
    static void requireKnown(Map<String, Integer> header) {
        for (String h : header.keySet()) {
            if (!KNOWN.contains(h)) {
                throw new IllegalArgumentException("unknown column '" + h + "' (known: " + String.join(", ", FIELDS) + ")");
            }
        }
    }
}
