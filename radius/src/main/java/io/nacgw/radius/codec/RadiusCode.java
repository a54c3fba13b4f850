package io.nacgw.radius.codec;

/** RADIUS packet codes used by nacgw (RFC 2865, 2866, 5176, 5997). */
public final class RadiusCode {
    public static final int ACCESS_REQUEST = 1;
    public static final int ACCESS_ACCEPT = 2;
    public static final int ACCESS_REJECT = 3;
    public static final int ACCOUNTING_REQUEST = 4;
    public static final int ACCOUNTING_RESPONSE = 5;
    public static final int ACCESS_CHALLENGE = 11;
    public static final int STATUS_SERVER = 12;
    /** Dynamic authorization (RFC 5176): Disconnect-Request/ACK/NAK and CoA-Request/ACK/NAK. */
    public static final int DISCONNECT_REQUEST = 40;
    public static final int DISCONNECT_ACK = 41;
    public static final int DISCONNECT_NAK = 42;
    public static final int COA_REQUEST = 43;
    public static final int COA_ACK = 44;
    public static final int COA_NAK = 45;

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
            case DISCONNECT_REQUEST: return "Disconnect-Request";
            case DISCONNECT_ACK: return "Disconnect-ACK";
            case DISCONNECT_NAK: return "Disconnect-NAK";
            case COA_REQUEST: return "CoA-Request";
            case COA_ACK: return "CoA-ACK";
            case COA_NAK: return "CoA-NAK";
            default: return "code " + code;
        }
    }
}
