package io.nacgw.core.session;

import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.policy.Verdict;

import java.time.Instant;
import java.util.Objects;

/**
 * One Access-Accept to record: a session exists on {@code nas} for this endpoint from {@code at} until
 * {@code expiresAt} unless accounting reports it (then accounting ends it).
 *
 * @param mac        the endpoint MAC, or null; with the NAS it finds the session this Accept (re)authorises
 * @param deviceId   the MDM device, or null (unknown device quarantined)
 * @param classValue the Class sent in the Accept
 * @param decisionId the decision's id (also inside the Class)
 * @param answerHash the decision's {@link io.nacgw.core.policy.Decision#answerHash()} (what the NAS was told), or
 *                   null when unknown; a CoA trigger compares a new decision with it
 */
public record Authorization(NasRef nas, Long nasPort, String nasPortId, MacAddress mac, DeviceGuid deviceId,
                            String userName, String profile, Verdict verdict, String classValue, String decisionId,
                            Instant at, Instant expiresAt, Long answerHash) {
    /** An authorisation without a recorded answer fingerprint. */
    public Authorization(NasRef nas, Long nasPort, String nasPortId, MacAddress mac, DeviceGuid deviceId,
                         String userName, String profile, Verdict verdict, String classValue, String decisionId,
                         Instant at, Instant expiresAt) {
        this(nas, nasPort, nasPortId, mac, deviceId, userName, profile, verdict, classValue, decisionId, at, expiresAt,
                null);
    }

    public Authorization {
        Objects.requireNonNull(nas, "nas");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (mac == null && deviceId == null) {
            throw new IllegalArgumentException("an authorisation needs a MAC or a device id to be found again");
        }
        if (verdict == Verdict.DENY) {
            throw new IllegalArgumentException("an Access-Reject authorises no session");
        }
        if (decisionId != null && decisionId.length() > 32) {
            throw new IllegalArgumentException("decisionId must be at most 32 characters");
        }
        nasPortId = Texts.clip(nasPortId);
        userName = Texts.clip(userName);
        classValue = Texts.clip(classValue);
    }
}
