package io.nacgw.radius;

import java.util.Locale;

/** Why a datagram got no answer. Every drop is counted under exactly one reason. */
public enum DropReason {
    /** The source address matches no configured NAS client (dropped before parsing). */
    UNKNOWN_CLIENT,
    /** Larger than 4096 bytes. */
    OVERSIZE,
    /** Length field, attribute or vendor sub-attribute lengths inconsistent, duplicate User-Password, etc. */
    MALFORMED,
    /** A code this port does not serve (e.g. code 0, an Accounting-Request on the auth port). */
    CODE_NOT_ALLOWED,
    /** Message-Authenticator absent where the client requires it (or for Status-Server / EAP). */
    MISSING_MESSAGE_AUTHENTICATOR,
    /** Message-Authenticator present but wrong: wrong secret or a forged packet. */
    BAD_MESSAGE_AUTHENTICATOR,
    /** Proxy-State without Message-Authenticator from a client with limitProxyState. */
    PROXY_STATE_WITHOUT_MESSAGE_AUTHENTICATOR,
    /** Accounting-Request authenticator wrong: wrong secret or a forged packet. */
    BAD_REQUEST_AUTHENTICATOR,
    /** A retransmission of a request that is still being processed. */
    DUPLICATE_IN_PROGRESS,
    /** tinyradius could not decode a packet that passed our structural checks. */
    DECODE_FAILED,
    /** Accounting-Request without Acct-Status-Type or Acct-Session-Id. */
    ACCOUNTING_INCOMPLETE,
    /** The accounting writer's queue was full; the NAS will retransmit. */
    ACCOUNTING_OVERLOADED,
    /** The session table write failed; no Accounting-Response, the NAS will retransmit. */
    ACCOUNTING_STORE_FAILED,
    /** The compliance index refused a lookup (loader full) or failed; the NAS will retransmit. */
    LOOKUP_FAILED,
    /**
     * Shed before any parsing or cryptography: the port's admission rate ({@code radius.maxRequestsPerSecond}) was
     * exceeded. The newest datagrams are dropped so the ones admitted are answered in time; the NAS retransmits.
     */
    OVERLOADED,
    /** The reply would exceed 4096 bytes once the request's Proxy-State attributes are copied into it (RFC 2865). */
    REPLY_TOO_LARGE,
    /** EAP-Message that is not one well-formed EAP Response (bad lengths, wrong code, broken EAP-TLS framing). */
    EAP_MALFORMED,
    /** An EAP Response whose identifier is not the one of the conversation's last request (stale or replayed). */
    EAP_UNEXPECTED_ID,
    /** A second request for an EAP conversation whose previous step is still running. */
    EAP_CONVERSATION_BUSY,
    /** The EAP-TLS worker queue was full; the NAS will retransmit. */
    EAP_OVERLOADED,
    /** An unexpected error in a handler (a bug): logged with its stack trace. */
    INTERNAL_ERROR,
    /** A CoA/Disconnect ACK or NAK a NAS sent on its RadSec connection while nacgw's CoA is off (the connection stays). */
    UNSOLICITED_COA_ANSWER,
    /** A datagram at the CoA client's socket that answers nothing outstanding, or is malformed. */
    COA_REPLY_UNEXPECTED,
    /** A CoA/Disconnect ACK or NAK whose Response Authenticator or Message-Authenticator is wrong (coaSecret?). */
    COA_REPLY_BAD_AUTHENTICATOR,
    /** A CoA refused because the CoA sender's queue was full (no datagram involved; counted and logged alike). */
    COA_QUEUE_FULL,
    /** A CoA not sent: its NAS client is no longer configured, or the session's NAS address is not an IP address. */
    COA_NO_CLIENT,
    /** A CoA not sent: the session came over RadSec and its NAS has no TLS connection open (no UDP fallback). */
    COA_NO_CONNECTION,
    /** A CoA given up: no valid answer after every attempt. */
    COA_TIMEOUT;

    /** True for the reasons counted by the CoA sender (not by the RADIUS server). */
    public boolean coa() {
        return name().startsWith("COA_");
    }

    /** snake_case for metrics and logs. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
