package io.nacgw.radius.coa;

import io.nacgw.radius.CoaAction;
import io.nacgw.radius.VendorProfile;
import io.nacgw.radius.codec.Attribute;
import io.nacgw.radius.codec.AttributeType;
import io.nacgw.radius.codec.RadiusCode;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * What a CoA or Disconnect carries (RFC 5176 §3): the NAS identification (NAS-IP-Address or NAS-IPv6-Address),
 * the session identification (Acct-Session-Id, Calling-Station-Id, and Cisco's audit-session-id or, for other
 * vendors, User-Name), Event-Timestamp, and for Cisco the {@code subscriber:command} AV pairs.
 */
final class CoaPackets {
    static final String CISCO_REAUTHENTICATE = "subscriber:command=reauthenticate";
    static final String CISCO_REAUTH_LAST = "subscriber:reauthenticate-type=last";
    static final String CISCO_BOUNCE = "subscriber:command=bounce-host-port";

    private CoaPackets() {
    }

    /** CoA-Request for Cisco's commands, Disconnect-Request for a disconnect. */
    static int code(CoaAction action) {
        return action == CoaAction.DISCONNECT ? RadiusCode.DISCONNECT_REQUEST : RadiusCode.COA_REQUEST;
    }

    /** The packet name and command, for the audit log. */
    static String describe(CoaAction action) {
        return RadiusCode.name(code(action)) + " " + action.wireName();
    }

    /** The attributes (Message-Authenticator is added by the codec). */
    static List<Attribute> attributes(CoaRequest r, CoaAction action, VendorProfile vendor, InetAddress nas,
                                      long eventEpochSeconds) {
        List<Attribute> out = new ArrayList<>(8);
        out.add(Attribute.of(nas instanceof Inet4Address ? AttributeType.NAS_IP_ADDRESS : AttributeType.NAS_IPV6_ADDRESS,
                nas.getAddress()));
        if (r.acctSessionId() != null) {
            out.add(Attribute.text(AttributeType.ACCT_SESSION_ID, r.acctSessionId()));
        }
        if (r.mac() != null) {
            out.add(Attribute.text(AttributeType.CALLING_STATION_ID, r.mac().toRfc3580()));
        }
        if (vendor == VendorProfile.CISCO) {
            // Cisco matches a session by Acct-Session-Id, audit-session-id and Calling-Station-Id (all must match);
            // it does not list User-Name among them, so it is left out rather than risk a NAK 407
            if (r.auditSessionId() != null) {
                out.add(Attribute.vendorText(AttributeType.VENDOR_CISCO, AttributeType.CISCO_AVPAIR,
                        "audit-session-id=" + r.auditSessionId()));
            }
        } else if (r.userName() != null) {
            out.add(Attribute.text(AttributeType.USER_NAME, r.userName()));
        }
        out.add(Attribute.integer(AttributeType.EVENT_TIMESTAMP, (int) eventEpochSeconds));
        if (action == CoaAction.REAUTHENTICATE) {
            out.add(Attribute.vendorText(AttributeType.VENDOR_CISCO, AttributeType.CISCO_AVPAIR, CISCO_REAUTHENTICATE));
            out.add(Attribute.vendorText(AttributeType.VENDOR_CISCO, AttributeType.CISCO_AVPAIR, CISCO_REAUTH_LAST));
        } else if (action == CoaAction.BOUNCE_PORT) {
            out.add(Attribute.vendorText(AttributeType.VENDOR_CISCO, AttributeType.CISCO_AVPAIR, CISCO_BOUNCE));
        }
        return out;
    }
}
