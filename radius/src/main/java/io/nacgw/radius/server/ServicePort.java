package io.nacgw.radius.server;

import io.nacgw.radius.codec.RadiusCode;

/** The two UDP services and the request codes each accepts. */
public enum ServicePort {
    /** Authentication (1812): Access-Request and Status-Server; Status-Server is answered with Access-Accept. */
    AUTH(RadiusCode.ACCESS_REQUEST, RadiusCode.ACCESS_ACCEPT),
    /** Accounting (1813): Accounting-Request and Status-Server; Status-Server is answered with Accounting-Response. */
    ACCT(RadiusCode.ACCOUNTING_REQUEST, RadiusCode.ACCOUNTING_RESPONSE);

    private final int requestCode;
    private final int statusReplyCode;

    ServicePort(int requestCode, int statusReplyCode) {
        this.requestCode = requestCode;
        this.statusReplyCode = statusReplyCode;
    }

    /** True for the codes this port serves. */
    public boolean allows(int code) {
        return code == requestCode || code == RadiusCode.STATUS_SERVER;
    }

    /** The reply code for Status-Server on this port (RFC 5997). */
    public int statusReplyCode() {
        return statusReplyCode;
    }
}
