package io.nacgw.radius.codec;


/** The two UDP services and the RadSec stream, and the request codes each accepts. */
public enum ServicePort {
    /** Authentication (1812): Access-Request and Status-Server; Status-Server is answered with Access-Accept. */
    AUTH(RadiusCode.ACCESS_ACCEPT, RadiusCode.ACCESS_REQUEST),
    /** Accounting (1813): Accounting-Request and Status-Server; Status-Server is answered with Accounting-Response. */
    ACCT(RadiusCode.ACCOUNTING_RESPONSE, RadiusCode.ACCOUNTING_REQUEST),
    /**
     * A RadSec connection (RFC 6614, TCP 2083): authentication and accounting on one stream; Status-Server is
     * answered with Access-Accept (RFC 6614 §2.6 / RFC 5997 §4).
     */
    STREAM(RadiusCode.ACCESS_ACCEPT, RadiusCode.ACCESS_REQUEST, RadiusCode.ACCOUNTING_REQUEST);

    private final int[] requestCodes;
    private final int statusReplyCode;

    ServicePort(int statusReplyCode, int... requestCodes) {
        this.requestCodes = requestCodes;
        this.statusReplyCode = statusReplyCode;
    }

    /** True for the codes this port serves. */
    boolean allows(int code) {
        if (code == RadiusCode.STATUS_SERVER) {
            return true;
        }
        for (int c : requestCodes) {
            if (c == code) {
                return true;
            }
        }
        return false;
    }

    /** The reply code for Status-Server on this port (RFC 5997). */
    public int statusReplyCode() {
        return statusReplyCode;
    }
}
