package io.nacgw.radius.codec;

/** RADIUS packet codes used by nacgw (RFC 2865, 2866, 5997). */
public final class RadiusCode {
    public static final int ACCESS_REQUEST = 1;
    public static final int ACCESS_ACCEPT = 2;
    public static final int ACCESS_REJECT = 3;
    public static final int ACCOUNTING_REQUEST = 4;
    public static final int ACCOUNTING_RESPONSE = 5;
    public static final int ACCESS_CHALLENGE = 11;
    public static final int STATUS_SERVER = 12;

    private RadiusCode() {
    }

    /** A name for logs. */
    public static String name(int code) {
        switch (code) {
            case ACCESS_REQUEST: return "Access-Request";
            case ACCESS_ACCEPT: return "Access-Accept";
            case ACCESS_REJECT: return "Access-Reject";
            case ACCOUNTING_REQUEST: return "Accounting-Request";
            case ACCOUNTING_RESPONSE: return "Accounting-Response";
            case ACCESS_CHALLENGE: return "Access-Challenge";
            case STATUS_SERVER: return "Status-Server";
            default: return "code " + code;
        }
    }
}
