package io.nacgw.core.session;

import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.MacAddress;

import java.time.Instant;
import java.util.Objects;

/**
 * One NAS session as stored from accounting. Nullable fields were not (yet) reported by the NAS.
 *
 * @param nas             the configured NAS client the records came through
 * @param acctSessionId   Acct-Session-Id, unique per session on that NAS
 * @param mac             the endpoint MAC (Calling-Station-Id), or null
 * @param deviceId        the MDM device id resolved from the MAC, or null
 * @param userName        User-Name, or null
 * @param framedIp        Framed-IP-Address, or null
 * @param classValue      the Class the NAS echoed (nacgw puts its decision id there), or null
 * @param auditSessionId  Cisco audit-session-id, or null
 * @param nasAddress      source address of the NAS's accounting packets; with acctSessionId the key
 * @param startedAt       when the session started (first record seen)
 * @param updatedAt       newest accounting record applied
 * @param stoppedAt       when it stopped, or null while live
 * @param terminateCause  Acct-Terminate-Cause of the stop, or null
 */
public record Session(String nas, String acctSessionId, MacAddress mac, DeviceGuid deviceId, String userName,
                      String framedIp, String classValue, String auditSessionId, String nasAddress, Instant startedAt,
                      Instant updatedAt, Instant stoppedAt, Integer terminateCause) {
    public Session {
        Objects.requireNonNull(nas, "nas");
        Objects.requireNonNull(acctSessionId, "acctSessionId");
        Objects.requireNonNull(nasAddress, "nasAddress");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** True while no stop (or Accounting-On/Off) has closed the session. */
    public boolean live() {
        return stoppedAt == null;
    }
}
