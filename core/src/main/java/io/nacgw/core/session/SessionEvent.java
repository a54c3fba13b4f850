package io.nacgw.core.session;

import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.MacAddress;

import java.time.Instant;
import java.util.Objects;

/**
 * One accounting record (Start/Interim/Stop) to apply to the session table. Optional fields are null when the NAS
 * did not send them; a null never erases a value stored earlier.
 *
 * @param decisionId nacgw's decision id read back from the echoed Class ({@code nacgw:<id>}), or null; joins the
 *                   record with the Access-Accept that authorised the session
 */
public record SessionEvent(Kind kind, NasRef nas, String acctSessionId, Long nasPort, String nasPortId,
                           MacAddress mac, DeviceGuid deviceId, String userName, String framedIp, String classValue,
                           String auditSessionId, String decisionId, Instant at, Integer terminateCause) {
    /** What the record says about the session. */
    public enum Kind { START, INTERIM, STOP }

    public SessionEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(nas, "nas");
        Objects.requireNonNull(at, "at");
        if (acctSessionId == null || acctSessionId.isEmpty() || acctSessionId.length() > 253) {
            throw new IllegalArgumentException("acctSessionId must be 1-253 characters");
        }
        nasPortId = Texts.clip(nasPortId);
        userName = Texts.clip(userName);
        classValue = Texts.clip(classValue);
        auditSessionId = Texts.clip(auditSessionId);
        decisionId = decisionId == null || decisionId.length() > 32 ? null : decisionId;
    }
}
