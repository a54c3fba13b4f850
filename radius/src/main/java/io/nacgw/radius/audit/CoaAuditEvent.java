package io.nacgw.radius.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One CoA or Disconnect nacgw sent, as the audit log records it (a line with {@code "type":"coa"}).
 *
 * @param time           when the answer (or the give-up) came
 * @param nas            NAS client name
 * @param nasAddress     the address and port the request went to
 * @param deviceId       the MDM device id of the session, or null
 * @param mac            the session's endpoint MAC (Calling-Station-Id), or null
 * @param session        nacgw's session id (else the Acct-Session-Id, else "mac ...")
 * @param acctSessionId  the NAS's Acct-Session-Id, or null when accounting never named the session
 * @param trigger        device-change, policy-reload or operator
 * @param reason         why, e.g. "allow -> quarantine" (null when not known)
 * @param sent           the packet and command, e.g. "CoA-Request reauthenticate"
 * @param answer         ack, nak, timeout, queue-full, no-client
 * @param errorCause     Error-Cause of a NAK (RFC 5176 §3.5), or null
 * @param attempts       transmissions, retransmissions included
 * @param latencyMicros  from the request being queued to the answer (or the give-up)
 */
public record CoaAuditEvent(Instant time, String nas, String nasAddress, String deviceId, String mac, String session,
                            String acctSessionId, String trigger, String reason, String sent, String answer, Integer errorCause, int attempts,
                            long latencyMicros) implements AuditRecord {
    public CoaAuditEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(answer, "answer");
    }

    @Override
    public String toJson() {
        StringBuilder sb = new StringBuilder(320);
        appendJson(sb, new AuditEvent.TimeFormat());
        return sb.toString();
    }

    void appendJson(StringBuilder sb, AuditEvent.TimeFormat times) {
        sb.append("{\"time\":\"");
        times.append(sb, time);
        sb.append("\",\"type\":\"coa\",\"nas\":");
        JsonText.str(sb, nas);
        sb.append(",\"nasAddress\":");
        JsonText.str(sb, nasAddress);
        sb.append(",\"deviceId\":");
        JsonText.str(sb, deviceId);
        sb.append(",\"mac\":");
        JsonText.str(sb, mac);
        sb.append(",\"session\":");
        JsonText.str(sb, session);
        sb.append(",\"acctSessionId\":");
        JsonText.str(sb, acctSessionId);
        sb.append(",\"trigger\":");
        JsonText.str(sb, trigger);
        sb.append(",\"reason\":");
        JsonText.str(sb, reason);
        sb.append(",\"sent\":");
        JsonText.str(sb, sent);
        sb.append(",\"answer\":");
        JsonText.str(sb, answer);
        sb.append(",\"errorCause\":").append(errorCause == null ? "null" : errorCause.toString());
        sb.append(",\"attempts\":").append(attempts);
        sb.append(",\"latencyMicros\":").append(latencyMicros).append('}');
    }
}
