package io.nacgw.core.session;

import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.MacAddress;

import java.time.Instant;
import java.util.Objects;

/**
 * One accounting record to apply to the session table. Optional fields are null when the NAS did not send them;
 * a null never erases a value stored earlier.
 */
public record SessionEvent(Kind kind, String nas, String acctSessionId, MacAddress mac, DeviceGuid deviceId,
                           String userName, String framedIp, String classValue, String auditSessionId,
                           String nasAddress, Instant at, Integer terminateCause) {
    /** What the record says about the session. */
    public enum Kind { START, INTERIM, STOP }

    public SessionEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
        if (nas == null || nas.isEmpty() || nas.length() > 64) {
            throw new IllegalArgumentException("nas must be 1-64 characters");
        }
        if (nasAddress == null || nasAddress.isEmpty() || nasAddress.length() > 45) {
            throw new IllegalArgumentException("nasAddress must be an IP address");
        }
        if (acctSessionId == null || acctSessionId.isEmpty() || acctSessionId.length() > 253) {
            throw new IllegalArgumentException("acctSessionId must be 1-253 characters");
        }
        userName = clip(userName);
        classValue = clip(classValue);
        auditSessionId = clip(auditSessionId);
    }

    private static String clip(String s) {
        return s == null || s.length() <= 253 ? s : s.substring(0, 253);
    }
}
