package io.nacgw.radius.coa;

import io.nacgw.core.id.MacAddress;
import io.nacgw.core.session.NasTransport;
import io.nacgw.core.session.Session;
import io.nacgw.radius.CoaAction;

import java.util.Objects;

/**
 * One CoA or Disconnect to send: which NAS client, which session on it, why.
 *
 * @param nas             the configured NAS client the session came through (its CoA port, secret and action apply)
 * @param nasAddress      the NAS's IP address (the session's source address): NAS-IP-Address, and where the request
 *                        goes unless the client has a {@code coaAddress}
 * @param sessionId       nacgw's id of the session (audit log, API), or null
 * @param acctSessionId   Acct-Session-Id of the session, or null when accounting never named it (a MAB-only NAS:
 *                        the session is then identified by Calling-Station-Id)
 * @param mac             the endpoint's MAC (Calling-Station-Id), or null
 * @param userName        User-Name of the session, or null
 * @param auditSessionId  Cisco audit-session-id, or null
 * @param deviceId        the MDM device id, for the audit log; or null
 * @param trigger         why
 * @param action          what to ask for; null for the client's {@code coaAction}
 * @param reason          words for the audit log (e.g. "allow -> quarantine"), or null
 * @param radsecPeer      for a session that came over RadSec: the IP address of the NAS's TLS connection, over which
 *                        the request goes back (RFC 6614 §2.5); null for UDP
 */
public record CoaRequest(String nas, String nasAddress, String sessionId, String acctSessionId, MacAddress mac, String userName,
                         String auditSessionId, String deviceId, CoaTrigger trigger, CoaAction action, String reason,
                         String radsecPeer) {
    /** A request to a NAS that speaks RADIUS over UDP. */
    public CoaRequest(String nas, String nasAddress, String sessionId, String acctSessionId, MacAddress mac,
                      String userName, String auditSessionId, String deviceId, CoaTrigger trigger, CoaAction action,
                      String reason) {
        this(nas, nasAddress, sessionId, acctSessionId, mac, userName, auditSessionId, deviceId, trigger, action,
                reason, null);
    }

    public CoaRequest {
        Objects.requireNonNull(nas, "nas");
        Objects.requireNonNull(nasAddress, "nasAddress");
        Objects.requireNonNull(trigger, "trigger");
        if (acctSessionId != null && (acctSessionId.isEmpty() || acctSessionId.length() > 253)) {
            throw new IllegalArgumentException("acctSessionId must be 1-253 characters");
        }
        if (acctSessionId == null && mac == null) {
            throw new IllegalArgumentException("a CoA needs the session's Acct-Session-Id or its MAC");
        }
        if (sessionId != null && sessionId.isEmpty()) {
            sessionId = null;
        }
        if (userName != null && (userName.isEmpty() || userName.length() > 253)) {
            userName = null;
        }
        if (auditSessionId != null && (auditSessionId.isEmpty() || auditSessionId.length() > 200)) {
            auditSessionId = null;
        }
    }

    /**
     * A request for a stored session: sent through the client the session came through, to the NAS's own address
     * (NAS-IP-Address / NAS-IPv6-Address, else the source address; behind a proxy the client's {@code coaAddress});
     * a session that came over RadSec: over the NAS's TLS connection.
     */
    public static CoaRequest of(Session s, CoaTrigger trigger, CoaAction action, String reason) {
        return new CoaRequest(s.nas().client(), s.nas().address(), s.id(), s.acctSessionId(), s.mac(), s.userName(),
                s.auditSessionId(), s.deviceId() == null ? null : s.deviceId().canonical(), trigger, action, reason,
                s.nas().transport() == NasTransport.RADSEC ? s.nas().source() : null);
    }

    /** The session as logs and the audit log name it: nacgw's id, else the Acct-Session-Id, else the MAC. */
    public String sessionLabel() {
        return sessionId != null ? sessionId : acctSessionId != null ? acctSessionId : "mac " + mac.canonical();
    }
}
