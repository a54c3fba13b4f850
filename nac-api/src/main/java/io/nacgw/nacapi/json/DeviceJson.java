package io.nacgw.nacapi.json;

import io.nacgw.nacapi.JsonWriter;
import io.nacgw.nacapi.Paths;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.json.JsonReadFeature;
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
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;

/**
 * The one JSON form of a {@link DeviceRecord}, shared by the ingest API ({@code PUT /api/v1/devices/{id}}, bulk
 * NDJSON), the lookup API's answers and the gateway's {@code devices import}. One JSON object per device:
 *
 * <table>
 * <tr><th>field</th><th>type</th><th>meaning</th></tr>
 * <tr><td>deviceId</td><td>GUID, <b>required</b></td><td>the MDM (Intune) device id</td></tr>
 * <tr><td>entraId</td><td>GUID</td><td>Entra (Azure AD) device id</td></tr>
 * <tr><td>deviceName, userPrincipalName</td><td>string</td><td></td></tr>
 * <tr><td>platform</td><td>windows|macos|ios|android|linux|other</td><td>default other</td></tr>
 * <tr><td>osVersion, model, manufacturer</td><td>string</td><td></td></tr>
 * <tr><td>ownership</td><td>corporate|personal|unknown</td><td>default unknown</td></tr>
 * <tr><td>managementState</td><td>managed|unmanaged|retired</td><td>default unmanaged</td></tr>
 * <tr><td>complianceState</td><td>unknown|compliant|noncompliant|conflict|error|inGracePeriod|configManager</td>
 *     <td>default unknown</td></tr>
 * <tr><td>graceExpiry, lastCheckIn</td><td>ISO-8601 instant</td><td>e.g. 2026-11-23T10:15:30Z</td></tr>
 * <tr><td>lastModified</td><td>ISO-8601 instant, <b>required</b></td><td>the MDM's timestamp: an older update
 *     never replaces a newer one</td></tr>
 * <tr><td>policyAssigned</td><td>boolean</td><td>default true</td></tr>
 * <tr><td>threatLevel</td><td>secured|low|medium|high|unknown</td><td>default unknown</td></tr>
 * <tr><td>jailbroken, encrypted</td><td>boolean</td><td>absent: not reported by the MDM (the policy treats it as
 *     false; the ISE API omits jail_broken / disk_encryption_on)</td></tr>
 * <tr><td>macs</td><td>array of MAC strings, any common notation</td><td>at most 16</td></tr>
 * <tr><td>serial, imei, meid, udid</td><td>string</td><td></td></tr>
 * </table>
 *
 * Unknown fields are refused (a typo would otherwise silently drop data); {@code null} means absent. Output omits
 * absent values and writes MACs as {@code aa:bb:cc:dd:ee:ff}.
 */
