package io.nacgw.core.session;

import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.policy.Verdict;

import java.time.Instant;
import java.util.Objects;

/**
 * One network session as nacgw knows it: from the Access-Accept that authorised it, from accounting, or (joined)
 * both. Nullable fields were not (yet) reported.
 *
 * @param id              nacgw's id of the session (for the API, the CLI and CoA)
 * @param nas             the NAS holding it; with {@code acctSessionId} the accounting key
 * @param acctSessionId   Acct-Session-Id, unique per session on that NAS; null until accounting names it
 * @param nasPort         NAS-Port, or null
 * @param nasPortId       NAS-Port-Id (e.g. {@code GigabitEthernet1/0/10}), or null
 * @param mac             the endpoint MAC (Calling-Station-Id, or the MAB User-Name), or null
 * @param deviceId        the MDM device, or null when unknown
 * @param userName        User-Name, or null
 * @param framedIp        Framed-IP-Address, or null
 * @param classValue      the Class nacgw put in the Accept (the NAS echoes it in accounting), or null
 * @param auditSessionId  Cisco audit-session-id, or null
 * @param profile         the policy profile of the last authorisation, or null (accounting only)
 * @param verdict         the verdict of the last authorisation, or null (accounting only)
 * @param decisionId      the id of the last authorisation's decision (in Class and the audit log), or null
 * @param authorizedAt    time of the last Access-Accept, or null
 * @param expiresAt       for a session known only from its Access-Accept: when it stops counting as active;
 *                        null once accounting reports it (then only a Stop or Accounting-On/Off ends it)
 * @param startedAt       start (accounting), else the Access-Accept's time
 * @param updatedAt       newest record applied
 * @param stoppedAt       when it stopped, or null
 * @param terminateCause  Acct-Terminate-Cause of the stop, or null
 * @param owner           the node that recorded the last Access-Accept or accounting record (shared mode: it sends
 *                        the session's CoA), or null when written without a node name
 * @param answerHash      {@link io.nacgw.core.policy.Decision#answerHash()} of the last authorisation (the answer
 *                        the NAS holds), or null when not recorded (accounting only, or recorded before V48)
 */
public record Session(String id, NasRef nas, String acctSessionId, Long nasPort, String nasPortId, MacAddress mac,
                      DeviceGuid deviceId, String userName, String framedIp, String classValue,
                      String auditSessionId, String profile, Verdict verdict, String decisionId,
                      Instant authorizedAt, Instant expiresAt, Instant startedAt, Instant updatedAt,
                      Instant stoppedAt, Integer terminateCause, String owner, Long answerHash) {
    /** A session without a recorded answer fingerprint. */
    public Session(String id, NasRef nas, String acctSessionId, Long nasPort, String nasPortId, MacAddress mac,
                   DeviceGuid deviceId, String userName, String framedIp, String classValue,
                   String auditSessionId, String profile, Verdict verdict, String decisionId,
                   Instant authorizedAt, Instant expiresAt, Instant startedAt, Instant updatedAt,
                   Instant stoppedAt, Integer terminateCause, String owner) {
        this(id, nas, acctSessionId, nasPort, nasPortId, mac, deviceId, userName, framedIp, classValue, auditSessionId,
                profile, verdict, decisionId, authorizedAt, expiresAt, startedAt, updatedAt, stoppedAt, terminateCause,
                owner, null);
    }

    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(nas, "nas");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** True while no Stop (or Accounting-On/Off) ended it and, when known only from an Accept, it has not expired. */
    public boolean active(Instant now) {
        return stoppedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    /** True when accounting reported the session (it has an Acct-Session-Id). */
    public boolean accounted() {
        return acctSessionId != null;
    }
}
