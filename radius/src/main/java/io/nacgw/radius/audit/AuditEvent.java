package io.nacgw.radius.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One decision as the audit log records it.
 *
 * @param time           when the decision was made
 * @param nas            NAS client name
 * @param nasAddress     source address of the request
 * @param method         how the request asked: mab, authorize-only, eap, mschap, pap, chap
 * @param identifiers    identifiers seen in the request (attribute name → value), in request order
 * @param identifierUsed the identifier the device was looked up by ("mac:aa:bb:..."), or null
 * @param deviceId       the MDM device id found, or null
 * @param profile        the policy profile applied, or null when the request was refused before deciding
 * @param verdict        accept, quarantine or reject
 * @param reasons        reason codes (policy reasons, or nacgw's own such as eap_not_supported)
 * @param decisionId     the id put in Class so accounting joins back; null for a Reject
 * @param latencyMicros  from datagram arrival to the reply being handed to the socket
 */
public record AuditEvent(Instant time, String nas, String nasAddress, String method, Map<String, String> identifiers,
                         String identifierUsed, String deviceId, String profile, String verdict, List<String> reasons,
                         String decisionId, long latencyMicros) implements AuditRecord {
    public AuditEvent {
        Objects.requireNonNull(time, "time");
        identifiers = Map.copyOf(identifiers);
        reasons = List.copyOf(reasons);
    }

    /** The event as one JSON object on one line. */
    @Override
    public String toJson() {
        StringBuilder sb = new StringBuilder(320);
        appendJson(sb, new TimeFormat());
        return sb.toString();
    }

    /**
     * Formats an instant as {@link Instant#toString()} does, reusing the date-and-seconds part within one second:
     * the audit writer formats tens of thousands of events per second, and the JDK formatter is its biggest cost.
     * Not thread-safe: one per writer.
     */
    static final class TimeFormat {
        private long second = Long.MIN_VALUE;
        private String prefix;

        void append(StringBuilder sb, Instant t) {
            if (t.getEpochSecond() != second || t.getEpochSecond() < 0 || t.getEpochSecond() > 253_402_300_799L) {
                second = t.getEpochSecond();
                String whole = Instant.ofEpochSecond(second).toString(); // yyyy-MM-ddTHH:mm:ssZ
                prefix = whole.substring(0, whole.length() - 1);
            }
            sb.append(prefix);
            int nanos = t.getNano();
            if (nanos != 0) {
                // the same digits Instant.toString prints: 3, 6 or 9 fraction digits
                int digits = nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
                int value = digits == 3 ? nanos / 1_000_000 : digits == 6 ? nanos / 1_000 : nanos;
                sb.append('.');
                String v = Integer.toString(value);
                for (int i = v.length(); i < digits; i++) {
                    sb.append('0');
                }
                sb.append(v);
            }
            sb.append('Z');
        }
    }

    /** Appends the event as one JSON object to {@code sb}. */
    void appendJson(StringBuilder sb, TimeFormat times) {
        sb.append("{\"time\":\"");
        times.append(sb, time);
        sb.append('"');
        sb.append(",\"nas\":");
        JsonText.str(sb, nas);
        sb.append(",\"nasAddress\":");
        JsonText.str(sb, nasAddress);
        sb.append(",\"method\":");
        JsonText.str(sb, method);
        sb.append(",\"identifiers\":{");
        String[] keys = identifiers.keySet().toArray(new String[0]);
        java.util.Arrays.sort(keys); // a stable order for readers and diffs
        for (int i = 0; i < keys.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            JsonText.str(sb, keys[i]);
            sb.append(':');
            JsonText.str(sb, identifiers.get(keys[i]));
        }
        sb.append("},\"identifierUsed\":");
        JsonText.str(sb, identifierUsed);
        sb.append(",\"deviceId\":");
        JsonText.str(sb, deviceId);
        sb.append(",\"profile\":");
        JsonText.str(sb, profile);
        sb.append(",\"verdict\":");
        JsonText.str(sb, verdict);
        sb.append(",\"reasons\":[");
        for (int i = 0; i < reasons.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            JsonText.str(sb, reasons.get(i));
        }
        sb.append("],\"decisionId\":");
        JsonText.str(sb, decisionId);
        sb.append(",\"latencyMicros\":").append(latencyMicros).append('}');
    }
}