public final class DeviceJson {
    /** Every field name, in output order. */
    public static final List<String> FIELDS = List.of("deviceId", "entraId", "deviceName", "userPrincipalName",
            "platform", "osVersion", "model", "manufacturer", "ownership", "managementState", "complianceState",
            "graceExpiry", "policyAssigned", "threatLevel", "jailbroken", "encrypted", "lastCheckIn", "lastModified",
            "macs", "serial", "imei", "meid", "udid");
    /** One line (one device) may not be longer than this many bytes. */
    public static final int MAX_RECORD_BYTES = 16 * 1024;

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(16).maxStringLength(MAX_RECORD_BYTES).maxDocumentLength(8L * 1024 * 1024).build());
    }

    private DeviceJson() {
    }

    /** Parses one device object; {@link IllegalArgumentException} names the offending field. */
    public static DeviceRecord parse(String json) {
        return fromTree(readTree(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** Parses one device object from UTF-8 bytes. */
    public static DeviceRecord parse(byte[] utf8) {
        return fromTree(readTree(utf8));
    }

    static JsonNode readTree(byte[] utf8) {
        try {
            JsonNode n = MAPPER.readTree(utf8);
            if (n == null || n.isMissingNode()) {
                throw new IllegalArgumentException("empty document");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable JSON: " + e.getMessage(), e);
        }
    }

    /** Builds a record from a parsed JSON object. */
    public static DeviceRecord fromTree(JsonNode o) {
        if (!o.isObject()) {
            throw new IllegalArgumentException("a device must be a JSON object");
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown field '" + Paths.printable(f) + "'");
            }
        }
        DeviceRecord.Builder b = DeviceRecord.builder();
        String id = text(o, "deviceId");
        if (id == null) {
            throw new IllegalArgumentException("deviceId is required");
        }
        try {
            b.deviceId(DeviceGuid.intune(id));
            String entra = text(o, "entraId");
            b.entraId(entra == null ? null : DeviceGuid.entra(entra));
            b.deviceName(text(o, "deviceName"));
            b.userPrincipalName(text(o, "userPrincipalName"));
            String v;
            if ((v = text(o, "platform")) != null) {
                b.platform(Platform.fromWire(v));
            }
            b.osVersion(text(o, "osVersion"));
            b.model(text(o, "model"));
            b.manufacturer(text(o, "manufacturer"));
            if ((v = text(o, "ownership")) != null) {
                b.ownership(Ownership.fromWire(v));
            }
            if ((v = text(o, "managementState")) != null) {
                b.managementState(ManagementState.fromWire(v));
            }
            if ((v = text(o, "complianceState")) != null) {
                b.complianceState(ComplianceState.fromWire(v));
            }
            b.graceExpiry(instant(o, "graceExpiry"));
            Boolean flag;
            if ((flag = bool(o, "policyAssigned")) != null) {
                b.policyAssigned(flag);
            }
            if ((v = text(o, "threatLevel")) != null) {
                b.threatLevel(ThreatLevel.fromWire(v));
            }
            if ((flag = bool(o, "jailbroken")) != null) {
                b.jailbroken(flag);
            }
            if ((flag = bool(o, "encrypted")) != null) {
                b.encrypted(flag);
            }
            b.lastCheckIn(instant(o, "lastCheckIn"));
            Instant modified = instant(o, "lastModified");
            if (modified == null) {
                throw new IllegalArgumentException("lastModified is required");
            }
            b.lastModified(modified);
            JsonNode macs = o.get("macs");
            if (macs != null && !macs.isNull()) {
                if (!macs.isArray()) {
                    throw new IllegalArgumentException("macs must be an array of strings");
                }
                if (macs.size() > DeviceRecord.MAX_MACS) {
                    throw new IllegalArgumentException("macs holds more than " + DeviceRecord.MAX_MACS + " addresses");
                }
                for (JsonNode m : macs) {
                    if (!m.isTextual()) {
                        throw new IllegalArgumentException("macs must be an array of strings");
                    }
                    b.addMac(MacAddress.parse(m.textValue()));
                }
            }
            if ((v = text(o, "serial")) != null) {
                b.serial(SerialNumber.parse(v));
            }
            if ((v = text(o, "imei")) != null) {
                b.imei(Imei.parse(v));
            }
            if ((v = text(o, "meid")) != null) {
                b.meid(Meid.parse(v));
            }
            if ((v = text(o, "udid")) != null) {
                b.udid(Udid.parse(v));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return n.textValue();
    }

    private static Boolean bool(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isBoolean()) {
            throw new IllegalArgumentException(field + " must be true or false");
        }
        return n.booleanValue();
    }

    private static Instant instant(JsonNode o, String field) {
        String s = text(o, field);
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " must be an ISO-8601 instant like 2026-11-23T10:15:30Z, got '"
                    + Paths.printable(s) + "'");
        }
    }


    /** The record as one line of JSON (no trailing newline), e.g. for NDJSON export. */
    public static String toJson(DeviceRecord d) {
        ByteBuf buf = Unpooled.buffer(512);
        try {
            write(d, new JsonWriter(buf));
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }

    static void write(DeviceRecord d, JsonWriter w) {
        w.startObject();
        w.field("deviceId", d.deviceId().canonical());
        w.optField("entraId", d.entraId().map(DeviceGuid::canonical).orElse(null));
        w.optField("deviceName", d.deviceName().orElse(null));
        w.optField("userPrincipalName", d.userPrincipalName().orElse(null));
        w.field("platform", d.platform().wireName());
        w.optField("osVersion", d.osVersion().orElse(null));
        w.optField("model", d.model().orElse(null));
        w.optField("manufacturer", d.manufacturer().orElse(null));
        w.field("ownership", d.ownership().wireName());
        w.field("managementState", d.managementState().wireName());
        w.field("complianceState", d.complianceState().wireName());
        w.optField("graceExpiry", d.graceExpiry().orElse(null));
        w.field("policyAssigned", d.policyAssigned());
        w.field("threatLevel", d.threatLevel().wireName());
        if (d.jailbreakKnown()) {
            w.field("jailbroken", d.jailbroken());
        }
        if (d.encryptionKnown()) {
            w.field("encrypted", d.encrypted());
        }
        w.optField("lastCheckIn", d.lastCheckIn().orElse(null));
        w.optField("lastModified", d.lastModified());
        w.name("macs").startArray();
        for (MacAddress m : d.macs()) {
            w.value(m.canonical());
        }
        w.endArray();
        w.optField("serial", d.serial().map(SerialNumber::canonical).orElse(null));
        w.optField("imei", d.imei().map(Imei::canonical).orElse(null));
        w.optField("meid", d.meid().map(Meid::canonical).orElse(null));
        w.optField("udid", d.udid().map(Udid::canonical).orElse(null));
        w.endObject();
    }
}
