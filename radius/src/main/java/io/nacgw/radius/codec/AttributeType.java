package io.nacgw.radius.codec;

/** Attribute types and vendor numbers nacgw reads or writes (RFC 2865/2866/2868/3579/3580 and vendor dictionaries). */
public final class AttributeType {
    public static final int USER_NAME = 1;
    public static final int USER_PASSWORD = 2;
    public static final int CHAP_PASSWORD = 3;
    public static final int NAS_IP_ADDRESS = 4;
    public static final int NAS_PORT = 5;
    public static final int SERVICE_TYPE = 6;
    public static final int FRAMED_IP_ADDRESS = 8;
    public static final int FILTER_ID = 11;
    public static final int REPLY_MESSAGE = 18;
    public static final int STATE = 24;
    public static final int CLASS = 25;
    public static final int VENDOR_SPECIFIC = 26;
    public static final int SESSION_TIMEOUT = 27;
    public static final int TERMINATION_ACTION = 29;
    public static final int CALLED_STATION_ID = 30;
    public static final int CALLING_STATION_ID = 31;
    public static final int NAS_IDENTIFIER = 32;
    public static final int PROXY_STATE = 33;
    public static final int ACCT_STATUS_TYPE = 40;
    public static final int ACCT_DELAY_TIME = 41;
    public static final int ACCT_SESSION_ID = 44;
    public static final int ACCT_TERMINATE_CAUSE = 49;
    public static final int EVENT_TIMESTAMP = 55;
    public static final int NAS_PORT_ID = 87;
    public static final int CHAP_CHALLENGE = 60;
    public static final int NAS_PORT_TYPE = 61;
    public static final int TUNNEL_TYPE = 64;
    public static final int TUNNEL_MEDIUM_TYPE = 65;
    public static final int EAP_MESSAGE = 79;
    public static final int MESSAGE_AUTHENTICATOR = 80;
    public static final int TUNNEL_PRIVATE_GROUP_ID = 81;
    public static final int NAS_IPV6_ADDRESS = 95;
    /** Error-Cause in CoA/Disconnect NAKs (RFC 5176 §3.5). */
    public static final int ERROR_CAUSE = 101;

    /** Service-Type values. */
    public static final int SERVICE_TYPE_CALL_CHECK = 10;
    public static final int SERVICE_TYPE_AUTHORIZE_ONLY = 17;
    /** Termination-Action RADIUS-Request: re-authenticate when Session-Timeout expires. */
    public static final int TERMINATION_ACTION_RADIUS_REQUEST = 1;
    /** Tunnel-Type VLAN and Tunnel-Medium-Type IEEE-802 (RFC 3580 §3.31). */
    public static final int TUNNEL_TYPE_VLAN = 13;
    public static final int TUNNEL_MEDIUM_IEEE_802 = 6;

    /** Acct-Status-Type values. */
    public static final int ACCT_START = 1;
    public static final int ACCT_STOP = 2;
    public static final int ACCT_INTERIM = 3;
    public static final int ACCT_ON = 7;
    public static final int ACCT_OFF = 8;

    public static final int VENDOR_CISCO = 9;
    public static final int CISCO_AVPAIR = 1;
    public static final int VENDOR_MICROSOFT = 311;
    public static final int MS_CHAP_RESPONSE = 1;
    public static final int MS_CHAP_CHALLENGE = 11;
    public static final int MS_CHAP2_RESPONSE = 25;
    public static final int VENDOR_ARUBA = 14823;
    public static final int ARUBA_USER_ROLE = 1;

    private AttributeType() {
    }
}
